//! API benchmarks against real PostgreSQL: seeds 10,000 clients (1,000 of them with jobs and
//! candidates) into a fresh database, then
//! times requests through the whole application (routing, auth, GraphQL, SQL, JSON) in
//! process and reports p50/p95 and SQL statements per request; last, grows the database to
//! 100,000 and 1,000,000 clients and measures the client list again (see `scale`). Run by
//! `cargo xtask bench`;
//! set `CLIENTELE_BENCH_KEEP=1` to keep the `clientele_bench` database for EXPLAIN.

mod bulk;
mod dashboard;
mod load;
mod overhead;
mod pages;
mod reports;
mod scale;
mod versus;

use std::time::{Duration, Instant};

use axum::{body::Body, http::Request};
use clientele::{AppState, auth::Role, config::Config, telemetry::SqlStatementCounter};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use tower::ServiceExt;

const CLIENTS: i32 = 10_000;
const DATABASE: &str = "clientele_bench";

pub struct Sample {
    pub name: &'static str,
    pub durations: Vec<Duration>,
    pub statements: usize,
}

impl Sample {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.durations.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }
}

/// Signs the bench's sessions, here and in the release server the side by side starts.
const JWT_SECRET: &str = "benchmark-secret-benchmark-secret-benchmark";

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
    config.jwt_secret = Some(JWT_SECRET.to_owned());
    config.db_max_connections = 10;
    // The benchmark runs bulk operations back to back.
    config.bulk_runs_per_minute = u32::MAX;
    // …and hammers the list as one analyst.
    config.cost_per_minute = u32::MAX;
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

    config.data_dir =
        std::env::temp_dir().join(format!("clientele-bench-{}", uuid::Uuid::new_v4()));
    let client_id = seed_communications(&pool).await?;
    let report_client = reports::seed(&pool).await?;
    let dashboard_client = dashboard::seed(&pool).await?;
    let s3_endpoint = std::env::var("CLIENTELE_BENCH_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty());
    let s3_config = s3_endpoint.as_ref().map(|endpoint| {
        let mut s3 = config.clone();
        s3.storage = clientele::config::StorageBackend::S3(clientele::storage::S3Settings {
            bucket: "clientele-bench".into(),
            region: "us-east-1".into(),
            endpoint: Some(endpoint.clone()),
            force_path_style: true,
        });
        s3
    });
    let plain_config = config.clone();
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
    let admin = token("admin@clientele.local", Role::Admin).await?;
    let app = clientele::app(state.clone());

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
    let overheads = overhead::run(&plain_config, &pool, &analyst, list).await?;
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

    let page = "query($c: ID!, $p: Int!, $l: Int!) { client(id: $c) { communications(page: $p, limit: $l) { items { id type subject communicationDate isImportant followUpDate followUpOverdue loggedBy { fullName } participants { name contact { fullName email } } job { title status } attachments { fileName sizeBytes } } pageInfo { total } } } }";
    samples.push(
        measure(
            &app,
            &counter,
            "communications: one page of 20, all relations",
            200,
            &analyst,
            |_| (page, json!({ "c": client_id, "p": 1, "l": 20 })),
        )
        .await?,
    );
    samples.push(
        measure_batch(
            &app,
            &counter,
            "communications: all 1,000 in pages of 100",
            20,
            &analyst,
            |_| {
                (1..=10)
                    .map(|p| (page, json!({ "c": client_id, "p": p, "l": 100 })))
                    .collect()
            },
        )
        .await?,
    );

    let report = reports::measure_report(&app, &counter, &manager, &pool, report_client).await?;
    samples.extend(report.samples);
    samples.extend(
        dashboard::measure_dashboard(&app, &counter, &manager, &pool, dashboard_client).await?,
    );

    samples.extend(
        pages::measure_pages(&plain_config, &pool, &counter, &manager, dashboard_client).await?,
    );
    samples.extend(bulk::measure_bulk(&app, &counter, &admin, &pool).await?);
    let drain = bulk::outbox_drain(&state, s3_endpoint.as_deref(), 200).await?;

    let upload_target = sqlx::query_scalar::<_, uuid::Uuid>(
        "select id from client_communications where client_id = $1::uuid limit 1",
    )
    .bind(&client_id)
    .fetch_one(&pool)
    .await?;
    let mut throughput = vec![(
        "local disk",
        upload_rate(&app, &manager, upload_target).await?,
    )];
    if let Some(s3_config) = s3_config {
        let s3_state = AppState::new(s3_config, pool.clone())?;
        if let clientele::config::StorageBackend::S3(settings) = &s3_state.config.storage {
            let store = clientele::storage::S3Store::new(settings);
            store
                .client()
                .create_bucket()
                .bucket(&settings.bucket)
                .send()
                .await?;
        }
        let s3_app = clientele::app(s3_state);
        throughput.push((
            "S3 (moto on this machine)",
            upload_rate(&s3_app, &manager, upload_target).await?,
        ));
    }

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
    println!();
    println!("the list of 100 clients (same query, alternating rounds of 100) with and without:");
    for o in &overheads {
        println!(
            "  {:<28} p50 {:>6.2} ms   p95 {:>6.2} ms",
            o.name,
            o.p50.as_secs_f64() * 1000.0,
            o.p95.as_secs_f64() * 1000.0
        );
    }
    println!();
    println!("uploadAttachment of a 10 MB PDF, 10 runs (multipart through the whole app):");
    for (store, rates) in &throughput {
        let mut sorted = rates.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "  {store:<28} median {:>7.1} MB/s   min {:>7.1}   max {:>7.1}",
            sorted[sorted.len() / 2],
            sorted[0],
            sorted[sorted.len() - 1]
        );
    }
    println!();
    println!("outbox drained by one worker, 200 emails queued in one transaction:");
    for (transport, rate) in &drain {
        println!("  {transport:<28} {rate:>7.0} emails/s");
    }
    println!();
    println!(
        "performance report PDF: {:.1} KB (12 quarters of feedback, 50 jobs, 2,000 candidates)",
        report.pdf_bytes as f64 / 1024.0
    );
    let load = load::run(state, &analyst).await?;
    println!();
    println!(
        "load: 200 connections on the client list (100 clients + contacts + manager) over \
         HTTP for {:.0} s: {:.0} requests/s, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, \
         {} errors in {} requests",
        load.seconds,
        load.requests as f64 / load.seconds,
        load.p50.as_secs_f64() * 1000.0,
        load.p95.as_secs_f64() * 1000.0,
        load.p99.as_secs_f64() * 1000.0,
        load.errors,
        load.requests
    );
    versus::run(&analyst, &format!("{server}/{DATABASE}"), JWT_SECRET).await?;
    scale::run(&app, &counter, &analyst, &pool).await?;
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

