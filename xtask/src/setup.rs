//! What both README commands need first: the toolchain pieces (wasm32 target, Trunk,
//! wasm-bindgen at the Cargo.lock version, binaryen from npm) and a reachable PostgreSQL.
//! Every step is idempotent and silent when nothing is missing.

use std::{
    net::{SocketAddr, TcpStream},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};

/// The Trunk release that builds on this toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen's wasm-opt major version pinned in Trunk.toml and web/package.json.
const WASM_OPT_VERSION: &str = "132";
/// Port of the private cluster started when no server is found on 5432.
const PRIVATE_PG_PORT: u16 = 5433;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// The cargo that runs us.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(root());
    command
}

/// Runs a command to completion, failing on a non-zero exit.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command
        .status()
        .with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

/// The first line a command prints, or `None` when it cannot run.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        PathBuf::from,
    );
    home.join("bin")
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    let end = lock[start..].find('"').context("malformed Cargo.lock")?;
    Ok(lock[start..start + end].to_owned())
}

/// PATH with cargo's bin directory and the web tools first, for Trunk.
pub fn tool_path() -> std::ffi::OsString {
    let mut paths = vec![root().join("web/node_modules/.bin"), cargo_bin()];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// Installs Debian packages.
pub fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    eprintln!("installing {} from Debian", packages.join(" "));
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs Prometheus's `promtool` (Debian's `prometheus` package) when missing: the
/// alert rules are checked and unit-tested with it.
pub fn ensure_promtool() -> anyhow::Result<()> {
    if !Path::new("/usr/bin/promtool").exists() {
        apt_install(&["prometheus"])?;
    }
    Ok(())
}

/// Installs poppler-utils when missing: the report tests read PDFs back with `pdftotext`.
pub fn ensure_pdf_tools() -> anyhow::Result<()> {
    if !Path::new("/usr/bin/pdftotext").exists() {
        apt_install(&["poppler-utils"])?;
    }
    Ok(())
}

/// Installs whatever of the web toolchain is missing.
/// `cargo install` of a build tool without its release profile's fat LTO and single
/// codegen unit (Trunk's take most of a cold build's time); the tools only start other
/// programs and copy files, so `opt-level = 1` is plenty.
fn quick_install() -> Command {
    let mut cargo = cargo();
    cargo
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
    cargo
}

pub fn ensure_tools() -> anyhow::Result<()> {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        eprintln!("adding the wasm32-unknown-unknown target");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let bindgen = locked_version("wasm-bindgen")?;
    let trunk_toml =
        std::fs::read_to_string(root().join("Trunk.toml")).context("reading Trunk.toml")?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{bindgen}\"")) {
        bail!("Trunk.toml must pin wasm_bindgen = \"{bindgen}\", the version in Cargo.lock");
    }

    let trunk = cargo_bin().join("trunk");
    let trunk_version = output_of(&trunk.to_string_lossy(), &["--version"]).unwrap_or_default();
    if trunk_version != format!("trunk {TRUNK_VERSION}") {
        eprintln!("installing trunk {TRUNK_VERSION} (a few minutes, once)");
        run(quick_install().args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            // No update check: it would ask crates.io at every build.
            "--no-default-features",
            "--features",
            "rustls",
        ]))?;
    }

    let wasm_bindgen = cargo_bin().join("wasm-bindgen");
    let bindgen_version =
        output_of(&wasm_bindgen.to_string_lossy(), &["--version"]).unwrap_or_default();
    if bindgen_version != format!("wasm-bindgen {bindgen}") {
        // Without --locked: the CLI's own lock file pins a crate the registry lacks.
        eprintln!("installing wasm-bindgen-cli {bindgen} (a few minutes, once)");
        run(quick_install().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &bindgen,
            "--force",
        ]))?;
    }

    if output_of("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let wasm_opt = root().join("web/node_modules/.bin/wasm-opt");
    let wasm_opt_version =
        output_of(&wasm_opt.to_string_lossy(), &["--version"]).unwrap_or_default();
    if !wasm_opt_version.contains(&format!("version_{WASM_OPT_VERSION}"))
        || !npm_installed(&root().join("web"))
    {
        eprintln!(
            "installing the web tools from npm (binaryen {WASM_OPT_VERSION}, esbuild, GraphiQL)"
        );
        npm_ci(&root().join("web"))?;
    }
    Ok(())
}

