//! What the operators' instruments cost on the list of 100 clients: the same request through
//! three servers on one database, in alternating rounds: no cost analysis and no metrics
//! (`CLIENTELE_COST_PER_MINUTE=0`, no `/metrics`), the cost report and budget, and both
//! with metrics recorded.

use std::time::{Duration, Instant};

use clientele::{AppState, config::Config};
use serde_json::json;

use super::send;

const ROUNDS: usize = 6;
const PER_ROUND: usize = 100;

/// p50 and p95 of one variant.
pub struct Overhead {
    pub name: &'static str,
    pub p50: Duration,
    pub p95: Duration,
}

pub async fn run(
    config: &Config,
    pool: &sqlx::PgPool,
    token: &str,
    list: &'static str,
) -> anyhow::Result<Vec<Overhead>> {
    let variant = |cost: bool, metrics: bool| -> anyhow::Result<axum::Router> {
        let mut config = config.clone();
        config.cost_per_minute = if cost { u32::MAX } else { 0 };
        config.metrics_token = metrics.then(|| "bench-scrape-token".to_owned());
        Ok(clientele::app(AppState::new(config, pool.clone())?))
    };
    let variants = [
        ("neither", variant(false, false)?),
        ("cost analysis + budget", variant(true, false)?),
        ("cost + metrics", variant(true, true)?),
    ];
    let mut durations = vec![Vec::new(); variants.len()];
    for (_, app) in &variants {
        for _ in 0..20 {
            send(app, token, (list, json!({}))).await?;
        }
    }
    for _ in 0..ROUNDS {
        for ((_, app), times) in variants.iter().zip(&mut durations) {
            for _ in 0..PER_ROUND {
                let started = Instant::now();
                send(app, token, (list, json!({}))).await?;
                times.push(started.elapsed());
            }
        }
    }
    Ok(variants
        .iter()
        .zip(durations)
        .map(|((name, _), mut times)| {
            times.sort();
            let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            Overhead {
                name,
                p50: at(0.5),
                p95: at(0.95),
            }
        })
        .collect())
}
