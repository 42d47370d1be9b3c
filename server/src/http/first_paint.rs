//! The app's pages, each with its first paint rendered here by the app's own components
//! (`clientele_web::ssr`), so a phone shows the page before the app's wasm has downloaded.
//! The page carries the GraphQL answers it was rendered with; the app takes over with them
//! and asks for nothing twice.
//!
//! The components' queries are answered in process, as the person asking for the page
//! (their session cookie; a GET, so only queries run): they see exactly what the app would
//! show them. A page that cannot be rendered complete (a redirect, such as a signed-out
//! visit to a client's page; a render that fails or takes too long) is sent as the bare app,
//! which renders it in the browser as before.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{AppState, auth::Viewer, error::AppError, schema};

/// The built `index.html`, cut where a rendered page goes in.
#[derive(Debug)]
pub struct Template {
    /// Up to `<title>`'s text.
    before_title: String,
    /// From `</title>` up to `</head>`.
    head_rest: String,
    /// From `</head>` up to the HTML's own loading line.
    before_body: String,
    /// After the loading line.
    after_body: String,
}

const TITLE_OPEN: &str = "<title>";
const TITLE_CLOSE: &str = "</title>";
const HEAD_CLOSE: &str = "</head>";
const BOOT_OPEN: &str = "<p id=\"boot\"";
const BOOT_CLOSE: &str = "</p>";

impl Template {
    /// Cuts the built page; `None` when it lacks the title or the loading line (then pages
    /// go out bare).
    pub fn parse(index_html: &str) -> Option<Self> {
        let title_open = index_html.find(TITLE_OPEN)? + TITLE_OPEN.len();
        let title_close = title_open + index_html[title_open..].find(TITLE_CLOSE)?;
        let head_close = title_close + index_html[title_close..].find(HEAD_CLOSE)?;
        let boot = head_close + index_html[head_close..].find(BOOT_OPEN)?;
        let boot_end = boot + index_html[boot..].find(BOOT_CLOSE)? + BOOT_CLOSE.len();
        Some(Self {
            before_title: index_html[..title_open].to_owned(),
            head_rest: index_html[title_close..head_close].to_owned(),
            before_body: index_html[head_close..boot].to_owned(),
            after_body: index_html[boot_end..].to_owned(),
        })
    }

    /// The page with a rendered first paint in it.
    fn fill(&self, page: &clientele_web::ssr::Page) -> String {
        let title = page.title.as_deref().unwrap_or("Clientele");
        // JSON inside `<script>`: `<` escaped, so no text in it can close the element.
        let answers = page.answers.replace('<', "\\u003c");
        let id = clientele_web::api::first_paint::ELEMENT_ID;
        format!(
            "{}{}{}<script type=\"application/json\" id=\"{id}\">{answers}</script>{}{}{}",
            self.before_title,
            escape_text(title),
            self.head_rest,
            self.before_body,
            page.body,
            self.after_body
        )
    }
}

/// Text for HTML: `&`, `<` and `>` escaped.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The app's page at `uri` with its first paint, or `None` when it goes out bare.
pub async fn page(
    state: &AppState,
    template: &Template,
    method: &Method,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
) -> Option<Response> {
    if method != Method::GET {
        return None;
    }
    // Rendering counts as a request in flight, like the queries it stands for; at the limit
    // the page goes out bare (the app asks later, one query at a time).
    let _permit = state.in_flight.clone().try_acquire_owned().ok()?;
    let url = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    // A cookie that does not hold (expired, signed out) renders the signed-out page; the
    // app, taking over, clears what it must.
    let viewer = super::authenticate(state, &Method::GET, headers)
        .await
        .ok()
        .and_then(|caller| caller.viewer);
    let request_id = super::request_id(headers);
    let runtime = tokio::runtime::Handle::current();
    let answering = state.clone();
    let execute: clientele_web::ssr::Execute = Arc::new(move |body| {
        let (state, viewer, id) = (answering.clone(), viewer, request_id.clone());
        runtime.block_on(crate::telemetry::REQUEST_ID.scope(id, answer(state, viewer, body)))
    });
    let render = tokio::task::spawn_blocking(move || {
        // A page that panics goes out bare; the server goes on.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            clientele_web::ssr::render(&url, execute)
        }))
    });
    let rendered = match tokio::time::timeout(state.config.request_timeout, render).await {
        Ok(Ok(Ok(rendered))) => rendered?,
        Ok(Ok(Err(_))) | Ok(Err(_)) => {
            tracing::error!(path = %uri.path(), "rendering a page's first paint failed");
            return None;
        }
        Err(_) => {
            tracing::warn!(path = %uri.path(), "rendering a page's first paint took too long");
            return None;
        }
    };
    let html = template.fill(&rendered);
    let gzipped = accepts_gzip(headers)
        .then(|| gzip(html.as_bytes()))
        .flatten();
    let compressed = gzipped.is_some();
    let mut response = (
        StatusCode::OK,
        Body::from(gzipped.unwrap_or_else(|| html.into_bytes())),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if compressed {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    // Someone's own data: kept by no shared cache, asked for again every time.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("cookie, accept-encoding"),
    );
    Some(response)
}

