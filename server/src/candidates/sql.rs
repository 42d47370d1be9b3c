//! All SQL of candidates and applications, and their loaders. Private to `candidates`.

use std::collections::HashMap;

use clientele_core::ApplicationStage;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Application, Candidate, NewCandidate, StageChange};
use crate::{
    error::AppError,
    graphql::loaders::{CandidateById, HistoryByApplication, PgLoader},
};

/// Adds a candidate.
pub async fn insert_candidate(
    db: &mut PgConnection,
    new: &NewCandidate,
) -> sqlx::Result<Candidate> {
    sqlx::query_as!(
        Candidate,
        r#"
        insert into candidates (full_name, email, client_id) values ($1, $2, $3)
        returning id, full_name, email, client_id, created_at
        "#,
        new.full_name,
        new.email,
        new.client_id
    )
    .fetch_one(db)
    .await
}

/// A page of candidates whose name or email holds `search`, by name, and how many match.
pub async fn candidates(
    db: &mut PgConnection,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Candidate>, i64)> {
    let items = sqlx::query_as!(
        Candidate,
        r#"
        select id, full_name, email, client_id, created_at
        from candidates
        where $1::text is null or full_name ilike '%' || $1 || '%' or email ilike '%' || $1 || '%'
        order by full_name, id
        limit $2 offset $3
        "#,
        search,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!" from candidates
        where $1::text is null or full_name ilike '%' || $1 || '%' or email ilike '%' || $1 || '%'
        "#,
        search
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// Applies a candidate to a job at the first stage and records it; `None` when they had
/// already applied.
pub async fn apply(
    db: &mut PgConnection,
    candidate_id: Uuid,
    job_id: Uuid,
    by: Uuid,
) -> sqlx::Result<Option<Application>> {
    let application = sqlx::query_as!(
        Application,
        r#"
        insert into applications (candidate_id, job_id) values ($1, $2)
        on conflict (candidate_id, job_id) do nothing
        returning id, candidate_id, job_id, stage as "stage: ApplicationStage", quality_score,
                  created_at, updated_at
        "#,
        candidate_id,
        job_id
    )
    .fetch_optional(&mut *db)
    .await?;
    if let Some(application) = &application {
        record_stage(db, application.id, ApplicationStage::Applied, by).await?;
    }
    Ok(application)
}

/// Records that an application entered a stage now.
async fn record_stage(
    db: &mut PgConnection,
    id: Uuid,
    stage: ApplicationStage,
    by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into application_stage_history (application_id, stage, changed_by) values ($1, $2, $3)",
        id,
        stage.as_str(),
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One application, locked for the rest of the transaction.
pub async fn lock_application(
    db: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Application>> {
    sqlx::query_as!(
        Application,
        r#"
        select id, candidate_id, job_id, stage as "stage: ApplicationStage", quality_score,
               created_at, updated_at
        from applications where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Moves an application to a stage and records it.
pub async fn move_to(
    db: &mut PgConnection,
    id: Uuid,
    stage: ApplicationStage,
    by: Uuid,
) -> sqlx::Result<Application> {
    let application = sqlx::query_as!(
        Application,
        r#"
        update applications set stage = $2 where id = $1
        returning id, candidate_id, job_id, stage as "stage: ApplicationStage", quality_score,
                  created_at, updated_at
        "#,
        id,
        stage.as_str()
    )
    .fetch_one(&mut *db)
    .await?;
    record_stage(db, id, stage, by).await?;
    Ok(application)
}

/// A page of a job's applications, optionally in some stages, newest first, and how many.
pub async fn applications_of_job(
    db: &mut PgConnection,
    job_id: Uuid,
    stages: Option<&[ApplicationStage]>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Application>, i64)> {
    let stages: Option<Vec<String>> =
        stages.map(|s| s.iter().map(|x| x.as_str().to_owned()).collect());
    let items = sqlx::query_as!(
        Application,
        r#"
        select id, candidate_id, job_id, stage as "stage: ApplicationStage", quality_score,
               created_at, updated_at
        from applications
        where job_id = $1 and ($2::text[] is null or stage = any($2))
        order by created_at desc, id
        limit $3 offset $4
        "#,
        job_id,
        stages.as_deref(),
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!" from applications
        where job_id = $1 and ($2::text[] is null or stage = any($2))
        "#,
        job_id,
        stages.as_deref()
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// Whether the candidate exists.
pub async fn candidate_exists(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from candidates where id = $1) as "exists!""#,
        id
    )
    .fetch_one(db)
    .await
}

impl async_graphql::dataloader::Loader<CandidateById> for PgLoader {
    type Value = Candidate;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[CandidateById],
    ) -> Result<HashMap<CandidateById, Candidate>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = sqlx::query_as!(
            Candidate,
            "select id, full_name, email, client_id, created_at from candidates where id = any($1)",
            &ids
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(found
            .into_iter()
            .map(|c| (CandidateById(c.id), c))
            .collect())
    }
}

impl async_graphql::dataloader::Loader<HistoryByApplication> for PgLoader {
    type Value = Vec<StageChange>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[HistoryByApplication],
    ) -> Result<HashMap<HistoryByApplication, Vec<StageChange>>, AppError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = sqlx::query_as!(
            StageChange,
            r#"
            select application_id, stage as "stage: ApplicationStage", entered_at, changed_by
            from application_stage_history
            where application_id = any($1)
            order by application_id, entered_at, created_at
            "#,
            &ids
        )
        .fetch_all(&self.pool)
        .await?;
        let mut found: HashMap<HistoryByApplication, Vec<StageChange>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            found
                .entry(HistoryByApplication(row.application_id))
                .or_default()
                .push(row);
        }
        Ok(found)
    }
}
