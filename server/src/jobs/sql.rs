//! All SQL about jobs, and the `JobById` loader. Private to `jobs`.

use std::collections::HashMap;

use clientele_core::JobStatus;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::Job;
use crate::{
    error::AppError,
    graphql::loaders::{JobById, PgLoader},
};

/// Jobs by id (missing ids are absent).
pub async fn jobs_by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Job>> {
    sqlx::query_as!(
        Job,
        r#"
        select id, title, status as "status: JobStatus", opened_at, filled_at, client_id, created_at
        from jobs
        where id = any($1)
        "#,
        ids
    )
    .fetch_all(db)
    .await
}

/// Whether the job is the client's (its client, or actively linked to it).
pub async fn is_job_of_client(
    db: impl PgExecutor<'_>,
    job_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"
        select exists (
            select 1 from jobs j
            where j.id = $1
              and (j.client_id = $2
                   or exists (select 1 from client_job_assignments a
                              where a.job_id = j.id and a.client_id = $2 and a.is_active))
        ) as "exists!"
        "#,
        job_id,
        client_id
    )
    .fetch_one(db)
    .await
}

impl async_graphql::dataloader::Loader<JobById> for PgLoader {
    type Value = Job;
    type Error = AppError;

    async fn load(&self, keys: &[JobById]) -> Result<HashMap<JobById, Job>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let jobs = jobs_by_ids(&self.pool, &ids).await?;
        Ok(jobs.into_iter().map(|j| (JobById(j.id), j)).collect())
    }
}

/// A page of a client's jobs (its own, or linked and not unlinked), newest first.
pub async fn jobs_of_client(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    statuses: Option<&[JobStatus]>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Job>> {
    let statuses: Option<Vec<String>> =
        statuses.map(|s| s.iter().map(|status| status.as_str().to_owned()).collect());
    sqlx::query_as!(
        Job,
        r#"
        select j.id, j.title, j.status as "status: JobStatus", j.opened_at, j.filled_at,
               j.client_id, j.created_at
        from jobs j
        where (j.client_id = $1
               or exists (select 1 from client_job_assignments a
                          where a.job_id = j.id and a.client_id = $1 and a.is_active))
          and ($2::text[] is null or j.status = any($2))
        order by j.created_at desc, j.id
        limit $3 offset $4
        "#,
        client_id,
        statuses.as_deref(),
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// How many jobs of a client match.
pub async fn count_jobs_of_client(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    statuses: Option<&[JobStatus]>,
) -> sqlx::Result<i64> {
    let statuses: Option<Vec<String>> =
        statuses.map(|s| s.iter().map(|status| status.as_str().to_owned()).collect());
    sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from jobs j
        where (j.client_id = $1
               or exists (select 1 from client_job_assignments a
                          where a.job_id = j.id and a.client_id = $1 and a.is_active))
          and ($2::text[] is null or j.status = any($2))
        "#,
        client_id,
        statuses.as_deref()
    )
    .fetch_one(db)
    .await
}
