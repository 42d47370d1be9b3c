//! SQL statements per request, in a test binary of its own: the counter is the process's
//! global tracing subscriber, which no other test's threads can disturb.

#[allow(dead_code)]
#[path = "helpers.rs"]
mod helpers;

use clientele::{auth::Role, telemetry::SqlStatementCounter};
use sqlx::PgPool;

use helpers::{TestApp, client_walk as walk, clients::ClientSort};

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

/// Runs `f` and returns the SQL statements it issued.
async fn statements_of<F: std::future::Future>(
    counter: &SqlStatementCounter,
    f: F,
) -> (F::Output, Vec<String>) {
    counter.reset_on_this_thread();
    let output = f.await;
    (output, counter.statements())
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

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_page_without_totals_counts_nothing(pool: PgPool) {
    let (counter, _one_at_a_time) = counter().await;
    let app = TestApp::new(pool).await;
    clientele::demo::seed(&app.pool)
        .await
        .expect("demo users and clients");
    let walk = app.client_walk(
        Role::Analyst,
        None,
        Some(walk::ClientSort::NAME_ASC),
        Some(10),
        None,
        None,
    );
    let (page, statements) = statements_of(counter, walk).await;
    assert_eq!(page.expect("a page").items.len(), 10);
    // session lookup, page: neither clients nor client_status_counts are counted
    assert_eq!(statements.len(), 2, "{statements:#?}");
}

/// `count` clients named `<word> <n>` with two contacts each, then ANALYZE, as a year of
/// growth would leave them.
async fn seed_volume(pool: &PgPool, admin: uuid::Uuid, count: i32) {
    sqlx::query(
        "insert into clients (client_code, name, status, created_by, created_at, updated_at)
         select 'CLT-2019-' || lpad(g::text, 6, '0'),
                (array['Müller', 'Société', 'Acme', 'Zeta & Co', 'Nordic'])[g % 5 + 1] || ' ' || g,
                (array['active', 'active', 'on-hold', 'inactive', 'archived'])[g % 5 + 1],
                $1,
                timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute',
                timestamptz '2026-01-01 00:00:00+00' - (g % 997) * interval '1 minute'
         from generate_series(1, $2) g",
    )
    .bind(admin)
    .bind(count)
    .execute(pool)
    .await
    .expect("clients");
    sqlx::query(
        "insert into client_contacts (client_id, full_name, is_primary)
         select c.id, 'Person ' || n || ' of ' || c.name, n = 1
         from clients c cross join generate_series(1, 2) n",
    )
    .execute(pool)
    .await
    .expect("contacts");
    sqlx::query("analyze clients, client_contacts")
        .execute(pool)
        .await
        .expect("analyze");
}

/// The plan of `statement` run with `arguments` (SQL literals), with what it read.
async fn explain(pool: &PgPool, statement: &str, arguments: &str) -> serde_json::Value {
    static PREPARED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "listed_{}",
        PREPARED.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut db = pool.acquire().await.expect("a connection");
    for setup in [
        "set plan_cache_mode = force_custom_plan".to_owned(),
        format!("prepare {name} (text[], text, uuid, int8, int8, text, uuid, text) as {statement}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(setup))
            .execute(&mut *db)
            .await
            .expect("prepared");
    }
    let plan: serde_json::Value = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "explain (analyze, buffers, format json) execute {name}({arguments})"
    )))
    .fetch_one(&mut *db)
    .await
    .expect("explained");
    plan[0]["Plan"].clone()
}

/// Every node of a plan.
fn nodes(plan: &serde_json::Value) -> Vec<&serde_json::Value> {
    let mut all = vec![plan];
    if let Some(children) = plan["Plans"].as_array() {
        all.extend(children.iter().flat_map(nodes));
    }
    all
}

