//! `DeliverEmail`: hands one outbox email to the transport, at most once.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{OutgoingEmail, SendError, sql};
use crate::tasks::{Attempt, Task, TaskContext};

/// What the row says when a server stopped while sending it.
const STOPPED_MID_SEND: &str = "a server stopped while handing this email to the transport: \
                                it may have been sent, so it is not sent again";

/// Sends the outbox email `id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliverEmail {
    /// The outbox row.
    pub id: Uuid,
}

impl Task for DeliverEmail {
    const NAME: &'static str = "deliver_email";

    async fn run(self, ctx: &TaskContext, attempt: Attempt) -> anyhow::Result<()> {
        // `sending` is committed before the transport is called: whatever happens next, no
        // later run sends this row again.
        let Some(taken) = sql::take(&ctx.pool, self.id).await? else {
            if sql::status(&ctx.pool, self.id).await?.as_deref() == Some("sending") {
                tracing::warn!(id = %self.id, "an email may or may not have been sent");
                crate::metrics::email("unknown");
                sql::settle(&ctx.pool, self.id, "unknown", None, Some(STOPPED_MID_SEND)).await?;
            }
            return Ok(());
        };
        let email = OutgoingEmail {
            id: self.id,
            from: ctx.config.email_from.clone(),
            to: taken.to_address,
            subject: taken.subject,
            text: taken.body_text,
            html: taken.body_html,
        };
        match ctx.mailer.send(&email).await {
            Ok(message_id) => {
                crate::metrics::email("sent");
                sql::settle(&ctx.pool, self.id, "sent", Some(&message_id), None).await?;
                Ok(())
            }
            Err(SendError::NotSent(error)) => {
                crate::metrics::email("refused");
                let status = if attempt.last { "failed" } else { "pending" };
                sql::settle(
                    &ctx.pool,
                    self.id,
                    status,
                    None,
                    Some(&format!("{error:#}")),
                )
                .await?;
                Err(error.context("the transport refused an email"))
            }
            Err(SendError::Unknown(error)) => {
                crate::metrics::email("unknown");
                tracing::warn!(id = %self.id, error = ?error, "an email may or may not have been sent");
                sql::settle(
                    &ctx.pool,
                    self.id,
                    "unknown",
                    None,
                    Some(&format!("{error:#}")),
                )
                .await?;
                Ok(())
            }
        }
    }
}
