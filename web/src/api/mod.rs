//! The only place that talks to the server: typed GraphQL operations (checked against
//! `schema.graphql` at compile time by graphql_client) and the error type pages show.

pub mod first_paint;
pub mod live;
pub mod operations;
pub mod upload;

#[cfg(not(any(feature = "csr", feature = "ssr")))]
compile_error!(
    "build clientele-web with `csr` (the browser app) or `ssr` (the server's first paints)"
);
#[cfg(all(feature = "csr", feature = "ssr"))]
compile_error!("`csr` and `ssr` are two builds of clientele-web: choose one");

use std::collections::BTreeMap;

use graphql_client::GraphQLQuery;
use serde::{Serialize, de::DeserializeOwned};

use crate::session::Session;

/// A likely duplicate named by a CONFLICT error.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateRef {
    /// Client id.
    pub id: String,
    /// Client name.
    pub name: String,
    /// Client code.
    pub client_code: String,
}

/// An error as the pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// `extensions.code` (`NETWORK` when the server could not be reached).
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// Field → message, for VALIDATION errors.
    pub fields: BTreeMap<String, String>,
    /// Likely duplicates, for CONFLICT errors about them.
    pub duplicates: Vec<DuplicateRef>,
}

impl ApiError {
    pub(crate) fn network(error: impl std::fmt::Display) -> Self {
        Self {
            code: "NETWORK".to_owned(),
            message: format!(
                "Could not reach the server ({error}). Check your connection and try again."
            ),
            fields: BTreeMap::new(),
            duplicates: Vec::new(),
        }
    }

    pub(crate) fn from_graphql(error: &graphql_client::Error) -> Self {
        let ext = error.extensions.as_ref();
        let text = |key: &str| {
            ext.and_then(|e| e.get(key))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let fields = ext
            .and_then(|e| e.get("fields"))
            .and_then(|f| f.as_object())
            .map(|f| {
                f.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let duplicates = ext
            .and_then(|e| e.get("duplicates"))
            .and_then(|d| d.as_array())
            .map(|list| {
                list.iter()
                    .map(|d| DuplicateRef {
                        id: d["id"].as_str().unwrap_or_default().to_owned(),
                        name: d["name"].as_str().unwrap_or_default().to_owned(),
                        client_code: d["clientCode"].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let code = text("code").unwrap_or_else(|| "INTERNAL".to_owned());
        let mut message = error.message.clone();
        if let Some(id) = text("requestId") {
            message = format!("Something went wrong on our side (reference {id}).");
        }
        Self {
            code,
            message,
            fields,
            duplicates,
        }
    }

    /// The message for one field, if the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }
}

/// Runs a GraphQL operation as the signed-in user (the browser sends the session cookie;
/// we add its CSRF token). An UNAUTHENTICATED answer while signed in means the session
/// ended: the app forgets it and sends the user to sign-in with a message.
///
/// The answers of a page's first paint come with the page (the server rendered it with
/// them): the first render of the app takes those instead of asking again.
pub async fn call<Q>(session: Session, variables: Q::Variables) -> Result<Q::ResponseData, ApiError>
where
    Q: GraphQLQuery,
    Q::Variables: Serialize,
    Q::ResponseData: DeserializeOwned,
{
    let body = Q::build_query(variables);
    let signed_in = session.signed_in_untracked();
    let variables = serde_json::to_value(&body.variables).map_err(ApiError::network)?;
    let key = first_paint::key(body.operation_name, &variables);
    let parsed = answer(key, body.operation_name, body.query, variables).await?;
    // Errors first: a refused field can leave `data` partial, so it is read only when
    // there are none.
    if let Some(error) = parsed.errors.as_ref().and_then(|e| e.first()) {
        let error = ApiError::from_graphql(error);
        if error.code == "UNAUTHENTICATED" && signed_in {
            session.expire();
        }
        return Err(error);
    }
    let data = parsed
        .data
        .ok_or_else(|| ApiError::network("empty response"))?;
    serde_json::from_value(data).map_err(ApiError::network)
}

/// The server's answer to one operation, from the first paint's answers or over HTTP.
#[cfg(not(feature = "ssr"))]
async fn answer(
    key: String,
    operation_name: &str,
    query: &str,
    variables: serde_json::Value,
) -> Result<graphql_client::Response<serde_json::Value>, ApiError> {
    if let Some(answer) = first_paint::take(&key) {
        return serde_json::from_value(answer).map_err(ApiError::network);
    }
    // Automatic persisted queries: the hash alone first; the text only when this server
    // has not seen it yet.
    let hash = sha256_hex(query);
    let mut sent = serde_json::json!({
        "operationName": operation_name,
        "variables": variables,
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } },
    });
    let parsed = post(&sent).await?;
    let unknown = parsed
        .errors
        .as_ref()
        .and_then(|e| e.first())
        .is_some_and(|e| e.message == "PersistedQueryNotFound");
    if !unknown {
        return Ok(parsed);
    }
    sent["query"] = serde_json::Value::from(query);
    post(&sent).await
}

/// On the server, rendering a first paint: the server answers in process.
#[cfg(feature = "ssr")]
async fn answer(
    key: String,
    operation_name: &str,
    query: &str,
    variables: serde_json::Value,
) -> Result<graphql_client::Response<serde_json::Value>, ApiError> {
    let body = serde_json::json!({
        "operationName": operation_name,
        "query": query,
        "variables": variables,
    });
    serde_json::from_value(crate::ssr::execute(key, body)).map_err(ApiError::network)
}

/// Posts a GraphQL request body with the session's cookie and CSRF token.
#[cfg(not(feature = "ssr"))]
async fn post(
    body: &serde_json::Value,
) -> Result<graphql_client::Response<serde_json::Value>, ApiError> {
    let mut request = gloo_net::http::Request::post("/graphql");
    if let Some(csrf) = crate::session::csrf_token() {
        request = request.header("x-csrf-token", &csrf);
    }
    let response = request
        .json(body)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    response.json().await.map_err(ApiError::network)
}

/// The SHA-256 of a text, in lower-case hex (the persisted-query hash).
#[cfg(not(feature = "ssr"))]
fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
