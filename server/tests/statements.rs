//! SQL statements per request, in a test binary of its own: the counter is the process's
//! global tracing subscriber, which no other test's threads can disturb.

#[allow(dead_code)]
#[path = "helpers.rs"]
mod helpers;

use clientele::{auth::Role, telemetry::SqlStatementCounter};
use serde_json::json;
use sqlx::PgPool;

use helpers::TestApp;

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
    let query = "query($limit: Int) { clients(limit: $limit, sort: NAME_ASC) { items { name accountManager { fullName } createdBy { email } contacts { fullName email } primaryContact { fullName } } pageInfo { total } } }";

    let (small, small_statements) = statements_of(
        &counter,
        app.gql(Role::Analyst, query, json!({ "limit": 10 })),
    )
    .await;
    let (large, large_statements) = statements_of(
        &counter,
        app.gql(Role::Analyst, query, json!({ "limit": 100 })),
    )
    .await;
    assert_eq!(
        small.data()["clients"]["items"].as_array().map(Vec::len),
        Some(10)
    );
    let items = large.data()["clients"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 100);
    assert!(
        items
            .iter()
            .all(|c| !c["contacts"].as_array().expect("contacts").is_empty())
    );
    assert!(
        items
            .iter()
            .all(|c| c["accountManager"]["fullName"].is_string())
    );
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
