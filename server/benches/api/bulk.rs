//! Bulk operations and email: reassigning 50 clients through the whole application, as a
//! dry run and for real (the seed's target: 30 s); and the outbox drained by the queue,
//! through the log transport and through SES (moto on this machine) with the real SDK.

use std::{sync::Arc, time::Instant};

use clientele::{
    AppState,
    email::{LogTransport, Mailer, SesSettings, SesTransport},
    tasks::{TaskContext, run_pending},
    telemetry::SqlStatementCounter,
};
use serde_json::json;
use sqlx::PgPool;

use super::{Sample, measure};

const REASSIGN: &str = "mutation($ids: [ID!]!, $m: ID!, $dry: Boolean!) { bulkUpdateClients(clientIds: $ids, operation: REASSIGN_ACCOUNT_MANAGER, parameters: { accountManagerId: $m }, dryRun: $dry) { status totals { ok skipped errors } results { clientId outcome } } }";

/// Reassigns the same 50 clients back and forth between two managers, so every real run
/// changes all 50.
pub async fn measure_bulk(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    admin: &str,
    pool: &PgPool,
) -> anyhow::Result<Vec<Sample>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "select id::text from clients where status = 'active' order by id limit 50",
    )
    .fetch_all(pool)
    .await?;
    let managers: Vec<String> = sqlx::query_scalar(
        "select id::text from users where role in ('manager', 'admin') and is_active order by email limit 2",
    )
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(
        ids.len() == 50 && managers.len() == 2,
        "bulk bench fixtures"
    );
    let run = |dry: bool| {
        let ids = ids.clone();
        let managers = managers.clone();
        move |i: usize| {
            (
                REASSIGN,
                json!({ "ids": ids, "m": managers[i % 2], "dry": dry }),
            )
        }
    };
    Ok(vec![
        measure(
            app,
            counter,
            "bulk reassign 50 clients, dry run",
            30,
            admin,
            run(true),
        )
        .await?,
        measure(
            app,
            counter,
            "bulk reassign 50 clients, real run",
            30,
            admin,
            run(false),
        )
        .await?,
    ])
}

/// Emails per second the queue delivers, by transport: `emails` queued in one transaction,
/// then drained by one worker.
pub async fn outbox_drain(
    state: &AppState,
    ses_endpoint: Option<&str>,
    emails: usize,
) -> anyhow::Result<Vec<(&'static str, f64)>> {
    let log: Mailer = Arc::new(LogTransport);
    let context = |mailer: Mailer| TaskContext {
        mailer,
        ..TaskContext::from(state)
    };
    // Whatever the other benchmarks queued (welcome emails) goes first, untimed.
    run_pending(&context(log.clone())).await?;
    let mut transports = vec![("log", log)];
    if let Some(endpoint) = ses_endpoint {
        let ses = SesTransport::new(&SesSettings {
            region: "us-east-1".into(),
            endpoint: Some(endpoint.to_owned()),
        });
        let from = &state.config.email_from;
        let domain = from
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .trim_end_matches('>');
        ses.client()
            .create_email_identity()
            .email_identity(domain)
            .send()
            .await?;
        transports.push(("SES (moto on this machine)", Arc::new(ses)));
    }
    let mut rates = Vec::new();
    for (name, mailer) in transports {
        let email = clientele::email::render(
            "welcome",
            &json!({ "client_name": "Bench Ltd", "client_code": "CLT-2026-0001", "contact_name": "Ann" }),
        )?;
        let mut tx = state.pool.begin().await?;
        for i in 0..emails {
            clientele::email::queue(&mut tx, &format!("bench{i}@client.example"), &email, None)
                .await
                .map_err(|e| anyhow::anyhow!("queueing an email: {e:?}"))?;
        }
        tx.commit().await?;
        let started = Instant::now();
        let ran = run_pending(&context(mailer)).await?;
        let seconds = started.elapsed().as_secs_f64();
        anyhow::ensure!(ran == emails, "{ran} of {emails} emails delivered");
        let sent: i64 =
            sqlx::query_scalar("select count(*) from email_outbox where status = 'sent'")
                .fetch_one(&state.pool)
                .await?;
        anyhow::ensure!(
            sent as usize >= emails,
            "only {sent} emails are marked sent"
        );
        rates.push((name, emails as f64 / seconds));
    }
    Ok(rates)
}
