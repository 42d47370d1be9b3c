//! The audit trail: who did what to which record, with the record before and after.
//! Written in the same transaction as the change, so the two cannot disagree; read by
//! admins through `auditLog`.

pub(crate) mod graphql;
mod sql;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

pub use sql::{AuditFilter, AuditRecord};

use crate::{error::ApiResult, telemetry};

/// One audited change.
pub struct AuditEntry<'a, B: Serialize, A: Serialize> {
    /// Who did it (`None` for scheduled work).
    pub actor_id: Option<Uuid>,
    /// What was done, `entity.verb` (e.g. `client.deactivated`).
    pub action: &'a str,
    /// The kind of record.
    pub entity: &'a str,
    /// The record's id.
    pub entity_id: Uuid,
    /// The record before the change.
    pub before: Option<&'a B>,
    /// The record after the change.
    pub after: Option<&'a A>,
}

/// Appends an entry to the audit log.
pub async fn record<B: Serialize, A: Serialize>(
    db: &mut PgConnection,
    entry: AuditEntry<'_, B, A>,
) -> anyhow::Result<()> {
    let before = entry.before.map(serde_json::to_value).transpose()?;
    let after = entry.after.map(serde_json::to_value).transpose()?;
    let request_id = telemetry::REQUEST_ID.try_with(Clone::clone).ok();
    sql::insert(
        db,
        sql::NewRecord {
            actor_id: entry.actor_id,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            before,
            after,
            request_id,
        },
    )
    .await?;
    Ok(())
}

/// A page of the audit log, newest first, and how many entries match.
pub async fn list(
    db: &mut PgConnection,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<AuditRecord>, i64)> {
    let items = sql::list(&mut *db, filter, limit, offset).await?;
    let total = sql::count(&mut *db, filter).await?;
    Ok((items, total))
}

/// When `actor` did `entity` things at or after `since`, oldest first (for rate limits
/// that count what was done).
pub async fn times_since(
    db: &mut PgConnection,
    actor: Uuid,
    entity: &str,
    since: DateTime<Utc>,
) -> ApiResult<Vec<DateTime<Utc>>> {
    Ok(sql::times_since(db, actor, entity, since).await?)
}

/// Serialises an enum field of an audited record in its stored spelling (`on-hold`), so
/// the before/after snapshots read like the row they copy.
pub fn stored_spelling<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Copy + Into<&'static str>,
    S: serde::Serializer,
{
    serializer.serialize_str((*value).into())
}
