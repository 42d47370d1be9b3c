//! HTTP routes: `/graphql` (POST, with multipart uploads, and GET), `/graphiql`, `/health`,
//! `/ready`, `/files/<token>` (signed download links of the local file store), and the
//! built web app at `/` with a fallback to `index.html` for the app's own routes.

mod files;
mod first_paint;
pub mod metrics;
mod security;

use std::time::Duration;

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::{
    AppState, auth,
    auth::Viewer,
    error::{ApiResult, AppError},
    schema, telemetry, users,
};

/// The whole application.
pub fn app(state: AppState) -> Router {
    let web_dir = state.config.web_dir.clone();
    let config = state.config.clone();
    let pages_state = state.clone();
    let mut router = Router::new()
        .route("/graphql", get(graphql_handler).post(graphql_handler))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/files/{token}", get(files::download))
        .route("/graphql/ws", get(subscriptions))
        .route("/metrics", get(metrics::with_token))
        .with_state(state);
    router = router.merge(graphiql(&web_dir));
    let index = web_dir.join("index.html");
    if let Ok(page) = std::fs::read_to_string(&index) {
        let policy = HeaderValue::from_str(&security::app_policy(&page, &config))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        // Trunk's files with a `.br` / `.gz` copy beside them (`cargo xtask` writes them at
        // build time) go to browsers that accept one, compressed.
        let files = ServeDir::new(&web_dir)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(
                axum::routing::get(app_page_or_not_found).with_state(AppPages {
                    index: index.clone(),
                    template: first_paint::Template::parse(&page).map(std::sync::Arc::new),
                    state: pages_state,
                }),
            );
        let web_app = Router::new()
            .fallback_service(files)
            .layer(axum::middleware::map_response(web_cache_headers))
            .layer(axum::middleware::map_response_with_state(
                policy,
                security::app_headers,
            ));
        router = router.merge(web_app);
    }
    let header_name = header::HeaderName::from_static("x-request-id");
    router
        .layer(axum::middleware::map_response(security::common_headers))
        .layer(axum::middleware::from_fn_with_state(
            config.trust_proxy,
            security::hsts,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let request_id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        request_id = %request_id,
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(header_name.clone()))
        .layer(SetRequestIdLayer::new(header_name, MakeRequestUuid))
}

/// The app's page, for its routes.
#[derive(Clone)]
struct AppPages {
    /// The built `index.html`.
    index: std::path::PathBuf,
    /// The same, cut for a first paint to go in.
    template: Option<std::sync::Arc<first_paint::Template>>,
    state: AppState,
}

/// What the web directory does not hold: a file name (`/missing.js`, `/favicon.ico`) is
/// 404; anything else is one of the app's own routes (`/clients/<id>`), answered with the
/// app's page, its first paint rendered in it when that can be done.
async fn app_page_or_not_found(
    State(pages): State<AppPages>,
    request: axum::extract::Request,
) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Some(template) = &pages.template {
        let rendered = first_paint::page(
            &pages.state,
            template,
            request.method(),
            request.headers(),
            request.uri(),
        )
        .await;
        if let Some(page) = rendered {
            return page;
        }
    }
    use tower::ServiceExt;
    match ServeFile::new(&pages.index)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await
    {
        Ok(page) => page.into_response(),
        Err(error) => match error {},
    }
}

