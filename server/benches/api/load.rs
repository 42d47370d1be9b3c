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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = clientele::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()?;
    let url = format!("http://{address}/graphql");
    let body = json!({ "query": "{ clients(limit: 100, sort: NAME_ASC) { items { id clientCode name status accountManager { fullName } contacts { fullName email } } pageInfo { total } } }" }).to_string();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        let (client, url, body) = (client.clone(), url.clone(), body.clone());
        let authorization = format!("Bearer {token}");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0_usize;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let answer = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("authorization", &authorization)
                    .body(body.clone())
                    .send()
                    .await;
                let ok = match answer {
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
    server.abort();
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
