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
