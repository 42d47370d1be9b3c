//! All SQL of the audit trail. Private to `audit`.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// An entry to append.
pub(super) struct NewRecord<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

pub(super) async fn insert(db: &mut PgConnection, record: NewRecord<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"
        insert into audit_log (actor_id, action, entity, entity_id, before, after, request_id)
        values ($1, $2, $3, $4, $5, $6, $7)
        "#,
        record.actor_id,
        record.action,
        record.entity,
        record.entity_id,
        record.before,
        record.after,
        record.request_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Which audit entries to read; each given field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The kind of record (`client`, `bulk_operation`, …).
    pub entity: Option<String>,
    /// One record.
    pub entity_id: Option<Uuid>,
    /// Who did it.
    pub actor_id: Option<Uuid>,
    /// The action, or every action starting with it when it ends in `.` (`client.`).
    pub action: Option<String>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
}

/// An entry of the audit log.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// Its id.
    pub id: Uuid,
    /// Who did it; `None` for scheduled work.
    pub actor_id: Option<Uuid>,
    /// What was done.
    pub action: String,
    /// The kind of record.
    pub entity: String,
    /// The record.
    pub entity_id: Option<Uuid>,
    /// The record before.
    pub before: Option<serde_json::Value>,
    /// The record after.
    pub after: Option<serde_json::Value>,
    /// The request that did it.
    pub request_id: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

pub(super) async fn list(
    db: impl PgExecutor<'_>,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AuditRecord>> {
    sqlx::query_as!(
        AuditRecord,
        r#"
        select id, actor_id, action, entity, entity_id, before, after, request_id, at
        from audit_log
        where ($1::text is null or entity = $1)
          and ($2::uuid is null or entity_id = $2)
          and ($3::uuid is null or actor_id = $3)
          and ($4::text is null or action = $4
               or (right($4, 1) = '.' and starts_with(action, $4)))
          and ($5::timestamptz is null or at >= $5)
          and ($6::timestamptz is null or at < $6)
        order by at desc, id desc
        limit $7 offset $8
        "#,
        filter.entity,
        filter.entity_id,
        filter.actor_id,
        filter.action,
        filter.from,
        filter.to,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

pub(super) async fn count(db: impl PgExecutor<'_>, filter: &AuditFilter) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"
        select count(*) as "total!"
        from audit_log
        where ($1::text is null or entity = $1)
          and ($2::uuid is null or entity_id = $2)
          and ($3::uuid is null or actor_id = $3)
          and ($4::text is null or action = $4
               or (right($4, 1) = '.' and starts_with(action, $4)))
          and ($5::timestamptz is null or at >= $5)
          and ($6::timestamptz is null or at < $6)
        "#,
        filter.entity,
        filter.entity_id,
        filter.actor_id,
        filter.action,
        filter.from,
        filter.to,
    )
    .fetch_one(db)
    .await
}

pub(super) async fn times_since(
    db: impl PgExecutor<'_>,
    actor: Uuid,
    entity: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<DateTime<Utc>>> {
    sqlx::query_scalar!(
        r#"
        select at from audit_log
        where actor_id = $1 and entity = $2 and at >= $3
        order by at
        "#,
        actor,
        entity,
        since
    )
    .fetch_all(db)
    .await
}
