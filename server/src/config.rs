//! One typed configuration, read from `CLIENTELE_*` environment variables, with defaults
//! that need no cloud account.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, bail};
use base64::Engine;
use rand::RngCore;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line, for log shippers.
    Json,
}

/// Where uploaded files are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageBackend {
    /// Under the data directory, downloaded through links the server signs.
    Local,
    /// In an S3 bucket (`CLIENTELE_S3_BUCKET`, `CLIENTELE_S3_REGION` (us-east-1),
    /// `CLIENTELE_S3_ENDPOINT`, `CLIENTELE_S3_FORCE_PATH_STYLE`), downloaded through
    /// presigned links. Credentials: the usual `AWS_*` variables.
    S3(crate::storage::S3Settings),
}

/// How email leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailTransport {
    /// Written to the log; the outbox row is the message's record.
    Log,
    /// Amazon SES v2 (`CLIENTELE_SES_REGION` (us-east-1), `CLIENTELE_SES_ENDPOINT`);
    /// credentials from the usual `AWS_*` variables.
    Ses(crate::email::SesSettings),
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// PostgreSQL URL (`CLIENTELE_DATABASE_URL`, else `DATABASE_URL`).
    pub database_url: String,
    /// Largest number of pooled connections (`CLIENTELE_DB_MAX_CONNECTIONS`, default 10).
    pub db_max_connections: u32,
    /// Address to listen on (`CLIENTELE_BIND`, default 127.0.0.1:8080).
    pub bind_addr: SocketAddr,
    /// Where the server keeps files of its own, such as a generated JWT secret
    /// (`CLIENTELE_DATA_DIR`, default `./data`).
    pub data_dir: PathBuf,
    /// Secret that signs session tokens (`CLIENTELE_JWT_SECRET`); generated into the data
    /// directory on first run when unset.
    pub jwt_secret: Option<String>,
    /// Lifetime of a session token (`CLIENTELE_TOKEN_TTL_MINUTES`, default 480).
    pub token_ttl: Duration,
    /// The built web app served at `/` (`CLIENTELE_WEB_DIR`, default `web/dist`).
    pub web_dir: PathBuf,
    /// Log line format (`CLIENTELE_LOG_FORMAT`: `text` or `json`).
    pub log_format: LogFormat,
    /// Deepest query accepted (`CLIENTELE_MAX_QUERY_DEPTH`, default 15).
    pub max_query_depth: usize,
    /// Most complex query accepted (`CLIENTELE_MAX_QUERY_COMPLEXITY`, default 5000).
    pub max_query_complexity: usize,
    /// Largest JSON or GET request body in bytes (`CLIENTELE_MAX_BODY_BYTES`, 1 MiB); a
    /// bigger one is refused with 413 before it is read further. Uploads have their own.
    pub max_body_bytes: usize,
    /// How long a request waits for a database connection, in milliseconds
    /// (`CLIENTELE_DB_ACQUIRE_TIMEOUT_MS`, 1000); past it the answer is UNAVAILABLE (503,
    /// Retry-After), so a database that is down is reported at once, not after a queue.
    pub db_acquire_timeout: Duration,
    /// Whether the first `X-Forwarded-For` address is the client's
    /// (`CLIENTELE_TRUST_PROXY`, default false: only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// Longest a request may run, body included (`CLIENTELE_REQUEST_TIMEOUT_SECS`, 30);
    /// past it the request is cancelled and answered UNAVAILABLE. Also each SQL
    /// statement's `statement_timeout`.
    pub request_timeout: Duration,
    /// Most GraphQL requests in flight at once in this server (`CLIENTELE_MAX_IN_FLIGHT`,
    /// 512); past it a request is answered 503 with Retry-After at once, not queued.
    pub max_in_flight: usize,
    /// Longest GraphQL query text in bytes (`CLIENTELE_MAX_QUERY_BYTES`, 100 KiB), refused
    /// before it is parsed.
    pub max_query_bytes: usize,
    /// Largest communication attachment in bytes (`CLIENTELE_ATTACHMENT_MAX_BYTES`, 10 MB).
    pub attachment_max_bytes: u64,
    /// Largest client logo in bytes (`CLIENTELE_LOGO_MAX_BYTES`, 2 MB).
    pub logo_max_bytes: u64,
    /// Where uploaded files are kept (`CLIENTELE_STORAGE`: `local`, the default, or `s3`).
    pub storage: StorageBackend,
    /// clamd's TCP address (`CLIENTELE_CLAMAV_ADDR`, e.g. `127.0.0.1:3310`): every upload is
    /// scanned and refused when infected, or when clamd cannot be reached. Unset, uploads
    /// are checked by type and size only and say `NOT_SCANNED`.
    pub clamav_addr: Option<String>,
    /// The agency's time zone (`CLIENTELE_TIME_ZONE`, an IANA name, default `UTC`): the
    /// nightly aggregation runs at its midnight and counts its days.
    pub time_zone: chrono_tz::Tz,
    /// Background workers in this server (`CLIENTELE_TASK_WORKERS`, default 2; 0 runs none,
    /// for a replica that only answers requests).
    pub task_workers: usize,
    /// How email leaves (`CLIENTELE_EMAIL`: `log`, the default, or `ses`).
    pub email: EmailTransport,
    /// The sender of every email (`CLIENTELE_EMAIL_FROM`).
    pub email_from: String,
    /// The bearer token that may read `/metrics` on the main address
    /// (`CLIENTELE_METRICS_TOKEN`); unset, `/metrics` is not served there.
    pub metrics_token: Option<String>,
    /// A separate address serving only `/metrics`, without a token
    /// (`CLIENTELE_METRICS_BIND`, e.g. `127.0.0.1:9464`); unset, none.
    pub metrics_bind: Option<SocketAddr>,
    /// Where traces go over OTLP/HTTP (`CLIENTELE_OTLP_ENDPOINT`, the collector's base URL
    /// such as `http://127.0.0.1:4318`; spans are posted to its `/v1/traces`): a span per
    /// request, per resolver of an object field and per SQL statement. Unset, no span is
    /// made for export and nothing is sent.
    pub otlp_endpoint: Option<String>,
    /// Complexity points each signed-in caller may spend per minute, per replica
    /// (`CLIENTELE_COST_PER_MINUTE`, default 250,000: fifty queries at the complexity
    /// limit, or about 250 lists of 100 clients with their contacts, a minute). 0 turns
    /// the budget and `extensions.cost` off (the complexity limit still applies).
    pub cost_per_minute: u32,
    /// Real bulk operations one admin may run per minute (`CLIENTELE_BULK_RUNS_PER_MINUTE`,
    /// default 10); dry runs are not counted.
    pub bulk_runs_per_minute: u32,
}