/// Trunk names assets by content hash (`name-<16 hex>.ext`), so they never change under the
/// same name and may be cached for a year; anything else (index.html, app routes) is
/// revalidated every time so a deploy shows at once.
async fn web_cache_headers(uri: axum::http::Uri, mut response: Response) -> Response {
    // A page with someone's first paint in it says so itself.
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let value = if is_hashed_asset(uri.path()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = file.split_once('.') else {
        return false; // an app route such as /clients/<uuid>
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        // Trunk prints its 64-bit hash in hex without leading zeros.
        .is_some_and(|(_, hash)| {
            (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

/// Who sent a request.
struct Caller {
    /// The signed-in viewer, if any.
    viewer: Option<Viewer>,
    /// The request came with a session cookie that no longer holds (expired, signed out):
    /// the answer clears it, and the request runs signed out.
    stale_cookie: bool,
}

/// Resolves the credentials of a request to the viewer: the `Authorization` header
/// (services, analysts), else the app's session cookie, which counts on a POST only with
/// the session's `X-CSRF-Token`. A present but bad bearer token is an error, never
/// silently anonymous; a stale cookie is dropped. The role is re-read so a demoted or deactivated
/// user loses access at once.
async fn authenticate(state: &AppState, method: &Method, headers: &HeaderMap) -> ApiResult<Caller> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or_default();
        return Ok(Caller {
            viewer: Some(viewer_of(state, value).await?),
            stale_cookie: false,
        });
    }
    let Some(session) = auth::cookie::read(headers, auth::cookie::SESSION_COOKIE) else {
        return Ok(Caller {
            viewer: None,
            stale_cookie: false,
        });
    };
    // Without its CSRF token a POST may have been forged by another site (or is a call that
    // means to be anonymous, such as GraphiQL's sign-in in a browser that also holds the
    // app's session): the cookie does not count, and the request runs signed out.
    if method == Method::POST {
        let presented = headers
            .get(auth::cookie::CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !state.jwt.csrf().matches(session, presented) {
            return Ok(Caller {
                viewer: None,
                stale_cookie: false,
            });
        }
    }
    match viewer_of_token(state, session).await {
        Ok(viewer) => Ok(Caller {
            viewer: Some(viewer),
            stale_cookie: false,
        }),
        Err(AppError::Unauthenticated(_)) => Ok(Caller {
            viewer: None,
            stale_cookie: true,
        }),
        Err(other) => Err(other),
    }
}

/// The viewer an `Authorization` value (`Bearer <token>`) stands for.
async fn viewer_of(state: &AppState, authorization: &str) -> ApiResult<Viewer> {
    let token = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or(AppError::Unauthenticated(
            "the Authorization header must be `Bearer <token>`",
        ))?;
    if token.starts_with(crate::service_tokens::PREFIX) {
        return crate::service_tokens::authenticate(&state.pool, token).await;
    }
    viewer_of_token(state, token).await
}

/// The viewer a session token (a JWT) stands for.
async fn viewer_of_token(state: &AppState, token: &str) -> ApiResult<Viewer> {
    let claims = state.jwt.verify(token)?;
    let issued_at = chrono::DateTime::from_timestamp(claims.iat, 0).unwrap_or_default();
    let role = users::active_role(&state.pool, claims.sub, issued_at)
        .await?
        .ok_or(AppError::Unauthenticated(
            "this session has ended (signed out, or the account is no longer active); sign in \
             again",
        ))?;
    Ok(Viewer {
        user_id: claims.sub,
        role,
    })
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

async fn graphql_handler(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let id = request_id(&headers);
    // Past the limit of requests in flight, answer at once rather than queue.
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return error_response(StatusCode::SERVICE_UNAVAILABLE, AppError::Overloaded);
    };
    let limit = state.config.request_timeout;
    let answered = tokio::time::timeout(limit, answer(state, method, headers, request, id)).await;
    answered.unwrap_or_else(|_| {
        tracing::warn!(
            ?limit,
            "a request ran past the time limit and was cancelled"
        );
        error_response(StatusCode::SERVICE_UNAVAILABLE, AppError::TimedOut)
    })
}

/// The answer to one GraphQL request over HTTP.
async fn answer(
    state: AppState,
    method: Method,
    headers: HeaderMap,
    request: axum::extract::Request,
    id: String,
) -> Response {
    telemetry::REQUEST_ID
        .scope(id, async move {
            let address = client_address(&state, &headers, &request);
            let form = crate::graphql::FormEncoded(is_form_encoded(&headers));
            let mut request = match read_request(&state, request).await {
                Ok(request) => request
                    .data(crate::graphql::ClientAddress(address))
                    .data(form),
                // An unreadable body is the HTTP request's fault, not a GraphQL answer.
                Err(error) => return error_response(StatusCode::BAD_REQUEST, error),
            };
            if let Err(error) = state
                .persisted
                .resolve(&mut request, state.config.max_query_bytes)
            {
                return error_response(StatusCode::OK, error);
            }
            if let Err(error) =
                crate::graphql::limits::check_text(&request.query, state.config.max_query_bytes)
            {
                return error_response(StatusCode::BAD_REQUEST, error);
            }
            if method == Method::GET && is_mutation(&request) {
                return error_response(
                    StatusCode::OK,
                    AppError::invalid("method", "mutations must be sent with POST"),
                );
            }
            match authenticate(&state, &method, &headers).await {
                Ok(Caller {
                    viewer,
                    stale_cookie,
                }) => {
                    let started = std::time::Instant::now();
                    let operation = request.operation_name.clone();
                    let response =
                        schema::execute(&state.schema, &state.pool, viewer, request).await;
                    if state.config.serves_metrics() {
                        let codes: Vec<String> = response
                            .errors
                            .iter()
                            .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
                                async_graphql::Value::String(code) => Some(code.clone()),
                                _ => None,
                            })
                            .collect();
                        crate::metrics::graphql_request(
                            operation.as_deref(),
                            started.elapsed(),
                            &codes,
                        );
                    }
                    let unavailable = response.errors.iter().any(|e| {
                        e.extensions
                            .as_ref()
                            .and_then(|ext| ext.get("code"))
                            .is_some_and(|code| code == &async_graphql::Value::from("UNAVAILABLE"))
                    });
                    let mut http = GraphQLResponse::from(response).into_response();
                    // A dependency is down: say so to proxies and clients, and when to retry.
                    if unavailable {
                        *http.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                        http.headers_mut()
                            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                    }
                    // A session that no longer holds leaves the browser, unless this very
                    // request started a new one (signing in again).
                    let starts_session =
                        http.headers().get_all(header::SET_COOKIE).iter().any(|v| {
                            v.as_bytes()
                                .starts_with(auth::cookie::SESSION_COOKIE.as_bytes())
                        });
                    if stale_cookie && !starts_session {
                        for value in auth::cookie::end() {
                            http.headers_mut().append(header::SET_COOKIE, value);
                        }
                    }
                    http
                }
                Err(error) => error_response(StatusCode::OK, error),
            }
        })
        .await
}

/// Whether a request's body is of a type a cross-site HTML form can send without asking
/// (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`).
fn is_form_encoded(headers: &HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
    ]
    .iter()
    .any(|form| content_type.starts_with(form))
}

/// The client's IP address: the first `X-Forwarded-For` entry when the proxy is trusted,
/// else the peer of the connection, else `unknown` (requests made in process).
fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    request: &axum::extract::Request,
) -> String {
    let forwarded = state
        .config
        .trust_proxy
        .then(|| headers.get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Subscriptions over WebSocket (graphql-transport-ws, or the older graphql-ws). The
/// connection signs in with `{"authorization": "Bearer <token>"}` in its `connection_init`
/// payload, or, from the app's own pages, with its session cookie; a missing or bad
/// session closes it.
async fn subscriptions(
    State(state): State<AppState>,
    headers: HeaderMap,
    protocol: async_graphql_axum::GraphQLProtocol,
    upgrade: axum::extract::WebSocketUpgrade,
) -> Response {
    // The app's cookie session counts only for a page of our own origin: browsers send
    // cookies with WebSocket handshakes from any site.
    let same_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, rest)| Some(rest) == host.to_str().ok()),
        _ => false,
    };
    let session = auth::cookie::read(&headers, auth::cookie::SESSION_COOKIE)
        .filter(|_| same_origin)
        .map(str::to_owned);
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            async_graphql_axum::GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let authorization = payload
                        .get("authorization")
                        .or_else(|| payload.get("Authorization"))
                        .and_then(|v| v.as_str())
                        .map(str::to_owned);
                    let viewer = match (authorization, session) {
                        (Some(authorization), _) => viewer_of(&state, &authorization).await,
                        (None, Some(session)) => viewer_of_token(&state, &session).await,
                        (None, None) => Err(AppError::Unauthenticated(
                            "sign in: send `authorization` in connection_init, or connect \
                             from the app with its session",
                        )),
                    }
                    .map_err(async_graphql::Error::from)?;
                    let mut data = async_graphql::Data::default();
                    data.insert(viewer);
                    data.insert(schema::connection_loader(&state.pool));
                    Ok(data)
                })
                .serve()
        })
}

