//! Side by side with PostGraphile 5 (amber preset) on the same database and the same
//! machine: the first 100 clients by name with their account manager and contacts, asked of
//! both servers over HTTP by wrk (a separate process, 2 threads, 16 connections) for 10 s
//! (`CLIENTELE_BENCH_VERSUS_SECS`), three alternating rounds. Both servers run as their own
//! processes: ours is the release binary (`CLIENTELE_BENCH_SERVER_BINARY`, built by
//! `cargo xtask bench`), PostGraphile comes from e2e/bench/postgraphile
//! (`CLIENTELE_BENCH_POSTGRAPHILE`, installed by it too). An answer counts as an error
//! unless it is a 200 without `"errors"`. Without either server, or without wrk, this part
//! is skipped.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::json;

use crate::load::LoadFigures;

const CONNECTIONS: usize = 16;
const ROUNDS: usize = 3;
const WRK: &str = "/usr/bin/wrk";

const OURS: &str = "{ clients(limit: 100, sort: NAME_ASC) { items { id clientCode name status accountManager { fullName } contacts { fullName email } } } }";
const THEIRS: &str = "{ allClients(first: 100, orderBy: NAME_ASC) { nodes { id clientCode name status userByAccountManagerId { fullName } clientContactsByClientId { nodes { fullName email } } } } }";

/// wrk's script: POSTs the body, counts every answer that is not a 200 without `"errors"`,
/// and prints the figures on one line (latencies in microseconds).
const WRK_SCRIPT: &str = r#"
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = os.getenv("CLIENTELE_WRK_BODY")
local authorization = os.getenv("CLIENTELE_WRK_AUTHORIZATION")
if authorization ~= nil and authorization ~= "" then
  wrk.headers["authorization"] = authorization
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
bad = 0
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("bad")
  end
  io.write(string.format("CLIENTELE %d %d %d %d %d %d\n", summary.requests, summary.duration,
    errors, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"#;

/// Loads `url` with wrk for `seconds`: its figures. wrk is waited for on a blocking
/// thread, not on one of the runtime's workers.
async fn wrk(
    url: &str,
    body: &str,
    authorization: Option<&str>,
    seconds: u64,
) -> anyhow::Result<LoadFigures> {
    let (url, body, authorization) = (
        url.to_owned(),
        body.to_owned(),
        authorization.unwrap_or_default().to_owned(),
    );
    tokio::task::spawn_blocking(move || run_wrk(&url, &body, &authorization, seconds)).await?
}

fn run_wrk(
    url: &str,
    body: &str,
    authorization: &str,
    seconds: u64,
) -> anyhow::Result<LoadFigures> {
    let script = std::env::temp_dir().join(format!("clientele-wrk-{}.lua", std::process::id()));
    std::fs::write(&script, WRK_SCRIPT)?;
    let output = Command::new(WRK)
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{seconds}s")])
        .args(["--timeout", "10s", "-s"])
        .arg(&script)
        .arg(url)
        .env("CLIENTELE_WRK_BODY", body)
        .env("CLIENTELE_WRK_AUTHORIZATION", authorization)
        .stderr(Stdio::inherit())
        .output()?;
    let _ = std::fs::remove_file(&script);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let figures: Vec<u64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("CLIENTELE "))
        .ok_or_else(|| anyhow::anyhow!("wrk printed no figures: {stdout}"))?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let &[requests, micros, errors, p50, p95, p99] = figures.as_slice() else {
        anyhow::bail!("wrk printed {stdout}");
    };
    Ok(LoadFigures {
        seconds: micros as f64 / 1e6,
        requests: usize::try_from(requests)?,
        errors: usize::try_from(errors)?,
        p50: Duration::from_micros(p50),
        p95: Duration::from_micros(p95),
        p99: Duration::from_micros(p99),
    })
}
/// A port nothing listens on now.
fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Stops a server when dropped.
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
    let port = free_port()?;
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
    let url = format!("http://127.0.0.1:{port}/graphql");
    answering(Running(child), url, THEIRS, None, "allClients").await
}

