//! `cargo xtask bench`: the API benchmarks (server/benches/api.rs) in release, against a
//! fresh database on the same PostgreSQL the other commands use; then the app's first render
//! in Debian's Chromium (e2e/bench/first-render.mjs) and a client's page with 500 linked jobs
//! (e2e/bench/dashboard-500.mjs) against the real server with demo data.
//! S3 upload throughput is measured against moto's server, which this command starts, and
//! the client list side by side with PostGraphile 5 (npm, with Node 22 from npm's `node`
//! package, in e2e/bench/postgraphile), which the bench starts on the same database, both
//! loaded by wrk (Debian's package, installed when missing).
//! Figures are printed, never asserted: speed is not a test.

use std::process::ExitCode;

use crate::{e2e, services, setup};

/// Runs the benchmarks and prints their report.
pub fn bench() -> anyhow::Result<ExitCode> {
    setup::ensure_tools()?;
    let server_url = setup::ensure_postgres()?;
    let moto = services::start_moto()?;
    let postgraphile = ensure_postgraphile()?;
    // The side by side loads both servers with wrk, as the figures it is compared with were.
    if !std::path::Path::new("/usr/bin/wrk").exists() {
        setup::apt_install(&["wrk"])?;
    }
    // The side by side runs our release server as its own process, as PostGraphile runs.
    let release_server = setup::build_release_server()?;
    setup::run(
        setup::cargo()
            .args(["bench", "-p", "clientele-server", "--bench", "api"])
            .env("CLIENTELE_BENCH_SERVER_BINARY", &release_server)
            .env("CLIENTELE_BENCH_SERVER_URL", &server_url)
            .env("CLIENTELE_BENCH_S3_ENDPOINT", &moto.addr)
            .env("CLIENTELE_BENCH_POSTGRAPHILE", &postgraphile)
            .env("AWS_ACCESS_KEY_ID", "clientele-bench")
            .env("AWS_SECRET_ACCESS_KEY", "clientele-bench")
            .env("RUST_LOG", "warn"),
    )?;
    drop(moto);
    setup::build_web()?;
    let binary = setup::build_server()?;
    e2e::ensure_browser()?;
    let server = e2e::DemoServer::start(&server_url, &binary, None)?;
    setup::run(server.node().arg("e2e/bench/first-render.mjs"))?;
    setup::run(server.node().arg("e2e/bench/dashboard-500.mjs"))?;
    Ok(ExitCode::SUCCESS)
}

/// PostGraphile 5 and Node 22 from npm, installed into e2e/bench/postgraphile when missing.
/// Its directory.
fn ensure_postgraphile() -> anyhow::Result<std::path::PathBuf> {
    let dir = setup::root().join("e2e/bench/postgraphile");
    if !dir.join("node_modules/postgraphile").exists()
        || !dir.join("node_modules/.bin/node").exists()
    {
        eprintln!("installing PostGraphile 5 and Node 22 from npm");
        setup::run(
            std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir),
        )?;
    }
    Ok(dir)
}
