//! `cargo xtask bench`: the API benchmarks (server/benches/api.rs) in release, against a
//! fresh database on the same PostgreSQL the other commands use.

use std::process::ExitCode;

use crate::setup;

/// Runs the benchmarks and prints their report.
pub fn bench() -> anyhow::Result<ExitCode> {
    let server_url = setup::ensure_postgres()?;
    setup::run(
        setup::cargo()
            .args(["bench", "-p", "clientele-server", "--bench", "api"])
            .env("CLIENTELE_BENCH_SERVER_URL", server_url)
            .env("RUST_LOG", "warn"),
    )?;
    Ok(ExitCode::SUCCESS)
}
