//! SQL statements per request, in a test binary of its own: the counter is the process's
//! global tracing subscriber, which no other test's threads can disturb.

#[allow(dead_code)]
#[path = "helpers.rs"]
mod helpers;

use clientele::{auth::Role, telemetry::SqlStatementCounter};
use sqlx::PgPool;

use helpers::{TestApp, clients::ClientSort};

/// Runs `f` and returns the SQL statements it issued (their summaries).
async fn statements_of<F: std::future::Future>(
    counter: &SqlStatementCounter,
    f: F,
) -> (F::Output, Vec<String>) {
    counter.reset();
    let output = f.await;
    (output, counter.summaries())
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn listing_100_clients_with_relations_takes_a_fixed_number_of_statements(pool: PgPool) {
    let counter = SqlStatementCounter::default();
    tracing::subscriber::set_global_default(counter.subscriber()).expect("the only subscriber");
    let app = TestApp::new(pool).await;
    clientele::demo::seed(&app.pool)
        .await
        .expect("demo users and clients");
    clientele::demo::seed_volume(&app.pool, 100)
        .await
        .expect("volume");
    let list = |limit: i64| {
        app.clients(
            Role::Analyst,
            None,
            Some(ClientSort::NAME_ASC),
            None,
            Some(limit),
        )
    };

    let (small, small_statements) = statements_of(&counter, list(10)).await;
    let (large, large_statements) = statements_of(&counter, list(100)).await;
    assert_eq!(small.expect("a page of 10").items.len(), 10);
    let items = large.expect("a page of 100").items;
    assert_eq!(items.len(), 100);
    assert!(items.iter().all(|c| !c.contacts.is_empty()));
    assert!(items.iter().all(|c| c.account_manager.is_some()));
    assert!(items.iter().all(|c| c.created_by.is_some()));
    assert!(items.iter().all(|c| c.primary_contact.is_some()));
    // session lookup, page, counts, contacts (one batch), users (one batch)
    assert_eq!(
        large_statements.len(),
        5,
        "statements for 100 clients: {large_statements:#?}"
    );
    assert_eq!(
        small_statements.len(),
        large_statements.len(),
        "the count does not grow with the page"
    );
}
