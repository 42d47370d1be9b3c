//! Duplicate detection: before a client is created (or renamed), look for clients with a
//! similar normalised name or a shared website / email domain.

use std::collections::HashMap;

use async_graphql::{ComplexObject, Enum, SimpleObject};
use clientele_core::values::is_public_email_domain;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{model::Client, sql};
use crate::error::ApiResult;

/// Lowest name similarity (0–1, trigrams of normalised names) that counts as a likely duplicate.
pub const NAME_SIMILARITY_THRESHOLD: f64 = 0.6;
/// Score given to a shared domain: strong evidence, but below an identical name.
pub const SHARED_DOMAIN_SCORE: f64 = 0.9;

/// Why a client looks like a duplicate.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DuplicateReason {
    /// The names are alike once case, punctuation and legal suffixes are ignored.
    SimilarName,
    /// Its website has one of the given domains.
    SameWebsiteDomain,
    /// One of its contacts has an email at one of the given domains.
    SameEmailDomain,
}

/// A likely duplicate of a client being created or renamed.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "DuplicateMatch", complex)]
pub struct DuplicateCandidate {
    /// The existing client.
    pub client: Client,
    /// 0–1; 1 means the same name once case, punctuation and legal suffixes are ignored.
    pub score: f64,
    /// Every reason it matched.
    pub reasons: Vec<DuplicateReason>,
    /// Shared website or email domains.
    pub domains: Vec<String>,
}

#[ComplexObject]
impl DuplicateCandidate {
    /// The reasons in words, for the "possible duplicate" alert.
    async fn explanation(&self) -> String {
        let parts: Vec<String> = self
            .reasons
            .iter()
            .map(|reason| match reason {
                DuplicateReason::SimilarName => {
                    format!("similar name ({:.0}% alike)", self.score * 100.0)
                }
                DuplicateReason::SameWebsiteDomain => {
                    format!("same website domain ({})", self.domains.join(", "))
                }
                DuplicateReason::SameEmailDomain => {
                    format!("a contact's email at {}", self.domains.join(", "))
                }
            })
            .collect();
        parts.join("; ")
    }
}

/// What to compare against.
#[derive(Debug, Clone, Default)]
pub struct DuplicateQuery {
    /// The company name.
    pub name: Option<String>,
    /// Website domain (already normalised).
    pub website_domain: Option<String>,
    /// Email domains of the new contacts.
    pub email_domains: Vec<String>,
    /// A client to leave out (the one being edited).
    pub exclude: Option<Uuid>,
}

/// Likely duplicates, most likely first.
pub async fn find(
    db: &mut PgConnection,
    query: &DuplicateQuery,
) -> ApiResult<Vec<DuplicateCandidate>> {
    let mut found: HashMap<Uuid, (f64, Vec<DuplicateReason>, Vec<String>)> = HashMap::new();
    if let Some(name) = query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        for m in
            sql::similar_names(&mut *db, name, NAME_SIMILARITY_THRESHOLD, query.exclude).await?
        {
            let entry = found.entry(m.client_id).or_default();
            entry.0 = entry.0.max(m.score);
            entry.1.push(DuplicateReason::SimilarName);
        }
    }
    let mut domains: Vec<String> = query
        .website_domain
        .iter()
        .chain(&query.email_domains)
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .filter(|d| !d.is_empty() && !is_public_email_domain(d))
        .collect();
    domains.sort();
    domains.dedup();
    if !domains.is_empty() {
        for m in sql::shared_domains(&mut *db, &domains, query.exclude).await? {
            let entry = found.entry(m.client_id).or_default();
            entry.0 = entry.0.max(SHARED_DOMAIN_SCORE);
            let reason = if m.source == "website" {
                DuplicateReason::SameWebsiteDomain
            } else {
                DuplicateReason::SameEmailDomain
            };
            if !entry.1.contains(&reason) {
                entry.1.push(reason);
            }
            if !entry.2.contains(&m.domain) {
                entry.2.push(m.domain);
            }
        }
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = found.keys().copied().collect();
    let mut candidates: Vec<DuplicateCandidate> = sql::clients_by_ids(&mut *db, &ids)
        .await?
        .into_iter()
        .filter_map(|client| {
            let (score, reasons, domains) = found.remove(&client.id)?;
            Some(DuplicateCandidate {
                client,
                score,
                reasons,
                domains,
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.client.name.cmp(&b.client.name))
    });
    Ok(candidates)
}

/// The candidates as JSON, for a CONFLICT error's `extensions.duplicates`.
pub fn to_json(candidates: &[DuplicateCandidate]) -> serde_json::Value {
    serde_json::Value::Array(
        candidates
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.client.id,
                    "clientCode": c.client.client_code,
                    "name": c.client.name,
                    "score": c.score,
                    "reasons": c.reasons,
                    "domains": c.domains,
                })
            })
            .collect(),
    )
}
