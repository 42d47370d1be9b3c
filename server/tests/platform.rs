//! The platform around the API: migrations, the published schema, health, readiness,
//! request ids, GET restrictions and query limits.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use clientele::auth::Role;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{Refused, TestApp};

#[sqlx::test(migrations = false)]
async fn migrations_go_up_down_and_up_again(pool: PgPool) {
    let migrator = &clientele::db::MIGRATOR;
    let tables = || async {
        sqlx::query_scalar::<_, String>(
            "select table_name::text from information_schema.tables where table_schema = 'public' and table_name <> '_sqlx_migrations' order by 1",
        )
        .fetch_all(&pool)
        .await
        .expect("tables")
    };
    migrator.run(&pool).await.expect("up");
    let created = tables().await;
    for table in [
        "users",
        "clients",
        "client_contacts",
        "client_communications",
        "client_feedback",
        "client_job_assignments",
        "client_analytics",
        "jobs",
        "candidates",
        "applications",
        "application_stage_history",
        "audit_log",
        "email_outbox",
        "background_jobs",
        "stored_files",
        "reports",
        "task_schedules",
    ] {
        assert!(
            created.iter().any(|t| t == table),
            "{table} missing after up"
        );
    }
    migrator.undo(&pool, 0).await.expect("down");
    assert_eq!(
        tables().await,
        Vec::<String>::new(),
        "down leaves no table behind"
    );
    migrator.run(&pool).await.expect("up again");
    assert_eq!(tables().await, created);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_database_enforces_the_seed_constraints(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Constraint Co", vec![]).await;
    let admin = app.users[&Role::Admin];
    let violations = [
        (
            "update clients set status = 'paused' where id = $1::uuid",
            "clients_status_check",
        ),
        (
            "insert into client_feedback (client_id, feedback_period, feedback_date, responsiveness_rating, communication_rating, requirements_clarity_rating, decision_speed_rating, overall_satisfaction, submitted_by) select $1::uuid, '2026-Q3', current_date, 6, 3, 3, 3, 3, id from users limit 1",
            "client_feedback_responsiveness_rating_check",
        ),
        (
            "insert into client_analytics (client_id, date) values ($1::uuid, '2026-01-01'), ($1::uuid, '2026-01-01')",
            "client_analytics_client_date_key",
        ),
    ];
    for (sql, constraint) in violations {
        let error = sqlx::query(sql)
            .bind(&client)
            .execute(&app.pool)
            .await
            .expect_err(sql);
        assert_eq!(
            error.as_database_error().and_then(|e| e.constraint()),
            Some(constraint),
            "{sql}"
        );
    }
    let job: uuid::Uuid =
        sqlx::query_scalar("insert into jobs (title) values ('Dev') returning id")
            .fetch_one(&app.pool)
            .await
            .expect("job");
    let link = "insert into client_job_assignments (client_id, job_id, assigned_by) values ($1::uuid, $2, $3)";
    sqlx::query(link)
        .bind(&client)
        .bind(job)
        .bind(admin)
        .execute(&app.pool)
        .await
        .expect("first link");
    let error = sqlx::query(link)
        .bind(&client)
        .bind(job)
        .bind(admin)
        .execute(&app.pool)
        .await
        .expect_err("second link");
    assert_eq!(
        error.as_database_error().and_then(|e| e.constraint()),
        Some("client_job_assignments_client_job_key")
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn finalized_feedback_never_changes(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let client = app.create_named_client("Feedback Co", vec![]).await;
    let manager = app.users[&Role::Manager];
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into client_feedback (client_id, feedback_period, feedback_date, responsiveness_rating, communication_rating, requirements_clarity_rating, decision_speed_rating, overall_satisfaction, submitted_by, is_finalized, finalized_by, finalized_at) values ($1::uuid, '2026-Q3', current_date, 4, 4, 4, 4, 4, $2, true, $2, now()) returning id",
    )
    .bind(&client)
    .bind(manager)
    .fetch_one(&app.pool)
    .await
    .expect("feedback");
    for sql in [
        "update client_feedback set overall_satisfaction = 1 where id = $1",
        "delete from client_feedback where id = $1",
    ] {
        let error = sqlx::query(sql)
            .bind(id)
            .execute(&app.pool)
            .await
            .expect_err(sql);
        assert_eq!(
            error.as_database_error().and_then(|e| e.constraint()),
            Some("client_feedback_finalized_immutable")
        );
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn schema_graphql_matches_the_code(_pool: PgPool) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let generated = clientele::schema::sdl();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `cargo xtask schema` and commit it"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn health_and_readiness_answer_with_a_request_id(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (status, headers, body) = app
        .request(
            Request::get("/health")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, br#"{"status":"ok"}"#);
    assert!(headers.get("x-request-id").is_some());

    let (status, _, body) = app
        .request(Request::get("/ready").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));

    let request = Request::get("/health")
        .header("x-request-id", "trace-me-42")
        .body(Body::empty())
        .expect("request");
    let (_, headers, _) = app.request(request).await;
    assert_eq!(
        headers.get("x-request-id").and_then(|v| v.to_str().ok()),
        Some("trace-me-42")
    );

    app.pool.close().await;
    let (status, _, _) = app
        .request(Request::get("/ready").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn get_may_query_but_not_mutate(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let token = app.token(Role::Admin);
    let get = |query: &str| {
        let uri = format!("/graphql?query={}", url_encode(query));
        Request::get(uri)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request")
    };
    let (_, _, body) = app.request(get("{ me { email } }")).await;
    let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(body["data"]["me"]["email"], "admin@test.local");

    let (_, _, body) = app
        .request(get(
            "mutation { reactivateClient(id: \"00000000-0000-0000-0000-000000000000\") { id } }",
        ))
        .await;
    let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "{body}"
    );
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn abusive_queries_are_rejected_with_a_clear_error(pool: PgPool) {
    // Raw documents on purpose: these are not operations the API offers but what an
    // analyst might type.
    let app = TestApp::new(pool).await;
    let fields = "id name clientCode status industry website city country accountManager { id fullName email } createdBy { id fullName } contacts { id fullName email phone } primaryContact { id fullName }";
    let aliases: String = (0..4)
        .map(|i| format!("a{i}: clients(limit: 100) {{ items {{ {fields} }} }} "))
        .collect();
    let too_complex = app
        .post(
            Role::Analyst,
            &json!({ "query": format!("{{ {aliases} }}") }),
        )
        .await;
    assert_eq!(too_complex["errors"][0]["extensions"]["code"], "VALIDATION");
    let message = too_complex["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("too complex"), "{message}");

    let garbage = app
        .post(
            Role::Analyst,
            &json!({ "query": "{ clients { items { nope } } }" }),
        )
        .await;
    assert_eq!(garbage["errors"][0]["extensions"]["code"], "VALIDATION");

    let introspection = app
        .post(
            Role::Analyst,
            &json!({ "query": "{ __schema { queryType { name } } }" }),
        )
        .await;
    assert_eq!(
        introspection["data"]["__schema"]["queryType"]["name"],
        "Query"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn only_the_named_operation_of_a_document_is_checked_and_costed(pool: PgPool) {
    // As GraphiQL and the app send them: a document of several operations and the name of
    // the one to run. The others' variables are absent and their cost is not this request's.
    let app = TestApp::new(pool).await;
    let heavy = "a: clients(limit: 100) { items { id name clientCode status industry website city country contacts { id fullName email phone } primaryContact { id fullName } accountManager { id fullName email } createdBy { id fullName } } }";
    let document = format!(
        "query Cheap {{ me {{ email }} ...More }} \
         fragment More on Query {{ clientIndustries {{ name }} }} \
         fragment Unused on Query {{ users {{ id }} }} \
         query NeedsAnId($id: ID!) {{ client(id: $id) {{ name }} ...Unused }} \
         query Heavy {{ {heavy} b: {h2} c: {h3} d: {h4} }}",
        h2 = &heavy[3..],
        h3 = &heavy[3..],
        h4 = &heavy[3..],
    );
    let answer = app
        .post(
            Role::Analyst,
            &json!({ "query": document, "operationName": "Cheap" }),
        )
        .await;
    assert_eq!(
        answer["data"]["me"]["email"], "analyst@test.local",
        "{answer}"
    );
    assert!(answer["data"]["clientIndustries"].is_array(), "{answer}");

    let heavy = app
        .post(
            Role::Analyst,
            &json!({ "query": document, "operationName": "Heavy" }),
        )
        .await;
    let message = heavy["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too complex"), "{heavy}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn an_unknown_id_is_not_found_and_a_malformed_one_is_invalid(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.client(Role::Analyst, uuid::Uuid::new_v4().to_string())
        .await
        .refused("NOT_FOUND");
    let bad = app
        .client(Role::Analyst, "42".into())
        .await
        .refused("VALIDATION");
    assert_eq!(bad.field("id"), Some("is not a valid id"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn graphiql_is_served_from_our_own_origin_only(pool: PgPool) {
    // Not built (the tests' default web directory): a 404 saying how, never a CDN page.
    let app = TestApp::new(pool.clone()).await;
    let (status, _, body) = app
        .request(
            Request::get("/graphiql")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body = String::from_utf8_lossy(&body).into_owned();
    assert!(body.contains("cargo xtask"), "{body}");
    drop(app);

    // Built: the bundled page, under a policy that names no other origin.
    let dir = std::env::temp_dir().join(format!("clientele-graphiql-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("graphiql")).expect("web dir");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Clientele</title>",
    )
    .expect("index");
    let page = "<!DOCTYPE html><script type=\"module\" src=\"/graphiql/graphiql-0123456789abcdef.js\"></script>";
    std::fs::write(dir.join("graphiql/index.html"), page).expect("graphiql page");
    std::fs::write(
        dir.join("graphiql/graphiql-0123456789abcdef.js"),
        "export {}",
    )
    .expect("graphiql script");
    let mut config = clientele::config::Config::from_lookup(|_| None).expect("config");
    config.jwt_secret = Some("web-test-secret-web-test-secret-web-test".to_owned());
    config.web_dir = dir.clone();
    let app = clientele::app(clientele::AppState::new(config, pool).expect("state"));
    for path in ["/graphiql", "/graphiql/"] {
        use tower::ServiceExt;
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = app.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .expect("policy")
            .to_owned();
        let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
        assert!(directives.contains(&"script-src 'self'"), "{policy}");
        assert!(directives.contains(&"connect-src 'self'"), "{policy}");
        assert!(directives.contains(&"default-src 'self'"), "{policy}");
        assert!(!policy.contains("http"), "no other origin: {policy}");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(body, page.as_bytes());
    }
    use tower::ServiceExt;
    let script = app
        .oneshot(
            Request::get("/graphiql/graphiql-0123456789abcdef.js")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_web_app_is_served_with_a_fallback_and_cache_headers(pool: PgPool) {
    let dir = std::env::temp_dir().join(format!("clientele-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("web dir");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Clientele</title>",
    )
    .expect("index");
    std::fs::write(dir.join("clientele-web-0123456789abcdef_bg.wasm"), b"\0asm").expect("asset");
    let mut config = clientele::config::Config::from_lookup(|_| None).expect("config");
    config.jwt_secret = Some("web-test-secret-web-test-secret-web-test".to_owned());
    config.web_dir = dir.clone();
    let app = clientele::app(clientele::AppState::new(config, pool).expect("state"));
    let get = |path: &str| {
        let app = app.clone();
        let request = Request::get(path).body(Body::empty()).expect("request");
        async move {
            use tower::ServiceExt;
            app.oneshot(request).await.expect("response")
        }
    };

    let asset = get("/clientele-web-0123456789abcdef_bg.wasm").await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    for route in [
        "/",
        "/clients",
        "/clients/0b6c3c1e-6a4e-4f0e-9d7e-3f0c8a7c1b2d",
        "/login?expired=1",
    ] {
        let page = get(route).await;
        assert_eq!(page.status(), StatusCode::OK, "{route}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{route}");
        assert_eq!(page.headers()["content-type"], "text/html", "{route}");
    }
    // A file that is not there is 404, not the app's page.
    for missing in [
        "/favicon.ico",
        "/robots.txt",
        "/clientele-web-0000000000000000.js",
        "/a/b.css",
    ] {
        let page = get(missing).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    std::fs::write(dir.join("robots.txt"), "User-agent: *\nDisallow: /\n").expect("robots");
    let robots = get("/robots.txt").await;
    assert_eq!(robots.status(), StatusCode::OK);
    assert_eq!(robots.headers()["content-type"], "text/plain");

    let api = get("/health").await;
    assert_eq!(api.status(), StatusCode::OK);
    assert!(
        api.headers().get("cache-control").is_none(),
        "API answers are not the app's"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
