//! A job of the host system.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use clientele_core::JobStatus;
use uuid::Uuid;

/// A job the agency recruits for.
#[derive(Debug, Clone, SimpleObject)]
pub struct Job {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// Job title.
    pub title: String,
    /// Where the job stands.
    pub status: JobStatus,
    /// When it opened for candidates.
    pub opened_at: Option<DateTime<Utc>>,
    /// When it was filled.
    pub filled_at: Option<DateTime<Utc>>,
    /// The client it is for (see also the client's linked jobs).
    #[graphql(skip)]
    pub client_id: Option<Uuid>,
    /// When the job was created.
    pub created_at: DateTime<Utc>,
}
