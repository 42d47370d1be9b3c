//! Automatic persisted queries (Apollo's protocol, version 1): a client sends
//! `extensions.persistedQuery.sha256Hash` without the query; a server that knows the hash
//! runs the query it stands for, one that does not answers `PERSISTED_QUERY_NOT_FOUND`, and
//! the client sends query and hash together once, which the server checks and keeps. The
//! texts are kept in this process (the most recently used 1,000 queries); a replica that
//! has not seen a hash yet simply asks for the text once.
//!
//! The query text is restored before any other check, so a persisted query goes through
//! the same size, nesting, NUL and cost checks as one sent in full.

use std::{num::NonZeroUsize, sync::Mutex};

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Most query texts kept.
const CAPACITY: usize = 1000;

/// The query texts this server has been sent with their hashes.
pub struct PersistedQueries {
    texts: Mutex<lru::LruCache<String, String>>,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self {
            texts: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl PersistedQueries {
    /// Resolves `request`'s `persistedQuery` extension, if it has one: fills in the text of
    /// a known hash, or checks a text sent with its hash and keeps it (unless it is longer
    /// than `max_bytes`, which the size check then refuses).
    pub fn resolve(
        &self,
        request: &mut async_graphql::Request,
        max_bytes: usize,
    ) -> Result<(), AppError> {
        let Some(extension) = request.extensions.remove("persistedQuery") else {
            return Ok(());
        };
        let extension = extension.into_json().unwrap_or_default();
        if extension["version"] != 1 {
            return Err(AppError::invalid(
                "extensions.persistedQuery.version",
                "only version 1 is supported",
            ));
        }
        let Some(hash) = extension["sha256Hash"]
            .as_str()
            .map(str::to_ascii_lowercase)
        else {
            return Err(AppError::invalid(
                "extensions.persistedQuery.sha256Hash",
                "is required",
            ));
        };
        let mut texts = self
            .texts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if request.query.is_empty() {
            let text = texts
                .get(&hash)
                .cloned()
                .ok_or(AppError::PersistedQueryNotFound)?;
            request.query = text;
            return Ok(());
        }
        if format!("{:x}", Sha256::digest(request.query.as_bytes())) != hash {
            return Err(AppError::invalid(
                "extensions.persistedQuery.sha256Hash",
                "is not the SHA-256 of the query",
            ));
        }
        if request.query.len() <= max_bytes {
            texts.put(hash, request.query.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const QUERY: &str = "{ me { id } }";

    fn request(query: &str, hash: &str) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(query);
        request.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(json!({ "version": 1, "sha256Hash": hash }))
                .unwrap_or_default(),
        );
        request
    }

    fn hash(query: &str) -> String {
        format!("{:x}", Sha256::digest(query.as_bytes()))
    }

    #[test]
    fn a_hash_is_unknown_until_its_query_is_sent_with_it() {
        let persisted = PersistedQueries::default();
        let mut miss = request("", &hash(QUERY));
        assert_eq!(
            persisted.resolve(&mut miss, 1000).err().map(|e| e.code()),
            Some("PERSISTED_QUERY_NOT_FOUND")
        );
        let mut register = request(QUERY, &hash(QUERY));
        assert!(persisted.resolve(&mut register, 1000).is_ok());
        let mut hit = request("", &hash(QUERY));
        assert!(persisted.resolve(&mut hit, 1000).is_ok());
        assert_eq!(hit.query, QUERY);
        assert!(!hit.extensions.contains_key("persistedQuery"));
    }

    #[test]
    fn a_wrong_hash_or_version_is_refused_and_long_texts_are_not_kept() {
        let persisted = PersistedQueries::default();
        let mut wrong = request(QUERY, &hash("{ other }"));
        assert_eq!(
            persisted.resolve(&mut wrong, 1000).err().map(|e| e.code()),
            Some("VALIDATION")
        );
        let mut version = async_graphql::Request::new(QUERY);
        version.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(json!({ "version": 2, "sha256Hash": hash(QUERY) }))
                .unwrap_or_default(),
        );
        assert!(persisted.resolve(&mut version, 1000).is_err());
        let mut long = request(QUERY, &hash(QUERY));
        assert!(persisted.resolve(&mut long, 5).is_ok());
        let mut after = request("", &hash(QUERY));
        assert!(persisted.resolve(&mut after, 1000).is_err(), "not kept");
        // A request without the extension is left alone.
        let mut plain = async_graphql::Request::new(QUERY);
        assert!(persisted.resolve(&mut plain, 1000).is_ok());
        assert_eq!(plain.query, QUERY);
    }
}
