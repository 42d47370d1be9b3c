//! All SQL about communications. Private to `communications`.

use chrono::{DateTime, Utc};
use clientele_core::CommunicationType;
use sqlx::{PgConnection, PgExecutor, types::Json};
use uuid::Uuid;

use super::{Attachment, Communication, Participant};
use crate::graphql::scalars::Date;

/// The filters of a client's communication list, ready for SQL.
pub struct ListFilter {
    /// Only these types.
    pub types: Option<Vec<CommunicationType>>,
    /// From this instant on.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only important ones.
    pub important_only: bool,
    /// Only those with an open follow-up due by this day.
    pub follow_up_due_by: Option<Date>,
}

/// A row to insert.
pub struct NewRow<'a> {
    /// The client.
    pub client_id: Uuid,
    /// Its type.
    pub communication_type: CommunicationType,
    /// Subject.
    pub subject: &'a str,
    /// Notes.
    pub notes: Option<&'a str>,
    /// When it happened.
    pub communication_date: DateTime<Utc>,
    /// Who took part, as stored.
    pub participants: &'a [Participant],
    /// The job.
    pub job_reference_id: Option<Uuid>,
    /// Who logs it.
    pub logged_by: Uuid,
    /// Important.
    pub is_important: bool,
    /// Follow-up date and notes.
    pub follow_up: Option<(Date, Option<&'a str>)>,
}

/// Inserts a communication.
pub async fn insert(db: &mut PgConnection, row: NewRow<'_>) -> sqlx::Result<Communication> {
    let (follow_up_date, follow_up_notes) = match row.follow_up {
        Some((date, notes)) => (Some(date), notes),
        None => (None, None),
    };
    sqlx::query_as!(
        Communication,
        r#"
        insert into client_communications
            (client_id, communication_type, subject, notes, communication_date, participants,
             job_reference_id, logged_by, is_important, follow_up_required, follow_up_date,
             follow_up_notes)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        returning id, client_id, communication_type as "communication_type: CommunicationType",
                  subject, notes, communication_date,
                  participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
                  logged_by, is_important, follow_up_required,
                  follow_up_date as "follow_up_date: Date", follow_up_notes,
                  follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        "#,
        row.client_id,
        row.communication_type.as_str(),
        row.subject,
        row.notes,
        row.communication_date,
        Json(row.participants) as _,
        row.job_reference_id,
        row.logged_by,
        row.is_important,
        row.follow_up.is_some(),
        follow_up_date as Option<Date>,
        follow_up_notes
    )
    .fetch_one(db)
    .await
}