/// The copy of `package-lock.json` that `npm_ci` leaves in `node_modules` once it succeeded.
const NPM_STAMP: &str = "node_modules/.clientele-package-lock.json";

/// Whether `node_modules` of `dir` holds exactly what its `package-lock.json` asks for.
pub fn npm_installed(dir: &Path) -> bool {
    match (
        std::fs::read(dir.join("package-lock.json")),
        std::fs::read(dir.join(NPM_STAMP)),
    ) {
        (Ok(wanted), Ok(installed)) => wanted == installed,
        _ => false,
    }
}

/// `npm ci` in `dir`, then a stamp so that the next run knows it is done.
pub fn npm_ci(dir: &Path) -> anyhow::Result<()> {
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        // Never a browser download (playwright-core has none, but be sure).
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(dir))?;
    std::fs::copy(dir.join("package-lock.json"), dir.join(NPM_STAMP))
        .context("stamping node_modules")?;
    Ok(())
}

/// A PostgreSQL server URL without a database name: `DATABASE_URL`'s server when set, else
/// the machine's server on 127.0.0.1:5432, else a private cluster under `target/pg`.
pub fn ensure_postgres() -> anyhow::Result<String> {
    if let Ok(url) = std::env::var("DATABASE_URL")
        && !url.is_empty()
    {
        return Ok(server_of(&url));
    }
    if reachable(5432) {
        return Ok("postgres://postgres@127.0.0.1:5432".to_owned());
    }
    start_private_cluster()?;
    Ok(format!("postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}"))
}

/// `postgres://u@h:p/db?x` → `postgres://u@h:p`.
fn server_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_owned(),
        None => url.split('?').next().unwrap_or(url).to_owned(),
    }
}

fn reachable(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(500),
    )
    .is_ok()
}

fn postgres_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

/// A command run as the `postgres` user when we are root (initdb refuses root).
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn start_private_cluster() -> anyhow::Result<()> {
    if reachable(PRIVATE_PG_PORT) {
        return Ok(());
    }
    let bin = match postgres_bin_dir() {
        Some(bin) => bin,
        None => {
            apt_install(&["postgresql"])?;
            postgres_bin_dir().context("postgresql installed but initdb not found")?
        }
    };
    let dir = root().join("target/pg");
    let data = dir.join("data");
    std::fs::create_dir_all(&dir).context("creating target/pg")?;
    if is_root() {
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir))?;
    }
    if !data.join("PG_VERSION").exists() {
        eprintln!(
            "initialising a private PostgreSQL cluster in {}",
            data.display()
        );
        run(as_postgres(&bin.join("initdb"))
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "-D"])
            .arg(&data)
            .stdout(Stdio::null()))?;
    }
    eprintln!("starting it on 127.0.0.1:{PRIVATE_PG_PORT}");
    let options = format!(
        "-p {PRIVATE_PG_PORT} -c listen_addresses=127.0.0.1 -k {}",
        dir.display()
    );
    run(as_postgres(&bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("server.log"))
        .args(["-w", "start"])
        .stdout(Stdio::null()))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !reachable(PRIVATE_PG_PORT) {
        if Instant::now() > deadline {
            bail!("the private cluster did not start; see target/pg/server.log");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// Builds the web app in release with wasm-opt, fully offline.
pub fn build_web() -> anyhow::Result<()> {
    run(Command::new(cargo_bin().join("trunk"))
        .args(["build", "--release", "--offline", "--skip-version-check"])
        .current_dir(root())
        .env("PATH", tool_path())
        .env("NO_COLOR", "true"))?;
    build_graphiql(&root().join("web"), &root().join("web/dist/graphiql"))?;
    precompress(&root().join("web/dist"))
}

/// Bundles GraphiQL for analysts (`web/graphiql`: the npm `graphiql` package, React and our
/// sign-in bar) with esbuild into `out`: `index.html` naming one script and one stylesheet
/// by content hash, so that `/graphiql` never fetches anything from another origin.
pub fn build_graphiql(web: &Path, out: &Path) -> anyhow::Result<()> {
    let staging = out.with_extension("staging");
    let _ = std::fs::remove_dir_all(&staging);
    run(Command::new(web.join("node_modules/.bin/esbuild"))
        .arg(web.join("graphiql/main.jsx"))
        .args([
            "--bundle",
            "--minify",
            "--format=esm",
            "--target=es2020",
            "--jsx=automatic",
            "--legal-comments=none",
            "--log-level=warning",
            "--define:process.env.NODE_ENV=\"production\"",
            "--entry-names=graphiql",
        ])
        .arg(format!("--outdir={}", staging.display()))
        .current_dir(web))?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut page = std::fs::read_to_string(web.join("graphiql/index.html"))
        .context("reading web/graphiql/index.html")?;
    for extension in ["js", "css"] {
        let built = staging.join(format!("graphiql.{extension}"));
        let bytes =
            std::fs::read(&built).with_context(|| format!("reading {}", built.display()))?;
        let name = format!("graphiql-{}.{extension}", content_hash(&bytes));
        std::fs::write(out.join(&name), &bytes)?;
        page = page.replace(&format!("{{{{{extension}}}}}"), &name);
    }
    std::fs::write(out.join("index.html"), page)?;
    std::fs::remove_dir_all(&staging)?;
    Ok(())
}

/// 16 hex digits of the SHA-256 of `bytes`, as Trunk names its files (the server caches
/// such names for a year).
fn content_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside every text
/// and wasm file of the built app, which the server sends to browsers that accept them:
/// compressed once at build time, as hard as the formats allow, never per request.
pub fn precompress(dist: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["wasm", "js", "css", "html", "svg", "json"].contains(&e));
        if !compressible {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, 11, 22);
            writer.write_all(&bytes)?;
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes)?;
        let gzip = gzip.finish()?;
        let name = path.as_os_str().to_owned();
        for (suffix, data) in [(".br", &brotli), (".gz", &gzip)] {
            let mut target = name.clone();
            target.push(suffix);
            std::fs::write(&target, data)
                .with_context(|| format!("writing {}", Path::new(&target).display()))?;
        }
    }
    Ok(())
}