/// The GraphQL request in a body: multipart (uploads, with per-file limits enforced while
/// the body streams in) or whatever async-graphql reads (JSON, or the query string of a GET).
async fn read_request(
    state: &AppState,
    request: axum::extract::Request,
) -> Result<async_graphql::Request, AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if request.method() == Method::POST && content_type.starts_with("multipart/form-data") {
        let limits = crate::uploads::multipart::Limits {
            attachment: state.config.attachment_max_bytes,
            logo: state.config.logo_max_bytes,
        };
        return crate::uploads::multipart::read(&content_type, request.into_body(), limits).await;
    }
    if request.method() == Method::POST {
        let body = bounded_body(request, state.config.max_body_bytes).await?;
        // `application/graphql`: the body is the query text itself.
        if content_type.starts_with("application/graphql")
            && !content_type.starts_with("application/graphql-response")
        {
            let query = String::from_utf8(body.to_vec())
                .map_err(|_| AppError::invalid("body", "is not UTF-8 text"))?;
            return Ok(async_graphql::Request::new(query));
        }
        let request: async_graphql::Request = serde_json::from_slice(&body).map_err(|error| {
            AppError::invalid(
                "body",
                format!("is not a GraphQL request in JSON ({error})"),
            )
        })?;
        if request.query.trim().is_empty() && !request.extensions.contains_key("persistedQuery") {
            return Err(AppError::invalid(
                "body",
                "is not a GraphQL request in JSON (it has no `query`)",
            ));
        }
        return Ok(request);
    }
    use axum::extract::FromRequest;
    GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(request, state)
        .await
        .map(GraphQLRequest::into_inner)
        .map_err(|_| {
            AppError::invalid(
                "query",
                "a GET request needs `query` (and optionally `operationName` and `variables` \
                 as JSON) in its query string",
            )
        })
}