/// The nodes of a plan that ran and read `table`: (node type, index, rows read).
fn reads_of<'p>(plan: &'p serde_json::Value, table: &str) -> Vec<(&'p str, &'p str, i64)> {
    nodes(plan)
        .into_iter()
        .filter(|n| n["Relation Name"] == table && n["Actual Loops"].as_i64() > Some(0))
        .map(|n| {
            let rows =
                n["Actual Rows"].as_i64().unwrap_or(0) * n["Actual Loops"].as_i64().unwrap_or(0);
            (
                n["Node Type"].as_str().unwrap_or(""),
                n["Index Name"].as_str().unwrap_or(""),
                rows,
            )
        })
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_order_reads_about_one_page_of_clients_through_its_index(pool: PgPool) {
    let (counter, _one_at_a_time) = counter().await;
    let app = TestApp::new(pool).await;
    seed_volume(&app.pool, app.users[&Role::Admin], 100_000).await;
    use walk::ClientSort as Sort;
    let sorts = [
        (Sort::NAME_ASC, "clients_name_sort_idx"),
        (Sort::NAME_DESC, "clients_name_sort_idx"),
        (Sort::CODE_ASC, "clients_code_sort_idx"),
        (Sort::CODE_DESC, "clients_code_sort_idx"),
        (Sort::NEWEST, "clients_created_sort_idx"),
        (Sort::OLDEST, "clients_created_sort_idx"),
        (Sort::RECENTLY_UPDATED, "clients_updated_sort_idx"),
    ];
    for (sort, index) in sorts {
        let mut after: Option<String> = None;
        for page in ["first", "second"] {
            let request = app.client_walk(
                Role::Analyst,
                None,
                Some(sort.clone()),
                Some(20),
                after.clone(),
                None,
            );
            let (listed, statements) = statements_of(counter, request).await;
            let listed = listed.expect("a page");
            assert_eq!(listed.items.len(), 20);
            let statement = statements
                .iter()
                .find(|s| s.contains("from clients c"))
                .unwrap_or_else(|| panic!("the page's statement in {statements:#?}"));
            let arguments = match &after {
                None => "null, null, null, 21, 0, null, null, null".to_owned(),
                Some(cursor) => {
                    let (key, id) = cursor_parts(cursor);
                    format!(
                        "null, null, null, 21, 0, '{}', '{id}', null",
                        key.replace('\'', "''")
                    )
                }
            };
            let plan = explain(&app.pool, statement, &arguments).await;
            let reads = reads_of(&plan, "clients");
            assert_eq!(reads.len(), 1, "{sort:?} {page} page: {plan:#}");
            let (node, used, rows) = reads[0];
            assert!(node.starts_with("Index"), "{sort:?} {page} page: {node}");
            assert_eq!(used, index, "{sort:?} {page} page");
            assert!(rows <= 21, "{sort:?} {page} page read {rows} clients");
            after = listed.end_cursor;
        }
    }

    // Totals without filters come from the four counters, not from the table.
    let (listed, statements) = statements_of(
        counter,
        app.client_names(Role::Analyst, None, None, None, Some(20)),
    )
    .await;
    assert_eq!(listed.expect("a page").page_info.total, 100_000);
    let counting = statements
        .iter()
        .find(|s| s.contains("client_status_counts"))
        .unwrap_or_else(|| panic!("the counting statement in {statements:#?}"));
    let plan = explain(&app.pool, counting, &["null"; 8].join(", ")).await;
    assert!(reads_of(&plan, "clients").is_empty(), "{plan:#}");
    assert_eq!(reads_of(&plan, "client_status_counts").len(), 1, "{plan:#}");

    // A search goes through the trigram indexes of names and of contacts' names.
    let filter = walk::ClientFilter {
        search: Some("müller 12345".into()),
        ..walk::ClientFilter::default()
    };
    let (listed, statements) = statements_of(
        counter,
        app.client_walk(
            Role::Analyst,
            Some(filter),
            Some(Sort::NAME_ASC),
            Some(20),
            None,
            None,
        ),
    )
    .await;
    let names: Vec<String> = listed
        .expect("a search")
        .items
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Müller 12345"]);
    let statement = statements
        .iter()
        .find(|s| s.contains("from clients c"))
        .unwrap_or_else(|| panic!("the search's statement in {statements:#?}"));
    let plan = explain(
        &app.pool,
        statement,
        "null, null, null, 21, 0, null, null, 'müller 12345'",
    )
    .await;
    for table in ["clients", "client_contacts"] {
        assert!(
            reads_of(&plan, table)
                .iter()
                .all(|(node, ..)| *node != "Seq Scan"),
            "{plan:#}"
        );
    }
    let indexes: Vec<&str> = nodes(&plan)
        .into_iter()
        .filter(|n| n["Actual Loops"].as_i64() > Some(0))
        .filter_map(|n| n["Index Name"].as_str())
        .collect();
    assert!(
        indexes.contains(&"clients_search_name_trgm_idx"),
        "{plan:#}"
    );
    assert!(
        indexes.contains(&"client_contacts_search_name_trgm_idx"),
        "{plan:#}"
    );
}

/// The sort key and id inside a cursor.
fn cursor_parts(cursor: &str) -> (String, String) {
    use base64::Engine as _;
    let json: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .expect("base64url"),
    )
    .expect("json");
    (
        json["k"].as_str().expect("a key").to_owned(),
        json["i"].as_str().expect("an id").to_owned(),
    )
}
