//! The web app's session: the token in an `HttpOnly; Secure; SameSite=Strict` cookie that
//! no script can read, and beside it a CSRF token (an HMAC of the session under a key of
//! its own) in a cookie the app can read and must echo as `X-CSRF-Token` on every POST the
//! session cookie authenticates. Services and analysts keep `Authorization: Bearer`.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The session token (HttpOnly).
pub const SESSION_COOKIE: &str = "clientele_session";
/// The CSRF token (readable by the app, which sends it back as [`CSRF_HEADER`]).
pub const CSRF_COOKIE: &str = "clientele_csrf";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Derives and checks CSRF tokens.
#[derive(Clone)]
pub struct CsrfKeys {
    key: Vec<u8>,
}

impl CsrfKeys {
    /// A key derived from the server's secret, for this purpose only.
    pub fn new(secret: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(b"clientele csrf v1");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    fn mac(&self, session: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(session.as_bytes());
        mac
    }

    /// The CSRF token of a session token.
    pub fn token_for(&self, session: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(session).finalize().into_bytes())
    }

    /// Whether `presented` is the CSRF token of `session` (compared in constant time).
    pub fn matches(&self, session: &str, presented: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(presented.trim())
            .is_ok_and(|bytes| self.mac(session).verify_slice(&bytes).is_ok())
    }
}

/// The `Set-Cookie` values that start a session lasting `lifetime`.
pub fn start(session: &str, csrf: &str, lifetime: Duration) -> [HeaderValue; 2] {
    let age = lifetime.as_secs();
    [
        format!(
            "{SESSION_COOKIE}={session}; Path=/; Max-Age={age}; HttpOnly; Secure; SameSite=Strict"
        ),
        format!("{CSRF_COOKIE}={csrf}; Path=/; Max-Age={age}; Secure; SameSite=Strict"),
    ]
    .map(|value| {
        HeaderValue::from_str(&value)
            .unwrap_or_else(|_| HeaderValue::from_static("clientele_invalid=1; Max-Age=0"))
    })
}

/// The `Set-Cookie` values that end the session in the browser.
pub fn end() -> [HeaderValue; 2] {
    [
        HeaderValue::from_static(
            "clientele_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict",
        ),
        HeaderValue::from_static("clientele_csrf=; Path=/; Max-Age=0; Secure; SameSite=Strict"),
    ]
}

/// The value of the cookie `name` in a request's `Cookie` headers.
pub fn read<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csrf_token_belongs_to_its_session_and_key() {
        let keys = CsrfKeys::new("a-secret-that-is-long-enough-for-the-test");
        let token = keys.token_for("session-a");
        assert!(keys.matches("session-a", &token));
        assert!(!keys.matches("session-b", &token));
        assert!(!keys.matches("session-a", ""));
        assert!(!keys.matches("session-a", "not base64 !"));
        let other = CsrfKeys::new("another-secret-that-is-long-enough-for-it");
        assert!(!other.matches("session-a", &token));
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; clientele_csrf=xyz"),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("clientele_session=tok"),
        );
        assert_eq!(read(&headers, CSRF_COOKIE), Some("xyz"));
        assert_eq!(read(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(read(&headers, "missing"), None);
        let mut empty = HeaderMap::new();
        empty.append(
            header::COOKIE,
            HeaderValue::from_static("clientele_session="),
        );
        assert_eq!(read(&empty, SESSION_COOKIE), None);
    }

    #[test]
    fn the_session_cookie_is_out_of_scripts_reach() {
        let [session, csrf] = start("tok", "csrf", Duration::from_secs(60));
        let session = session.to_str().unwrap_or_default();
        assert!(session.starts_with("clientele_session=tok;"));
        for attribute in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Max-Age=60",
            "Path=/",
        ] {
            assert!(session.contains(attribute), "{session}");
        }
        let csrf = csrf.to_str().unwrap_or_default();
        assert!(!csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"));
        for ended in end() {
            assert!(ended.to_str().unwrap_or_default().contains("Max-Age=0"));
        }
    }
}