/// One page of a client's communications, newest first.
pub async fn list_for_client(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Communication>> {
    let types: Option<Vec<String>> = filter
        .types
        .as_ref()
        .map(|t| t.iter().map(|kind| kind.as_str().to_owned()).collect());
    sqlx::query_as!(
        Communication,
        r#"
        select id, client_id, communication_type as "communication_type: CommunicationType",
               subject, notes, communication_date,
               participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
               logged_by, is_important, follow_up_required,
               follow_up_date as "follow_up_date: Date", follow_up_notes,
               follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        from client_communications
        where client_id = $1
          and ($2::text[] is null or communication_type = any($2))
          and ($3::timestamptz is null or communication_date >= $3)
          and ($4::timestamptz is null or communication_date < $4)
          and (not $5 or is_important)
          and ($6::date is null
               or (follow_up_required and follow_up_completed_at is null
                   and follow_up_date <= $6))
        order by communication_date desc, id desc
        limit $7 offset $8
        "#,
        client_id,
        types.as_deref(),
        filter.from,
        filter.until,
        filter.important_only,
        filter.follow_up_due_by as Option<Date>,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// How many communications of a client match the filter.
pub async fn count_for_client(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    filter: &ListFilter,
) -> sqlx::Result<i64> {
    let types: Option<Vec<String>> = filter
        .types
        .as_ref()
        .map(|t| t.iter().map(|kind| kind.as_str().to_owned()).collect());
    sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from client_communications
        where client_id = $1
          and ($2::text[] is null or communication_type = any($2))
          and ($3::timestamptz is null or communication_date >= $3)
          and ($4::timestamptz is null or communication_date < $4)
          and (not $5 or is_important)
          and ($6::date is null
               or (follow_up_required and follow_up_completed_at is null
                   and follow_up_date <= $6))
        "#,
        client_id,
        types.as_deref(),
        filter.from,
        filter.until,
        filter.important_only,
        filter.follow_up_due_by as Option<Date>
    )
    .fetch_one(db)
    .await
}

/// One communication, locked for the rest of the transaction when `for_update`.
pub async fn find(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Communication>> {
    sqlx::query_as!(
        Communication,
        r#"
        select id, client_id, communication_type as "communication_type: CommunicationType",
               subject, notes, communication_date,
               participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
               logged_by, is_important, follow_up_required,
               follow_up_date as "follow_up_date: Date", follow_up_notes,
               follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        from client_communications
        where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// One communication by id, unlocked.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Communication>> {
    sqlx::query_as!(
        Communication,
        r#"
        select id, client_id, communication_type as "communication_type: CommunicationType",
               subject, notes, communication_date,
               participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
               logged_by, is_important, follow_up_required,
               follow_up_date as "follow_up_date: Date", follow_up_notes,
               follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        from client_communications
        where id = $1
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The importance and follow-up of a communication, as they are to be written.
pub struct Flags {
    /// Important.
    pub is_important: bool,
    /// A follow-up is asked for.
    pub follow_up_required: bool,
    /// When to follow up.
    pub follow_up_date: Option<Date>,
    /// What to follow up on.
    pub follow_up_notes: Option<String>,
    /// When it was done.
    pub follow_up_completed_at: Option<DateTime<Utc>>,
    /// Who did it.
    pub follow_up_completed_by: Option<Uuid>,
}

/// Writes a communication's importance and follow-up.
pub async fn set_flags(
    db: &mut PgConnection,
    id: Uuid,
    flags: &Flags,
) -> sqlx::Result<Communication> {
    sqlx::query_as!(
        Communication,
        r#"
        update client_communications
        set is_important = $2, follow_up_required = $3, follow_up_date = $4,
            follow_up_notes = $5, follow_up_completed_at = $6, follow_up_completed_by = $7
        where id = $1
        returning id, client_id, communication_type as "communication_type: CommunicationType",
                  subject, notes, communication_date,
                  participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
                  logged_by, is_important, follow_up_required,
                  follow_up_date as "follow_up_date: Date", follow_up_notes,
                  follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        "#,
        id,
        flags.is_important,
        flags.follow_up_required,
        flags.follow_up_date as Option<Date>,
        flags.follow_up_notes,
        flags.follow_up_completed_at,
        flags.follow_up_completed_by
    )
    .fetch_one(db)
    .await
}

/// A page of a user's open follow-ups across clients, soonest first.
pub async fn open_follow_ups(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    due_by: Option<Date>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Communication>> {
    sqlx::query_as!(
        Communication,
        r#"
        select id, client_id, communication_type as "communication_type: CommunicationType",
               subject, notes, communication_date,
               participants as "participants: Json<Vec<Participant>>",
               attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
               logged_by, is_important, follow_up_required,
               follow_up_date as "follow_up_date: Date", follow_up_notes,
               follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        from client_communications
        where logged_by = $1 and follow_up_required and follow_up_completed_at is null
          and ($2::date is null or follow_up_date <= $2)
        order by follow_up_date, communication_date desc, id
        limit $3 offset $4
        "#,
        user_id,
        due_by as Option<Date>,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// How many open follow-ups a user has (due by the day, when given).
pub async fn count_open_follow_ups(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    due_by: Option<Date>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from client_communications
        where logged_by = $1 and follow_up_required and follow_up_completed_at is null
          and ($2::date is null or follow_up_date <= $2)
        "#,
        user_id,
        due_by as Option<Date>
    )
    .fetch_one(db)
    .await
}

/// Adds an attachment's description to a communication.
pub async fn append_attachment(
    db: &mut PgConnection,
    id: Uuid,
    attachment: &Attachment,
) -> sqlx::Result<Option<Communication>> {
    sqlx::query_as!(
        Communication,
        r#"
        update client_communications
        set attachments = attachments || jsonb_build_array($2::jsonb)
        where id = $1
        returning id, client_id, communication_type as "communication_type: CommunicationType",
                  subject, notes, communication_date,
                  participants as "participants: Json<Vec<Participant>>",
                  attachments as "attachments: Json<Vec<Attachment>>", job_reference_id,
                  logged_by, is_important, follow_up_required,
                  follow_up_date as "follow_up_date: Date", follow_up_notes,
                  follow_up_completed_at, follow_up_completed_by, created_at, updated_at
        "#,
        id,
        Json(attachment) as _
    )
    .fetch_optional(db)
    .await
}
