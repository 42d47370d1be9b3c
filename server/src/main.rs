//! The Clientele server binary: reads the configuration, then serves (`serve`, the
//! default), migrates, loads demo data, adds the first admin (`create-admin`), checks a
//! running server (`ready`) or prints the schema. Everything else lives in the library.

use anyhow::Context;
use clientele::{config::Config, db, demo, telemetry, users};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "serve".to_owned());
    let config = Config::from_env().context("reading configuration")?;
    let logs = !["schema", "ready"].contains(&command.as_str());
    let traces = logs.then(|| telemetry::init(&config)).flatten();
    let result = run(&command, config).await;
    if let Some(traces) = traces {
        // The exporter's blocking client must not be dropped inside the async runtime.
        let _ = tokio::task::spawn_blocking(move || traces.shutdown()).await;
    }
    result
}

async fn run(command: &str, config: Config) -> anyhow::Result<()> {
    match command {
        "serve" => {
            db::create_if_missing(&config).await?;
            clientele::serve(config).await
        }
        "schema" => {
            print!("{}", clientele::schema::sdl());
            Ok(())
        }
        "migrate" => {
            db::create_if_missing(&config).await?;
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await
        }
        "seed-demo" => {
            db::create_if_missing(&config).await?;
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            let summary = demo::seed(&pool).await?;
            tracing::info!(?summary, "demo data ready");
            Ok(())
        }
        "ready" => {
            // For container health checks and scripts: exit 0 when this configuration's
            // server answers /ready with 200 (the slim image has no curl).
            let mut addr = config.bind_addr;
            if addr.ip().is_unspecified() {
                addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            let status = ready_status(addr).await?;
            anyhow::ensure!(status == 200, "/ready answered {status}");
            Ok(())
        }
        "create-admin" => {
            let mut args = std::env::args().skip(2);
            let (Some(email), Some(full_name)) = (args.next(), args.next()) else {
                anyhow::bail!(
                    "usage: clientele create-admin <email> <full name> (the password from \
                     CLIENTELE_ADMIN_PASSWORD, else one line on standard input)"
                );
            };
            let password = match std::env::var("CLIENTELE_ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            db::create_if_missing(&config).await?;
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            // One insert: a connection is enough, the caller's choice to make.
            let mut db = pool.acquire().await?;
            let user = users::create_first_admin(&mut db, &email, &full_name, password).await?;
            println!("created admin {} ({})", user.email, user.id);
            Ok(())
        }
        other => anyhow::bail!(
            "unknown command {other:?}; expected serve, migrate, seed-demo, create-admin, ready or schema"
        ),
    }
}

/// The HTTP status of `GET /ready` on `addr`, within two seconds.
async fn ready_status(addr: std::net::SocketAddr) -> anyhow::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream
            .write_all(b"GET /ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0_u8; 12];
        stream.read_exact(&mut head).await?;
        anyhow::Ok(head)
    };
    let head = tokio::time::timeout(std::time::Duration::from_secs(2), exchange)
        .await
        .with_context(|| format!("{addr} did not answer within 2 s"))?
        .with_context(|| format!("asking {addr} for /ready"))?;
    // "HTTP/1.1 200"
    std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|code| code.parse().ok())
        .context("not an HTTP answer")
}
