//! Bulk operations: at most 50 clients, a dry run that writes nothing and answers what the
//! real run does, all or nothing unless `continueOnError`, each rule of a single change
//! applied per client, the audit log, the per-admin rate limit and overlapping runs.

use std::collections::BTreeMap;

use clientele::auth::Role;
use clientele_core::ClientStatus;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{
    Refused, TestApp,
    audit_log::AuditLogFilter,
    bulk_update_clients::{
        BulkOperation, BulkOutcome, BulkParameters, BulkRunStatus,
        BulkUpdateClientsBulkUpdateClients as Run,
    },
};

/// Parameters with nothing set.
fn nothing() -> BulkParameters {
    BulkParameters {
        status: None,
        account_manager_id: None,
        industry: None,
        reason: None,
        details: None,
        archive: None,
    }
}

fn on_hold() -> BulkParameters {
    BulkParameters {
        status: Some(ClientStatus::OnHold),
        ..nothing()
    }
}

fn industry(name: &str) -> BulkParameters {
    BulkParameters {
        industry: Some(name.to_owned()),
        ..nothing()
    }
}

impl TestApp {
    /// Runs a bulk operation as an admin.
    async fn bulk(
        &self,
        ids: &[String],
        operation: BulkOperation,
        parameters: BulkParameters,
        dry_run: bool,
        continue_on_error: bool,
    ) -> Run {
        self.bulk_update_clients(
            Role::Admin,
            ids.to_vec(),
            operation,
            parameters,
            dry_run,
            continue_on_error,
        )
        .await
        .expect("a bulk run")
    }

    /// `n` new clients named after `prefix`.
    async fn clients_named(&self, prefix: &str, n: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            ids.push(
                self.create_named_client(&format!("{prefix} {i:02}"), vec![])
                    .await,
            );
        }
        ids
    }

    /// Audit entries with this action.
    async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("select count(*) from audit_log where action = $1")
            .bind(action)
            .fetch_one(&self.pool)
            .await
            .expect("counting audit entries")
    }

    async fn status_of(&self, id: &str) -> ClientStatus {
        self.client(Role::Analyst, id.to_owned())
            .await
            .expect("the client")
            .status
    }
}

/// Every row of every table of ours, as text, by table.
async fn every_table(pool: &PgPool) -> BTreeMap<String, String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables where schemaname = 'public' order by 1",
    )
    .fetch_all(pool)
    .await
    .expect("the tables");
    let mut contents = BTreeMap::new();
    for table in tables {
        let rows: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            r#"select (select json_agg(t order by t::text) from "{table}" t)::text"#
        )))
        .fetch_one(pool)
        .await
        .expect("a table's rows");
        contents.insert(table, rows.unwrap_or_default());
    }
    contents
}

/// What a run did per client, without its ids and flags: (client, outcome, code, status after).
fn per_client(run: &Run) -> Vec<(String, BulkOutcome, Option<String>, Option<ClientStatus>)> {
    run.results
        .iter()
        .map(|r| {
            (
                r.client_id.clone(),
                r.outcome.clone(),
                r.code.clone(),
                r.after.as_ref().map(|a| a.status),
            )
        })
        .collect()
}

async fn audit_entries(
    app: &TestApp,
    filter: AuditLogFilter,
) -> Vec<crate::helpers::audit_log::AuditLogAuditLogItems> {
    app.audit_log(Role::Admin, Some(filter), 1, 100)
        .await
        .expect("the audit log")
        .items
}

