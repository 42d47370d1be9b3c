//! The rules about jobs: creating and changing them (managers and admins), their status
//! dates, linking them to clients (soft, audited, all or nothing), and their figures.

use chrono::{DateTime, Utc};
use clientele_core::JobStatus;
use serde_json::json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Job, JobAnalytics, JobChange, NewJob, model::full_pipeline, sql};
use crate::{
    audit::{self, AuditEntry},
    auth::Viewer,
    clients,
    error::{ApiResult, AppError},
    graphql::{page::PageRequest, scalars::Date},
};

/// Most jobs linked in one `linkJobs`.
pub const MAX_LINKED_AT_ONCE: usize = 100;

/// Whether the job is the client's: created for it, or linked to it and not unlinked.
pub async fn is_job_of_client(
    db: impl PgExecutor<'_>,
    job_id: Uuid,
    client_id: Uuid,
) -> ApiResult<bool> {
    Ok(sql::is_job_of_client(db, job_id, client_id).await?)
}

/// The UTC instants bounding the days `from`–`to`, both included.
fn day_bounds(
    from: Option<Date>,
    to: Option<Date>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let until = to.map(|d| Date(d.0.succ_opt().unwrap_or(chrono::NaiveDate::MAX)).start());
    (from.map(Date::start), until)
}

/// A page of a client's jobs (its own, or linked to it) opened in a range, newest first,
/// and how many match.
pub async fn jobs_of_client(
    db: &mut PgConnection,
    client_id: Uuid,
    statuses: Option<&[JobStatus]>,
    (from, to): (Option<Date>, Option<Date>),
    page: PageRequest,
) -> ApiResult<(Vec<Job>, i64)> {
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::invalid("dateTo", "must not be before dateFrom"));
    }
    Ok(sql::jobs_of_client(
        db,
        client_id,
        statuses,
        day_bounds(from, to),
        page.limit,
        page.offset(),
    )
    .await?)
}

/// A page of jobs matching a filter, newest first, and how many match.
pub async fn list(
    db: &mut PgConnection,
    client_id: Option<Uuid>,
    statuses: Option<&[JobStatus]>,
    search: Option<&str>,
    page: PageRequest,
) -> ApiResult<(Vec<Job>, i64)> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    Ok(sql::list(db, client_id, statuses, search, page.limit, page.offset()).await?)
}

/// One job; NOT_FOUND when there is none.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Job> {
    sql::jobs_by_ids(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("job"))
}

