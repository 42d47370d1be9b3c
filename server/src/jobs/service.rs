//! The rules about jobs that client management relies on.

use sqlx::PgExecutor;
use uuid::Uuid;

use super::sql;
use crate::error::ApiResult;

/// Whether the job is the client's: created for it, or linked to it and not unlinked.
pub async fn is_job_of_client(
    db: impl PgExecutor<'_>,
    job_id: Uuid,
    client_id: Uuid,
) -> ApiResult<bool> {
    Ok(sql::is_job_of_client(db, job_id, client_id).await?)
}

/// A page of a client's jobs (its own, or linked to it), newest first, and how many match.
pub async fn jobs_of_client(
    db: &mut sqlx::PgConnection,
    client_id: Uuid,
    statuses: Option<&[clientele_core::JobStatus]>,
    page: crate::graphql::page::PageRequest,
) -> ApiResult<(Vec<super::Job>, i64)> {
    let jobs =
        sql::jobs_of_client(&mut *db, client_id, statuses, page.limit, page.offset()).await?;
    let total = sql::count_jobs_of_client(&mut *db, client_id, statuses).await?;
    Ok((jobs, total))
}