fn filter() -> AuditLogFilter {
    AuditLogFilter {
        entity: None,
        entity_id: None,
        actor_id: None,
        action: None,
        from: None,
        to: None,
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn more_than_fifty_clients_are_refused_before_any_work(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let real = app.clients_named("Fifty", 50).await;
    let before = every_table(&app.pool).await;
    let mut too_many = real.clone();
    too_many.push(uuid::Uuid::new_v4().to_string());
    let failure = app
        .bulk_update_clients(
            Role::Admin,
            too_many,
            BulkOperation::CHANGE_STATUS,
            on_hold(),
            false,
            false,
        )
        .await
        .refused("VALIDATION");
    assert!(
        failure
            .field("clientIds")
            .is_some_and(|m| m.contains("at most 50")),
        "{failure:?}"
    );
    assert_eq!(
        every_table(&app.pool).await,
        before,
        "a refused run wrote something"
    );

    // The same 50 twice over are 50 clients.
    let mut twice = real.clone();
    twice.extend(real.iter().rev().cloned());
    let run = app
        .bulk(
            &twice,
            BulkOperation::CHANGE_STATUS,
            on_hold(),
            false,
            false,
        )
        .await;
    assert_eq!(run.totals.requested, 50);
    assert_eq!(run.totals.ok, 50);
    assert_eq!(
        run.results
            .iter()
            .map(|r| r.client_id.clone())
            .collect::<Vec<_>>(),
        real
    );
    assert_eq!(app.status_of(&real[49]).await, ClientStatus::OnHold);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_dry_run_writes_nothing_and_answers_what_the_real_run_does(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let ids = app.clients_named("Dry", 5).await;
    app.deactivate_client(Role::Admin, ids[1].clone(), "Closed".into(), None, false)
        .await
        .expect("deactivated");
    app.bulk(
        &ids[2..3],
        BulkOperation::CHANGE_STATUS,
        on_hold(),
        false,
        false,
    )
    .await;
    let mut asked = ids.clone();
    asked.push(uuid::Uuid::new_v4().to_string());

    let before = every_table(&app.pool).await;
    let dry = app
        .bulk(&asked, BulkOperation::CHANGE_STATUS, on_hold(), true, true)
        .await;
    assert_eq!(
        every_table(&app.pool).await,
        before,
        "the dry run wrote something"
    );
    assert!(dry.dry_run);
    assert_eq!(dry.status, BulkRunStatus::PARTIALLY_APPLIED);
    assert_eq!(
        (
            dry.totals.requested,
            dry.totals.ok,
            dry.totals.skipped,
            dry.totals.errors
        ),
        (6, 3, 1, 2)
    );
    assert_eq!(dry.results[1].code.as_deref(), Some("CONFLICT"));
    assert_eq!(dry.results[2].outcome, BulkOutcome::SKIPPED);
    assert_eq!(dry.results[5].code.as_deref(), Some("NOT_FOUND"));
    for id in [&ids[0], &ids[3], &ids[4]] {
        assert_eq!(app.status_of(id).await, ClientStatus::Active);
    }

    let real = app
        .bulk(&asked, BulkOperation::CHANGE_STATUS, on_hold(), false, true)
        .await;
    assert!(!real.dry_run);
    assert_eq!(real.status, dry.status);
    assert_eq!(per_client(&real), per_client(&dry));
    for id in [&ids[0], &ids[3], &ids[4]] {
        assert_eq!(app.status_of(id).await, ClientStatus::OnHold);
    }
    assert_eq!(app.status_of(&ids[1]).await, ClientStatus::Inactive);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn one_refused_client_leaves_every_client_as_it_was_unless_told_to_go_on(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let ids = app.clients_named("Atomic", 4).await;
    app.deactivate_client(Role::Admin, ids[2].clone(), "Closed".into(), None, true)
        .await
        .expect("archived");
    let clients_before: Value = sqlx::query_scalar("select json_agg(c order by id) from clients c")
        .fetch_one(&app.pool)
        .await
        .expect("clients");

    let run = app
        .bulk(&ids, BulkOperation::CHANGE_STATUS, on_hold(), false, false)
        .await;
    assert_eq!(run.status, BulkRunStatus::NOT_APPLIED);
    assert_eq!((run.totals.ok, run.totals.errors), (3, 1));
    let refused = &run.results[2];
    assert_eq!(refused.outcome, BulkOutcome::ERROR);
    assert_eq!(refused.code.as_deref(), Some("CONFLICT"));
    assert!(
        refused
            .message
            .as_deref()
            .is_some_and(|m| m.contains("archived")),
        "{refused:?}"
    );
    let clients_after: Value = sqlx::query_scalar("select json_agg(c order by id) from clients c")
        .fetch_one(&app.pool)
        .await
        .expect("clients");
    assert_eq!(
        clients_after, clients_before,
        "a refused all-or-nothing run changed clients"
    );
    let updates = app.audit_count("client.updated").await;
    assert_eq!(updates, 0);

    let run = app
        .bulk(&ids, BulkOperation::CHANGE_STATUS, on_hold(), false, true)
        .await;
    assert_eq!(run.status, BulkRunStatus::PARTIALLY_APPLIED);
    assert_eq!((run.totals.ok, run.totals.errors), (3, 1));
    for (i, id) in ids.iter().enumerate() {
        let expected = if i == 2 {
            ClientStatus::Archived
        } else {
            ClientStatus::OnHold
        };
        assert_eq!(app.status_of(id).await, expected, "client {i}");
    }
    let updates = app.audit_count("client.updated").await;
    assert_eq!(updates, 3);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn each_operation_changes_the_clients_by_the_rules_of_a_single_change(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let ids = app.clients_named("Each", 3).await;
    let manager = app.users[&Role::Manager].to_string();

    // Reassign: the third already has the manager and is skipped.
    app.bulk(
        &ids[2..],
        BulkOperation::REASSIGN_ACCOUNT_MANAGER,
        BulkParameters {
            account_manager_id: Some(manager.clone()),
            ..nothing()
        },
        false,
        false,
    )
    .await;
    let run = app
        .bulk(
            &ids,
            BulkOperation::REASSIGN_ACCOUNT_MANAGER,
            BulkParameters {
                account_manager_id: Some(manager.clone()),
                ..nothing()
            },
            false,
            false,
        )
        .await;
    assert_eq!((run.totals.ok, run.totals.skipped), (2, 1));
    assert!(run.results.iter().all(|r| {
        r.after
            .as_ref()
            .and_then(|a| a.account_manager.as_ref())
            .map(|m| m.id.clone())
            == Some(manager.clone())
    }));

    // A recruiter may not manage accounts: refused before any work.
    let recruiter = app.users[&Role::Recruiter].to_string();
    let failure = app
        .bulk_update_clients(
            Role::Admin,
            ids.clone(),
            BulkOperation::REASSIGN_ACCOUNT_MANAGER,
            BulkParameters {
                account_manager_id: Some(recruiter),
                ..nothing()
            },
            false,
            true,
        )
        .await
        .refused("VALIDATION");
    assert!(
        failure.field("parameters.accountManagerId").is_some(),
        "{failure:?}"
    );

    // Null takes the manager away (sent raw: the typed variables leave nulls out).
    let answer = app
        .post(
            Role::Admin,
            &json!({
                "query": "mutation($ids: [ID!]!) { bulkUpdateClients(clientIds: $ids, operation: REASSIGN_ACCOUNT_MANAGER, parameters: { accountManagerId: null }) { status totals { ok } } }",
                "variables": { "ids": ids },
            }),
        )
        .await;
    assert_eq!(
        answer["data"]["bulkUpdateClients"]["totals"]["ok"], 3,
        "{answer}"
    );
    let client = app
        .client(Role::Analyst, ids[0].clone())
        .await
        .expect("client");
    assert_eq!(client.account_manager, None);

    // Industry, trimmed; the same industry again is skipped.
    let run = app
        .bulk(
            &ids,
            BulkOperation::SET_INDUSTRY,
            industry("  Logistics "),
            false,
            false,
        )
        .await;
    assert_eq!(
        run.results[0]
            .after
            .as_ref()
            .and_then(|a| a.industry.clone())
            .as_deref(),
        Some("Logistics")
    );
    let run = app
        .bulk(
            &ids,
            BulkOperation::SET_INDUSTRY,
            industry("Logistics"),
            false,
            false,
        )
        .await;
    assert_eq!(run.totals.skipped, 3);

    // Deactivate needs a reason; archive archives; reactivate brings them back.
    let failure = app
        .bulk_update_clients(
            Role::Admin,
            ids.clone(),
            BulkOperation::DEACTIVATE,
            nothing(),
            false,
            false,
        )
        .await
        .refused("VALIDATION");
    assert!(failure.field("parameters.reason").is_some(), "{failure:?}");
    let failure = app
        .bulk_update_clients(
            Role::Admin,
            ids.clone(),
            BulkOperation::REACTIVATE,
            industry("X"),
            false,
            false,
        )
        .await
        .refused("VALIDATION");
    assert!(
        failure.field("parameters.industry").is_some(),
        "{failure:?}"
    );
    let archive = BulkParameters {
        reason: Some("Merged into a group account".into()),
        archive: Some(true),
        ..nothing()
    };
    let run = app
        .bulk(&ids, BulkOperation::DEACTIVATE, archive, false, false)
        .await;
    assert_eq!(run.totals.ok, 3);
    assert_eq!(
        run.results[1]
            .after
            .as_ref()
            .and_then(|a| a.deactivation_reason.clone())
            .as_deref(),
        Some("Merged into a group account")
    );
    assert_eq!(app.status_of(&ids[1]).await, ClientStatus::Archived);
    let run = app
        .bulk(
            &ids[..2],
            BulkOperation::REACTIVATE,
            nothing(),
            false,
            false,
        )
        .await;
    assert_eq!(run.totals.ok, 2);
    let run = app
        .bulk(&ids, BulkOperation::REACTIVATE, nothing(), false, false)
        .await;
    assert_eq!((run.totals.ok, run.totals.skipped), (1, 2));
    assert_eq!(app.status_of(&ids[2]).await, ClientStatus::Active);
    let archived = app.audit_count("client.archived").await;
    assert_eq!(archived, 3);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_real_run_is_in_the_audit_log_with_actor_parameters_and_each_client(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let ids = app.clients_named("Audited", 3).await;
    app.bulk(
        &ids,
        BulkOperation::SET_INDUSTRY,
        industry("Retail"),
        true,
        false,
    )
    .await;
    let mut with_missing = ids.clone();
    with_missing.push(uuid::Uuid::new_v4().to_string());
    let refused = app
        .bulk(
            &with_missing,
            BulkOperation::SET_INDUSTRY,
            industry("Retail"),
            false,
            false,
        )
        .await;
    let applied = app
        .bulk(
            &ids,
            BulkOperation::SET_INDUSTRY,
            industry("Retail"),
            false,
            false,
        )
        .await;

    let runs = audit_entries(
        &app,
        AuditLogFilter {
            entity: Some("bulk_operation".into()),
            ..filter()
        },
    )
    .await;
    assert_eq!(
        runs.len(),
        2,
        "the dry run is not logged, both real runs are: {runs:#?}"
    );
    let admin = app.users[&Role::Admin].to_string();
    let (newest, oldest) = (&runs[0], &runs[1]);
    assert_eq!(
        newest.entity_id.as_deref(),
        Some(applied.operation_id.as_str())
    );
    assert_eq!(
        oldest.entity_id.as_deref(),
        Some(refused.operation_id.as_str())
    );
    for run in &runs {
        assert_eq!(run.action, "bulk.set_industry");
        assert_eq!(
            run.actor.as_ref().map(|a| a.id.clone()),
            Some(admin.clone())
        );
    }
    let after = newest.after.clone().expect("after");
    assert_eq!(after["parameters"], json!({ "industry": "Retail" }));
    assert_eq!(after["status"], "applied");
    assert_eq!(
        after["totals"],
        json!({ "requested": 3, "ok": 3, "skipped": 0, "errors": 0 })
    );
    let before = newest.before.clone().expect("before");
    assert_eq!(before["clients"][&ids[0]]["industry"], Value::Null);
    assert_eq!(after["clients"][&ids[0]]["industry"], "Retail");
    assert_eq!(after["results"][0]["outcome"], "ok");

    let attempt = oldest.after.clone().expect("after");
    assert_eq!(attempt["status"], "not_applied");
    assert_eq!(attempt["results"][3]["code"], "NOT_FOUND");
    assert_eq!(
        attempt["clients"],
        json!({}),
        "nothing changed, no client is listed as changed"
    );

    // One client's history holds the change, under the same request as the run.
    let history = audit_entries(
        &app,
        AuditLogFilter {
            entity_id: Some(ids[1].clone()),
            ..filter()
        },
    )
    .await;
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["client.updated", "client.created"]);
    assert_eq!(history[0].request_id, newest.request_id);
    let by_prefix = audit_entries(
        &app,
        AuditLogFilter {
            action: Some("bulk.".into()),
            ..filter()
        },
    )
    .await;
    assert_eq!(by_prefix.len(), 2);
    let later = audit_entries(
        &app,
        AuditLogFilter {
            from: Some(chrono::Utc::now() + chrono::Duration::minutes(1)),
            ..filter()
        },
    )
    .await;
    assert!(later.is_empty());
    let failure = app
        .audit_log(
            Role::Admin,
            Some(AuditLogFilter {
                entity_id: Some("nope".into()),
                ..filter()
            }),
            1,
            20,
        )
        .await
        .refused("VALIDATION");
    assert!(failure.field("filter.entityId").is_some(), "{failure:?}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn real_runs_are_limited_per_admin_and_minute_and_dry_runs_are_not(pool: PgPool) {
    let app = TestApp::configured(pool, |config| config.bulk_runs_per_minute = 2).await;
    let ids = app.clients_named("Limited", 1).await;
    app.bulk(
        &ids,
        BulkOperation::SET_INDUSTRY,
        industry("A"),
        false,
        false,
    )
    .await;
    app.bulk(
        &ids,
        BulkOperation::SET_INDUSTRY,
        industry("B"),
        false,
        false,
    )
    .await;
    let failure = app
        .bulk_update_clients(
            Role::Admin,
            ids.clone(),
            BulkOperation::SET_INDUSTRY,
            industry("C"),
            false,
            false,
        )
        .await
        .refused("RATE_LIMITED");
    let wait = failure.extensions["retryAfterSeconds"]
        .as_u64()
        .expect("retryAfterSeconds");
    assert!((1..=61).contains(&wait), "{wait}");
    app.bulk(
        &ids,
        BulkOperation::SET_INDUSTRY,
        industry("C"),
        true,
        false,
    )
    .await;
    let client = app
        .client(Role::Analyst, ids[0].clone())
        .await
        .expect("client");
    assert_eq!(client.industry.as_deref(), Some("B"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn overlapping_runs_at_once_both_finish(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let ids = app.clients_named("Overlap", 20).await;
    let reversed: Vec<String> = ids.iter().rev().cloned().collect();
    let (a, b) = tokio::join!(
        app.bulk_update_clients(
            Role::Admin,
            ids.clone(),
            BulkOperation::SET_INDUSTRY,
            industry("Forward"),
            false,
            false
        ),
        app.bulk_update_clients(
            Role::Admin,
            reversed,
            BulkOperation::CHANGE_STATUS,
            on_hold(),
            false,
            false
        ),
    );
    let (a, b) = (a.expect("the first run"), b.expect("the second run"));
    assert_eq!((a.totals.ok, b.totals.ok), (20, 20));
    for id in &ids {
        let client = app.client(Role::Analyst, id.clone()).await.expect("client");
        assert_eq!(
            (client.status, client.industry.as_deref()),
            (ClientStatus::OnHold, Some("Forward"))
        );
    }
}