/// Checks that a job's client exists.
async fn check_client(db: &mut PgConnection, client_id: Option<Uuid>) -> ApiResult<()> {
    if let Some(id) = client_id {
        match clients::lock(db, id).await {
            Err(AppError::NotFound(_)) => {
                return Err(AppError::invalid("clientId", "is not a client"));
            }
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// Creates a job.
pub async fn create(db: &mut PgConnection, new: &NewJob) -> ApiResult<Job> {
    check_client(db, new.client_id).await?;
    Ok(sql::insert(db, new).await?)
}

/// Changes a job's title or client.
pub async fn update(db: &mut PgConnection, id: Uuid, change: &JobChange) -> ApiResult<Job> {
    let job = sql::lock(db, id).await?.ok_or(AppError::NotFound("job"))?;
    let client_id = match change.client_id {
        async_graphql::MaybeUndefined::Undefined => job.client_id,
        async_graphql::MaybeUndefined::Null => None,
        async_graphql::MaybeUndefined::Value(id) => Some(id),
    };
    if client_id != job.client_id {
        check_client(db, client_id).await?;
    }
    let title = change.title.as_deref().unwrap_or(&job.title);
    Ok(sql::update(db, id, title, client_id).await?)
}

/// Moves a job to another status; CONFLICT when it is already there.
pub async fn set_status(db: &mut PgConnection, id: Uuid, status: JobStatus) -> ApiResult<Job> {
    let job = sql::lock(db, id).await?.ok_or(AppError::NotFound("job"))?;
    if job.status == status {
        return Err(AppError::conflict(format!(
            "the job is already {}",
            status.label().to_lowercase()
        )));
    }
    Ok(sql::set_status(db, id, status).await?)
}

/// Links jobs to a client, all or nothing: every id must be a job (else VALIDATION on
/// `field`, naming the unknown ids, and nothing is linked), and the client must be active or
/// on hold. Jobs already linked stay as they are; each new link is audit-logged. The jobs
/// newly linked.
pub async fn link(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    job_ids: &[Uuid],
    field: &str,
) -> ApiResult<Vec<Uuid>> {
    let mut ids = job_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_LINKED_AT_ONCE {
        return Err(AppError::invalid(
            field,
            format!("must name 1 to {MAX_LINKED_AT_ONCE} jobs"),
        ));
    }
    let client = clients::lock(db, client_id).await?;
    if !client.status.is_editable() {
        return Err(AppError::conflict(format!(
            "{} is {}: reactivate it before linking jobs",
            client.name,
            client.status.label().to_lowercase()
        )));
    }
    let existing = sql::existing_jobs(&mut *db, &ids).await?;
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !existing.contains(id))
        .map(Uuid::to_string)
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::invalid(
            field,
            format!("not jobs: {}", unknown.join(", ")),
        ));
    }
    let linked = sql::link(db, client_id, &ids, viewer.user_id).await?;
    for job_id in &linked {
        audit::record(
            db,
            AuditEntry::<(), _> {
                actor_id: Some(viewer.user_id),
                action: "client.job_linked",
                entity: "client",
                entity_id: client_id,
                before: None,
                after: Some(&json!({ "job_id": job_id })),
            },
        )
        .await?;
    }
    Ok(linked)
}

/// Ends a client's link to a job (audit-logged); the link row keeps who and when. NOT_FOUND
/// when the job is not linked; CONFLICT when the job was created for the client (change
/// the job's client instead).
pub async fn unlink(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    job_id: Uuid,
) -> ApiResult<()> {
    clients::lock(db, client_id).await?;
    if !sql::unlink(db, client_id, job_id, viewer.user_id).await? {
        let job = get(&mut *db, job_id).await?;
        if job.client_id == Some(client_id) {
            return Err(AppError::conflict(
                "the job was created for this client: give it another client instead",
            ));
        }
        return Err(AppError::NotFound("link"));
    }
    audit::record(
        db,
        AuditEntry::<_, ()> {
            actor_id: Some(viewer.user_id),
            action: "client.job_unlinked",
            entity: "client",
            entity_id: client_id,
            before: Some(&json!({ "job_id": job_id })),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// One job's figures for a client; NOT_FOUND when the job is not the client's.
pub async fn analytics(
    db: &mut PgConnection,
    client_id: Uuid,
    job_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<JobAnalytics> {
    if !sql::is_job_of_client(&mut *db, job_id, client_id).await? {
        return Err(AppError::NotFound("job"));
    }
    let job = get(&mut *db, job_id).await?;
    let counts: Vec<_> = sql::stage_counts(&mut *db, &[job_id])
        .await?
        .into_iter()
        .map(|(_, stage, n)| (stage, n))
        .collect();
    let figures = sql::job_figures(&mut *db, job_id).await?;
    let pipeline = full_pipeline(&counts);
    Ok(JobAnalytics {
        candidates: pipeline.iter().map(|s| s.count).sum(),
        hires: pipeline
            .iter()
            .find(|s| s.stage == clientele_core::ApplicationStage::Hired)
            .map_or(0, |s| s.count),
        pipeline,
        reached: full_pipeline(&figures.reached),
        days_open: job.days_open_at(now),
        average_days_to_hire: figures.average_days_to_hire,
        average_quality_score: figures.average_quality_score,
        job,
    })
}
