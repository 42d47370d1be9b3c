//! Email. Every message is first written to `email_outbox`, with a `DeliverEmail` task
//! beside it, in the transaction of the change that causes it: a change that rolls back
//! sends nothing, and one that commits is sure to be sent by the queue, whenever a server
//! runs it. Delivery goes through one [`MailTransport`] (`log` by default, `ses` for Amazon
//! SES v2) and marks the row `sending` before it calls the transport, so a server that
//! stops mid-send leaves a row that is never sent a second time (it becomes `unknown`).
//!
//! The emails: a welcome to a new client's primary contact (once per client), and on the
//! 1st of each month at 09:00 one feedback reminder per account manager listing their active
//! clients without feedback in the current quarter (once per manager and month).

mod deliver;
mod reminders;
mod sql;
mod templates;
mod transport;

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

pub use deliver::DeliverEmail;
pub use reminders::{
    FeedbackReminders, ManagerReminder, REMINDERS, RemindedClient, reminders_due,
    spawn as spawn_reminders, tick as reminder_tick,
};
pub use templates::{Rendered, render};
pub use transport::{
    LogTransport, MailTransport, Mailer, OutgoingEmail, SendError, SesSettings, SesTransport,
};

use crate::{config::EmailTransport, error::ApiResult, tasks};

/// The transport the configuration names.
pub fn mailer(config: &EmailTransport) -> Mailer {
    match config {
        EmailTransport::Log => std::sync::Arc::new(LogTransport),
        EmailTransport::Ses(settings) => std::sync::Arc::new(SesTransport::new(settings)),
    }
}

/// Writes `email` for `to` to the outbox and queues its delivery, in the caller's
/// transaction; `None` (and nothing written) when an email with `dedupe_key` was written
/// before.
pub async fn queue(
    db: &mut PgConnection,
    to: &str,
    email: &Rendered,
    dedupe_key: Option<&str>,
) -> ApiResult<Option<Uuid>> {
    let new = sql::NewEmail {
        to,
        template: email.template,
        subject: &email.subject,
        text: &email.text,
        html: &email.html,
        dedupe_key,
    };
    let Some(id) = sql::insert(&mut *db, new).await? else {
        return Ok(None);
    };
    tasks::enqueue(db, &DeliverEmail { id }).await?;
    Ok(Some(id))
}

/// What the welcome email says.
#[derive(Debug, Clone, Serialize)]
pub struct Welcome<'a> {
    /// The client's name.
    pub client_name: &'a str,
    /// Its code.
    pub client_code: &'a str,
    /// The primary contact's name.
    pub contact_name: &'a str,
    /// The account manager's name, if it has one.
    pub manager_name: Option<&'a str>,
    /// The account manager's email.
    pub manager_email: Option<&'a str>,
}

/// Queues the welcome email to a client's primary contact, in the caller's transaction:
/// once per client, however many primary contacts it later has.
pub async fn welcome(
    db: &mut PgConnection,
    client_id: Uuid,
    to: &str,
    welcome: &Welcome<'_>,
) -> ApiResult<Option<Uuid>> {
    let rendered = render("welcome", welcome)?;
    queue(db, to, &rendered, Some(&format!("welcome:{client_id}"))).await
}
