//! The app's session: `signIn` puts the token in an HttpOnly cookie and a CSRF token beside
//! it; cookie-authenticated POSTs need `X-CSRF-Token`; sign-out clears both and ends the
//! session on the server; bearer tokens (services, analysts) work as before.

use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use clientele::auth::Role;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::{
    helpers::{PASSWORD, TestApp},
    subscriptions::open,
};

/// The app's cookies after a sign-in: (session, csrf).
struct Cookies {
    session: String,
    csrf: String,
}

impl Cookies {
    fn header(&self) -> String {
        format!(
            "clientele_session={}; clientele_csrf={}",
            self.session, self.csrf
        )
    }
}

/// Every `Set-Cookie` of an answer.
fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .collect()
}

fn value_of(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Posts `body` with `headers`: the status, headers and JSON answer.
async fn post(
    app: &TestApp,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::post("/graphql");
    let mut typed = false;
    for (name, value) in headers {
        typed |= name.eq_ignore_ascii_case("content-type");
        request = request.header(*name, *value);
    }
    if !typed {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let (status, headers, bytes) = app
        .request(request.body(Body::from(body.to_string())).expect("request"))
        .await;
    let answer = serde_json::from_slice(&bytes).expect("a JSON answer");
    (status, headers, answer)
}

const SIGN_IN: &str = "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { expiresAt user { email role } } }";

async fn sign_in(app: &TestApp, extra: &[(&str, &str)]) -> (Value, Cookies, Vec<String>) {
    sign_in_as(app, "manager@test.local", extra).await
}

async fn sign_in_as(
    app: &TestApp,
    email: &str,
    extra: &[(&str, &str)],
) -> (Value, Cookies, Vec<String>) {
    let (status, headers, answer) = post(
        app,
        extra,
        &json!({ "query": SIGN_IN, "variables": { "e": email, "p": PASSWORD } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let set = set_cookies(&headers);
    let cookies = Cookies {
        session: value_of(&set, "clientele_session").unwrap_or_else(|| panic!("{set:?} {answer}")),
        csrf: value_of(&set, "clientele_csrf").unwrap_or_else(|| panic!("{set:?}")),
    };
    (answer, cookies, set)
}

fn code(answer: &Value) -> Option<&str> {
    answer["errors"][0]["extensions"]["code"].as_str()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_app_session_is_a_cookie_no_script_can_read_with_a_csrf_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (answer, cookies, set) = sign_in(&app, &[]).await;
    assert_eq!(
        answer["data"]["signIn"]["user"]["role"], "MANAGER",
        "{answer}"
    );
    // The token is in the HttpOnly cookie only: never in the body.
    assert!(!answer.to_string().contains(&cookies.session));
    let session = set
        .iter()
        .find(|c| c.starts_with("clientele_session="))
        .expect("cookie");
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=",
    ] {
        assert!(session.contains(attribute), "{session}");
    }
    let csrf = set
        .iter()
        .find(|c| c.starts_with("clientele_csrf="))
        .expect("cookie");
    assert!(
        !csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"),
        "{csrf}"
    );

    let me = json!({ "query": "{ me { email } }" });
    let cookie = cookies.header();
    let (_, _, answer) = post(
        &app,
        &[("cookie", &cookie), ("x-csrf-token", &cookies.csrf)],
        &me,
    )
    .await;
    assert_eq!(
        answer["data"]["me"]["email"], "manager@test.local",
        "{answer}"
    );

    // A POST with the cookie but without its CSRF token (what a forged cross-site request
    // would be), or with another session's, runs signed out: the mutation is refused.
    let create =
        json!({ "query": "mutation { createClient(input: { name: \"Forged Ltd\" }) { id } }" });
    let (_, other, _) = sign_in_as(&app, "admin@test.local", &[]).await;
    for presented in [None, Some(other.csrf.as_str()), Some("bm9wZQ")] {
        let mut headers = vec![("cookie", cookie.as_str())];
        headers.extend(presented.map(|p| ("x-csrf-token", p)));
        let (_, _, answer) = post(&app, &headers, &create).await;
        assert_eq!(
            code(&answer),
            Some("UNAUTHENTICATED"),
            "{presented:?}: {answer}"
        );
    }
    let forged: i64 = sqlx::query_scalar("select count(*) from clients where name = 'Forged Ltd'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(forged, 0);
    let (_, _, answer) = post(
        &app,
        &[("cookie", &cookie), ("x-csrf-token", &cookies.csrf)],
        &create,
    )
    .await;
    assert!(answer["data"]["createClient"]["id"].is_string(), "{answer}");

    // GET may only read, so the cookie alone will do.
    let (status, _, body) = app
        .request(
            Request::get("/graphql?query=%7Bme%7Bemail%7D%7D")
                .header("cookie", &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let answer: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(
        answer["data"]["me"]["email"], "manager@test.local",
        "{answer}"
    );

    // Bearer tokens need no CSRF token: they are never sent by a browser on its own.
    let bearer = app.authorization(Role::Manager.into()).expect("a token");
    let (_, _, answer) = post(&app, &[("authorization", &bearer)], &me).await;
    assert_eq!(
        answer["data"]["me"]["email"], "manager@test.local",
        "{answer}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn signing_out_clears_the_cookies_and_ends_the_session_everywhere(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (_, cookies, _) = sign_in(&app, &[]).await;
    let cookie = cookies.header();
    // Sessions count whole seconds: sign-out ends those issued before its second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, headers, answer) = post(
        &app,
        &[("cookie", &cookie), ("x-csrf-token", &cookies.csrf)],
        &json!({ "query": "mutation { logout }" }),
    )
    .await;
    assert_eq!(answer["data"]["logout"], true, "{answer}");
    let cleared = set_cookies(&headers);
    for name in ["clientele_session=;", "clientele_csrf=;"] {
        assert!(
            cleared
                .iter()
                .any(|c| c.starts_with(name) && c.contains("Max-Age=0")),
            "{cleared:?}"
        );
    }
    // A copy of the cookie kept by an attacker: signed out, and told to drop it.
    let (_, headers, answer) = post(
        &app,
        &[("cookie", &cookie), ("x-csrf-token", &cookies.csrf)],
        &json!({ "query": "{ me { email } }" }),
    )
    .await;
    assert_eq!(code(&answer), Some("UNAUTHENTICATED"), "{answer}");
    assert!(
        set_cookies(&headers)
            .iter()
            .any(|c| c.starts_with("clientele_session=;"))
    );

    // Signing in again over the stale cookie works and keeps the new session.
    let (answer, fresh, set) = sign_in(
        &app,
        &[("cookie", &cookie), ("x-csrf-token", &cookies.csrf)],
    )
    .await;
    assert!(answer["errors"].is_null(), "{answer}");
    assert_ne!(fresh.session, cookies.session);
    assert!(
        !set.iter().any(|c| c.starts_with("clientele_session=;")),
        "{set:?}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn another_site_cannot_sign_a_browser_in(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // An HTML form on another site can post these types without a CORS preflight.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (_, headers, answer) = post(
            &app,
            &[("content-type", content_type)],
            &json!({ "query": SIGN_IN, "variables": { "e": "manager@test.local", "p": PASSWORD } }),
        )
        .await;
        if content_type.starts_with("multipart") {
            // Not even read as GraphQL: no operations part.
            assert!(answer["errors"].is_array(), "{answer}");
        } else {
            assert_eq!(code(&answer), Some("FORBIDDEN"), "{content_type}: {answer}");
        }
        assert!(set_cookies(&headers).is_empty(), "{content_type}");
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn live_updates_take_the_cookie_only_from_our_own_origin(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (_, cookies, _) = sign_in(&app, &[]).await;
    let cookie = cookies.header();
    let ours = |addr: std::net::SocketAddr| {
        vec![
            ("cookie", cookie.clone()),
            ("origin", format!("http://{addr}")),
        ]
    };
    assert!(open(&app, ours, json!({})).await.is_ok());
    let theirs = |_| {
        vec![
            ("cookie", cookie.clone()),
            ("origin", "https://evil.example".to_owned()),
        ]
    };
    assert!(open(&app, theirs, json!({})).await.is_err());
    assert!(open(&app, |_| Vec::new(), json!({})).await.is_err());
}
