//! Hostile requests: bodies and query texts past their limits are refused before they are
//! read or parsed, NUL characters are a field error wherever they come, and a body that is
//! not a GraphQL request gets a JSON error with a code.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{
    body::{Body, Bytes},
    http::{Request, StatusCode, header},
};
use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Caller, TestApp};

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

fn fields(answer: &Value) -> Vec<String> {
    let mut names: Vec<String> = answer["errors"][0]["extensions"]["fields"]
        .as_object()
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Posts a query text without a session: the status and the JSON answer.
async fn anonymous_query(app: &TestApp, query: &str) -> (StatusCode, Value) {
    app.send(
        Caller::Anonymous,
        "application/json",
        json!({ "query": query }).to_string().into_bytes(),
    )
    .await
}

/// A body of `chunks` chunks of 64 KiB, counting how many bytes the server pulled.
fn counted_body(chunks: usize, pulled: Arc<AtomicUsize>) -> Body {
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    let stream = futures::stream::iter((0..chunks).map(move |_| {
        pulled.fetch_add(chunk.len(), Ordering::SeqCst);
        Ok::<_, std::io::Error>(chunk.clone())
    }));
    Body::from_stream(stream)
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_20_mb_body_is_refused_with_413_before_it_is_read(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // Declared: refused on the header alone.
    let huge = json!({ "query": "query($v: String) { clients { pageInfo { total } } }",
                       "variables": { "v": "x".repeat(20 * 1024 * 1024) } })
    .to_string();
    let declared = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge))
        .expect("request");
    let (status, _, body) = app.request(declared).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
    assert_eq!(code(&answer), "PAYLOAD_TOO_LARGE");

    // Streamed without a length: reading stops at the limit.
    let pulled = Arc::new(AtomicUsize::new(0));
    let streamed = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(counted_body(320, pulled.clone()))
        .expect("request");
    let (status, _, body) = app.request(streamed).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
    assert_eq!(code(&answer), "PAYLOAD_TOO_LARGE");
    let limit = app.state.config.max_body_bytes;
    assert!(
        pulled.load(Ordering::SeqCst) <= limit + 64 * 1024,
        "read {} bytes of a 20 MB body with a {limit}-byte limit",
        pulled.load(Ordering::SeqCst)
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_monster_query_text_is_refused_before_it_is_parsed(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // 5 million fields do not even fit in a body.
    let monster = format!("{{ {} }}", "a ".repeat(5_000_000));
    let (status, answer) = anonymous_query(&app, &monster).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&answer), "PAYLOAD_TOO_LARGE");

    // Under the body limit but over the query text limit.
    let long = format!("{{ {} }}", "__typename ".repeat(20_000));
    let (status, answer) = anonymous_query(&app, &long).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&answer), "VALIDATION");
    assert_eq!(fields(&answer), ["query"]);

    // Short, but nested 20,000 levels deep: the parser never recurses into it.
    let deep = format!("{}{}", "{a".repeat(20_000), "}".repeat(20_000));
    let (status, answer) = anonymous_query(&app, &deep).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&answer), "VALIDATION");
    assert!(
        answer["errors"][0]["extensions"]["fields"]["query"]
            .as_str()
            .is_some_and(|m| m.contains("nests deeper than 64 levels")),
        "{answer}"
    );
    // The same through GET.
    let uri = format!("/graphql?query={}", "%7Ba".repeat(100) + &"%7D".repeat(100));
    let (status, _, body) = app
        .request(Request::get(uri).body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
    assert_eq!(code(&answer), "VALIDATION");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_nul_character_is_a_field_error_inline_in_variables_and_in_inputs(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let inline = app
        .post(
            Role::Analyst,
            &json!({ "query": r#"{ clients(filter: { search: "a\u0000b" }) { pageInfo { total } } }"# }),
        )
        .await;
    assert_eq!(code(&inline), "VALIDATION", "{inline}");
    assert_eq!(fields(&inline), ["filter.search"]);

    let variables = app
        .post(
            Role::Analyst,
            &json!({
                "query": "query($f: ClientFilter) { clients(filter: $f) { pageInfo { total } } }",
                "variables": { "f": { "search": "a\u{0}b" } },
            }),
        )
        .await;
    assert_eq!(code(&variables), "VALIDATION", "{variables}");
    assert_eq!(fields(&variables), ["f.search"]);

    let mutation = app
        .post(
            Role::Manager,
            &json!({
                "query": "mutation($i: CreateClientInput!) { createClient(input: $i) { id } }",
                "variables": { "i": { "name": "Nul Ltd", "city": "Ber\u{0}lin",
                                      "contacts": [{ "fullName": "A\u{0}nn" }] } },
            }),
        )
        .await;
    assert_eq!(code(&mutation), "VALIDATION", "{mutation}");
    assert_eq!(fields(&mutation), ["i.city", "i.contacts[0].fullName"]);
    let inline_input = app
        .post(
            Role::Manager,
            &json!({ "query": r#"mutation { createClient(input: { name: "Nul\u0000 Ltd" }) { id } }"# }),
        )
        .await;
    assert_eq!(fields(&inline_input), ["name"], "{inline_input}");
    let clients: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(clients, 0, "nothing was written");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_body_that_is_not_a_graphql_request_gets_a_json_error_with_a_code(pool: PgPool) {
    let app = TestApp::new(pool).await;
    for body in ["not json", "{}", "[1, 2]", "{\"query\": 42}"] {
        let (status, answer) = app
            .send(
                Caller::Anonymous,
                "application/json",
                body.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(code(&answer), "VALIDATION", "{body}: {answer}");
        assert_eq!(fields(&answer), ["body"], "{body}");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("invalid input: body: is not a GraphQL request in JSON")
                && !message.contains("InvalidRequest")
                && !message.contains("Error("),
            "{body}: {message}"
        );
    }
    // The query text as the body, as `application/graphql` allows.
    let (status, answer) = app
        .send(
            Role::Analyst,
            "application/graphql",
            b"{ clients { pageInfo { total } } }".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["data"]["clients"]["pageInfo"]["total"], 0);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn while_the_database_is_down_requests_are_unavailable_with_retry_after(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let token = app.token(Role::Analyst);
    // Nothing listens on port 1: every connection attempt is refused.
    let down = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(300))
        .connect_lazy("postgres://postgres@127.0.0.1:1/clientele")
        .expect("a lazy pool");
    let state = clientele::AppState::new((*app.state.config).clone(), down).expect("a state");
    let router = clientele::app(state);
    let send = |authorization: Option<String>, query: &str| {
        let mut builder =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(value) = authorization {
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let request = builder
            .body(Body::from(json!({ "query": query }).to_string()))
            .expect("request");
        let router = router.clone();
        async move {
            use tower::ServiceExt;
            let response = router.oneshot(request).await.expect("an answer");
            let status = response.status();
            let retry = response.headers().get(header::RETRY_AFTER).cloned();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .expect("a body")
                .to_bytes();
            let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
            (status, retry, answer)
        }
    };
    // Signed in: the session lookup cannot reach the database.
    let (status, retry, answer) = send(
        Some(format!("Bearer {token}")),
        "{ clients { pageInfo { total } } }",
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert!(retry.is_some(), "a Retry-After");
    assert_eq!(code(&answer), "UNAVAILABLE");
    assert!(
        !answer.to_string().contains("127.0.0.1"),
        "no connection details leak: {answer}"
    );
    // Signing in: the resolver cannot reach it either.
    let (status, retry, answer) = send(
        None,
        r#"mutation { login(email: "a@b.c", password: "whatever-it-is") { token } }"#,
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert!(retry.is_some(), "a Retry-After");
    assert_eq!(code(&answer), "UNAVAILABLE");
}

/// Signs in as `email` from `address` (the app trusts X-Forwarded-For here); the answer.
async fn sign_in(app: &TestApp, email: &str, password: &str, address: &str) -> Value {
    let body = json!({
        "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        "variables": { "e": email, "p": password },
    });
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", format!("{address}, 10.0.0.1"))
        .body(Body::from(body.to_string()))
        .expect("request");
    let (_, _, bytes) = app.request(request).await;
    serde_json::from_slice(&bytes).expect("a JSON answer")
}

fn retry_after(answer: &Value) -> u64 {
    answer["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_u64()
        .unwrap_or_default()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn wrong_passwords_are_throttled_per_account_and_address_without_locking_out_for_good(
    pool: PgPool,
) {
    use crate::helpers::PASSWORD;
    let app = TestApp::configured(pool, |config| config.trust_proxy = true).await;
    let email = "manager@test.local";

    // 1,000 wrong passwords from one address: a handful are evaluated, the rest refused
    // before any hashing, with when to try again.
    let (mut evaluated, mut limited) = (0, 0);
    for _ in 0..1_000 {
        let answer = sign_in(&app, email, "wrong-password-1", "203.0.113.7").await;
        match code(&answer) {
            "UNAUTHENTICATED" => evaluated += 1,
            "RATE_LIMITED" => {
                limited += 1;
                assert!((1..=300).contains(&retry_after(&answer)), "{answer}");
            }
            other => panic!("unexpected {other}: {answer}"),
        }
    }
    assert!(evaluated <= 10, "{evaluated} attempts were evaluated");
    assert!(limited >= 990, "{limited} were refused");
    // Even the right password waits from there …
    let answer = sign_in(&app, email, PASSWORD, "203.0.113.7").await;
    assert_eq!(code(&answer), "RATE_LIMITED", "{answer}");
    // … but the real user, elsewhere, signs in.
    let answer = sign_in(&app, email, PASSWORD, "198.51.100.20").await;
    assert!(answer["data"]["login"]["token"].is_string(), "{answer}");

    // One address trying many accounts is stopped after 50 failures, for every account.
    for n in 0..50 {
        let answer = sign_in(
            &app,
            &format!("nobody{n}@test.local"),
            "x-wrong-pass",
            "192.0.2.99",
        )
        .await;
        assert_eq!(code(&answer), "UNAUTHENTICATED", "{n}: {answer}");
    }
    let answer = sign_in(&app, "analyst@test.local", PASSWORD, "192.0.2.99").await;
    assert_eq!(code(&answer), "RATE_LIMITED", "{answer}");
    assert!(retry_after(&answer) > 800, "{answer}");

    // Many addresses against one account: it waits a minute at most, never for good.
    let target = "recruiter@test.local";
    for n in 0..100 {
        let answer = sign_in(
            &app,
            target,
            "wrong-password-2",
            &format!("10.1.{}.{}", n / 200, n % 200),
        )
        .await;
        assert_eq!(code(&answer), "UNAUTHENTICATED", "{n}: {answer}");
    }
    let answer = sign_in(&app, target, PASSWORD, "198.51.100.30").await;
    assert_eq!(code(&answer), "RATE_LIMITED", "{answer}");
    assert!((1..=60).contains(&retry_after(&answer)), "{answer}");
    // A minute later (moved forward here), the real user is in.
    sqlx::query("update login_throttles set blocked_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .expect("time passes");
    let answer = sign_in(&app, target, PASSWORD, "198.51.100.30").await;
    assert!(answer["data"]["login"]["token"].is_string(), "{answer}");
}

/// A request whose body never ends while `sender` lives.
fn stalled_request() -> (
    Request<Body>,
    futures::channel::mpsc::UnboundedSender<Result<Bytes, std::io::Error>>,
) {
    let (sender, receiver) = futures::channel::mpsc::unbounded();
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(receiver))
        .expect("request");
    (request, sender)
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn past_the_requests_in_flight_the_answer_is_503_at_once(pool: PgPool) {
    let app = TestApp::configured(pool, |config| config.max_in_flight = 1).await;
    let (slow, sender) = stalled_request();
    let router = app.router.clone();
    let in_flight = tokio::spawn(async move {
        use tower::ServiceExt;
        router.oneshot(slow).await.expect("an answer").status()
    });
    while app.state.in_flight.available_permits() > 0 {
        tokio::task::yield_now().await;
    }
    let (status, answer) = app
        .send(
            Role::Analyst,
            "application/json",
            br#"{"query": "{ __typename }"}"#.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert_eq!(code(&answer), "UNAVAILABLE");
    drop(sender);
    assert_eq!(in_flight.await.expect("finished"), StatusCode::BAD_REQUEST);
    let (status, answer) = app
        .send(
            Role::Analyst,
            "application/json",
            br#"{"query": "{ __typename }"}"#.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "a permit is free again: {answer}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_request_past_the_time_limit_is_cancelled_and_so_is_a_long_statement(pool: PgPool) {
    let options = pool.connect_options();
    let url = format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    );
    let app = TestApp::configured(pool, |config| {
        config.request_timeout = std::time::Duration::from_millis(300);
    })
    .await;
    // A body that never ends (a slow client) is cut off at the limit.
    let (slow, sender) = stalled_request();
    let (status, headers, body) = app.request(slow).await;
    drop(sender);
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers.get(header::RETRY_AFTER).is_some());
    let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
    assert_eq!(code(&answer), "UNAVAILABLE");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("time limit")),
        "{answer}"
    );
    // The server's own pool gives every statement the same limit.
    let mut config = (*app.state.config).clone();
    config.database_url = url;
    let limited = clientele::db::connect(&config).await.expect("a pool");
    let error = sqlx::query("select pg_sleep(2)")
        .execute(&limited)
        .await
        .expect_err("cancelled by statement_timeout");
    let error = clientele::error::AppError::from(error);
    assert_eq!(error.code(), "UNAVAILABLE");
    assert!(
        matches!(error, clientele::error::AppError::TimedOut),
        "{error:?}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn hsts_is_sent_only_for_requests_that_came_over_tls_through_the_trusted_proxy(pool: PgPool) {
    let app = TestApp::configured(pool, |config| config.trust_proxy = true).await;
    let over = |proto: Option<&'static str>| {
        let mut builder = Request::get("/health");
        if let Some(proto) = proto {
            builder = builder.header("x-forwarded-proto", proto);
        }
        builder.body(Body::empty()).expect("request")
    };
    let (_, headers, _) = app.request(over(Some("https"))).await;
    assert_eq!(
        headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
    assert_eq!(
        headers
            .get(header::X_CONTENT_TYPE_OPTIONS)
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    let (_, headers, _) = app.request(over(Some("http"))).await;
    assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    // Without a trusted proxy, anyone could claim TLS: no HSTS.
    let mut config = (*app.state.config).clone();
    config.trust_proxy = false;
    let untrusting =
        clientele::app(clientele::AppState::new(config, app.pool.clone()).expect("a state"));
    let response = {
        use tower::ServiceExt;
        untrusting
            .oneshot(over(Some("https")))
            .await
            .expect("an answer")
    };
    assert!(
        response
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
}