/// The body of a request, read only up to `limit` bytes: a declared or actual length over
/// it is refused with PAYLOAD_TOO_LARGE before more is read.
async fn bounded_body(
    request: axum::extract::Request,
    limit: usize,
) -> Result<axum::body::Bytes, AppError> {
    let too_large = || {
        AppError::PayloadTooLarge(format!(
            "the request body is over {limit} bytes; send large values as files or split \
             the request"
        ))
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let limited = http_body_util::Limited::new(request.into_body(), limit);
    match http_body_util::BodyExt::collect(limited).await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(AppError::invalid("body", "could not be read to its end")),
    }
}

/// A response carrying one request-level error (no position: it is not about the query
/// text) with `status`, or 413 for a payload over its limit.
fn error_response(status: StatusCode, error: AppError) -> Response {
    let status = match &error {
        AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Unavailable(_) | AppError::TimedOut | AppError::Overloaded => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => status,
    };
    let server_error = schema::request_error(error);
    let response: GraphQLResponse = async_graphql::Response::from_errors(vec![server_error]).into();
    let mut http = (status, response).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        http.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    http
}

/// Whether the operation to run is a mutation (GET may only read).
fn is_mutation(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    match &document.operations {
        DocumentOperations::Single(op) => op.node.ty == OperationType::Mutation,
        DocumentOperations::Multiple(ops) => match &request.operation_name {
            Some(name) => ops
                .get(name.as_str())
                .is_some_and(|op| op.node.ty == OperationType::Mutation),
            None => ops.values().any(|op| op.node.ty == OperationType::Mutation),
        },
    }
}

/// `/graphiql`: the page `cargo xtask` bundles into `<web dir>/graphiql` (GraphiQL from npm,
/// our sign-in bar), read once at start-up; its script and stylesheet are served beside the
/// web app's files. Without a build, a 404 that says how to get one, never a page that
/// would load GraphiQL from a CDN.
fn graphiql(web_dir: &std::path::Path) -> Router {
    let page = match std::fs::read_to_string(web_dir.join("graphiql/index.html")) {
        Ok(page) => page,
        Err(error) => {
            tracing::info!(%error, web_dir = %web_dir.display(), "GraphiQL is not built");
            let missing = || async {
                (
                    StatusCode::NOT_FOUND,
                    "GraphiQL is not built on this server: `cargo xtask run` or `cargo xtask \
                     dist` bundles it into the web directory (web/dist/graphiql).",
                )
            };
            return Router::new()
                .route("/graphiql", get(missing))
                .route("/graphiql/", get(missing));
        }
    };
    let serve = move || {
        let page = page.clone();
        async move {
            (
                [
                    (
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static(security::GRAPHIQL_POLICY),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                ],
                Html(page),
            )
        }
    };
    Router::new()
        .route("/graphiql", get(serve.clone()))
        .route("/graphiql/", get(serve))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn ready(State(state): State<AppState>) -> Response {
    let check = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query("select 1").execute(&state.pool),
    )
    .await;
    match check {
        Ok(Ok(_)) => {
            Json(serde_json::json!({ "status": "ready", "database": "ok" })).into_response()
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check: database unreachable");
            not_ready()
        }
        Err(_) => {
            tracing::warn!("readiness check: database timed out");
            not_ready()
        }
    }
}

fn not_ready() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(serde_json::json!({ "status": "not ready", "database": "unreachable" })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_content_hashed_files_are_immutable() {
        assert!(is_hashed_asset("/clientele-web-911e66c1781e0120_bg.wasm"));
        assert!(is_hashed_asset("/clientele-web-911e66c1781e0120.js"));
        assert!(is_hashed_asset("/clientele-web-a129f094fd50ba2.js"));
        assert!(is_hashed_asset("/style-60ef73bceac747e2.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/clients/new"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset(
            "/clients/0b6c3c1e-6a4e-4f0e-9d7e-3f0c8a7c1b2d"
        ));
    }
}
