//! What analysts' ad-hoc queries meet: `extensions.cost` on every answer, each caller's
//! budget of complexity points per minute, and automatic persisted queries.

use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::TestApp;

fn cost(answer: &Value) -> (u64, u64) {
    let cost = &answer["extensions"]["cost"];
    (
        cost["complexity"].as_u64().unwrap_or_default(),
        cost["depth"].as_u64().unwrap_or_default(),
    )
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_answer_carries_its_complexity_and_depth(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let me = app
        .post(Role::Analyst, &json!({ "query": "{ me { id email } }" }))
        .await;
    assert_eq!(cost(&me), (3, 2), "{me}");
    // A page counts its size times what each item asks for.
    let list = app
        .post(
            Role::Analyst,
            &json!({ "query": "{ clients(limit: 10) { items { id name accountManager { fullName } } } }" }),
        )
        .await;
    let (complexity, depth) = cost(&list);
    assert_eq!(depth, 4, "{list}");
    assert!(complexity >= 10 * 4, "{list}");
    let bigger = app
        .post(
            Role::Analyst,
            &json!({ "query": "{ clients(limit: 20) { items { id name accountManager { fullName } } } }" }),
        )
        .await;
    assert!(cost(&bigger).0 > complexity, "{bigger}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_caller_who_spent_the_budget_waits_and_others_do_not(pool: PgPool) {
    // 60 points a minute: one a second.
    let app = TestApp::configured(pool, |config| config.cost_per_minute = 60).await;
    let query = json!({ "query": "{ me { id } }" });
    let started = std::time::Instant::now();
    let mut accepted = 0;
    let refused = loop {
        let answer = app.post(Role::Analyst, &query).await;
        if !answer["errors"].is_null() {
            break answer;
        }
        assert_eq!(cost(&answer).0, 2, "{answer}");
        accepted += 1;
        assert!(accepted <= 200, "never refused");
    };
    let refill = started.elapsed().as_secs() + 1;
    assert!(
        (30..=30 + refill).contains(&accepted),
        "{accepted} queries of 2 points in a budget of 60 (+{refill} refilled)"
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refused}"
    );
    assert!(refused["data"].is_null(), "nothing ran: {refused}");
    let wait = refused["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_u64()
        .expect("retryAfterSeconds");
    assert!((1..=3).contains(&wait), "{refused}");

    // Someone else's budget is their own.
    let other = app.post(Role::Manager, &query).await;
    assert!(other["errors"].is_null(), "{other}");

    // After the wait it answers again.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let again = app.post(Role::Analyst, &query).await;
    assert!(again["errors"].is_null(), "{again}");
}

fn persisted(query: Option<&str>, variables: Value) -> Value {
    let text =
        "query Me($x: String) { me { id } clients(filter: { search: $x }) { pageInfo { total } } }";
    let hash = format!(
        "{:x}",
        <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes())
    );
    let mut body = json!({
        "variables": variables,
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } },
    });
    if let Some(query) = query {
        body["query"] = json!(query.replace("TEXT", text));
    }
    body
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_persisted_query_is_asked_for_once_then_run_by_its_hash_through_every_check(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    let miss = app.post(Role::Analyst, &persisted(None, json!({}))).await;
    assert_eq!(
        miss["errors"][0]["message"], "PersistedQueryNotFound",
        "{miss}"
    );
    assert_eq!(
        miss["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );

    // A text that is not the hash's is refused, and not kept.
    let forged = app
        .post(
            Role::Analyst,
            &persisted(Some("{ me { email } }"), json!({})),
        )
        .await;
    assert_eq!(
        forged["errors"][0]["extensions"]["code"], "VALIDATION",
        "{forged}"
    );
    let still = app.post(Role::Analyst, &persisted(None, json!({}))).await;
    assert_eq!(
        still["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );

    let registered = app
        .post(Role::Analyst, &persisted(Some("TEXT"), json!({})))
        .await;
    assert!(registered["errors"].is_null(), "{registered}");
    let by_hash = app
        .post(Role::Analyst, &persisted(None, json!({ "x": "acme" })))
        .await;
    assert!(by_hash["errors"].is_null(), "{by_hash}");
    assert_eq!(
        by_hash["data"]["me"]["id"],
        app.users[&Role::Analyst].to_string()
    );
    assert!(cost(&by_hash).0 > 0, "costed like any query: {by_hash}");
    // The checks of a query sent in full apply to one sent by hash.
    let nul = app
        .post(Role::Analyst, &persisted(None, json!({ "x": "a\u{0}b" })))
        .await;
    assert_eq!(
        nul["errors"][0]["extensions"]["code"], "VALIDATION",
        "{nul}"
    );
    let anonymous = app
        .post(
            crate::helpers::Caller::Anonymous,
            &persisted(None, json!({})),
        )
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn metrics_are_not_served_on_the_public_address_without_a_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (status, _, _) = app
        .request(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!(status, 404, "no token configured: not served");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn metrics_are_for_the_scraper_with_the_token_and_show_what_happened(pool: PgPool) {
    let app = TestApp::configured(pool, |config| {
        config.metrics_token = Some("scrape-secret-123".into());
    })
    .await;
    let named =
        json!({ "query": "query MetricsProbe { me { id } }", "operationName": "MetricsProbe" });
    app.post(Role::Analyst, &named).await;
    app.post(Role::Analyst, &json!({ "query": "query MetricsProbe { clients(limit: 1000) { items { id } } }", "operationName": "MetricsProbe" }))
        .await;
    let scrape = |token: Option<&str>| {
        let mut request = axum::http::Request::get("/metrics");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.body(axum::body::Body::empty()).expect("a request")
    };
    let (status, _, _) = app.request(scrape(None)).await;
    assert_eq!(status, 401);
    let (status, _, _) = app.request(scrape(Some("scrape-secret-124"))).await;
    assert_eq!(status, 401);
    let (status, headers, body) = app.request(scrape(Some("scrape-secret-123"))).await;
    assert_eq!(status, 200);
    assert!(
        headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(body).expect("text");
    for expected in [
        r#"clientele_graphql_request_duration_seconds_bucket{operation="MetricsProbe",outcome="ok""#,
        r#"clientele_graphql_request_duration_seconds_count{operation="MetricsProbe",outcome="error"}"#,
        r#"clientele_graphql_errors_total{operation="MetricsProbe",code="VALIDATION"}"#,
        r#"clientele_db_connections{state="in_use"}"#,
        r#"clientele_db_connections{state="idle"}"#,
        r#"clientele_background_tasks{state="parked"}"#,
        r#"clientele_background_task_oldest_seconds{state="waiting"}"#,
    ] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
}
