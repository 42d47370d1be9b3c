//! The client list as the table grows: the same requests at 10,000 clients, then after
//! growing the bench database to 100,000 and 1,000,000 (`CLIENTELE_BENCH_SCALE`: sizes
//! separated by commas, or `none`). Reports p50/p95, SQL statements and rows read per
//! request (PostgreSQL's own counters of rows returned by scans).

use std::time::Duration;

use clientele::{clients::ClientSort, telemetry::SqlStatementCounter};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::{Sample, measure};

const ITEMS: &str = "items { id clientCode name status accountManager { fullName } contacts { fullName email } primaryContact { fullName } }";

/// A request to time, by run number.
type Operation = Box<dyn Fn(usize) -> (&'static str, Value)>;

/// One size's figures.
struct Row {
    clients: i64,
    sample: Sample,
    rows_read: f64,
}

/// Rows that scans of the user tables have read so far (as far as the statistics know).
async fn rows_read(pool: &PgPool) -> anyhow::Result<i64> {
    // Backends publish their counters at most once a second, when idle.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    sqlx::query("select pg_stat_clear_snapshot()")
        .execute(pool)
        .await?;
    let read: Option<i64> = sqlx::query_scalar(
        "select (sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)))::int8
         from pg_stat_user_tables",
    )
    .fetch_one(pool)
    .await?;
    Ok(read.unwrap_or(0))
}

/// The sizes to grow to.
fn sizes() -> Vec<i64> {
    match std::env::var("CLIENTELE_BENCH_SCALE") {
        Ok(text) if text.trim() == "none" => Vec::new(),
        Ok(text) => text
            .split(',')
            .filter_map(|s| s.trim().replace('_', "").parse().ok())
            .collect(),
        Err(_) => vec![100_000, 1_000_000],
    }
}

/// A cursor at the middle of the list by name, for a deep keyset page.
async fn middle_cursor(pool: &PgPool, clients: i64) -> anyhow::Result<String> {
    let id: uuid::Uuid = sqlx::query_scalar(
        "select id from clients order by search_key(name), id offset $1 limit 1",
    )
    .bind(clients / 2)
    .fetch_one(pool)
    .await?;
    let client = clientele::clients::get(pool, id)
        .await
        .map_err(|e| anyhow::anyhow!("the middle client: {e:?}"))?;
    clientele::clients::ListCursor::after(&client, ClientSort::NameAsc)
        .map(|c| c.encode())
        .ok_or_else(|| anyhow::anyhow!("a name cursor"))
}

/// Measures the list at the current size and after growing to each of `sizes()`.
pub async fn run(
    app: &axum::Router,
    counter: &SqlStatementCounter,
    token: &str,
    pool: &PgPool,
) -> anyhow::Result<()> {
    let plain: &'static str = Box::leak(
        format!("{{ clients(limit: 100, sort: NAME_ASC) {{ {ITEMS} }} }}").into_boxed_str(),
    );
    let totals: &'static str = Box::leak(
        format!(
            "{{ clients(limit: 100, sort: NAME_ASC) {{ {ITEMS} pageInfo {{ total totalPages }} summary {{ active inactive onHold archived }} }} }}"
        )
        .into_boxed_str(),
    );
    let filtered: &'static str = Box::leak(
        format!(
            "{{ clients(limit: 100, sort: NEWEST, filter: {{ industry: \"Finance\" }}) {{ {ITEMS} pageInfo {{ total }} summary {{ active inactive onHold archived }} }} }}"
        )
        .into_boxed_str(),
    );
    let deep: &'static str = Box::leak(
        format!(
            "query($a: String) {{ clients(first: 100, after: $a, sort: NAME_ASC) {{ {ITEMS} endCursor hasNextPage }} }}"
        )
        .into_boxed_str(),
    );
    let search = "query($s: String) { clients(filter: { search: $s }, limit: 20) { items { id name clientCode accountManager { fullName } primaryContact { fullName } } } }";
    let narrow = [
        "contoso systems 1234",
        "wide world energy 77",
        "CLT-2019-0123",
        "fabrikam 4242",
    ];
    let broad = ["north", "ann lee", "health", "capital"];

    let mut rows: Vec<Row> = Vec::new();
    let mut targets = vec![0];
    targets.extend(sizes());
    for target in targets {
        let current: i64 = sqlx::query_scalar("select count(*) from clients")
            .fetch_one(pool)
            .await?;
        let clients = if target > current {
            let started = std::time::Instant::now();
            let add = i32::try_from(target - current)?;
            clientele::demo::seed_volume(pool, add).await?;
            let mut db = pool.acquire().await?;
            // One statement each: VACUUM refuses to run in a multi-statement string.
            for statement in [
                "set statement_timeout = 0",
                "vacuum analyze clients, client_contacts",
                "reset statement_timeout",
            ] {
                sqlx::query(statement).execute(&mut *db).await?;
            }
            println!(
                "grew the bench database to {target} clients in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            target
        } else {
            current
        };
        let cursor = Value::String(middle_cursor(pool, clients).await?);
        let runs = 200;
        let cases: [(&'static str, Operation); 6] = [
            (
                "list 100 + contacts + manager",
                Box::new(move |_| (plain, json!({}))),
            ),
            (
                "… with totals and summary",
                Box::new(move |_| (totals, json!({}))),
            ),
            (
                "… one industry, newest, with totals",
                Box::new(move |_| (filtered, json!({}))),
            ),
            ("… keyset page at the middle", {
                let cursor = cursor.clone();
                Box::new(move |_| (deep, json!({ "a": cursor })))
            }),
            (
                "search, narrow terms",
                Box::new(move |i| (search, json!({ "s": narrow[i % narrow.len()] }))),
            ),
            (
                "search, broad terms",
                Box::new(move |i| (search, json!({ "s": broad[i % broad.len()] }))),
            ),
        ];
        for (name, operation) in cases {
            let before = rows_read(pool).await?;
            let sample = measure(app, counter, name, runs, token, operation).await?;
            let after = rows_read(pool).await?;
            rows.push(Row {
                clients,
                sample,
                // `measure` warms up with 10 requests before the timed runs.
                rows_read: (after - before) as f64 / (runs + 10) as f64,
            });
        }
    }

    println!();
    println!(
        "{:>9} {:<40} {:>9} {:>9} {:>6} {:>11}",
        "clients", "the client list as it grows", "p50 ms", "p95 ms", "SQL", "rows read"
    );
    for row in &rows {
        println!(
            "{:>9} {:<40} {:>9.2} {:>9.2} {:>6.1} {:>11.0}",
            row.clients,
            row.sample.name,
            row.sample.percentile(0.5).as_secs_f64() * 1000.0,
            row.sample.percentile(0.95).as_secs_f64() * 1000.0,
            row.sample.statements as f64 / row.sample.durations.len() as f64,
            row.rows_read,
        );
    }
    Ok(())
}
