//! The audit trail: who did what to which record, with the record before and after.
//! Written in the same transaction as the change, so the two cannot disagree.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::telemetry;

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
    sqlx::query!(
        r#"
        insert into audit_log (actor_id, action, entity, entity_id, before, after, request_id)
        values ($1, $2, $3, $4, $5, $6, $7)
        "#,
        entry.actor_id,
        entry.action,
        entry.entity,
        entry.entity_id,
        before,
        after,
        request_id
    )
    .execute(db)
    .await?;
    Ok(())
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
