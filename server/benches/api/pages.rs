//! The app's pages with their first paint rendered by the server: the app's components run
//! in process for the address asked, their GraphQL queries answered in process, as the
//! manager. The list of clients and a client's page (its Overview: the record, the contacts
//! and the dashboard of a client with 500 linked jobs).

use std::time::Instant;

use axum::{body::Body, http::Request};
use clientele::{AppState, config::Config, telemetry::SqlStatementCounter};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::Sample;

/// The built `index.html`'s shape: what the server cuts to put a page in.
const INDEX: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" />\
    <title>Clientele</title></head><body><p id=\"boot\" class=\"boot\" role=\"status\">\
    Loading Clientele…</p></body></html>";

pub async fn measure_pages(
    config: &Config,
    pool: &sqlx::PgPool,
    counter: &SqlStatementCounter,
    manager: &str,
    client_id: uuid::Uuid,
) -> anyhow::Result<Vec<Sample>> {
    let dir = std::env::temp_dir().join(format!("clientele-bench-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), INDEX)?;
    let mut config = config.clone();
    config.web_dir = dir.clone();
    let app = clientele::app(AppState::new(config, pool.clone())?);
    let cookie = format!("clientele_session={manager}");
    let client_page = format!("/clients/{client_id}");
    let mut samples = Vec::new();
    for (name, path) in [
        ("page: the client list, rendered", "/clients"),
        ("page: a client's Overview, rendered", client_page.as_str()),
    ] {
        let get = || async {
            let request = Request::get(path)
                .header("cookie", &cookie)
                .body(Body::empty())?;
            let response = app.clone().oneshot(request).await?;
            let body = response.into_body().collect().await?.to_bytes();
            if !String::from_utf8_lossy(&body).contains("first-paint-answers") {
                anyhow::bail!("{path} went out without its first paint");
            }
            anyhow::Ok(())
        };
        for _ in 0..5 {
            get().await?;
        }
        counter.reset();
        let runs = 50;
        let mut durations = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            get().await?;
            durations.push(started.elapsed());
        }
        samples.push(Sample {
            name,
            durations,
            statements: counter.count(),
        });
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(samples)
}