/// Starts our release server on `database_url`, signing sessions with `jwt_secret`, and
/// waits until it answers.
async fn start_clientele(
    binary: &Path,
    database_url: &str,
    jwt_secret: &str,
    token: &str,
) -> anyhow::Result<(Running, String)> {
    let port = free_port()?;
    let data = std::env::temp_dir().join(format!("clientele-versus-{port}"));
    let child = Command::new(binary)
        .arg("serve")
        .env("CLIENTELE_DATABASE_URL", database_url)
        .env("CLIENTELE_BIND", format!("127.0.0.1:{port}"))
        .env("CLIENTELE_JWT_SECRET", jwt_secret)
        .env("CLIENTELE_DATA_DIR", data)
        // One analyst asks as fast as it is answered: no budget in the way.
        .env("CLIENTELE_COST_PER_MINUTE", u32::MAX.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let url = format!("http://127.0.0.1:{port}/graphql");
    let authorization = format!("Bearer {token}");
    answering(Running(child), url, OURS, Some(&authorization), "clients").await
}

/// Waits (up to a minute) until `url` answers `query` with `field` and no errors.
async fn answering(
    running: Running,
    url: String,
    query: &str,
    authorization: Option<&str>,
    field: &str,
) -> anyhow::Result<(Running, String)> {
    let client = reqwest::Client::new();
    let body = json!({ "query": query }).to_string();
    for _ in 0..120 {
        let mut request = client
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        if let Ok(response) = request.send().await
            && response.status().is_success()
        {
            let text = response.text().await?;
            anyhow::ensure!(
                text.contains(&format!("\"{field}\"")) && !text.contains("\"errors\""),
                "{url} answered {text}"
            );
            return Ok((running, url));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    anyhow::bail!("{url} did not answer within a minute")
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
pub async fn run(token: &str, database_url: &str, jwt_secret: &str) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("CLIENTELE_BENCH_POSTGRAPHILE")
        .map(PathBuf::from)
        .filter(|d| d.join("node_modules/postgraphile").exists())
    else {
        println!(
            "\nPostGraphile side by side: skipped (CLIENTELE_BENCH_POSTGRAPHILE not installed)"
        );
        return Ok(());
    };
    let Some(binary) = std::env::var_os("CLIENTELE_BENCH_SERVER_BINARY")
        .map(PathBuf::from)
        .filter(|b| b.exists())
    else {
        println!("\nPostGraphile side by side: skipped (CLIENTELE_BENCH_SERVER_BINARY not built)");
        return Ok(());
    };
    if !Path::new(WRK).exists() {
        println!("\nPostGraphile side by side: skipped ({WRK} is not installed)");
        return Ok(());
    }
    let seconds: u64 = std::env::var("CLIENTELE_BENCH_VERSUS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let (_postgraphile, theirs_url) = start_postgraphile(&dir, database_url).await?;
    let (_clientele, ours_url) = start_clientele(&binary, database_url, jwt_secret, token).await?;
    let ours_body = json!({ "query": OURS }).to_string();
    let theirs_body = json!({ "query": THEIRS }).to_string();
    let authorization = format!("Bearer {token}");
    // Warm both up (JIT, caches, pools) before the measured rounds.
    wrk(&ours_url, &ours_body, Some(&authorization), 2).await?;
    wrk(&theirs_url, &theirs_body, None, 2).await?;
    println!();
    println!(
        "the first 100 clients by name with manager and contacts, release servers, wrk with \
         {CONNECTIONS} connections, {seconds} s per round:"
    );
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let mine = wrk(&ours_url, &ours_body, Some(&authorization), seconds).await?;
        line("Clientele", round, &mine);
        let other = wrk(&theirs_url, &theirs_body, None, seconds).await?;
        line("PostGraphile", round, &other);
        let rate = |f: &LoadFigures| f.requests as f64 / f.seconds;
        ratios.push(rate(&mine) / rate(&other));
    }
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
