//! The rules of the pipeline: candidates are added, applied to a job once, and moved from
//! stage to stage, each move recorded with who and when.

use clientele_core::ApplicationStage;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Application, Candidate, NewCandidate, sql};
use crate::{
    auth::Viewer,
    error::{ApiResult, AppError},
    graphql::page::PageRequest,
    jobs,
};

/// Adds a candidate.
pub async fn create(db: &mut PgConnection, new: &NewCandidate) -> ApiResult<Candidate> {
    if let Some(client_id) = new.client_id {
        match crate::clients::lock(db, client_id).await {
            Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid("clientId", "is not a client"));
            }
            other => {
                other?;
            }
        }
    }
    Ok(sql::insert_candidate(db, new).await?)
}

/// A page of candidates whose name or email holds `search`, by name.
pub async fn list(
    db: &mut PgConnection,
    search: Option<&str>,
    page: PageRequest,
) -> ApiResult<(Vec<Candidate>, i64)> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    Ok(sql::candidates(db, search, page.limit, page.offset()).await?)
}

/// Applies a candidate to a job; CONFLICT when they already applied.
pub async fn apply(
    db: &mut PgConnection,
    viewer: Viewer,
    candidate_id: Uuid,
    job_id: Uuid,
) -> ApiResult<Application> {
    if !sql::candidate_exists(&mut *db, candidate_id).await? {
        return Err(AppError::NotFound("candidate"));
    }
    jobs::get(&mut *db, job_id).await?;
    sql::apply(db, candidate_id, job_id, viewer.user_id)
        .await?
        .ok_or_else(|| AppError::conflict("the candidate has already applied to this job"))
}

/// Moves an application to another stage; CONFLICT when it is already there.
pub async fn move_to(
    db: &mut PgConnection,
    viewer: Viewer,
    id: Uuid,
    stage: ApplicationStage,
) -> ApiResult<Application> {
    let application = sql::lock_application(db, id)
        .await?
        .ok_or(AppError::NotFound("application"))?;
    if application.stage == stage {
        return Err(AppError::conflict(format!(
            "the application is already {}",
            stage.label().to_lowercase()
        )));
    }
    Ok(sql::move_to(db, id, stage, viewer.user_id).await?)
}

/// A page of a job's applications, newest first.
pub async fn applications_of_job(
    db: &mut PgConnection,
    job_id: Uuid,
    stages: Option<&[ApplicationStage]>,
    page: PageRequest,
) -> ApiResult<(Vec<Application>, i64)> {
    Ok(sql::applications_of_job(db, job_id, stages, page.limit, page.offset()).await?)
}
