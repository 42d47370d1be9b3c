//! `/metrics` for Prometheus: behind a token on the main address, or alone on another.

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;

/// `/metrics` on the main address: only with `Authorization: Bearer <CLIENTELE_METRICS_TOKEN>`,
/// and not at all (404) when no token is configured.
pub async fn with_token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let matches: bool = presented.len() == expected.len()
        && presented
            .bytes()
            .zip(expected.bytes())
            .fold(0_u8, |diff, (a, b)| diff | (a ^ b))
            == 0;
    if !matches {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    text(&state).await
}

async fn text(state: &AppState) -> Response {
    match crate::metrics::render(state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(?error, "metrics could not be gathered");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The router of the separate metrics address: `/metrics` only, no token.
pub fn only(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move { text(&state).await }),
        )
        .with_state(state)
}
