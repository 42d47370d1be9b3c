//! A job of the host system, what is written to create or change one, and the figures of
//! its pipeline.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{ApplicationStage, FieldErrors, JobStatus, required_text};
use serde::Serialize;
use uuid::Uuid;

use crate::graphql::scalars::{Date, optional_uuid, uuid_change};

/// The longest job title.
pub const TITLE_MAX: usize = 200;

/// A job the agency recruits for.
#[derive(Debug, Clone, SimpleObject, Serialize)]
#[graphql(complex)]
pub struct Job {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// Job title.
    pub title: String,
    /// Where the job stands.
    #[serde(serialize_with = "crate::audit::stored_spelling")]
    pub status: JobStatus,
    /// When it first opened for candidates.
    pub opened_at: Option<DateTime<Utc>>,
    /// When it was filled.
    pub filled_at: Option<DateTime<Utc>>,
    /// The client it was created for (see `client`; other clients may link it too).
    #[graphql(skip)]
    pub client_id: Option<Uuid>,
    /// When the job was created.
    pub created_at: DateTime<Utc>,
}

impl Job {
    /// Days from opening to filling, or to now while it is open or on hold; none for
    /// drafts, closed jobs and jobs that never opened.
    pub fn days_open_at(&self, now: DateTime<Utc>) -> Option<f64> {
        let opened = self.opened_at?;
        let until = match self.status {
            JobStatus::Filled => self.filled_at?,
            JobStatus::Open | JobStatus::OnHold => now,
            JobStatus::Draft | JobStatus::Closed => return None,
        };
        Some(((until - opened).num_seconds() as f64 / 86_400.0).max(0.0))
    }
}

/// A new job.
#[derive(InputObject, Debug, Clone)]
pub struct CreateJobInput {
    /// Its title (1–200 characters).
    pub title: String,
    /// Where it starts (default DRAFT; OPEN opens it now).
    #[graphql(default_with = "JobStatus::Draft")]
    pub status: JobStatus,
    /// The client it is for.
    pub client_id: Option<ID>,
}

/// A new job, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// Title.
    pub title: String,
    /// Starting status.
    pub status: JobStatus,
    /// Client it is for.
    pub client_id: Option<Uuid>,
}

impl TryFrom<&CreateJobInput> for NewJob {
    type Error = FieldErrors;

    fn try_from(input: &CreateJobInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", required_text(&input.title, TITLE_MAX));
        let client_id = errors.check("clientId", optional_uuid(input.client_id.as_ref()));
        errors.finish(|| {
            Some(Self {
                title: title?,
                status: input.status,
                client_id: client_id?,
            })
        })
    }
}

/// Changes to a job; what is left out stays.
#[derive(InputObject, Debug, Clone, Default)]
pub struct UpdateJobInput {
    /// A new title.
    pub title: Option<String>,
    /// Another client, or null for none.
    pub client_id: MaybeUndefined<ID>,
}

/// Changes to a job, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobChange {
    /// The new title, if any.
    pub title: Option<String>,
    /// The new client, if it changes.
    pub client_id: MaybeUndefined<Uuid>,
}

impl TryFrom<&UpdateJobInput> for JobChange {
    type Error = FieldErrors;

    fn try_from(input: &UpdateJobInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = match &input.title {
            Some(title) => errors
                .check("title", required_text(title, TITLE_MAX))
                .map(Some),
            None => Some(None),
        };
        let client_id = errors.check("clientId", uuid_change(&input.client_id));
        errors.finish(|| {
            Some(Self {
                title: title?,
                client_id: client_id?,
            })
        })
    }
}

/// Which jobs to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct JobFilter {
    /// Only the jobs of this client (created for it, or linked to it).
    pub client_id: Option<ID>,
    /// Only jobs in these states.
    pub status: Option<Vec<JobStatus>>,
    /// Words of the title.
    pub search: Option<String>,
}

/// Which of a client's jobs to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ClientJobFilter {
    /// Only jobs in these states.
    pub status: Option<Vec<JobStatus>>,
    /// Opened (or, never opened, created) on or after this day.
    pub date_from: Option<Date>,
    /// Opened (or, never opened, created) on or before this day.
    pub date_to: Option<Date>,
}

/// How many candidates are in one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleObject)]
pub struct StageCount {
    /// The stage.
    pub stage: ApplicationStage,
    /// How many candidates.
    pub count: i64,
}

/// Every stage in pipeline order with its count from `counts` (zero where absent).
pub fn full_pipeline(counts: &[(ApplicationStage, i64)]) -> Vec<StageCount> {
    ApplicationStage::ALL
        .iter()
        .map(|&stage| StageCount {
            stage,
            count: counts
                .iter()
                .find(|(s, _)| *s == stage)
                .map_or(0, |(_, n)| *n),
        })
        .collect()
}

/// One job's figures for a client.
#[derive(Debug, Clone, SimpleObject)]
pub struct JobAnalytics {
    /// The job.
    pub job: Job,
    /// Candidates who applied.
    pub candidates: i64,
    /// Candidates hired.
    pub hires: i64,
    /// Candidates in each stage now, in pipeline order.
    pub pipeline: Vec<StageCount>,
    /// Candidates who ever reached each stage, in pipeline order (the funnel).
    pub reached: Vec<StageCount>,
    /// Days from opening to filling, or to now while open.
    pub days_open: Option<f64>,
    /// Average days from applying to being hired.
    pub average_days_to_hire: Option<f64>,
    /// Average quality score (0–100) of the candidates scored.
    pub average_quality_score: Option<f64>,
}
