//! SQL statements per request, in a test binary of its own: the counter is the process's
//! global tracing subscriber, which no other test's threads can disturb.

#[allow(dead_code)]
#[path = "helpers.rs"]
mod helpers;

use clientele::{auth::Role, telemetry::SqlStatementCounter};
use sqlx::PgPool;

use helpers::{TestApp, clients::ClientSort};

/// The process's statement counter, installed once as the global subscriber, and a lock that
/// keeps the tests of this binary from counting each other's statements.
async fn counter() -> (
    &'static SqlStatementCounter,
    tokio::sync::MutexGuard<'static, ()>,
) {
    static COUNTER: std::sync::OnceLock<SqlStatementCounter> = std::sync::OnceLock::new();
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let guard = ONE_AT_A_TIME.lock().await;
    let counter = COUNTER.get_or_init(|| {
        let counter = SqlStatementCounter::default();
        tracing::subscriber::set_global_default(counter.subscriber()).expect("the only subscriber");
        counter
    });
    (counter, guard)
}

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
    let (counter, _one_at_a_time) = counter().await;
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

    let (small, small_statements) = statements_of(counter, list(10)).await;
    let (large, large_statements) = statements_of(counter, list(100)).await;
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

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_page_of_communications_with_relations_takes_a_fixed_number_of_statements(pool: PgPool) {
    let (counter, _one_at_a_time) = counter().await;
    let app = TestApp::new(pool).await;
    let people = (0..3)
        .map(|i| {
            helpers::contact(
                &format!("Person {i}"),
                &format!("p{i}@talk.example"),
                i == 0,
            )
        })
        .collect();
    let client = app.create_named_client("Talkative Ltd", people).await;
    let contacts: Vec<String> = app
        .client(Role::Analyst, client.clone())
        .await
        .expect("client")
        .contacts
        .into_iter()
        .map(|c| c.id)
        .collect();
    let job: uuid::Uuid = sqlx::query_scalar(
        "insert into jobs (title, status, client_id) values ('Analyst', 'open', $1::uuid) returning id",
    )
    .bind(&client)
    .fetch_one(&app.pool)
    .await
    .expect("job");
    for i in 0..30 {
        let logger = [Role::Admin, Role::Manager, Role::Recruiter][i % 3];
        let mut input = helpers::log_communication::LogCommunicationInput {
            type_: clientele_core::CommunicationType::Call,
            subject: format!("Call {i}"),
            notes: None,
            communication_date: None,
            participants: vec![helpers::log_communication::ParticipantInput {
                contact_id: Some(contacts[i % contacts.len()].clone()),
                name: None,
                email: None,
            }],
            job_reference_id: Some(job.to_string()),
            is_important: false,
            follow_up_required: false,
            follow_up_date: None,
            follow_up_notes: None,
        };
        if i % 2 == 0 {
            input.job_reference_id = None;
        }
        app.log_communication(logger, client.clone(), input)
            .await
            .expect("logged");
    }
    let page =
        |limit: i64| app.client_communications(Role::Analyst, client.clone(), None, 1, limit);

    let (small, small_statements) = statements_of(counter, page(5)).await;
    let (large, large_statements) = statements_of(counter, page(30)).await;
    assert_eq!(small.expect("5").communications.items.len(), 5);
    let items = large.expect("30").communications.items;
    assert_eq!(items.len(), 30);
    assert!(items.iter().all(|c| c.logged_by.is_some()));
    assert!(items.iter().all(|c| c.participants[0].contact.is_some()));
    assert_eq!(items.iter().filter(|c| c.job.is_some()).count(), 15);
    // session lookup, client, page, count, users, contacts, jobs
    assert_eq!(
        large_statements.len(),
        7,
        "statements for 30 communications: {large_statements:#?}"
    );
    assert_eq!(small_statements.len(), large_statements.len());
}