/// Whether the browser takes gzip (`Accept-Encoding`, a `q` of 0 meaning no).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// A page gzipped (a rendered page is built per request, so it is compressed per request:
/// at the fast level, a few hundred microseconds for the largest).
fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// Answers one of the components' GraphQL requests, as `viewer`: queries only.
async fn answer(
    state: AppState,
    viewer: Option<Viewer>,
    body: serde_json::Value,
) -> serde_json::Value {
    let request: async_graphql::Request = match serde_json::from_value(body) {
        Ok(request) => request,
        Err(error) => return refusal(AppError::invalid("body", error.to_string())),
    };
    if super::is_mutation(&request) {
        return refusal(AppError::invalid(
            "operation",
            "a page's first paint only reads",
        ));
    }
    let response = schema::execute(&state.schema, &state.pool, viewer, request).await;
    serde_json::to_value(&response).unwrap_or_else(|error| {
        refusal(AppError::Internal(Arc::new(anyhow::anyhow!(
            "an answer could not be written: {error}"
        ))))
    })
}

/// A GraphQL response carrying one error.
fn refusal(error: AppError) -> serde_json::Value {
    let response = async_graphql::Response::from_errors(vec![schema::request_error(error)]);
    serde_json::to_value(&response).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<!DOCTYPE html><html><head><title>Clientele</title>\
        <link rel=\"stylesheet\" href=\"/style-1.css\"></head>\
        <body><p id=\"boot\" class=\"boot\" role=\"status\">Loading Clientele…</p>\
        <script>1</script></body></html>";

    #[test]
    fn a_page_goes_in_where_the_loading_line_was() {
        let template = Template::parse(INDEX).expect("the index has its markers");
        let page = clientele_web::ssr::Page {
            body: "<main>Acme</main>".to_owned(),
            title: Some("Acme & Co <Ltd> — Clients — Clientele".to_owned()),
            answers: r#"{"a":"</script><b>"}"#.to_owned(),
        };
        assert_eq!(
            template.fill(&page),
            "<!DOCTYPE html><html><head><title>Acme &amp; Co &lt;Ltd&gt; — Clients — \
             Clientele</title><link rel=\"stylesheet\" href=\"/style-1.css\">\
             <script type=\"application/json\" id=\"first-paint-answers\">\
             {\"a\":\"\\u003c/script>\\u003cb>\"}</script></head>\
             <body><main>Acme</main><script>1</script></body></html>"
        );
    }

    #[test]
    fn gzip_only_where_taken() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).expect("a header value"),
            );
            accepts_gzip(&headers)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, GZIP;q=0.5"));
        assert!(with("*"));
        assert!(!with("br"));
        assert!(!with("gzip;q=0, br"));
        assert!(!with("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn an_index_without_its_markers_is_not_cut() {
        assert!(Template::parse("<html><head><title>x</title></head><body></body>").is_none());
        assert!(Template::parse("<html><body><p id=\"boot\">x</p></body>").is_none());
    }
}
