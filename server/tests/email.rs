//! Email: the outbox is written in the transaction of its cause and delivered by the
//! queue; a welcome once per client; SES through the real SDK against moto, read back
//! from moto; a crash before or during the send never loses an email nor sends it twice;
//! the monthly feedback reminders: who is reminded across quarter boundaries, one email
//! per manager, once per month.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use clientele::{
    auth::Role,
    config::EmailTransport,
    email::{MailTransport, OutgoingEmail, SendError, SesSettings, SesTransport},
    tasks::{TaskContext, run_pending},
};
use futures::future::BoxFuture;
use sqlx::PgPool;

use crate::{
    helpers::{CreateClientInput, TestApp, add_contact, contact, create_user},
    permissions::feedback_input,
};

/// One outbox row.
#[derive(Debug, sqlx::FromRow)]
struct Outbox {
    to_address: String,
    template: String,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

async fn outbox(pool: &PgPool) -> Vec<Outbox> {
    sqlx::query_as(
        "select to_address, template, subject, body_text, body_html, status, attempts, last_error
         from email_outbox order by created_at, to_address",
    )
    .fetch_all(pool)
    .await
    .expect("the outbox")
}

/// Makes every queued task due now (instead of waiting for its backoff).
async fn due_now(pool: &PgPool) {
    sqlx::query("update background_jobs set run_at = now()")
        .execute(pool)
        .await
        .expect("tasks due");
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}@client.example", uuid::Uuid::new_v4().simple())
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_new_client_welcomes_its_primary_contact_once_the_change_commits(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let to = unique("ann");
    let id = app
        .create_client(
            Role::Manager,
            CreateClientInput {
                name: "Welcome <b>Works</b> & Co".into(),
                account_manager_id: Some(app.users[&Role::Manager].to_string()),
                contacts: vec![
                    contact("Ann Lee", &to, true),
                    contact("Bo", &unique("bo"), false),
                ],
                confirm_not_duplicate: true,
                ..CreateClientInput::default()
            },
        )
        .await
        .expect("created")
        .id;
    let rows = outbox(&app.pool).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let welcome = &rows[0];
    assert_eq!(
        (
            welcome.to_address.as_str(),
            welcome.template.as_str(),
            welcome.status.as_str()
        ),
        (to.as_str(), "welcome", "pending")
    );
    assert_eq!(
        welcome.subject,
        "Welcome to the agency, Welcome <b>Works</b> & Co"
    );
    assert!(welcome.body_text.contains("Dear Ann Lee"));
    assert!(
        welcome
            .body_text
            .contains("Test manager is your account manager (manager@test.local)"),
        "{}",
        welcome.body_text
    );
    let html = welcome.body_html.as_deref().unwrap_or_default();
    assert!(
        html.contains("Welcome &lt;b&gt;Works&lt;&#x2f;b&gt; &amp; Co"),
        "{html}"
    );

    assert!(app.run_pending_jobs().await >= 1);
    let rows = outbox(&app.pool).await;
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("sent", 1));

    // A new primary contact later is no reason for a second welcome.
    let later = add_contact::ContactInput {
        full_name: "Cy".into(),
        email: Some(unique("cy")),
        is_primary: true,
        ..add_contact::ContactInput::default()
    };
    app.add_contact(Role::Manager, id, later)
        .await
        .expect("added");
    assert_eq!(outbox(&app.pool).await.len(), 1);

    // A create that is refused (a likely duplicate) writes no email.
    let refused = app
        .create_client(
            Role::Manager,
            CreateClientInput {
                name: "Welcome <b>Works</b> & Co".into(),
                contacts: vec![contact("Dee", &unique("dee"), true)],
                ..CreateClientInput::default()
            },
        )
        .await;
    assert_eq!(
        refused.err().and_then(|f| f.code).as_deref(),
        Some("CONFLICT")
    );
    assert_eq!(outbox(&app.pool).await.len(), 1);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_client_created_without_contacts_is_welcomed_with_its_first_primary_contact(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    let id = app.create_named_client("Later Contacts Ltd", vec![]).await;
    assert!(outbox(&app.pool).await.is_empty());
    let no_email = add_contact::ContactInput {
        full_name: "Phone Only".into(),
        phone: Some("+44 20 7946 0000".into()),
        ..add_contact::ContactInput::default()
    };
    app.add_contact(Role::Manager, id.clone(), no_email)
        .await
        .expect("added");
    assert!(outbox(&app.pool).await.is_empty(), "no address, no email");

    let eve = add_contact::ContactInput {
        full_name: "Eve".into(),
        email: Some(unique("eve")),
        is_primary: true,
        ..add_contact::ContactInput::default()
    };
    app.add_contact(Role::Manager, id, eve)
        .await
        .expect("added");
    let rows = outbox(&app.pool).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].body_text.contains("Dear Eve"));
    assert!(
        rows[0]
            .body_text
            .contains("An account manager will be in touch")
    );
}

