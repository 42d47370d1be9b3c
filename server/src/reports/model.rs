//! A report record, and the data a performance report shows.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
pub use clientele_core::{ReportKind, ReportStatus};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    error::{ApiResult, AppError},
    graphql::scalars::Date,
};

/// A rendered (or pending) report of a client.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Report {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// The client (see `client`).
    #[graphql(skip)]
    pub client_id: Uuid,
    /// What it shows.
    pub kind: ReportKind,
    /// First day covered.
    pub date_from: Date,
    /// Last day covered.
    pub date_to: Date,
    /// Where it stands.
    pub status: ReportStatus,
    /// Who asked for it (see `requestedBy`).
    #[graphql(skip)]
    pub requested_by: Uuid,
    /// The PDF (see `file`).
    #[graphql(skip)]
    pub file_id: Option<Uuid>,
    /// Why rendering failed.
    pub error: Option<String>,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When it was rendered (or failed).
    pub finished_at: Option<DateTime<Utc>>,
}

/// Everything a performance report shows, as the template reads it from `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// The client.
    pub client: ClientPart,
    /// The range covered.
    pub period: PeriodPart,
    /// The day it was prepared.
    pub generated_on: String,
    /// How many feedbacks were averaged.
    pub averages: CountPart,
    /// Each criterion's name and average (as shown).
    pub criteria: Vec<CriterionPart>,
    /// Per period of the range, each criterion's average.
    pub trends: Vec<TrendPart>,
    /// Jobs and pipeline.
    pub jobs: JobsPart,
    /// Important communications of the range, newest first (at most
    /// [`IMPORTANT_SHOWN`](super::service::IMPORTANT_SHOWN)).
    pub communications: Vec<CommunicationPart>,
    /// How many important communications the range has in all.
    pub communications_total: i64,
}

/// The days a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    from: Date,
    to: Date,
}

impl ReportRange {
    /// The range from `dateFrom` to `dateTo`; VALIDATION when it ends before it starts.
    pub fn parse(from: Date, to: Date) -> ApiResult<Self> {
        if to < from {
            return Err(AppError::invalid("dateTo", "must not be before dateFrom"));
        }
        Ok(Self { from, to })
    }

    /// The first day.
    pub fn from(self) -> Date {
        self.from
    }

    /// The last day.
    pub fn to(self) -> Date {
        self.to
    }

    /// Midnight UTC starting the first day.
    pub fn starts(self) -> DateTime<Utc> {
        self.from.start()
    }

    /// Midnight UTC after the last day.
    pub fn ends(self) -> DateTime<Utc> {
        let next = self.to.0.succ_opt().unwrap_or(chrono::NaiveDate::MAX);
        Date(next).start()
    }
}

/// The client on the cover.
#[derive(Debug, Clone, Serialize)]
pub struct ClientPart {
    /// Name.
    pub name: String,
    /// Code.
    pub code: String,
    /// Industry (— when unknown).
    pub industry: String,
    /// Account manager (— when none).
    pub account_manager: String,
}

/// The range covered.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodPart {
    /// `2026-01-01 – 2026-09-30`.
    pub label: String,
}

/// A count.
#[derive(Debug, Clone, Serialize)]
pub struct CountPart {
    /// How many.
    pub count: i64,
}

/// One criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionPart {
    /// Key in a trend's values.
    pub key: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its average, two decimals (— when nothing was rated).
    pub average: String,
}

/// One period of the trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPart {
    /// The period.
    pub period: String,
    /// Each criterion's average, by key (null when not rated).
    pub values: std::collections::BTreeMap<&'static str, Option<f64>>,
}

/// Jobs and pipeline figures.
#[derive(Debug, Clone, Serialize)]
pub struct JobsPart {
    /// Jobs linked to the client (its own and linked ones).
    pub linked: i64,
    /// Of them open now.
    pub open: i64,
    /// Of them filled.
    pub filled: i64,
    /// Candidates hired for them.
    pub hires: i64,
    /// Average days from opening to filling (— when none was filled).
    pub time_to_fill: String,
    /// Candidates per stage, in pipeline order, stages with none left out.
    pub stages: Vec<StagePart>,
}

/// Candidates in one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StagePart {
    /// The stage, as people read it.
    pub stage: String,
    /// How many.
    pub count: i64,
}

/// One important communication.
#[derive(Debug, Clone, Serialize)]
pub struct CommunicationPart {
    /// Its day.
    pub date: String,
    /// Its type, as people read it.
    pub kind: String,
    /// Its subject.
    pub subject: String,
    /// Who logged it.
    pub logged_by: String,
}