impl Config {
    /// Whether `/metrics` is served (behind a token or on its own address): only then are
    /// metrics recorded at all.
    pub fn serves_metrics(&self) -> bool {
        self.metrics_token.is_some() || self.metrics_bind.is_some()
    }

    /// Reads the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads variables through `lookup`, so tests can pass a map instead of the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |name: &str| lookup(&format!("CLIENTELE_{name}")).filter(|v| !v.is_empty());
        let database_url = var("DATABASE_URL")
            .or_else(|| lookup("DATABASE_URL").filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/clientele".to_owned());
        let log_format = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("CLIENTELE_LOG_FORMAT must be text or json, not {other:?}"),
        };
        let storage = match var("STORAGE").as_deref() {
            None | Some("local") => StorageBackend::Local,
            Some("s3") => {
                let endpoint = var("S3_ENDPOINT");
                StorageBackend::S3(crate::storage::S3Settings {
                    bucket: var("S3_BUCKET")
                        .context("CLIENTELE_S3_BUCKET is required with CLIENTELE_STORAGE=s3")?,
                    region: var("S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                    force_path_style: parse_or(&var, "S3_FORCE_PATH_STYLE", endpoint.is_some())?,
                    endpoint,
                })
            }
            Some(other) => bail!("CLIENTELE_STORAGE must be local or s3, not {other:?}"),
        };
        let email = match var("EMAIL").as_deref() {
            None | Some("log") => EmailTransport::Log,
            Some("ses") => EmailTransport::Ses(crate::email::SesSettings {
                region: var("SES_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                endpoint: var("SES_ENDPOINT"),
            }),
            Some(other) => bail!("CLIENTELE_EMAIL must be log or ses, not {other:?}"),
        };
        Ok(Self {
            email,
            email_from: var("EMAIL_FROM")
                .unwrap_or_else(|| "Clientele <noreply@clientele.local>".to_owned()),
            storage,
            database_url,
            db_max_connections: parse_or(&var, "DB_MAX_CONNECTIONS", 10)?,
            bind_addr: parse_or(&var, "BIND", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            data_dir: var("DATA_DIR").map_or_else(|| PathBuf::from("data"), PathBuf::from),
            jwt_secret: var("JWT_SECRET"),
            token_ttl: Duration::from_secs(60 * parse_or(&var, "TOKEN_TTL_MINUTES", 480_u64)?),
            web_dir: var("WEB_DIR").map_or_else(|| PathBuf::from("web/dist"), PathBuf::from),
            log_format,
            max_query_depth: parse_or(&var, "MAX_QUERY_DEPTH", 15)?,
            max_query_complexity: parse_or(&var, "MAX_QUERY_COMPLEXITY", 5000)?,
            max_body_bytes: parse_or(&var, "MAX_BODY_BYTES", 1024 * 1024)?,
            trust_proxy: parse_or(&var, "TRUST_PROXY", false)?,
            request_timeout: Duration::from_secs(parse_or(&var, "REQUEST_TIMEOUT_SECS", 30_u64)?),
            max_in_flight: parse_or(&var, "MAX_IN_FLIGHT", 512)?,
            db_acquire_timeout: Duration::from_millis(parse_or(
                &var,
                "DB_ACQUIRE_TIMEOUT_MS",
                1000_u64,
            )?),
            max_query_bytes: parse_or(&var, "MAX_QUERY_BYTES", 100 * 1024)?,
            attachment_max_bytes: parse_or(&var, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)?,
            logo_max_bytes: parse_or(&var, "LOGO_MAX_BYTES", 2 * 1024 * 1024)?,
            clamav_addr: var("CLAMAV_ADDR"),
            task_workers: parse_or(&var, "TASK_WORKERS", 2)?,
            bulk_runs_per_minute: parse_or(&var, "BULK_RUNS_PER_MINUTE", 10)?,
            cost_per_minute: parse_or(&var, "COST_PER_MINUTE", 250_000)?,
            metrics_token: var("METRICS_TOKEN"),
            otlp_endpoint: var("OTLP_ENDPOINT").filter(|url| !url.trim().is_empty()),
            metrics_bind: var("METRICS_BIND")
                .map(|addr| addr.parse())
                .transpose()
                .context("CLIENTELE_METRICS_BIND must be an address like 127.0.0.1:9464")?,
            time_zone: parse_or(&var, "TIME_ZONE", chrono_tz::Tz::UTC)?,
        })
    }

    /// The JWT secret: the configured one, else the one persisted in the data directory,
    /// else a new random one written there (readable by the owner only).
    pub fn jwt_secret(&self) -> anyhow::Result<String> {
        if let Some(secret) = &self.jwt_secret {
            if secret.len() < 32 {
                bail!("CLIENTELE_JWT_SECRET must be at least 32 characters");
            }
            return Ok(secret.clone());
        }
        read_or_create_secret(&self.data_dir.join("jwt-secret"))
    }
}

fn parse_or<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: T,
) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|e| anyhow::anyhow!("CLIENTELE_{name}={raw:?} is not valid: {e}")),
    }
}