fn moto() -> String {
    std::env::var("CLIENTELE_TEST_S3_ENDPOINT")
        .expect("CLIENTELE_TEST_S3_ENDPOINT: run through `cargo xtask test`, which starts moto")
}

fn ses() -> SesSettings {
    SesSettings {
        region: "us-east-1".into(),
        endpoint: Some(moto()),
    }
}

/// A sender domain of its own for one test, verified on moto unless `verified` is false.
async fn sender(verified: bool) -> String {
    let domain = format!("agency-{}.test", uuid::Uuid::new_v4().simple());
    if verified {
        verify(&domain).await;
    }
    format!("Clientele <noreply@{domain}>")
}

async fn verify(domain: &str) {
    SesTransport::new(&ses())
        .client()
        .create_email_identity()
        .email_identity(domain)
        .send()
        .await
        .expect("verifying a domain on moto");
}

/// How many messages moto's SES has sent to `to`.
async fn sent_to(to: &str) -> usize {
    let body = reqwest::Client::new()
        .get(format!("{}/moto-api/data.json", moto()))
        .send()
        .await
        .expect("moto's data")
        .bytes()
        .await
        .expect("moto's data");
    let data: serde_json::Value = serde_json::from_slice(&body).expect("moto's data as JSON");
    let messages = data["ses"]["Message"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    messages
        .iter()
        .filter(|m| m.to_string().contains(to))
        .count()
}

async fn ses_app(pool: PgPool, from: String) -> TestApp {
    TestApp::configured(pool, move |config| {
        config.email = EmailTransport::Ses(ses());
        config.email_from = from;
    })
    .await
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs moto: `cargo xtask test` starts it and runs this"]
async fn ses_delivers_through_the_sdk_and_a_refused_send_is_retried_later(pool: PgPool) {
    let from = sender(false).await;
    let domain = from
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .trim_end_matches('>')
        .to_owned();
    let app = ses_app(pool, from).await;
    let to = unique("ses");
    app.create_named_client("Ses Delivery GmbH", vec![contact("Sam", &to, true)])
        .await;

    // The sender is not verified yet: SES refuses, the email waits for a retry.
    app.run_pending_jobs().await;
    let rows = outbox(&app.pool).await;
    assert_eq!(
        (rows[0].status.as_str(), rows[0].attempts),
        ("pending", 1),
        "{rows:#?}"
    );
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("not verified")),
        "{rows:#?}"
    );
    assert_eq!(sent_to(&to).await, 0);

    verify(&domain).await;
    due_now(&app.pool).await;
    app.run_pending_jobs().await;
    let rows = outbox(&app.pool).await;
    assert_eq!(
        (rows[0].status.as_str(), rows[0].attempts),
        ("sent", 2),
        "{rows:#?}"
    );
    assert_eq!(sent_to(&to).await, 1);
    let provider: Option<String> =
        sqlx::query_scalar("select provider_message_id from email_outbox")
            .fetch_one(&app.pool)
            .await
            .expect("the message id");
    assert!(provider.is_some_and(|id| !id.is_empty() && !id.starts_with("log-")));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs moto: `cargo xtask test` starts it and runs this"]
async fn a_crash_between_commit_and_send_loses_nothing_and_sends_once(pool: PgPool) {
    let app = ses_app(pool, sender(true).await).await;
    let to = unique("crash");
    // The change commits; the server dies before any worker ran.
    app.create_named_client("Crash Course Ltd", vec![contact("Cat", &to, true)])
        .await;
    assert_eq!(sent_to(&to).await, 0);

    // Another server starts and drains the queue, twice over.
    let other = clientele::AppState::new((*app.state.config).clone(), app.pool.clone())
        .expect("a second server");
    let ctx = TaskContext::from(&other);
    assert!(run_pending(&ctx).await.expect("the queue") >= 1);
    due_now(&app.pool).await;
    run_pending(&ctx).await.expect("the queue");
    app.run_pending_jobs().await;
    assert_eq!(sent_to(&to).await, 1);
    assert_eq!(outbox(&app.pool).await[0].status, "sent");
}

/// Sends through SES, then dies before the outcome is recorded.
struct DiesAfterSending(SesTransport);

impl MailTransport for DiesAfterSending {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let sent = self.0.send(email).await;
            panic!(
                "the server died after the transport answered {:?}",
                sent.is_ok()
            );
        })
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
#[ignore = "needs moto: `cargo xtask test` starts it and runs this"]
async fn a_crash_during_the_send_never_sends_twice(pool: PgPool) {
    let from = sender(true).await;
    let app = TestApp::with_mailer(
        pool,
        |config| config.email_from = from,
        Arc::new(DiesAfterSending(SesTransport::new(&ses()))),
    )
    .await;
    let to = unique("midsend");
    app.create_named_client("Mid Send Plc", vec![contact("Mo", &to, true)])
        .await;
    app.run_pending_jobs().await;
    assert_eq!(sent_to(&to).await, 1);
    assert_eq!(outbox(&app.pool).await[0].status, "sending");

    // The retry finds it mid-send and does not send it again.
    due_now(&app.pool).await;
    app.run_pending_jobs().await;
    let rows = outbox(&app.pool).await;
    assert_eq!(rows[0].status, "unknown");
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("not sent again"))
    );
    let left: i64 = sqlx::query_scalar("select count(*) from background_jobs")
        .fetch_one(&app.pool)
        .await
        .expect("the queue");
    assert_eq!(left, 0, "the task is done, not parked");
    assert_eq!(sent_to(&to).await, 1);
}

