//! API benchmarks against real PostgreSQL: seeds 10,000 clients into a fresh database, then
//! times requests through the whole application (routing, auth, GraphQL, SQL, JSON) in
//! process and reports p50/p95 and SQL statements per request. Run by `cargo xtask bench`;
//! set `CLIENTELE_BENCH_KEEP=1` to keep the `clientele_bench` database for EXPLAIN.

use std::time::{Duration, Instant};

use axum::{body::Body, http::Request};
use clientele::{AppState, auth::Role, config::Config, telemetry::SqlStatementCounter};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use tower::ServiceExt;

const CLIENTS: i32 = 10_000;
const DATABASE: &str = "clientele_bench";

struct Sample {
    name: &'static str,
    durations: Vec<Duration>,
    statements: usize,
}

impl Sample {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.durations.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = std::env::var("CLIENTELE_BENCH_SERVER_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    let mut admin_connection = PgConnection::connect(&format!("{server}/postgres")).await?;
    drop_bench_database(&mut admin_connection).await?;
    admin_connection
        .execute(format!("create database {DATABASE}").as_str().into_sql())
        .await?;

    let mut config = Config::from_lookup(|_| None)?;
    config.database_url = format!("{server}/{DATABASE}");
    config.jwt_secret = Some("benchmark-secret-benchmark-secret-benchmark".to_owned());
    config.db_max_connections = 10;
    let pool = clientele::db::connect(&config).await?;
    clientele::db::migrate(&pool).await?;
    let seeding = Instant::now();
    clientele::demo::seed(&pool).await?;
    clientele::demo::seed_volume(&pool, CLIENTS - 60).await?;
    sqlx::query("analyze").execute(&pool).await?;
    let total: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&pool)
        .await?;
    let contacts: i64 = sqlx::query_scalar("select count(*) from client_contacts")
        .fetch_one(&pool)
        .await?;
    println!(
        "seeded {total} clients and {contacts} contacts in {:.1}s",
        seeding.elapsed().as_secs_f64()
    );

    let state = AppState::new(config, pool.clone())?;
    let token = |email: &'static str, role: Role| {
        let pool = pool.clone();
        let jwt = state.jwt.clone();
        async move {
            let id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await?;
            let (token, _) = jwt
                .issue(id, role, chrono::Utc::now())
                .map_err(|e| anyhow::anyhow!("issuing a token: {e:?}"))?;
            anyhow::Ok(token)
        }
    };
    let analyst = token("analyst@clientele.local", Role::Analyst).await?;
    let manager = token("manager@clientele.local", Role::Manager).await?;
    let app = clientele::app(state);

    let counter = SqlStatementCounter::default();
    tracing::subscriber::set_global_default(counter.subscriber())?;

    let list = "{ clients(limit: 100, sort: NAME_ASC) { items { id clientCode name status accountManager { fullName } contacts { fullName email } primaryContact { fullName } } pageInfo { total totalPages } summary { active inactive onHold archived } } }";
    let search = "query($s: String) { clients(filter: { search: $s }, limit: 20) { items { id name clientCode accountManager { fullName } primaryContact { fullName } } pageInfo { total } } }";
    let create = "mutation($i: CreateClientInput!) { createClient(input: $i) { id clientCode } }";

    let mut samples = Vec::new();
    samples.push(
        measure(
            &app,
            &counter,
            "list 100 clients + contacts + manager",
            200,
            &analyst,
            |_| (list, json!({})),
        )
        .await?,
    );
    let terms = [
        "north",
        "contoso 12",
        "CLT-2019-01",
        "ann lee",
        "health",
        "wide world 77",
    ];
    samples.push(
        measure(
            &app,
            &counter,
            "search (name, code, contact)",
            200,
            &analyst,
            |i| (search, json!({ "s": terms[i % terms.len()] })),
        )
        .await?,
    );
    samples.push(
        measure(&app, &counter, "createClient (2 contacts, duplicate check)", 100, &manager, |_| {
            let word: String = uuid::Uuid::new_v4().as_bytes().iter().take(10).map(|b| char::from(b'a' + b % 26)).collect();
            let input = json!({
                "name": format!("{word} Ltd"),
                "website": format!("{word}.example"),
                "contacts": [
                    { "fullName": "Ann Bench", "email": format!("ann@{word}.example"), "isPrimary": true },
                    { "fullName": "Ben Bench", "email": format!("ben@{word}.example") },
                ],
            });
            (create, json!({ "i": input }))
        })
        .await?,
    );

    println!();
    println!(
        "{:<44} {:>6} {:>10} {:>10} {:>12}",
        "operation (in process, release)", "runs", "p50 ms", "p95 ms", "SQL/request"
    );
    for s in &samples {
        println!(
            "{:<44} {:>6} {:>10.2} {:>10.2} {:>12.1}",
            s.name,
            s.durations.len(),
            s.percentile(0.5).as_secs_f64() * 1000.0,
            s.percentile(0.95).as_secs_f64() * 1000.0,
            s.statements as f64 / s.durations.len() as f64,
        );
    }
    pool.close().await;
    if std::env::var_os("CLIENTELE_BENCH_KEEP").is_none() {
        drop_bench_database(&mut admin_connection).await?;
    }
    Ok(())
}

async fn drop_bench_database(connection: &mut PgConnection) -> anyhow::Result<()> {
    connection
        .execute(
            format!("drop database if exists {DATABASE} with (force)")
                .as_str()
                .into_sql(),
        )
        .await?;
    Ok(())
}

trait IntoSql {
    fn into_sql(self) -> sqlx::AssertSqlSafe<String>;
}

impl IntoSql for &str {
    fn into_sql(self) -> sqlx::AssertSqlSafe<String> {
        sqlx::AssertSqlSafe(self.to_owned())
    }
}

async fn measure(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    name: &'static str,
    runs: usize,
    token: &str,
    operation: impl Fn(usize) -> (&'static str, Value),
) -> anyhow::Result<Sample> {
    for i in 0..10 {
        send(app, token, operation(i)).await?;
    }
    counter.reset();
    let mut durations = Vec::with_capacity(runs);
    for i in 0..runs {
        let request = operation(i);
        let started = Instant::now();
        send(app, token, request).await?;
        durations.push(started.elapsed());
    }
    Ok(Sample {
        name,
        durations,
        statements: counter.count(),
    })
}

async fn send(
    app: &axum::Router,
    token: &str,
    (query, variables): (&str, Value),
) -> anyhow::Result<()> {
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))?;
    let response = app.clone().oneshot(request).await?;
    let body = response.into_body().collect().await?.to_bytes();
    let value: Value = serde_json::from_slice(&body)?;
    if value.get("errors").is_some() {
        anyhow::bail!("benchmark request failed: {value}");
    }
    Ok(())
}
