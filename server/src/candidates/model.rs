//! Candidates (the seed's resumes), their applications to jobs, and every stage an
//! application entered.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_core::{ApplicationStage, Email, FieldErrors, required_text};
use uuid::Uuid;

use crate::graphql::scalars::optional_uuid;

/// A candidate.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Candidate {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: Option<String>,
    /// The client they came through, if any.
    #[graphql(skip)]
    pub client_id: Option<Uuid>,
    /// When they were added.
    pub created_at: DateTime<Utc>,
}

/// A candidate's application to a job.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Application {
    /// Unique id.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: Uuid,
    /// The candidate (see `candidate`).
    #[graphql(skip)]
    pub candidate_id: Uuid,
    /// The job (see `job`).
    #[graphql(skip)]
    pub job_id: Uuid,
    /// Where it stands.
    pub stage: ApplicationStage,
    /// The recruiter's quality score, 0–100.
    pub quality_score: Option<i16>,
    /// When the candidate applied.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A stage an application entered.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct StageChange {
    /// The stage.
    pub stage: ApplicationStage,
    /// When.
    pub entered_at: DateTime<Utc>,
    /// Who moved it (see `changedBy`).
    #[graphql(skip)]
    pub changed_by: Option<Uuid>,
    /// The application.
    #[graphql(skip)]
    pub application_id: Uuid,
}

/// A new candidate.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCandidateInput {
    /// Full name (1–200 characters).
    pub full_name: String,
    /// Email.
    pub email: Option<String>,
    /// The client they came through.
    pub client_id: Option<ID>,
}

/// A new candidate, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCandidate {
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: Option<String>,
    /// Client.
    pub client_id: Option<Uuid>,
}

impl TryFrom<&CreateCandidateInput> for NewCandidate {
    type Error = FieldErrors;

    fn try_from(input: &CreateCandidateInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = errors.check("fullName", required_text(&input.full_name, 200));
        let email = match input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            None => Some(None),
            Some(raw) => errors
                .check("email", Email::parse(raw))
                .map(|e| Some(e.as_str().to_owned())),
        };
        let client_id = errors.check("clientId", optional_uuid(input.client_id.as_ref()));
        errors.finish(|| {
            Some(Self {
                full_name: full_name?,
                email: email?,
                client_id: client_id?,
            })
        })
    }
}