pub async fn measure(
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

/// One client ("Acme Industries") with 1,000 communications: two contacts each, a job on
/// every other one, attachment descriptions on every third, loggers in turn. Its id.
async fn seed_communications(pool: &sqlx::PgPool) -> anyhow::Result<String> {
    let client: uuid::Uuid =
        sqlx::query_scalar("select id from clients where name = 'Acme Industries'")
            .fetch_one(pool)
            .await?;
    let job: uuid::Uuid = sqlx::query_scalar(
        "insert into jobs (title, status, client_id, opened_at) values ('Platform Engineer', 'open', $1, now()) returning id",
    )
    .bind(client)
    .fetch_one(pool)
    .await?;
    sqlx::query(
        r#"
        with people as (
            select jsonb_agg(jsonb_build_object('contact_id', id, 'name', full_name, 'email', email)) as list
            from (select id, full_name, email from client_contacts where client_id = $1 limit 2) c
        ),
        staff as (select array_agg(id order by email) as ids from users)
        insert into client_communications
            (client_id, communication_type, subject, notes, communication_date, participants,
             job_reference_id, logged_by, is_important, follow_up_required, follow_up_date,
             attachments)
        select $1,
               (array['call', 'email', 'meeting', 'video_call', 'note', 'other'])[1 + g % 6],
               'Conversation ' || g, 'Notes of conversation ' || g,
               now() - (g || ' hours')::interval,
               people.list,
               case when g % 2 = 0 then $2::uuid end,
               staff.ids[1 + g % array_length(staff.ids, 1)],
               g % 7 = 0, g % 11 = 0, case when g % 11 = 0 then current_date + 3 end,
               case when g % 3 = 0 then jsonb_build_array(jsonb_build_object(
                   'id', gen_random_uuid(), 'file_name', 'minutes-' || g || '.pdf',
                   'content_type', 'application/pdf', 'size_bytes', 48213, 'sha256', repeat('a', 64),
                   'scan_status', 'not_scanned', 'storage_key', 'attachments/x/' || g,
                   'uploaded_by', staff.ids[1], 'uploaded_at', now()))
               else '[]'::jsonb end
        from generate_series(1, 1000) g cross join people cross join staff
        "#,
    )
    .bind(client)
    .bind(job)
    .execute(pool)
    .await?;
    sqlx::query("analyze client_communications")
        .execute(pool)
        .await?;
    Ok(client.to_string())
}

/// Runs a sequence of requests per run and times each whole run.
async fn measure_batch(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    name: &'static str,
    runs: usize,
    token: &str,
    operations: impl Fn(usize) -> Vec<(&'static str, Value)>,
) -> anyhow::Result<Sample> {
    for request in operations(0) {
        send(app, token, request).await?;
    }
    counter.reset();
    let mut durations = Vec::with_capacity(runs);
    for i in 0..runs {
        let requests = operations(i);
        let started = Instant::now();
        for request in requests {
            send(app, token, request).await?;
        }
        durations.push(started.elapsed());
    }
    Ok(Sample {
        name,
        durations,
        statements: counter.count(),
    })
}

/// MB/s of ten 10 MB uploads to a communication.
async fn upload_rate(
    app: &axum::Router,
    token: &str,
    communication: uuid::Uuid,
) -> anyhow::Result<Vec<f64>> {
    let mut file = b"%PDF-1.4\n".to_vec();
    file.resize(10 * 1024 * 1024, b' ');
    let operations = json!({
        "query": "mutation($c: ID!, $f: Upload!) { uploadAttachment(communicationId: $c, file: $f) { id } }",
        "variables": { "c": communication, "f": null },
    });
    let boundary = "bench-boundary-5f2a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.f\"]}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut rates = Vec::new();
    for _ in 0..10 {
        let request = Request::post("/graphql")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body.clone()))?;
        let started = Instant::now();
        let response = app.clone().oneshot(request).await?;
        let answer = response.into_body().collect().await?.to_bytes();
        let elapsed = started.elapsed().as_secs_f64();
        let value: Value = serde_json::from_slice(&answer)?;
        if value.get("errors").is_some() {
            anyhow::bail!("upload failed: {value}");
        }
        rates.push(10.0 / elapsed);
    }
    Ok(rates)
}