/// A manager account, added by an admin; its id.
async fn manager(app: &TestApp, name: &str) -> String {
    app.create_user(
        Role::Admin,
        create_user::CreateUserInput {
            email: format!("{}@agency.example", name.to_lowercase()),
            full_name: name.into(),
            role: Role::Manager,
            password: "long-enough-pw".into(),
        },
    )
    .await
    .expect("a manager")
    .id
}

/// A client of `manager` with feedback for each of `periods`.
async fn managed(app: &TestApp, name: &str, manager: &str, periods: &[&str]) -> String {
    let id = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                name: name.into(),
                account_manager_id: Some(manager.to_owned()),
                confirm_not_duplicate: true,
                ..CreateClientInput::default()
            },
        )
        .await
        .expect("a client")
        .id;
    for period in periods {
        let mut input = feedback_input();
        input.period = (*period).to_owned();
        app.submit_feedback(Role::Admin, id.clone(), input)
            .await
            .expect("feedback");
    }
    id
}

fn first(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).expect("a date")
}

async fn due(app: &TestApp, month: NaiveDate) -> Vec<(String, Vec<String>)> {
    let mut db = app.pool.acquire().await.expect("a connection");
    clientele::email::reminders_due(&mut db, month)
        .await
        .expect("the reminders")
        .into_iter()
        .map(|r| {
            (
                r.manager_name,
                r.clients.into_iter().map(|c| c.name).collect(),
            )
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn reminders_name_the_clients_without_feedback_in_the_quarter_of_the_month(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mia = manager(&app, "Mia").await;
    let noah = manager(&app, "Noah").await;
    let gone = manager(&app, "Gone").await;
    managed(&app, "A Quarterly Q3", &mia, &["2026-Q3"]).await;
    managed(&app, "B Monthly September", &mia, &["2026-09"]).await;
    managed(&app, "C Quarterly Q4", &mia, &["2026-Q4"]).await;
    managed(&app, "D Never", &mia, &[]).await;
    let paused = managed(&app, "E Paused", &mia, &[]).await;
    managed(&app, "F Monthly October", &noah, &["2026-10"]).await;
    managed(&app, "G Orphaned", &gone, &[]).await;
    app.update_client(
        Role::Admin,
        paused,
        crate::helpers::update_client::UpdateClientInput {
            status: Some(clientele_core::ClientStatus::OnHold),
            ..Default::default()
        },
    )
    .await
    .expect("on hold");
    sqlx::query("update users set is_active = false where full_name = 'Gone'")
        .execute(&app.pool)
        .await
        .expect("a manager who left");

    let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    // September: the third quarter.
    assert_eq!(
        due(&app, first(2026, 9)).await,
        [
            ("Mia".to_owned(), names(&["C Quarterly Q4", "D Never"])),
            ("Noah".to_owned(), names(&["F Monthly October"])),
        ]
    );
    // October: the fourth quarter begins; a month of it counts as feedback for it.
    assert_eq!(
        due(&app, first(2026, 10)).await,
        [(
            "Mia".to_owned(),
            names(&["A Quarterly Q3", "B Monthly September", "D Never"])
        ),]
    );
    // December: still the fourth quarter.
    assert_eq!(
        due(&app, first(2026, 12)).await,
        due(&app, first(2026, 10)).await
    );
    // January: a new year and quarter, nobody has feedback for it.
    assert_eq!(
        due(&app, first(2027, 1)).await,
        [
            (
                "Mia".to_owned(),
                names(&[
                    "A Quarterly Q3",
                    "B Monthly September",
                    "C Quarterly Q4",
                    "D Never"
                ])
            ),
            ("Noah".to_owned(), names(&["F Monthly October"])),
        ]
    );
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a time")
        .with_timezone(&Utc)
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn reminders_go_out_once_a_month_one_email_per_manager(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mia = manager(&app, "Mia").await;
    let noah = manager(&app, "Noah").await;
    managed(&app, "Acme <Rockets>", &mia, &[]).await;
    managed(&app, "Bolt", &mia, &["2026-Q3"]).await;
    managed(&app, "Cobalt", &noah, &[]).await;
    let tick = |now: &'static str| {
        let pool = app.pool.clone();
        async move {
            clientele::email::reminder_tick(&pool, chrono_tz::UTC, at(now))
                .await
                .expect("a tick")
        }
    };

    assert_eq!(
        tick("2026-11-15T10:00:00Z").await,
        None,
        "a new installation waits for the next 1st"
    );
    assert_eq!(tick("2026-12-01T08:59:00Z").await, None);
    assert_eq!(tick("2026-12-01T09:00:00Z").await, Some(first(2026, 12)));
    assert_eq!(
        tick("2026-12-01T09:01:00Z").await,
        None,
        "a month fires once"
    );
    app.run_pending_jobs().await;
    let rows = outbox(&app.pool).await;
    let reminders: Vec<&Outbox> = rows
        .iter()
        .filter(|r| r.template == "feedback_reminder")
        .collect();
    assert_eq!(reminders.len(), 2, "{rows:#?}");
    let to_mia = reminders
        .iter()
        .find(|r| r.to_address == "mia@agency.example")
        .expect("Mia's");
    assert_eq!(to_mia.subject, "Feedback due for 2 clients in 2026-Q4");
    assert!(to_mia.body_text.contains("- Acme <Rockets> (CLT-"));
    assert!(
        to_mia
            .body_html
            .as_deref()
            .is_some_and(|h| h.contains("Acme &lt;Rockets&gt;"))
    );
    assert!(to_mia.body_text.contains("- Bolt (CLT-"));
    assert!(reminders.iter().all(|r| r.status == "sent"));

    // The month's run again (a retry, or a second queue entry): nobody is reminded twice.
    sqlx::query("insert into background_jobs (job_type, payload) values ('feedback_reminders', '{\"month\": \"2026-12-01\"}')")
        .execute(&app.pool)
        .await
        .expect("queued again");
    app.run_pending_jobs().await;
    assert_eq!(
        outbox(&app.pool)
            .await
            .iter()
            .filter(|r| r.template == "feedback_reminder")
            .count(),
        2
    );

    // Every server down over New Year: the first tick after catches January up.
    assert_eq!(tick("2027-01-03T12:00:00Z").await, Some(first(2027, 1)));
    app.run_pending_jobs().await;
    assert_eq!(
        outbox(&app.pool)
            .await
            .iter()
            .filter(|r| r.template == "feedback_reminder")
            .count(),
        4
    );
}
