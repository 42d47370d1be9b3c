//! `TestApp`: the whole application on a fresh database, called through HTTP (in process),
//! with one signed-in user per role.

use std::{collections::HashMap, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use clientele::{AppState, auth::Role, config::Config};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// No Authorization header.
    Anonymous,
    /// A token signed with another key.
    BadToken,
    /// The test user of this role.
    As(Role),
}

impl From<Role> for Caller {
    fn from(role: Role) -> Self {
        Self::As(role)
    }
}

/// Every caller the permission tests try.
pub const EVERY_CALLER: [Caller; 6] = [
    Caller::As(Role::Admin),
    Caller::As(Role::Manager),
    Caller::As(Role::Recruiter),
    Caller::As(Role::Analyst),
    Caller::Anonymous,
    Caller::BadToken,
];

/// A GraphQL response.
#[derive(Debug, Clone)]
pub struct Gql {
    /// The JSON body.
    pub body: Value,
}

impl Gql {
    /// `data`, asserting there were no errors.
    #[track_caller]
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        &self.body["data"]
    }

    /// The first error's `extensions.code`.
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    /// The first error's message.
    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
    }

    /// The first error's `extensions.fields`.
    pub fn fields(&self) -> &Value {
        &self.body["errors"][0]["extensions"]["fields"]
    }

    /// Asserts the first error has `code`.
    #[track_caller]
    pub fn assert_code(&self, code: &str) {
        assert_eq!(self.code(), Some(code), "body: {:#}", self.body);
    }
}

/// A running application for one test.
pub struct TestApp {
    /// The test's own database.
    pub pool: PgPool,
    /// The router, called in process.
    pub router: Router,
    /// The application state.
    pub state: AppState,
    /// The user id of each role's test user.
    pub users: HashMap<Role, Uuid>,
}

const SECRET: &str = "integration-test-secret-integration-test-secret";
/// Password of every test user.
pub const PASSWORD: &str = "test-password-123";

fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        clientele::auth::password::hash_blocking(PASSWORD).expect("hashing the test password")
    })
}

impl TestApp {
    /// The app on `pool` (already migrated by `#[sqlx::test]`), with one user per role.
    pub async fn new(pool: PgPool) -> Self {
        let mut config = Config::from_lookup(|_| None).expect("default config");
        config.jwt_secret = Some(SECRET.to_owned());
        config.web_dir = std::env::temp_dir().join("clientele-no-web-app");
        let state = AppState::new(config, pool.clone()).expect("state");
        let mut users = HashMap::new();
        for role in Role::ALL {
            let id = sqlx::query_scalar::<_, Uuid>(
                "insert into users (email, full_name, role, password_hash) values ($1, $2, $3, $4) returning id",
            )
            .bind(format!("{}@test.local", role.as_str()))
            .bind(format!("Test {}", role.as_str()))
            .bind(role.as_str())
            .bind(password_hash())
            .fetch_one(&pool)
            .await
            .expect("inserting a test user");
            users.insert(role, id);
        }
        Self {
            router: clientele::app(state.clone()),
            pool,
            state,
            users,
        }
    }

    /// A valid token for the role's test user.
    pub fn token(&self, role: Role) -> String {
        let (token, _) = self
            .state
            .jwt
            .issue(self.users[&role], role, chrono::Utc::now())
            .expect("issuing a token");
        token
    }

    /// Sends a raw HTTP request to the app.
    pub async fn request(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("reading the body")
            .to_bytes()
            .to_vec();
        (status, headers, body)
    }

    /// Posts a GraphQL operation as `caller`.
    pub async fn gql(&self, caller: impl Into<Caller>, query: &str, variables: Value) -> Gql {
        let mut builder =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        match caller.into() {
            Caller::Anonymous => {}
            Caller::BadToken => {
                let other = clientele::auth::JwtKeys::new(
                    "some-other-secret-some-other-secret-xx",
                    Duration::from_secs(600),
                );
                let (token, _) = other
                    .issue(self.users[&Role::Admin], Role::Admin, chrono::Utc::now())
                    .expect("issuing");
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            Caller::As(role) => {
                builder = builder.header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", self.token(role)),
                );
            }
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        let (_, _, bytes) = self
            .request(builder.body(Body::from(body)).expect("request"))
            .await;
        let body: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| json!({ "raw": String::from_utf8_lossy(&bytes) }));
        Gql { body }
    }

    /// Creates a client as an admin (no duplicate check) and returns its id.
    pub async fn create_client(&self, name: &str, contacts: Value) -> String {
        self.create_client_with(
            json!({ "name": name, "contacts": contacts, "confirmNotDuplicate": true }),
        )
        .await
    }

    /// Creates a client from a full input as an admin and returns its id.
    pub async fn create_client_with(&self, input: Value) -> String {
        let response = self
            .gql(
                Role::Admin,
                "mutation($input: CreateClientInput!) { createClient(input: $input) { id } }",
                json!({ "input": input }),
            )
            .await;
        response.data()["createClient"]["id"]
            .as_str()
            .expect("an id")
            .to_owned()
    }
}

/// A contact input.
pub fn contact(name: &str, email: &str, primary: bool) -> Value {
    json!({ "fullName": name, "email": email, "isPrimary": primary })
}