fn read_or_create_secret(path: &Path) -> anyhow::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
        Ok(_) => bail!(
            "{} holds a secret shorter than 32 characters",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut bytes = [0_u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    write_private(path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new JWT secret");
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|key| map.get(key).cloned())
    }

    #[test]
    fn defaults_need_no_cloud_account() -> anyhow::Result<()> {
        let c = config(&[])?;
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.attachment_max_bytes, 10 * 1024 * 1024);
        assert_eq!(c.logo_max_bytes, 2 * 1024 * 1024);
        assert_eq!(c.log_format, LogFormat::Text);
        assert!(c.jwt_secret.is_none());
        Ok(())
    }

    #[test]
    fn prefixed_database_url_wins_over_the_plain_one() -> anyhow::Result<()> {
        let c = config(&[
            ("DATABASE_URL", "postgres://plain/db"),
            ("CLIENTELE_DATABASE_URL", "postgres://prefixed/db"),
        ])?;
        assert_eq!(c.database_url, "postgres://prefixed/db");
        Ok(())
    }

    #[test]
    fn a_malformed_number_is_an_error_naming_the_variable() {
        let err = config(&[("CLIENTELE_MAX_QUERY_DEPTH", "deep")]).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("CLIENTELE_MAX_QUERY_DEPTH"), "{message}");
    }

    #[test]
    fn a_generated_secret_is_persisted_and_reused() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("clientele-secret-{}", uuid::Uuid::new_v4()));
        let c = config(&[("CLIENTELE_DATA_DIR", dir.to_str().unwrap_or_default())])?;
        let first = c.jwt_secret()?;
        let second = c.jwt_secret()?;
        assert_eq!(first, second);
        assert!(first.len() >= 32);
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn a_short_configured_secret_is_refused() -> anyhow::Result<()> {
        let c = config(&[("CLIENTELE_JWT_SECRET", "short")])?;
        assert!(c.jwt_secret().is_err());
        Ok(())
    }
}
