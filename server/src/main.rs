//! The Clientele server binary: reads the configuration, then serves, migrates or loads demo
//! data. Everything else lives in the library.

use anyhow::Context;
use clientele::{config::Config, db, demo, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "serve".to_owned());
    let config = Config::from_env().context("reading configuration")?;
    if command != "schema" {
        telemetry::init(&config);
    }
    match command.as_str() {
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
        other => {
            anyhow::bail!("unknown command {other:?}; expected serve, migrate, seed-demo or schema")
        }
    }
}
