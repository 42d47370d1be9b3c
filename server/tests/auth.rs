//! Sign-in, the current user, staff lists and token checks.

use axum::{
    body::Body,
    http::{Request, header},
};
use clientele::auth::Role;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{Caller, PASSWORD, TestApp};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email role } } }";

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_user_signs_in_and_the_token_identifies_them(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let login = app
        .gql(
            Caller::Anonymous,
            LOGIN,
            json!({ "e": "MANAGER@test.local", "p": PASSWORD }),
        )
        .await;
    let token = login.data()["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(login.data()["login"]["user"]["role"], "MANAGER");

    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(
            json!({ "query": "{ me { email role } }" }).to_string(),
        ))
        .expect("request");
    let (_, _, body) = app.request(request).await;
    let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(body["data"]["me"]["email"], "manager@test.local");
    assert_eq!(body["data"]["me"]["role"], "MANAGER");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_wrong_password_an_unknown_email_and_an_inactive_user_get_the_same_answer(pool: PgPool) {
    let app = TestApp::new(pool).await;
    sqlx::query("update users set is_active = false where email = 'analyst@test.local'")
        .execute(&app.pool)
        .await
        .expect("deactivating");
    for (email, password) in [
        ("admin@test.local", "wrong-password"),
        ("nobody@test.local", PASSWORD),
        ("analyst@test.local", PASSWORD),
    ] {
        let response = app
            .gql(
                Caller::Anonymous,
                LOGIN,
                json!({ "e": email, "p": password }),
            )
            .await;
        response.assert_code("UNAUTHENTICATED");
        assert_eq!(response.message(), "wrong email or password");
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_forged_expired_or_malformed_token_is_unauthenticated(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let expired = app
        .state
        .jwt
        .issue(
            app.users[&Role::Admin],
            Role::Admin,
            chrono::Utc::now() - chrono::Duration::days(2),
        )
        .expect("issuing")
        .0;
    for auth in [
        format!("Bearer {expired}"),
        "Bearer not-a-token".to_owned(),
        "Basic YWRtaW46YWRtaW4=".to_owned(),
    ] {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, auth.clone())
            .body(Body::from(
                json!({ "query": "{ users { id } }" }).to_string(),
            ))
            .expect("request");
        let (_, _, body) = app.request(request).await;
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{auth}: {body}"
        );
        assert!(body["data"].is_null());
    }
    app.gql(Caller::BadToken, "{ users { id } }", json!({}))
        .await
        .assert_code("UNAUTHENTICATED");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_deactivated_user_loses_access_with_a_still_valid_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.gql(Role::Recruiter, "{ me { id } }", json!({}))
        .await
        .data();
    sqlx::query("update users set is_active = false where email = 'recruiter@test.local'")
        .execute(&app.pool)
        .await
        .expect("deactivating");
    app.gql(Role::Recruiter, "{ me { id } }", json!({}))
        .await
        .assert_code("UNAUTHENTICATED");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_role_is_read_from_the_database_not_the_token(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let token_says_admin = app
        .state
        .jwt
        .issue(app.users[&Role::Analyst], Role::Admin, chrono::Utc::now())
        .expect("issuing")
        .0;
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token_says_admin}"))
        .body(Body::from(
            json!({ "query": "mutation { createUser(input: {email: \"x@test.local\", fullName: \"X\", role: ADMIN, password: \"long-enough-pw\"}) { id } }" })
                .to_string(),
        ))
        .expect("request");
    let (_, _, body) = app.request(request).await;
    let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn users_lists_account_manager_candidates_by_role(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let response = app
        .gql(
            Role::Recruiter,
            "{ users(roles: [MANAGER, ADMIN]) { email role } }",
            json!({}),
        )
        .await;
    let emails: Vec<&str> = response.data()["users"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    assert_eq!(emails, ["admin@test.local", "manager@test.local"]);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_admin_adds_staff_who_can_then_sign_in(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { email role isActive } }";
    let input = json!({ "email": "New.Manager@Test.local", "fullName": "New Manager", "role": "MANAGER", "password": "a-long-password" });
    let created = app.gql(Role::Admin, create, json!({ "i": input })).await;
    assert_eq!(created.data()["createUser"]["role"], "MANAGER");

    let login = app
        .gql(
            Caller::Anonymous,
            LOGIN,
            json!({ "e": "new.manager@test.local", "p": "a-long-password" }),
        )
        .await;
    assert_eq!(login.data()["login"]["user"]["role"], "MANAGER");

    let again = app.gql(Role::Admin, create, json!({ "i": input })).await;
    again.assert_code("CONFLICT");

    let bad = json!({ "email": "nope", "fullName": " ", "role": "ANALYST", "password": "short" });
    let invalid = app.gql(Role::Admin, create, json!({ "i": bad })).await;
    invalid.assert_code("VALIDATION");
    let fields = invalid.fields();
    for field in ["email", "fullName", "password"] {
        assert!(fields[field].is_string(), "{field} missing in {fields}");
    }
}
