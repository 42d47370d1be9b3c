//! Events every replica hears: a change is announced with PostgreSQL's NOTIFY in the same
//! transaction as the change (so only committed changes are announced), and each server
//! LISTENs on one connection and fans the events out to its subscribers in process.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool, postgres::PgListener};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The channel every event travels on.
const CHANNEL: &str = "clientele_events";

/// Something that happened, as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A communication was logged.
    CommunicationLogged {
        /// The communication.
        communication_id: Uuid,
        /// Its client.
        client_id: Uuid,
    },
}

/// Announces an event when the caller's transaction commits.
pub async fn announce(db: &mut PgConnection, event: &Event) -> anyhow::Result<()> {
    let payload = serde_json::to_string(event)?;
    sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(db)
        .await?;
    Ok(())
}

/// This server's subscribers' end of the events.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
}

impl Events {
    /// Starts listening on `pool`'s database; reconnects when the connection drops.
    pub fn listen(pool: PgPool) -> Self {
        let (sender, _) = broadcast::channel(1024);
        let events = Self { sender };
        let fan_out = events.sender.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = relay(&pool, &fan_out).await {
                    if pool.is_closed() {
                        return;
                    }
                    tracing::warn!(error = ?error, "event listener lost its connection; reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        });
        events
    }

    /// A new subscriber: every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

async fn relay(pool: &PgPool, fan_out: &broadcast::Sender<Event>) -> anyhow::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        match serde_json::from_str::<Event>(notification.payload()) {
            // No subscriber is not an error.
            Ok(event) => drop(fan_out.send(event)),
            Err(error) => {
                tracing::warn!(%error, payload = notification.payload(), "an event we cannot read")
            }
        }
    }
}
