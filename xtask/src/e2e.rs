//! The browser tests: the real server on a fresh database with demo data, the built web
//! app, and Playwright (playwright-core from npm) driving Debian's Chromium.

use std::{
    io::{BufRead, BufReader},
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};

use crate::setup;

const PORT: u16 = 18080;
const DATABASE: &str = "clientele_e2e";

/// Installs Chromium and playwright-core when missing.
pub fn ensure_browser() -> anyhow::Result<()> {
    if !Path::new("/usr/bin/chromium").exists() {
        setup::apt_install(&["chromium"])?;
    }
    let e2e = setup::root().join("e2e");
    if !setup::npm_installed(&e2e) {
        // playwright-core downloads no browser; axe-core is one script.
        eprintln!("installing playwright-core and axe-core from npm (no browser download)");
        setup::npm_ci(&e2e)?;
    }
    Ok(())
}

/// Stops the server when dropped, whatever happened.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The secret the browser tests' server signs sessions with, so a test can forge a token
/// that is genuinely expired (right key, `exp` in the past).
const JWT_SECRET: &str = "browser-tests-secret-browser-tests-secret";

/// The real server on a fresh `clientele_e2e` database with the demo data, serving the
/// built web app; stopped when dropped.
pub struct DemoServer {
    _process: Server,
    /// Where it listens.
    pub base_url: String,
    /// Its database, for tests that must change something behind the app's back.
    pub database_url: String,
}

impl DemoServer {
    /// Seeds the database and starts the server; uploads are scanned by the clamd at
    /// `clamd` when given.
    pub fn start(
        server_url: &str,
        server_binary: &Path,
        clamd: Option<&str>,
    ) -> anyhow::Result<Self> {
        let root = setup::root();
        setup::run(
            Command::new("psql")
                .args(["-q", "-d", &format!("{server_url}/postgres")])
                .args([
                    "-c",
                    &format!("drop database if exists {DATABASE} with (force)"),
                ])
                .stderr(Stdio::null()),
        )?;
        let database_url = format!("{server_url}/{DATABASE}");
        let env = |command: &mut Command| {
            command
                .env("CLIENTELE_DATABASE_URL", &database_url)
                .env("CLIENTELE_BIND", format!("127.0.0.1:{PORT}"))
                .env("CLIENTELE_WEB_DIR", root.join("web/dist"))
                .env("CLIENTELE_DATA_DIR", root.join("target/e2e-data"))
                .env("CLIENTELE_JWT_SECRET", JWT_SECRET)
                .env("CLIENTELE_CLAMAV_ADDR", clamd.unwrap_or_default())
                .env("RUST_LOG", "warn");
        };
        let mut seed = Command::new(server_binary);
        seed.arg("seed-demo");
        env(&mut seed);
        setup::run(&mut seed)?;

        let mut serve = Command::new(server_binary);
        serve.arg("serve").stdout(Stdio::null());
        env(&mut serve);
        let process = Server(
            serve
                .spawn()
                .context("starting the server for the browser")?,
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", PORT)).is_err() {
            if Instant::now() > deadline {
                bail!("the server did not start on port {PORT}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self {
            _process: process,
            base_url: format!("http://127.0.0.1:{PORT}"),
            database_url,
        })
    }

    /// A node command with the server's address and the browser tests' settings.
    pub fn node(&self) -> Command {
        let mut node = Command::new("node");
        node.current_dir(setup::root())
            .env("BASE_URL", &self.base_url)
            .env("E2E_DATABASE_URL", &self.database_url)
            .env("JWT_SECRET", JWT_SECRET);
        node
    }
}

/// Runs the browser tests against a server whose uploads the clamd at `clamd` scans;
/// returns (passed, failed) as node's test runner counted them.
pub fn run(server_url: &str, server_binary: &Path, clamd: &str) -> anyhow::Result<(u64, u64)> {
    ensure_browser()?;
    let server = DemoServer::start(
        server_url,
        server_binary,
        Some(clamd).filter(|a| !a.is_empty()),
    )?;
    let screenshots = setup::root().join("target/e2e-screenshots");
    if screenshots.exists() {
        std::fs::remove_dir_all(&screenshots)?;
    }
    let mut node = server
        .node()
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=tap",
            "e2e/tests/",
        ])
        .env("SCREENSHOT_DIR", &screenshots)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting node's test runner")?;
    let mut counts = (0, 0);
    if let Some(stdout) = node.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(n) = line.strip_prefix("# pass ") {
                counts.0 = n.trim().parse().unwrap_or(0);
            } else if let Some(n) = line.strip_prefix("# fail ") {
                counts.1 = n.trim().parse().unwrap_or(0);
            }
        }
    }
    let status = node.wait()?;
    if !status.success() && counts.1 == 0 {
        bail!("the browser tests failed before reporting ({status})");
    }
    eprintln!("screenshots: {}", screenshots.display());
    Ok(counts)
}
