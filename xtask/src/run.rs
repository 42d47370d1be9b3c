//! `cargo xtask run`: everything a newcomer needs, then the server on http://127.0.0.1:8080.

use std::process::{Command, ExitCode};

use crate::setup;

/// Sets up, loads demo data, builds the app and serves until Ctrl-C; with `release`, the
/// server is the optimised build.
pub fn run(release: bool) -> anyhow::Result<ExitCode> {
    setup::ensure_tools()?;
    let server_url = setup::ensure_postgres()?;
    setup::fetch_crates()?;
    let server = if release {
        setup::build_release_server()?
    } else {
        setup::build_server()?
    };
    setup::build_web()?;
    let database_url = format!("{server_url}/clientele");
    let root = setup::root();
    let env = |command: &mut Command| {
        command
            .env("CLIENTELE_DATABASE_URL", &database_url)
            .env("CLIENTELE_WEB_DIR", root.join("web/dist"))
            .env("CLIENTELE_DATA_DIR", root.join("data"))
            .current_dir(&root);
    };
    let mut seed = Command::new(&server);
    seed.arg("seed-demo").env("RUST_LOG", "warn");
    env(&mut seed);
    setup::run(&mut seed)?;

    println!();
    println!("Clientele is starting on http://127.0.0.1:8080  (GraphiQL: /graphiql)");
    println!("Demo logins, all with the password `clientele-demo`:");
    for (email, role) in [
        ("admin@clientele.local", "admin"),
        ("manager@clientele.local", "manager"),
        ("recruiter@clientele.local", "recruiter"),
        ("analyst@clientele.local", "analyst (read-only)"),
    ] {
        println!("  {email:<28} {role}");
    }
    println!("Press Ctrl-C to stop.");
    println!();
    let mut serve = Command::new(&server);
    serve.arg("serve");
    env(&mut serve);
    let status = serve.status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
