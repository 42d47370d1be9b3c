//! Prometheus metrics (the `metrics` facade with `metrics-exporter-prometheus`): request
//! latency per GraphQL operation, errors by `extensions.code`, the database pool, the
//! background queue (what waits, retries, is parked, and how old the oldest is), email
//! outcomes, report render time, refused uploads and scanner failures. Served at `/metrics`
//! only to a scraper that knows `CLIENTELE_METRICS_TOKEN`, or on a separate address
//! (`CLIENTELE_METRICS_BIND`) that is not the public one; otherwise not at all.

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock},
    time::Duration,
};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Latency buckets, in seconds: 5 ms to 30 s.
const BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0,
];

/// Most distinct operation names labelled; later ones count as `other`, so clients that
/// invent names cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

/// The process's recorder, installed by the first call (`AppState` makes it, so the
/// recorder is in place before any request or task records); `None` when another
/// recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(error) => {
                    tracing::warn!(%error, "metrics are off: a recorder is installed already");
                    None
                }
            }
        })
        .as_ref()
}

/// The label for an operation name: itself when it is a plausible name among the first
/// [`MAX_OPERATIONS`], `anonymous` without one, else `other`.
fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name else {
        return "anonymous".to_owned();
    };
    let plausible = (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !plausible {
        return "other".to_owned();
    }
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if seen.contains(name) || seen.len() < MAX_OPERATIONS {
        seen.insert(name.to_owned());
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

/// Records one GraphQL request: its duration by operation and outcome, and each error's
/// code.
pub fn graphql_request(operation: Option<&str>, took: Duration, codes: &[String]) {
    let operation = operation_label(operation);
    let outcome = if codes.is_empty() { "ok" } else { "error" };
    metrics::histogram!(
        "clientele_graphql_request_duration_seconds",
        "operation" => operation.clone(),
        "outcome" => outcome
    )
    .record(took.as_secs_f64());
    for code in codes {
        metrics::counter!(
            "clientele_graphql_errors_total",
            "operation" => operation.clone(),
            "code" => code.clone()
        )
        .increment(1);
    }
}

/// Counts an email's delivery outcome (`sent`, `refused`, `unknown`).
pub fn email(outcome: &'static str) {
    metrics::counter!("clientele_emails_total", "outcome" => outcome).increment(1);
}

/// Records how long typst took to render a PDF of `kind`.
pub fn report_rendered(kind: &'static str, took: Duration) {
    metrics::histogram!("clientele_report_render_seconds", "kind" => kind)
        .record(took.as_secs_f64());
}

/// Counts a refused upload (`too_large`, `unsupported_type`, `infected`, `scanner_down`).
pub fn upload_refused(reason: &'static str) {
    metrics::counter!("clientele_upload_refusals_total", "reason" => reason).increment(1);
}

/// Counts a background task's failed attempt, and whether it was parked.
pub fn task_failed(task: &str, parked: bool) {
    metrics::counter!(
        "clientele_background_task_failures_total",
        "task" => task.to_owned(),
        "parked" => if parked { "true" } else { "false" }
    )
    .increment(1);
}

/// The metrics as Prometheus text, with the gauges read now: the pool of `state`, and the
/// queue from the database.
pub async fn render(state: &AppState) -> anyhow::Result<String> {
    let handle = handle().ok_or_else(|| anyhow::anyhow!("metrics are off"))?;
    let size = f64::from(state.pool.size());
    let idle = state.pool.num_idle() as f64;
    metrics::gauge!("clientele_db_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("clientele_db_connections", "state" => "idle").set(idle);
    metrics::gauge!("clientele_db_connections_max").set(f64::from(state.config.db_max_connections));
    for row in crate::tasks::queue_figures(&state.pool).await? {
        metrics::gauge!("clientele_background_tasks", "state" => row.state).set(row.count as f64);
        metrics::gauge!("clientele_background_task_oldest_seconds", "state" => row.state)
            .set(row.oldest_seconds);
    }
    Ok(handle.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_labels_only_when_plausible() {
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("ClientList")), "ClientList");
        assert_eq!(operation_label(Some("drop table; --")), "other");
        assert_eq!(operation_label(Some(&"x".repeat(65))), "other");
    }
}
