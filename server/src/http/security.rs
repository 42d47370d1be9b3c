//! Security headers. Every response: `X-Content-Type-Options: nosniff`,
//! `Referrer-Policy: no-referrer` and `X-Frame-Options: DENY`, plus HSTS when the request
//! came over TLS through a trusted proxy. The web app's pages also get a strict Content Security
//! Policy: scripts only from our origin plus the one inline loader Trunk writes (by its
//! hash, computed from the built `index.html` at start-up; never `'unsafe-inline'`), wasm
//! compilation, styles only from our stylesheet, and no framing.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::config::{Config, StorageBackend};

/// The `sha256-…` source of every inline `<script>` of a page.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let opening = &after[..open_end];
        let body_and_rest = &after[open_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        if !opening.contains(" src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_rest[close..];
    }
    hashes
}

/// Where images may come from besides our origin: the S3 endpoint of presigned logo links.
fn image_origins(config: &Config) -> String {
    match &config.storage {
        StorageBackend::Local => String::new(),
        StorageBackend::S3(settings) => match &settings.endpoint {
            Some(endpoint) => format!(" {}", endpoint.trim_end_matches('/')),
            None => " https://*.amazonaws.com".to_owned(),
        },
    }
}

/// The web app's Content Security Policy, for the built `index.html`.
pub fn app_policy(index_html: &str, config: &Config) -> String {
    let scripts = inline_script_hashes(index_html).join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; \
         style-src 'self'; img-src 'self' data: blob:{images}; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        images = image_origins(config)
    )
}

/// GraphiQL's page (`web/dist/graphiql`, bundled at build time): everything from our own
/// origin. Its fonts are `data:` URLs inside the stylesheet; the editor's components set
/// element styles, which need `'unsafe-inline'` for styles only, never for scripts.
pub const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Adds the app's policy to a page of the web app.
pub async fn app_headers(State(policy): State<HeaderValue>, mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// The headers every response carries.
pub async fn common_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// `Strict-Transport-Security` on answers to requests that came over TLS: we do not
/// terminate TLS ourselves, so that is a trusted proxy's `X-Forwarded-Proto: https`.
pub async fn hsts(State(trust_proxy): State<bool>, request: Request, next: Next) -> Response {
    let over_tls = trust_proxy
        && request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let mut response = next.run(request).await;
    if over_tls {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<head><script type=\"module\">init();</script>\
                    <script src=\"/a.js\"></script><script>b()</script></head>";
        let digest = |text: &str| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text))
            )
        };
        assert_eq!(
            inline_script_hashes(html),
            [digest("init();"), digest("b()")]
        );
    }
}
