//! All SQL of email: the outbox and the reminder selection. Private to `email`.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// An email to write to the outbox.
pub(super) struct NewEmail<'a> {
    pub to: &'a str,
    pub template: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub dedupe_key: Option<&'a str>,
}

/// Writes an email; `None` when one with its dedupe key was written before.
pub(super) async fn insert(
    db: &mut PgConnection,
    email: NewEmail<'_>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"
        insert into email_outbox (to_address, template, subject, body_text, body_html, dedupe_key)
        values ($1, $2, $3, $4, $5, $6)
        on conflict (dedupe_key) do nothing
        returning id
        "#,
        email.to,
        email.template,
        email.subject,
        email.text,
        email.html,
        email.dedupe_key
    )
    .fetch_optional(db)
    .await
}

/// An email taken for sending.
pub(super) struct Taken {
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

/// Marks a pending email `sending` (committed before the transport is called); `None` when
/// it is not pending.
pub(super) async fn take(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Taken>> {
    sqlx::query_as!(
        Taken,
        r#"
        update email_outbox
        set status = 'sending', attempts = attempts + 1, sending_at = now()
        where id = $1 and status = 'pending'
        returning to_address, subject, body_text, body_html
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The status of an email, if it exists.
pub(super) async fn status(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select status from email_outbox where id = $1", id)
        .fetch_optional(db)
        .await
}

/// Records the outcome of a send: `sent` with the transport's id, `pending` again (to be
/// retried) or `failed`/`unknown` with the error.
pub(super) async fn settle(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: &str,
    provider_message_id: Option<&str>,
    error: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"
        update email_outbox
        set status = $2,
            provider_message_id = coalesce($3, provider_message_id),
            last_error = $4,
            sent_at = case when $2 = 'sent' then now() else sent_at end
        where id = $1
        "#,
        id,
        status,
        provider_message_id,
        error
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An active client of an active account manager with no feedback for any of the periods.
pub(super) struct Due {
    pub manager_id: Uuid,
    pub manager_name: String,
    pub manager_email: String,
    pub client_name: String,
    pub client_code: String,
    pub last_feedback: Option<NaiveDate>,
}

/// Active clients without feedback for any of `periods` (a quarter and its months), with
/// their active account managers; by manager, then client name.
pub(super) async fn due_for_feedback(
    db: impl PgExecutor<'_>,
    periods: &[String],
) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as!(
        Due,
        r#"
        select u.id as manager_id, u.full_name as manager_name, u.email as manager_email,
               c.name as client_name, c.client_code,
               (select max(f.feedback_date) from client_feedback f where f.client_id = c.id)
                   as last_feedback
        from clients c
        join users u on u.id = c.account_manager_id
        where c.status = 'active' and u.is_active
          and not exists (
              select 1 from client_feedback f
              where f.client_id = c.id and f.feedback_period = any($1)
          )
        order by u.id, c.search_name collate "C", c.id
        "#,
        periods
    )
    .fetch_all(db)
    .await
}