/// Fetches every crate first, so the offline web build finds them.
pub fn fetch_crates() -> anyhow::Result<()> {
    run(cargo().args(["fetch", "--quiet"]))
}

/// The server binary, built in the dev profile.
pub fn build_server() -> anyhow::Result<PathBuf> {
    run(cargo().args([
        "build",
        "--quiet",
        "-p",
        "clientele-server",
        "--bin",
        "clientele-server",
    ]))?;
    Ok(target_dir().join("debug/clientele-server"))
}

/// The server binary, built in the release profile.
pub fn build_release_server() -> anyhow::Result<PathBuf> {
    run(cargo().args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "clientele-server",
        "--bin",
        "clientele-server",
    ]))?;
    Ok(target_dir().join("release/clientele-server"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_copies_decode_to_the_original() -> anyhow::Result<()> {
        use std::io::Read;
        let dir =
            std::env::temp_dir().join(format!("clientele-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let original = b"(module) ".repeat(10_000);
        std::fs::write(dir.join("app.wasm"), &original)?;
        std::fs::write(dir.join("logo.png"), b"not compressed")?;
        precompress(&dir)?;
        let mut from_brotli = Vec::new();
        brotli::Decompressor::new(std::fs::File::open(dir.join("app.wasm.br"))?, 4096)
            .read_to_end(&mut from_brotli)?;
        let mut from_gzip = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(dir.join("app.wasm.gz"))?)
            .read_to_end(&mut from_gzip)?;
        assert_eq!(from_brotli, original);
        assert_eq!(from_gzip, original);
        assert!(std::fs::metadata(dir.join("app.wasm.br"))?.len() < 1_000);
        assert!(
            !dir.join("logo.png.br").exists(),
            "images are already compressed"
        );
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn server_of_strips_the_database() {
        assert_eq!(
            server_of("postgres://u:p@db:5432/clientele?sslmode=disable"),
            "postgres://u:p@db:5432"
        );
        assert_eq!(server_of("postgres://u@db"), "postgres://u@db");
    }

    #[test]
    fn the_locked_wasm_bindgen_version_is_found() {
        let version = locked_version("wasm-bindgen").expect("in Cargo.lock");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
