//! The one error type. Each variant is documented by what the caller sees; the single
//! `From<AppError> for async_graphql::Error` is the only place that sets `extensions.code`.
//!
//! `AppError` deliberately has no `Display`: async-graphql turns any `Display` type into an
//! error without extensions, which would bypass the mapping below.

use std::sync::Arc;

use async_graphql::ErrorExtensions;

use crate::telemetry;

/// An error as the API reports it.
#[derive(Debug, Clone)]
pub enum AppError {
    /// `UNAUTHENTICATED`: no valid session (missing where required, wrong, expired, forged).
    Unauthenticated(&'static str),
    /// `FORBIDDEN`: the caller's role may not do this.
    Forbidden,
    /// `FORBIDDEN`: a browser request that could have been forged by another site (`signIn`
    /// posted as a form encoding).
    CrossSite,
    /// `NOT_FOUND`: the named thing does not exist.
    NotFound(&'static str),
    /// `VALIDATION`: bad input; `extensions.fields` maps each field to its message.
    Validation(Vec<(String, String)>),
    /// `CONFLICT`: the request clashes with the current state; optional structured details
    /// appear under the extension name given.
    Conflict {
        /// What clashed, for a person.
        message: String,
        /// An extra extension (name, JSON value), e.g. the likely duplicates.
        details: Option<(&'static str, serde_json::Value)>,
    },
    /// `PAYLOAD_TOO_LARGE`: an upload over its limit.
    PayloadTooLarge(String),
    /// `UNSUPPORTED_MEDIA_TYPE`: a file of a type we do not accept.
    UnsupportedMediaType(String),
    /// `RATE_LIMITED`: too many attempts; `extensions.retryAfterSeconds` says when to try
    /// again.
    RateLimited {
        /// Seconds until the next attempt is accepted.
        retry_after_seconds: u64,
    },
    /// `VALIDATION` on `file` with `extensions.detail = "INFECTED"`: the virus scanner found
    /// the named signature. The file is not stored.
    Infected(String),
    /// `PERSISTED_QUERY_NOT_FOUND` (message `PersistedQueryNotFound`, as Apollo's clients
    /// expect): a persisted query's hash this server does not know; send the query with it.
    PersistedQueryNotFound,
    /// `UNAVAILABLE`: a service we depend on is down; try again later.
    Unavailable(&'static str),
    /// `UNAVAILABLE`: the request (or one of its statements) ran past the time limit and
    /// was cancelled.
    TimedOut,
    /// `UNAVAILABLE`: the server is at its limit of requests in flight.
    Overloaded,
    /// `INTERNAL`: our fault. The caller sees only a request id; the log has the chain.
    Internal(Arc<anyhow::Error>),
}

/// The result type of services and resolvers.
pub type ApiResult<T> = Result<T, AppError>;

impl AppError {
    /// A validation error for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![(field.into(), message.into())])
    }

    /// A conflict without structured details.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
            details: None,
        }
    }

    /// What the caller reads: never SQL, paths or a cause of an INTERNAL error.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(why) => (*why).to_owned(),
            Self::Forbidden => "your role does not allow this".to_owned(),
            Self::CrossSite => "refused as a possible cross-site request: send it as JSON \
                                (Content-Type: application/json)"
                .to_owned(),
            Self::NotFound(what) => format!("{what} not found"),
            Self::Validation(fields) => match fields.as_slice() {
                [(field, message)] => format!("invalid input: {field}: {message}"),
                _ => "invalid input".to_owned(),
            },
            Self::Conflict { message, .. } => message.clone(),
            Self::PayloadTooLarge(message) | Self::UnsupportedMediaType(message) => message.clone(),
            Self::RateLimited {
                retry_after_seconds,
            } => format!("too many attempts; try again in {retry_after_seconds} s"),
            Self::Infected(signature) => {
                format!("invalid input: file: the virus scanner found {signature}")
            }
            Self::PersistedQueryNotFound => "PersistedQueryNotFound".to_owned(),
            Self::Unavailable(what) => format!("{what} is unavailable; try again shortly"),
            Self::TimedOut => "the request ran past the time limit and was cancelled; ask \
                               for less at once"
                .to_owned(),
            Self::Overloaded => {
                "the server is at its limit of requests in flight; try again in a moment".to_owned()
            }
            Self::Internal(_) => "internal error".to_owned(),
        }
    }

    /// The `extensions.code` this error carries.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden | Self::CrossSite => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION",
            Self::Conflict { .. } => "CONFLICT",
            Self::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::Infected(_) => "VALIDATION",
            Self::Unavailable(_) | Self::TimedOut | Self::Overloaded => "UNAVAILABLE",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl AppError {
    /// The error as a background task reports it: its code and details, or for `INTERNAL`
    /// the whole chain.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            Self::Internal(error) => anyhow::anyhow!("{error:#}"),
            other => anyhow::anyhow!("{}: {other:?}", other.code()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(Arc::new(error))
    }
}

