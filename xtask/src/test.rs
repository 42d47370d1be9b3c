//! `cargo xtask test`: every check and test, ending with `N passed, N failed`. Checks run
//! one after another and all run even when one fails, so one report shows everything.

use std::{
    io::{BufRead, BufReader},
    process::{ExitCode, Stdio},
    time::Instant,
};

use crate::{e2e, services, setup};

/// Tally of tests and checks.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, name: &str, result: anyhow::Result<()>) {
        match result {
            Ok(()) => {
                self.passed += 1;
                eprintln!("✔ {name}");
            }
            Err(error) => {
                self.failed += 1;
                eprintln!("✘ {name}: {error:#}");
                self.failures.push(name.to_owned());
            }
        }
    }
}

/// Runs everything.
pub fn test() -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut tally = Tally::default();
    setup::ensure_tools()?;
    setup::ensure_pdf_tools()?;
    let server_url = setup::ensure_postgres()?;
    setup::fetch_crates()?;
    // What the later steps install (clamd, moto, Chromium, Playwright) mostly downloads and
    // unpacks: done beside the compilation below instead of after it.
    let installs = std::thread::spawn(|| -> anyhow::Result<()> {
        setup::ensure_promtool()?;
        services::ensure_clamd()?;
        services::ensure_moto()?;
        e2e::ensure_browser()
    });

    tally.check(
        "rustfmt",
        setup::run(setup::cargo().args(["fmt", "--all", "--", "--check"])),
    );
    // The web crate natively is the server's renderer of first paints (its `ssr` feature,
    // which the server turns on); in wasm32 it is the app (`csr`).
    tally.check(
        "clippy (server, xtask, web's server render)",
        setup::run(setup::cargo().args([
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    tally.check(
        "clippy (web, wasm32)",
        setup::run(setup::cargo().args([
            "clippy",
            "--quiet",
            "-p",
            "clientele-web",
            "--features",
            "csr",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])),
    );
    match installs.join() {
        Ok(Ok(())) => {}
        // The steps that need them try again and report what is missing.
        Ok(Err(error)) => eprintln!("installing the test services failed: {error:#}"),
        Err(_) => eprintln!("installing the test services panicked"),
    }
    tally.check("alert rules (promtool check and test)", alert_rules());
    let database_url = format!("{server_url}/postgres");
    let clamd = services::start_clamd();
    if let Err(error) = &clamd {
        eprintln!("clamd did not start: {error:#}; the scanning tests will fail");
    }
    let clamd_addr = clamd.as_ref().map(|c| c.addr.clone()).unwrap_or_default();
    let moto = services::start_moto();
    if let Err(error) = &moto {
        eprintln!("moto did not start: {error:#}; the S3 tests will fail");
    }
    let moto_endpoint = moto.as_ref().map(|m| m.addr.clone()).unwrap_or_default();
    match cargo_tests(&database_url, &clamd_addr, &moto_endpoint) {
        Ok((passed, failed)) => {
            tally.passed += passed;
            tally.failed += failed;
            if failed > 0 {
                tally.failures.push(format!("{failed} Rust test(s)"));
            }
        }
        Err(error) => tally.check("Rust tests", Err(error)),
    }
    let web_built = setup::build_web();
    let web_ok = web_built.is_ok();
    tally.check("web app build (trunk, release)", web_built);
    if web_ok {
        let server = setup::build_server();
        // The bundle of `cargo xtask dist`, deployed and run as two replicas (with this
        // debug build of the server: a release build would double the run).
        tally.check(
            "release bundle: unpacked, first admin, two replicas on one database",
            server
                .as_ref()
                .map_err(|e| anyhow::anyhow!("{e:#}"))
                .and_then(|server| {
                    let out = setup::target_dir().join("dist-check");
                    std::fs::create_dir_all(&out)?;
                    let bundle = crate::dist::bundle(server, &out)?;
                    crate::dist::check(&server_url, &bundle)
                }),
        );
        let browser_tests = server.and_then(|server| e2e::run(&server_url, &server, &clamd_addr));
        match browser_tests {
            Ok((passed, failed)) => {
                tally.passed += passed;
                tally.failed += failed;
                if failed > 0 {
                    tally.failures.push(format!("{failed} browser test(s)"));
                }
            }
            Err(error) => tally.check("browser tests", Err(error)),
        }
    } else {
        tally.check(
            "browser tests",
            Err(anyhow::anyhow!("skipped: the web app did not build")),
        );
    }

    let minutes = started.elapsed().as_secs_f64() / 60.0;
    if !tally.failures.is_empty() {
        eprintln!("failed: {}", tally.failures.join(", "));
    }
    eprintln!("took {minutes:.1} minutes");
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs the workspace's Rust tests (unit and PostgreSQL integration), echoing their output
/// and summing cargo's `test result:` lines.
fn cargo_tests(
    database_url: &str,
    clamd_addr: &str,
    moto_endpoint: &str,
) -> anyhow::Result<(u64, u64)> {
    let mut child = setup::cargo()
        .args([
            "test",
            "--workspace",
            "--no-fail-fast",
            "--",
            // Tests that need the services started above are ignored by a plain `cargo test`.
            "--include-ignored",
        ])
        .env("DATABASE_URL", database_url)
        .env("CLIENTELE_TEST_CLAMAV_ADDR", clamd_addr)
        .env("CLIENTELE_TEST_S3_ENDPOINT", moto_endpoint)
        // moto takes any credentials; the SDK wants some.
        .env("AWS_ACCESS_KEY_ID", "clientele-test")
        .env("AWS_SECRET_ACCESS_KEY", "clientele-test")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()?;
    let mut totals = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some((passed, failed)) = parse_result_line(&line) {
                totals.0 += passed;
                totals.1 += failed;
            }
        }
    }
    let status = child.wait()?;
    if !status.success() && totals.1 == 0 {
        anyhow::bail!("cargo test failed before reporting results ({status})");
    }
    Ok(totals)
}

/// `test result: ok. 35 passed; 0 failed; …` → (35, 0).
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        rest.split(';')
            .find_map(|part| {
                part.trim()
                    .rsplit_once(' ')
                    .filter(|(_, w)| *w == word)
                    .map(|(n, _)| n)
            })
            .and_then(|n| n.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
    };
    Some((number_before("passed")?, number_before("failed")?))
}

/// Checks `ops/alerts.yml` and runs its unit tests on synthetic series.
fn alert_rules() -> anyhow::Result<()> {
    setup::ensure_promtool()?;
    let ops = setup::root().join("ops");
    setup::run(
        std::process::Command::new("promtool")
            .args(["check", "rules", "alerts.yml"])
            .current_dir(&ops),
    )?;
    setup::run(
        std::process::Command::new("promtool")
            .args(["test", "rules", "alerts.test.yml"])
            .current_dir(&ops),
    )
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn cargo_result_lines_are_parsed() {
        assert_eq!(
            parse_result_line(
                "test result: ok. 35 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.12s"
            ),
            Some((35, 0))
        );
        assert_eq!(
            parse_result_line("test result: FAILED. 32 passed; 6 failed; 0 ignored; 0 measured"),
            Some((32, 6))
        );
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
