//! `cargo xtask schema` regenerates `schema.graphql`; `cargo xtask prepare` regenerates the
//! `.sqlx/` data that lets builds check SQL without a database.

use std::process::{Command, ExitCode};

use anyhow::Context;

use crate::setup;

/// Writes the SDL the code defines to `schema.graphql`, and with `release` to
/// `schema.released.graphql` too: the contract the tests hold later changes to.
pub fn schema(release: bool) -> anyhow::Result<ExitCode> {
    let server = setup::build_server()?;
    let output = Command::new(server).arg("schema").output()?;
    if !output.status.success() {
        anyhow::bail!(
            "printing the schema failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    std::fs::write(setup::root().join("schema.graphql"), &output.stdout)
        .context("writing schema.graphql")?;
    println!("schema.graphql regenerated");
    if release {
        std::fs::write(
            setup::root().join("schema.released.graphql"),
            &output.stdout,
        )
        .context("writing schema.released.graphql")?;
        println!("schema.released.graphql is now the released contract");
    }
    Ok(ExitCode::SUCCESS)
}

/// Applies the migrations to a scratch database with psql, then rebuilds the server with
/// the sqlx macros online, saving each query's description into `.sqlx/`.
pub fn prepare() -> anyhow::Result<ExitCode> {
    let server_url = setup::ensure_postgres()?;
    let root = setup::root();
    let database = "clientele_sqlx_prepare";
    let psql = |db: &str, args: &[&str]| {
        setup::run(
            Command::new("psql")
                .args([
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    &format!("{server_url}/{db}"),
                ])
                .args(args),
        )
    };
    psql(
        "postgres",
        &[
            "-c",
            &format!("drop database if exists {database}"),
            "-c",
            &format!("create database {database}"),
        ],
    )?;
    let mut ups: Vec<_> = std::fs::read_dir(root.join("migrations"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    for up in ups {
        psql(database, &["-f", &up.to_string_lossy()])?;
    }
    let offline_dir = root.join(".sqlx");
    if offline_dir.exists() {
        std::fs::remove_dir_all(&offline_dir)?;
    }
    std::fs::create_dir_all(&offline_dir)?;
    // Touch every source so the macros run again.
    setup::run(
        Command::new("find")
            .arg(root.join("server/src"))
            .args(["-name", "*.rs", "-exec", "touch", "{}", "+"]),
    )?;
    setup::run(
        setup::cargo()
            .args([
                "build",
                "--quiet",
                "-p",
                "clientele-server",
                "--all-targets",
            ])
            .env("DATABASE_URL", format!("{server_url}/{database}"))
            .env("SQLX_OFFLINE", "false")
            .env("SQLX_OFFLINE_DIR", &offline_dir),
    )?;
    psql("postgres", &["-c", &format!("drop database {database}")])?;
    let count = std::fs::read_dir(&offline_dir)?.count();
    println!(".sqlx/ regenerated: {count} queries");
    Ok(ExitCode::SUCCESS)
}
