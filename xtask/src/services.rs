//! Services the tests talk to over real connections, started for the length of a test run
//! and stopped when dropped: clamd (Debian's clamav-daemon) with a signature database of one
//! entry, the EICAR test string, since no signature download is possible here.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};

use crate::setup;

/// The EICAR test string.
const EICAR: &[u8] = br"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
/// The EICAR string's MD5, the key of its signature (a wrong one fails the infected-file
/// test, which needs clamd to find the string).
const EICAR_MD5: &str = "44d88612fea8a8f36de82e1278abb02f";

/// A child process stopped when dropped.
pub struct Running {
    child: Child,
    /// Where it listens.
    pub addr: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on 127.0.0.1.
fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Installs clamav-daemon when missing.
pub fn ensure_clamd() -> anyhow::Result<()> {
    if !Path::new("/usr/sbin/clamd").exists() {
        setup::apt_install(&["clamav-daemon"])?;
    }
    Ok(())
}

/// Installs clamav-daemon when missing and starts clamd on a free port.
pub fn start_clamd() -> anyhow::Result<Running> {
    ensure_clamd()?;
    let dir = setup::root().join("target/clamd");
    let database = dir.join("db");
    std::fs::create_dir_all(&database)?;
    std::fs::write(
        database.join("clientele-test.hdb"),
        format!("{EICAR_MD5}:{}:Clientele.Test.EICAR\n", EICAR.len()),
    )?;
    let port = free_port()?;
    let config = dir.join("clamd.conf");
    std::fs::write(
        &config,
        format!(
            "DatabaseDirectory {}\nTCPSocket {port}\nTCPAddr 127.0.0.1\nForeground yes\n\
             StreamMaxLength 12M\nLogFile {}\n",
            database.display(),
            dir.join("clamd.log").display()
        ),
    )?;
    let child = Command::new("/usr/sbin/clamd")
        .arg("-c")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting clamd")?;
    let running = Running {
        child,
        addr: format!("127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !answers_ping(&running.addr) {
        if Instant::now() > deadline {
            bail!("clamd did not start (see target/clamd/clamd.log)");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Ok(running)
}

fn answers_ping(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return false;
    };
    let mut answer = [0_u8; 5];
    stream.write_all(b"zPING\0").is_ok()
        && stream.read_exact(&mut answer).is_ok()
        && &answer[..4] == b"PONG"
}

/// Installs moto's server into a virtualenv beside the cargo target directory (once);
/// the path of `moto_server`.
pub fn ensure_moto() -> anyhow::Result<std::path::PathBuf> {
    let venv = setup::target_dir().join("tools/moto");
    let server = venv.join("bin/moto_server");
    if !server.exists() {
        eprintln!(
            "installing moto[server] from PyPI into {} (once)",
            venv.display()
        );
        setup::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        setup::run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "moto[server]",
        ]))?;
    }
    Ok(server)
}

/// Installs moto's server (once) and starts it on a free port: S3 and SES for the tests, reached by the real AWS SDK.
pub fn start_moto() -> anyhow::Result<Running> {
    let server = ensure_moto()?;
    let port = free_port()?;
    let child = Command::new(&server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting moto_server")?;
    let running = Running {
        child,
        addr: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("moto_server did not start on port {port}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Ok(running)
}
