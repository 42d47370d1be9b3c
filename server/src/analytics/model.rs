//! What a client's dashboard and analytics show.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::JobStatus;
use uuid::Uuid;

use crate::graphql::scalars::Date;

/// A client's dashboard; each part is computed when asked for.
#[derive(Debug, Clone, Copy)]
pub struct Dashboard {
    /// The client.
    pub client_id: Uuid,
}

/// The dashboard's headline figures, over the client's jobs (its own and those linked).
#[derive(Debug, Clone, Copy, PartialEq, SimpleObject)]
pub struct DashboardStats {
    /// Jobs linked to the client now.
    pub linked_jobs: i64,
    /// Of them open or on hold.
    pub active_jobs: i64,
    /// Candidates who applied to them.
    pub total_candidates: i64,
    /// Candidates hired for them.
    pub hires: i64,
    /// Average days from opening to filling, over the filled ones.
    pub average_time_to_fill_days: Option<f64>,
}

/// How many of the client's jobs are in one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleObject)]
pub struct JobStatusCount {
    /// The status.
    pub status: JobStatus,
    /// How many jobs.
    pub count: i64,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ActivityKind {
    /// A communication was logged.
    Communication,
    /// A job was linked to the client.
    JobLinked,
    /// A job was unlinked.
    JobUnlinked,
    /// A candidate moved to another stage in one of the client's jobs.
    StageChanged,
    /// Feedback was submitted.
    Feedback,
}

/// One entry of the dashboard's activity timeline.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct Activity {
    /// What happened.
    pub kind: ActivityKind,
    /// When.
    pub at: DateTime<Utc>,
    /// In a few words: the subject, the job, the candidate and stage, the period.
    pub summary: String,
    /// Who did it, when known.
    pub actor_name: Option<String>,
    /// The record it is about (communication, job, application, feedback).
    #[graphql(skip)]
    pub record_id: Option<Uuid>,
}

/// How a series is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Granularity {
    /// One point per day.
    Day,
    /// One point per ISO week (from Monday).
    Week,
    /// One point per calendar month.
    Month,
}

impl Granularity {
    /// The `date_trunc` field.
    pub fn unit(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// One point of a client's analytics series. Counts of what exists (jobs, candidates) are
/// as of the bucket's last aggregated day; stage counts are what happened in the bucket.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct AnalyticsPoint {
    /// First day of the bucket.
    pub date: Date,
    /// Open or on-hold jobs at the bucket's end.
    pub active_jobs: i64,
    /// Candidates who had applied by the bucket's end.
    pub total_candidates: i64,
    /// Candidates screened in the bucket.
    pub screened: i64,
    /// Candidates shortlisted in the bucket.
    pub shortlisted: i64,
    /// Candidates interviewed in the bucket.
    pub interviewed: i64,
    /// Candidates hired in the bucket.
    pub hired: i64,
    /// Average days to fill of the jobs filled by the bucket's end.
    pub average_time_to_fill_days: Option<f64>,
    /// Average quality score (0–100) of the candidates by the bucket's end.
    pub average_quality_score: Option<f64>,
}

/// What an aggregation run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleObject)]
pub struct AggregationRun {
    /// The day aggregated.
    pub date: Date,
    /// Clients written.
    pub clients: i64,
}
