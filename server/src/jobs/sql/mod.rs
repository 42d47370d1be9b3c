//! All SQL about jobs, their links to clients and their pipelines, and the job loaders.
//! Private to `jobs`.

mod links;
mod stats;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_core::JobStatus;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

pub use links::*;
pub use stats::*;

use super::{Job, NewJob};
use crate::{
    error::AppError,
    graphql::loaders::{JobById, PgLoader},
};

fn texts(statuses: Option<&[JobStatus]>) -> Option<Vec<String>> {
    statuses.map(|s| s.iter().map(|status| status.as_str().to_owned()).collect())
}

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

/// One job, locked for the rest of the transaction.
pub async fn lock(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Job>> {
    sqlx::query_as!(
        Job,
        r#"
        select id, title, status as "status: JobStatus", opened_at, filled_at, client_id, created_at
        from jobs
        where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Creates a job; an open job opens now.
pub async fn insert(db: &mut PgConnection, new: &NewJob) -> sqlx::Result<Job> {
    sqlx::query_as!(
        Job,
        r#"
        insert into jobs (title, status, client_id, opened_at, filled_at)
        values ($1, $2, $3,
                case when $2 in ('open', 'on-hold', 'filled') then now() end,
                case when $2 = 'filled' then now() end)
        returning id, title, status as "status: JobStatus", opened_at, filled_at, client_id,
                  created_at
        "#,
        new.title,
        new.status.as_str(),
        new.client_id
    )
    .fetch_one(db)
    .await
}

/// Writes a job's title and client.
pub async fn update(
    db: &mut PgConnection,
    id: Uuid,
    title: &str,
    client_id: Option<Uuid>,
) -> sqlx::Result<Job> {
    sqlx::query_as!(
        Job,
        r#"
        update jobs set title = $2, client_id = $3
        where id = $1
        returning id, title, status as "status: JobStatus", opened_at, filled_at, client_id,
                  created_at
        "#,
        id,
        title,
        client_id
    )
    .fetch_one(db)
    .await
}

/// Moves a job to `status`: the first opening sets `opened_at`, filling sets `filled_at`,
/// leaving filled clears it.
pub async fn set_status(db: &mut PgConnection, id: Uuid, status: JobStatus) -> sqlx::Result<Job> {
    sqlx::query_as!(
        Job,
        r#"
        update jobs
        set status = $2,
            opened_at = case when $2 in ('open', 'on-hold', 'filled')
                             then coalesce(opened_at, now()) else opened_at end,
            filled_at = case when $2 = 'filled' then now() else null end
        where id = $1
        returning id, title, status as "status: JobStatus", opened_at, filled_at, client_id,
                  created_at
        "#,
        id,
        status.as_str()
    )
    .fetch_one(db)
    .await
}

/// A page of jobs matching a filter, newest first, and how many match.
pub async fn list(
    db: &mut PgConnection,
    client_id: Option<Uuid>,
    statuses: Option<&[JobStatus]>,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Job>, i64)> {
    let statuses = texts(statuses);
    let items = sqlx::query_as!(
        Job,
        r#"
        select j.id, j.title, j.status as "status: JobStatus", j.opened_at, j.filled_at,
               j.client_id, j.created_at
        from jobs j
        where ($1::uuid is null or j.id = any((select client_job_ids($1))::uuid[]))
          and ($2::text[] is null or j.status = any($2))
          and ($3::text is null or j.title ilike '%' || $3 || '%')
        order by j.created_at desc, j.id
        limit $4 offset $5
        "#,
        client_id,
        statuses.as_deref(),
        search,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from jobs j
        where ($1::uuid is null or j.id = any((select client_job_ids($1))::uuid[]))
          and ($2::text[] is null or j.status = any($2))
          and ($3::text is null or j.title ilike '%' || $3 || '%')
        "#,
        client_id,
        statuses.as_deref(),
        search
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// Whether the job is the client's (its client, or actively linked to it).
pub async fn is_job_of_client(
    db: impl PgExecutor<'_>,
    job_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"
        select $1 = any(client_job_ids($2)) as "exists!"
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

/// A page of a client's jobs (its own, or linked and not unlinked) opened (or, never
/// opened, created) in `[from, until)`, newest first, and how many match.
pub async fn jobs_of_client(
    db: &mut PgConnection,
    client_id: Uuid,
    statuses: Option<&[JobStatus]>,
    (from, until): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Job>, i64)> {
    let statuses = texts(statuses);
    let items = sqlx::query_as!(
        Job,
        r#"
        select j.id, j.title, j.status as "status: JobStatus", j.opened_at, j.filled_at,
               j.client_id, j.created_at
        from jobs j
        where j.id = any((select client_job_ids($1))::uuid[])
          and ($2::text[] is null or j.status = any($2))
          and ($3::timestamptz is null or coalesce(j.opened_at, j.created_at) >= $3)
          and ($4::timestamptz is null or coalesce(j.opened_at, j.created_at) < $4)
        order by j.created_at desc, j.id
        limit $5 offset $6
        "#,
        client_id,
        statuses.as_deref(),
        from,
        until,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from jobs j
        where j.id = any((select client_job_ids($1))::uuid[])
          and ($2::text[] is null or j.status = any($2))
          and ($3::timestamptz is null or coalesce(j.opened_at, j.created_at) >= $3)
          and ($4::timestamptz is null or coalesce(j.opened_at, j.created_at) < $4)
        "#,
        client_id,
        statuses.as_deref(),
        from,
        until
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}
