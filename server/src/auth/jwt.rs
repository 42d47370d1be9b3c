//! Session tokens: HS256 JWTs with `sub`, `role`, `iat` and `exp`. The algorithm is pinned,
//! so a token signed with another algorithm, another key or none at all is refused.

use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;
use crate::error::{ApiResult, AppError};

/// What a session token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    /// The role when the token was issued (the server re-reads the current one).
    pub role: Role,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
}

/// The keys and rules that issue and check tokens.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    csrf: super::cookie::CsrfKeys,
}

const ALGORITHM: Algorithm = Algorithm::HS256;

impl JwtKeys {
    /// Keys from a shared secret; tokens live for `ttl`.
    pub fn new(secret: &str, ttl: Duration) -> Self {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl,
            csrf: super::cookie::CsrfKeys::new(secret),
        }
    }

    /// How long a session lasts.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The CSRF tokens of cookie sessions, from the same secret.
    pub fn csrf(&self) -> &super::cookie::CsrfKeys {
        &self.csrf
    }

    /// Issues a token for a user, valid from `now` for the configured lifetime.
    pub fn issue(
        &self,
        user_id: Uuid,
        role: Role,
        now: DateTime<Utc>,
    ) -> ApiResult<(String, DateTime<Utc>)> {
        let ttl = chrono::Duration::from_std(self.ttl)
            .map_err(|e| anyhow::anyhow!("token lifetime out of range: {e}"))?;
        let expires_at = now + ttl;
        let claims = Claims {
            sub: user_id,
            role,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("signing a session token: {e}"))?;
        Ok((token, expires_at))
    }

    /// Checks a token's signature, algorithm and expiry.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                match error.kind() {
                    ErrorKind::ExpiredSignature => {
                        AppError::Unauthenticated("your session has expired; sign in again")
                    }
                    _ => AppError::Unauthenticated("invalid session token"),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    const SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";

    fn keys() -> JwtKeys {
        JwtKeys::new(SECRET, Duration::from_secs(3600))
    }

    fn b64(data: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    }

    fn code(result: ApiResult<Claims>) -> Option<&'static str> {
        result.err().map(|e| e.code())
    }

    #[test]
    fn an_issued_token_verifies_with_its_claims() -> Result<(), String> {
        let id = Uuid::new_v4();
        let (token, _) = keys()
            .issue(id, Role::Manager, Utc::now())
            .map_err(|e| format!("{e:?}"))?;
        let claims = keys().verify(&token).map_err(|e| format!("{e:?}"))?;
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, Role::Manager);
        assert!(claims.exp > claims.iat);
        Ok(())
    }

    #[test]
    fn an_expired_token_is_refused() -> Result<(), String> {
        let issued = Utc::now() - chrono::Duration::hours(2);
        let (token, _) = keys()
            .issue(Uuid::new_v4(), Role::Admin, issued)
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(code(keys().verify(&token)), Some("UNAUTHENTICATED"));
        Ok(())
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() -> Result<(), String> {
        let other = JwtKeys::new(
            "another-secret-another-secret-another",
            Duration::from_secs(60),
        );
        let (token, _) = other
            .issue(Uuid::new_v4(), Role::Admin, Utc::now())
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(code(keys().verify(&token)), Some("UNAUTHENTICATED"));
        Ok(())
    }

    #[test]
    fn a_token_with_alg_none_is_refused() {
        let now = Utc::now().timestamp();
        let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = b64(format!(
            r#"{{"sub":"{}","role":"admin","iat":{now},"exp":{}}}"#,
            Uuid::new_v4(),
            now + 600
        )
        .as_bytes());
        for token in [format!("{header}.{claims}."), format!("{header}.{claims}")] {
            assert_eq!(
                code(keys().verify(&token)),
                Some("UNAUTHENTICATED"),
                "{token}"
            );
        }
    }

    #[test]
    fn a_token_with_another_algorithm_is_refused() -> Result<(), String> {
        let claims = Claims {
            sub: Uuid::new_v4(),
            role: Role::Admin,
            iat: Utc::now().timestamp(),
            exp: Utc::now().timestamp() + 600,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .map_err(|e| e.to_string())?;
        assert_eq!(code(keys().verify(&token)), Some("UNAUTHENTICATED"));
        Ok(())
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(code(keys().verify("not.a.token")), Some("UNAUTHENTICATED"));
        assert_eq!(code(keys().verify("")), Some("UNAUTHENTICATED"));
    }
}
