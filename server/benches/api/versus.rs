//! Side by side with PostGraphile 5 (amber preset) on the same database and the same
//! machine: the first 100 clients by name with their account manager and contacts, asked of
//! both servers over HTTP by 16 connections for 10 s (`CLIENTELE_BENCH_VERSUS_SECS`), three
//! alternating rounds. PostGraphile comes from e2e/bench/postgraphile
//! (`CLIENTELE_BENCH_POSTGRAPHILE`, installed by `cargo xtask bench`); without it this part
//! is skipped.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use clientele::AppState;
use serde_json::json;

use crate::load::{LoadFigures, hammer, serve};

const CONNECTIONS: usize = 16;
const ROUNDS: usize = 3;

const OURS: &str = "{ clients(limit: 100, sort: NAME_ASC) { items { id clientCode name status accountManager { fullName } contacts { fullName email } } } }";
const THEIRS: &str = "{ allClients(first: 100, orderBy: NAME_ASC) { nodes { id clientCode name status userByAccountManagerId { fullName } clientContactsByClientId { nodes { fullName email } } } } }";

/// Stops PostGraphile when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts PostGraphile on `database_url` and waits until it answers.
async fn start_postgraphile(
    dir: &PathBuf,
    database_url: &str,
) -> anyhow::Result<(Running, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(dir.join("node_modules/.bin/node"))
        .arg(dir.join("node_modules/postgraphile/dist/cli-run.js"))
        .args(["-C", "graphile.config.mjs"])
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env("PORT", port.to_string())
        .env("NODE_ENV", "production")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let running = Running(child);
    let url = format!("http://127.0.0.1:{port}/graphql");
    let client = reqwest::Client::new();
    let body = json!({ "query": THEIRS }).to_string();
    for _ in 0..120 {
        let answer = client
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
        if let Ok(response) = answer
            && response.status().is_success()
        {
            let text = response.text().await?;
            anyhow::ensure!(
                text.contains("\"allClients\"") && !text.contains("\"errors\""),
                "PostGraphile answered {text}"
            );
            return Ok((running, url));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    anyhow::bail!("PostGraphile did not answer within a minute")
}

fn line(server: &str, round: usize, f: &LoadFigures) {
    println!(
        "  {server:<12} round {round}: {:>7.0} requests/s   p50 {:>6.1} ms   p95 {:>6.1} ms   {} errors",
        f.requests as f64 / f.seconds,
        f.p50.as_secs_f64() * 1000.0,
        f.p95.as_secs_f64() * 1000.0,
        f.errors
    );
}

/// Runs the side-by-side rounds and prints both servers' figures and the ratio.
pub async fn run(state: AppState, token: &str, database_url: &str) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("CLIENTELE_BENCH_POSTGRAPHILE")
        .map(PathBuf::from)
        .filter(|d| d.join("node_modules/postgraphile").exists())
    else {
        println!(
            "\nPostGraphile side by side: skipped (CLIENTELE_BENCH_POSTGRAPHILE not installed)"
        );
        return Ok(());
    };
    let seconds: u64 = std::env::var("CLIENTELE_BENCH_VERSUS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (_postgraphile, theirs_url) = start_postgraphile(&dir, database_url).await?;
    let (address, ours) = serve(state).await?;
    let ours_url = format!("http://{address}/graphql");
    let ours_body = json!({ "query": OURS }).to_string();
    let theirs_body = json!({ "query": THEIRS }).to_string();
    let authorization = format!("Bearer {token}");
    let duration = Duration::from_secs(seconds);
    // Warm both up (JIT, caches, pools) before the measured rounds.
    hammer(
        &ours_url,
        &ours_body,
        Some(&authorization),
        CONNECTIONS,
        Duration::from_secs(2),
    )
    .await?;
    hammer(
        &theirs_url,
        &theirs_body,
        None,
        CONNECTIONS,
        Duration::from_secs(2),
    )
    .await?;
    println!();
    println!(
        "the first 100 clients by name with manager and contacts, {CONNECTIONS} connections, \
         {seconds} s per round:"
    );
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let mine = hammer(
            &ours_url,
            &ours_body,
            Some(&authorization),
            CONNECTIONS,
            duration,
        )
        .await?;
        line("Clientele", round, &mine);
        let other = hammer(&theirs_url, &theirs_body, None, CONNECTIONS, duration).await?;
        line("PostGraphile", round, &other);
        let rate = |f: &LoadFigures| f.requests as f64 / f.seconds;
        ratios.push(rate(&mine) / rate(&other));
    }
    ours.abort();
    ratios.sort_by(f64::total_cmp);
    println!(
        "  Clientele / PostGraphile requests/s: {}",
        ratios
            .iter()
            .map(|r| format!("{r:.2}×"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
