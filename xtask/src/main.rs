//! The project's own commands, run as `cargo xtask <command>`:
//!
//! - `run`: install what is missing, make PostgreSQL reachable, load demo data, build the
//!   web app and serve everything on http://127.0.0.1:8080 (`run --release`: the server
//!   built in release, as in production).
//! - `test`: the same setup, then every check and test; ends with `N passed, N failed`.
//! - `bench`: the API benchmarks against a real database (release build).
//! - `schema`: regenerate `schema.graphql` from the code; `schema --release` also records it
//!   as the released contract (`schema.released.graphql`) that later changes must not break.
//! - `prepare`: regenerate the `.sqlx/` offline query data against a migrated database.
//! - `dist`: the release bundle for a production deployment (`dist/clientele-*.tar.gz`).

mod bench;
mod dist;
mod e2e;
mod run;
mod schema;
mod services;
mod setup;
mod test;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(args.iter().any(|a| a == "--release")),
        Some("test") => test::test(),
        Some("bench") => bench::bench(),
        Some("schema") => schema::schema(args.iter().any(|a| a == "--release")),
        Some("prepare") => schema::prepare(),
        Some("dist") => dist::dist(),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [--release] | test | bench | dist | schema [--release] | prepare>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}
