//! The load test: the real server on a local port, 200 connections each asking for the
//! first page of the client list (100 clients with their contacts and manager) as fast as
//! it answers, for a minute (`CLIENTELE_BENCH_LOAD_SECS`). Reports requests per second,
//! p50/p95/p99 and every answer that was not a 200 with data.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use clientele::AppState;
use serde_json::json;

const CONNECTIONS: usize = 200;

/// What the load test saw.
pub struct LoadFigures {
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
}

/// Serves `state` on a free port and loads it.
pub async fn run(state: AppState, token: &str) -> anyhow::Result<LoadFigures> {
    let seconds: u64 = std::env::var("CLIENTELE_BENCH_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let (address, server) = serve(state).await?;
    let body = json!({ "query": "{ clients(limit: 100, sort: NAME_ASC) { items { id clientCode name status accountManager { fullName } contacts { fullName email } } pageInfo { total } } }" }).to_string();
    let figures = hammer(
        &format!("http://{address}/graphql"),
        &body,
        Some(&format!("Bearer {token}")),
        CONNECTIONS,
        Duration::from_secs(seconds),
    )
    .await;
    server.abort();
    figures
}

/// The whole application served on a free local port, as `clientele-server serve` does.
pub async fn serve(
    state: AppState,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = clientele::app(state).into_make_service_with_connect_info::<SocketAddr>();
    Ok((
        address,
        tokio::spawn(async move { axum::serve(listener, app).await }),
    ))
}

/// `connections` clients each posting `body` to `url` as fast as it answers, for
/// `duration`.
pub async fn hammer(
    url: &str,
    body: &str,
    authorization: Option<&str>,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<LoadFigures> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (client, url, body) = (client.clone(), url.to_owned(), body.to_owned());
        let authorization = authorization.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0_usize;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let mut request = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone());
                if let Some(authorization) = &authorization {
                    request = request.header("authorization", authorization);
                }
                let ok = match request.send().await {
                    Ok(response) if response.status().is_success() => response
                        .bytes()
                        .await
                        .is_ok_and(|b| !b.windows(9).any(|w| w == b"\"errors\":")),
                    _ => false,
                };
                latencies.push(sent.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await?;
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Ok(LoadFigures {
        seconds: elapsed,
        requests: latencies.len(),
        errors,
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
    })
}
