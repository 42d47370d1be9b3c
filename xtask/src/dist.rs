//! `cargo xtask dist`: the release bundle, and the test that deploys it.
//!
//! The bundle is `dist/clientele-<version>-linux-<arch>.tar.gz`, one directory `clientele/`:
//! `bin/clientele` (the release server), `web/` (the built app and GraphiQL), `migrations/`
//! (also compiled into the binary, here for DBAs), `ops/` (alert rules),
//! `clientele.env.example`, `clientele.service` (systemd, a non-root user) and the README.
//!
//! [`check`] unpacks a bundle into an empty directory and runs two replicas of it on one
//! fresh database, as a deployment behind a load balancer would, alternating requests.

use std::{
    io::{Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};

use crate::setup;

/// `cargo xtask dist`: builds the release server and the web app, writes the bundle.
pub fn dist() -> anyhow::Result<ExitCode> {
    setup::ensure_tools()?;
    setup::fetch_crates()?;
    let server = setup::build_release_server()?;
    setup::build_web()?;
    let bundle = bundle(&server, &setup::root().join("dist"))?;
    println!("{}", bundle.display());
    Ok(ExitCode::SUCCESS)
}

/// The bundle's file name for this version and machine.
fn bundle_name() -> anyhow::Result<String> {
    let version = setup::locked_version("clientele-server")?;
    Ok(format!(
        "clientele-{version}-linux-{}.tar.gz",
        std::env::consts::ARCH
    ))
}

/// Assembles the bundle of `server` and the built web app in `out`; its path.
pub fn bundle(server: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let root = setup::root();
    let staging = out.join("clientele");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(staging.join("bin"))?;
    std::fs::copy(server, staging.join("bin/clientele"))
        .with_context(|| format!("copying {}", server.display()))?;
    copy_dir(&root.join("web/dist"), &staging.join("web"))?;
    ensure!(
        staging.join("web/index.html").exists() && staging.join("web/graphiql/index.html").exists(),
        "the web app is not built (web/dist)"
    );
    copy_dir(&root.join("migrations"), &staging.join("migrations"))?;
    copy_dir(&root.join("ops"), &staging.join("ops"))?;
    for (from, to) in [
        ("deploy/clientele.env.example", "clientele.env.example"),
        ("deploy/clientele.service", "clientele.service"),
        ("README.md", "README.md"),
    ] {
        std::fs::copy(root.join(from), staging.join(to))
            .with_context(|| format!("copying {from}"))?;
    }
    let archive = out.join(bundle_name()?);
    setup::run(
        Command::new("tar")
            .args(["--owner=0", "--group=0", "-czf"])
            .arg(&archive)
            .arg("-C")
            .arg(out)
            .arg("clientele"),
    )?;
    std::fs::remove_dir_all(&staging)?;
    Ok(archive)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A replica of the unpacked bundle; stopped when dropped.
struct Replica {
    process: Child,
    port: u16,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

const DATABASE: &str = "clientele_dist";
const ADMIN_EMAIL: &str = "first.admin@agency.example";
const ADMIN_PASSWORD: &str = "a-long-first-password";

/// Deploys `bundle` as an operator would and checks it: unpacked into an empty directory,
/// its systemd unit and example environment read, the first admin created with the bundled
/// binary, two replicas started on one fresh database (both migrating at once), then
/// requests alternating between them.
pub fn check(server_url: &str, bundle: &Path) -> anyhow::Result<()> {
    let place = std::env::temp_dir().join(format!("clientele-dist-{}", std::process::id()));
    if place.exists() {
        std::fs::remove_dir_all(&place)?;
    }
    std::fs::create_dir_all(&place)?;
    setup::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(bundle)
            .arg("-C")
            .arg(&place),
    )?;
    let home = place.join("clientele");
    let binary = home.join("bin/clientele");
    for file in [
        "bin/clientele",
        "web/index.html",
        "web/graphiql/index.html",
        "clientele.env.example",
        "clientele.service",
        "README.md",
        "ops/alerts.yml",
    ] {
        ensure!(home.join(file).exists(), "the bundle lacks {file}");
    }
    let migrations = std::fs::read_dir(home.join("migrations"))?.count();
    ensure!(migrations >= 2, "the bundle's migrations are missing");

    let unit = std::fs::read_to_string(home.join("clientele.service"))?;
    let line = |key: &str| {
        unit.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
    };
    let user = line("User").context("the unit names no User")?;
    ensure!(
        user != "root" && !user.is_empty(),
        "the unit runs as {user:?}"
    );
    ensure!(
        line("ExecStart").as_deref() == Some("/opt/clientele/bin/clientele serve"),
        "ExecStart must start the bundle's binary"
    );
    ensure!(line("NoNewPrivileges").as_deref() == Some("yes"));

    // The example environment, as the unit would read it, with this machine's places.
    let example = std::fs::read_to_string(home.join("clientele.env.example"))?;
    let mut env: Vec<(String, String)> = example
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, value) = l
                .split_once('=')
                .with_context(|| format!("not KEY=value: {l}"))?;
            Ok((key.to_owned(), value.to_owned()))
        })
        .collect::<anyhow::Result<_>>()?;
    for (key, _) in &env {
        ensure!(key.starts_with("CLIENTELE_"), "unknown variable {key}");
    }
    let database_url = format!("{server_url}/{DATABASE}");
    setup::run(
        Command::new("psql")
            .args(["-q", "-d", &format!("{server_url}/postgres")])
            .args([
                "-c",
                &format!("drop database if exists {DATABASE} with (force)"),
            ]),
    )?;
    let mut set = |key: &str, value: String| {
        env.retain(|(k, _)| k != key);
        env.push((key.to_owned(), value));
    };
    set("CLIENTELE_DATABASE_URL", database_url.clone());
    set(
        "CLIENTELE_JWT_SECRET",
        "dist-check-secret-dist-check-secret-0123".to_owned(),
    );
    set("CLIENTELE_WEB_DIR", home.join("web").display().to_string());
    set(
        "CLIENTELE_DATA_DIR",
        place.join("state").display().to_string(),
    );
    set("CLIENTELE_TRUST_PROXY", "false".to_owned());
    env.retain(|(k, _)| k != "CLIENTELE_METRICS_BIND" && k != "CLIENTELE_BIND");

    let mut admin = Command::new(&binary);
    admin
        .args(["create-admin", ADMIN_EMAIL, "First Admin"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("CLIENTELE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .current_dir(&home);
    setup::run(&mut admin)?;

    let start = |port: u16| -> anyhow::Result<Replica> {
        let process = Command::new(&binary)
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("CLIENTELE_BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .current_dir(&home)
            .stdout(Stdio::null())
            .spawn()
            .context("starting a replica")?;
        Ok(Replica { process, port })
    };
    let ports = [free_port()?, free_port()?];
    let replicas = [start(ports[0])?, start(ports[1])?];
    for replica in &replicas {
        wait_ready(replica)?;
        let mut ready = Command::new(&binary);
        ready
            .arg("ready")
            .env("CLIENTELE_BIND", format!("127.0.0.1:{}", replica.port));
        setup::run(&mut ready).context("`clientele ready` on a running replica")?;
    }
    let [a, b] = [replicas[0].port, replicas[1].port];

    // Signed in on one, the session works on the other.
    let login = graphql(
        a,
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { role } } }",
        json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
    )?;
    let token = login["login"]["token"]
        .as_str()
        .context("no token")?
        .to_owned();
    ensure!(login["login"]["user"]["role"] == "ADMIN");
    let me = graphql(b, Some(&token), "{ me { email } }", json!({}))?;
    ensure!(me["me"]["email"] == ADMIN_EMAIL, "{me}");

    // Writes on either are seen by both, and the duplicate check spans replicas.
    let create = "mutation($n: String!) { createClient(input: { name: $n }) { id clientCode } }";
    let first = graphql(a, Some(&token), create, json!({ "n": "Northwind Traders" }))?;
    let second = graphql(
        b,
        Some(&token),
        create,
        json!({ "n": "Contoso Pharmaceuticals" }),
    )?;
    ensure!(first["createClient"]["clientCode"] != second["createClient"]["clientCode"]);
    for port in [a, b] {
        let list = graphql(
            port,
            Some(&token),
            "{ clients(limit: 10, sort: NAME_ASC) { items { name } pageInfo { total } } }",
            json!({}),
        )?;
        ensure!(
            list["clients"]["pageInfo"]["total"] == 2,
            "replica {port}: {list}"
        );
        ensure!(list["clients"]["items"][0]["name"] == "Contoso Pharmaceuticals");
    }
    let again = post(b, Some(&token), create, json!({ "n": "Northwind Traders" }))?;
    ensure!(
        again["errors"][0]["extensions"]["code"] == "CONFLICT",
        "a duplicate made on the other replica: {again}"
    );

    // Signing out on one ends the session on both (it ends the sessions issued before its
    // second, so not in the second of the sign-in).
    std::thread::sleep(Duration::from_millis(1100));
    graphql(b, Some(&token), "mutation { logout }", json!({}))?;
    let after = post(a, Some(&token), "{ me { email } }", json!({}))?;
    ensure!(
        after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED",
        "a signed-out token still works on the other replica: {after}"
    );

    // The app and GraphiQL are served from the bundle.
    for port in [a, b] {
        let (status, page) = http(port, "GET", "/", None, "")?;
        ensure!(
            status == 200 && page.contains("<html"),
            "the app on {port}: {status}"
        );
        let (status, page) = http(port, "GET", "/graphiql", None, "")?;
        ensure!(
            status == 200 && page.contains("graphiql-"),
            "GraphiQL on {port}: {status}"
        );
    }
    drop(replicas);
    std::fs::remove_dir_all(&place)?;
    setup::run(
        Command::new("psql")
            .args(["-q", "-d", &format!("{server_url}/postgres")])
            .args([
                "-c",
                &format!("drop database if exists {DATABASE} with (force)"),
            ]),
    )?;
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn wait_ready(replica: &Replica) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok((200, _)) = http(replica.port, "GET", "/ready", None, "") {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the replica on {} was not ready within 60 s", replica.port);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A GraphQL call that must succeed: its `data`.
fn graphql(port: u16, token: Option<&str>, query: &str, variables: Value) -> anyhow::Result<Value> {
    let answer = post(port, token, query, variables)?;
    ensure!(answer.get("errors").is_none(), "replica {port}: {answer}");
    Ok(answer["data"].clone())
}

/// A GraphQL call: the whole JSON answer.
fn post(port: u16, token: Option<&str>, query: &str, variables: Value) -> anyhow::Result<Value> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let (_, text) = http(port, "POST", "/graphql", token, &body)?;
    serde_json::from_str(&text).with_context(|| format!("not JSON: {text}"))
}

/// One HTTP/1.1 exchange on a connection of its own: the status and the body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nAccept: application/json, text/html\r\n\
         {authorization}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no HTTP head")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let rest = &raw[split + 4..];
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no HTTP status")?;
    let chunked = head
        .lines()
        .any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked"));
    let body = if chunked {
        unchunk(rest)
    } else {
        rest.to_vec()
    };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The body of a chunked transfer.
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let after = &rest[end + 2..];
        let Some(size) = size.filter(|&n| n > 0 && n <= after.len()) else {
            break;
        };
        body.extend_from_slice(&after[..size]);
        rest = after[size..]
            .strip_prefix(b"\r\n")
            .unwrap_or(&after[size..]);
    }
    body
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            super::unchunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
            b"hello world"
        );
    }
}
