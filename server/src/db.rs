//! The connection pool and the embedded migrations.

use anyhow::Context;
use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::config::Config;

/// The migrations in `migrations/`, embedded at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens the pool described by the configuration.
pub async fn connect(config: &Config) -> anyhow::Result<PgPool> {
    let options: PgConnectOptions = config
        .database_url
        .parse()
        .with_context(|| format!("parsing the database URL {}", redact(&config.database_url)))?;
    // Our queries are short OLTP statements: JIT compilation (triggered by the planner's
    // cost estimate of the list's search) costs more than it saves, 10–30 ms a query. And
    // the list's optional filters (`$1 is null or …`) need plans made for the actual
    // values: a generic plan of the prepared statement cannot use the right index.
    let options = options
        .options([
            ("jit", "off".to_owned()),
            ("plan_cache_mode", "force_custom_plan".to_owned()),
            // No statement outlives the request it serves.
            (
                "statement_timeout",
                config.request_timeout.as_millis().to_string(),
            ),
        ])
        .application_name("clientele");
    PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .acquire_timeout(config.db_acquire_timeout)
        .connect_with(options)
        .await
        .with_context(|| {
            format!(
                "connecting to PostgreSQL at {}",
                redact(&config.database_url)
            )
        })
}

/// Creates the configured database when the server has none of that name.
pub async fn create_if_missing(config: &Config) -> anyhow::Result<()> {
    use sqlx::migrate::MigrateDatabase;
    let url = &config.database_url;
    let exists = sqlx::Postgres::database_exists(url)
        .await
        .with_context(|| format!("checking for the database at {}", redact(url)))?;
    if !exists {
        sqlx::Postgres::create_database(url)
            .await
            .with_context(|| format!("creating the database at {}", redact(url)))?;
        tracing::info!(url = %redact(url), "created the database");
    }
    Ok(())
}

/// Applies every pending migration.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("running migrations")
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}