impl From<clientele_core::FieldErrors> for AppError {
    fn from(errors: clientele_core::FieldErrors) -> Self {
        Self::Validation(errors.into_pairs())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            // No connection within the pool's acquire timeout, or the connection broke:
            // the database is down or overloaded, not the request at fault.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(%error, "the database is unreachable");
                Self::Unavailable("the database")
            }
            // `statement_timeout` cancelled it: the request asked for too much at once.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("57014") => {
                tracing::warn!(error = %db, "a statement ran past its timeout");
                Self::TimedOut
            }
            other => Self::Internal(Arc::new(anyhow::Error::new(other))),
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        let code = error.code();
        let message = error.message();
        let request_id = match &error {
            AppError::Internal(chain) => {
                let request_id = telemetry::current_request_id();
                tracing::error!(%request_id, error = ?chain, "internal error");
                Some(request_id)
            }
            _ => None,
        };
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", code);
            match &error {
                AppError::RateLimited {
                    retry_after_seconds,
                } => ext.set("retryAfterSeconds", *retry_after_seconds),
                AppError::Validation(fields) => {
                    let map: async_graphql::indexmap::IndexMap<
                        async_graphql::Name,
                        async_graphql::Value,
                    > = fields
                        .iter()
                        .map(|(k, m)| {
                            (
                                async_graphql::Name::new(k),
                                async_graphql::Value::from(m.as_str()),
                            )
                        })
                        .collect();
                    ext.set("fields", async_graphql::Value::Object(map));
                }
                AppError::Infected(signature) => {
                    let mut fields = async_graphql::indexmap::IndexMap::new();
                    fields.insert(
                        async_graphql::Name::new("file"),
                        async_graphql::Value::from(format!("is infected ({signature})")),
                    );
                    ext.set("fields", async_graphql::Value::Object(fields));
                    ext.set("detail", "INFECTED");
                }
                AppError::Conflict {
                    details: Some((name, value)),
                    ..
                } => {
                    if let Ok(value) = async_graphql::Value::from_json(value.clone()) {
                        ext.set(*name, value);
                    }
                }
                _ => {}
            }
            if let Some(id) = &request_id {
                ext.set("requestId", id.as_str());
            }
        })
    }
}

/// Maps a violated database constraint to a user error; anything else stays internal.
pub trait OnConstraint<T> {
    /// When the error is a violation of `constraint`, returns `to_error()` instead.
    fn on_constraint(self, constraint: &str, to_error: impl FnOnce() -> AppError) -> ApiResult<T>;
}

impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
    fn on_constraint(self, constraint: &str, to_error: impl FnOnce() -> AppError) -> ApiResult<T> {
        self.map_err(|error| match &error {
            sqlx::Error::Database(db) if db.constraint() == Some(constraint) => to_error(),
            _ => error.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(error: AppError) -> Option<async_graphql::Value> {
        let gql: async_graphql::Error = error.into();
        gql.extensions.and_then(|e| e.get("code").cloned())
    }

    #[test]
    fn every_variant_sets_its_code() {
        let cases = [
            (AppError::Unauthenticated("x"), "UNAUTHENTICATED"),
            (AppError::Forbidden, "FORBIDDEN"),
            (AppError::CrossSite, "FORBIDDEN"),
            (AppError::NotFound("client"), "NOT_FOUND"),
            (AppError::invalid("email", "bad"), "VALIDATION"),
            (AppError::conflict("dup"), "CONFLICT"),
            (AppError::PayloadTooLarge("big".into()), "PAYLOAD_TOO_LARGE"),
            (
                AppError::UnsupportedMediaType("exe".into()),
                "UNSUPPORTED_MEDIA_TYPE",
            ),
            (
                AppError::RateLimited {
                    retry_after_seconds: 3,
                },
                "RATE_LIMITED",
            ),
            (AppError::Infected("EICAR".into()), "VALIDATION"),
            (
                AppError::PersistedQueryNotFound,
                "PERSISTED_QUERY_NOT_FOUND",
            ),
            (AppError::Unavailable("the virus scanner"), "UNAVAILABLE"),
            (AppError::from(anyhow::anyhow!("boom")), "INTERNAL"),
        ];
        for (error, code) in cases {
            assert_eq!(code_of(error), Some(async_graphql::Value::from(code)));
        }
    }

    #[test]
    fn an_internal_error_hides_its_cause_and_carries_a_request_id() {
        let gql: async_graphql::Error =
            AppError::from(anyhow::anyhow!("relation \"clients\" does not exist")).into();
        assert_eq!(gql.message, "internal error");
        let ext = gql.extensions.expect("extensions");
        assert!(ext.get("requestId").is_some());
    }

    #[test]
    fn validation_lists_each_field() {
        let mut errors = clientele_core::FieldErrors::new();
        errors.add("email", "not an email");
        errors.add("phone", "too short");
        let gql: async_graphql::Error = AppError::from(errors).into();
        let ext = gql.extensions.expect("extensions");
        let fields = ext
            .get("fields")
            .expect("fields")
            .clone()
            .into_json()
            .expect("json");
        assert_eq!(fields["email"], "not an email");
        assert_eq!(fields["phone"], "too short");
    }
}
