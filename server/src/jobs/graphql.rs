//! Jobs over GraphQL: the host system's `jobs`, `job`, `createJob`, `updateJob`,
//! `setJobStatus`; a client's links (`linkJob`, `unlinkJob`, `linkJobs`); and for the client
//! type `Client.jobs` and `Client.jobAnalytics`.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use clientele_core::{ApplicationStage, JobStatus};

use super::{
    ClientJobFilter, CreateJobInput, Job, JobAnalytics, JobChange, JobFilter, NewJob, StageCount,
    UpdateJobInput, model::full_pipeline, service,
};
use crate::{
    auth::{Allowed, Permission, viewer},
    clients::Client,
    error::ApiResult,
    graphql::{
        loader,
        loaders::{ClientById, JobById, PipelineByJob},
        page::{PageInfo, PageRequest},
        parse_id,
        scalars::optional_uuid,
        state,
    },
};

#[ComplexObject]
impl Job {
    /// The client it was created for.
    async fn client(&self, ctx: &Context<'_>) -> ApiResult<Option<Client>> {
        match self.client_id {
            Some(id) => loader(ctx).load_one(ClientById(id)).await,
            None => Ok(None),
        }
    }
    /// Candidates in each stage now, in pipeline order (every stage, zeros included).
    async fn pipeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageCount>> {
        let counts = loader(ctx).load_one(PipelineByJob(self.id)).await?;
        Ok(full_pipeline(&counts.unwrap_or_default()))
    }
    /// Candidates who applied.
    async fn candidate_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let counts = loader(ctx).load_one(PipelineByJob(self.id)).await?;
        Ok(counts.unwrap_or_default().iter().map(|(_, n)| n).sum())
    }
    /// Candidates hired.
    async fn hires(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let counts = loader(ctx).load_one(PipelineByJob(self.id)).await?;
        Ok(counts
            .unwrap_or_default()
            .iter()
            .filter(|(stage, _)| *stage == ApplicationStage::Hired)
            .map(|(_, n)| n)
            .sum())
    }
    /// Days from opening to filling, or to now while it is open or on hold (null for drafts,
    /// closed jobs and jobs never opened).
    async fn days_open(&self) -> Option<f64> {
        self.days_open_at(chrono::Utc::now())
    }
    /// Its applications, newest first, optionally in some stages.
    #[graphql(complexity = "PageRequest::complexity(limit, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        stages: Option<Vec<ApplicationStage>>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<crate::candidates::graphql::ApplicationPage> {
        let page = PageRequest::parse(page, limit)?;
        crate::candidates::graphql::job_applications(ctx, self.id, stages, page).await
    }
}

/// A page of jobs.
#[derive(SimpleObject)]
pub struct JobPage {
    /// The jobs on this page.
    items: Vec<Job>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// Primes the pipeline loader with one batch for a page of jobs.
async fn page_of(
    ctx: &Context<'_>,
    items: Vec<Job>,
    page: PageRequest,
    total: i64,
) -> ApiResult<JobPage> {
    loader(ctx)
        .load_many(items.iter().map(|j| PipelineByJob(j.id)))
        .await?;
    Ok(JobPage {
        items,
        page_info: page.info(total),
    })
}

/// The jobs of one client, for `Client.jobs`.
pub async fn client_jobs(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    filter: Option<ClientJobFilter>,
    page: PageRequest,
) -> ApiResult<JobPage> {
    let filter = filter.unwrap_or_default();
    let mut db = state(ctx).pool.acquire().await?;
    let (items, total) = service::jobs_of_client(
        &mut db,
        client_id,
        filter.status.as_deref(),
        (filter.date_from, filter.date_to),
        page,
    )
    .await?;
    drop(db);
    page_of(ctx, items, page, total).await
}

/// One job's figures, for `Client.jobAnalytics`.
pub async fn client_job_analytics(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    job_id: &ID,
) -> ApiResult<JobAnalytics> {
    let job_id = parse_id(job_id, "jobId")?;
    let mut db = state(ctx).pool.acquire().await?;
    service::analytics(&mut db, client_id, job_id, chrono::Utc::now()).await
}

/// Job queries.
#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// Jobs, newest first: all of them, or a client's (created for it or linked to it), by
    /// status and words of the title.
    #[graphql(
        guard = "Allowed(Permission::Read)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        filter: Option<JobFilter>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<JobPage> {
        let page = PageRequest::parse(page, limit)?;
        let filter = filter.unwrap_or_default();
        let client_id = optional_uuid(filter.client_id.as_ref())
            .map_err(|e| crate::error::AppError::invalid("filter.clientId", e))?;
        let mut db = state(ctx).pool.acquire().await?;
        let (items, total) = service::list(
            &mut db,
            client_id,
            filter.status.as_deref(),
            filter.search.as_deref(),
            page,
        )
        .await?;
        drop(db);
        page_of(ctx, items, page, total).await
    }

    /// One job.
    #[graphql(guard = "Allowed(Permission::Read)")]
    async fn job(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Job> {
        service::get(&state(ctx).pool, parse_id(&id, "id")?).await
    }
}

/// Job mutations.
#[derive(Default)]
pub struct JobsMutation;

#[Object]
impl JobsMutation {
    /// Creates a job, for a client or for none (managers and admins).
    #[graphql(guard = "Allowed(Permission::ManageJobs)")]
    async fn create_job(&self, ctx: &Context<'_>, input: CreateJobInput) -> ApiResult<Job> {
        let new = NewJob::try_from(&input)?;
        let mut tx = state(ctx).pool.begin().await?;
        let job = service::create(&mut tx, &new).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Changes a job's title or client (managers and admins).
    #[graphql(guard = "Allowed(Permission::ManageJobs)")]
    async fn update_job(&self, ctx: &Context<'_>, id: ID, input: UpdateJobInput) -> ApiResult<Job> {
        let id = parse_id(&id, "id")?;
        let change = JobChange::try_from(&input)?;
        let mut tx = state(ctx).pool.begin().await?;
        let job = service::update(&mut tx, id, &change).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Moves a job to another status (managers and admins): opening sets `openedAt` the
    /// first time, filling sets `filledAt`.
    #[graphql(guard = "Allowed(Permission::ManageJobs)")]
    async fn set_job_status(&self, ctx: &Context<'_>, id: ID, status: JobStatus) -> ApiResult<Job> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let job = service::set_status(&mut tx, id, status).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Links a job to a client (managers and admins; audit-logged). Linking a linked job
    /// changes nothing; a link that was ended comes back.
    #[graphql(guard = "Allowed(Permission::LinkJobs)")]
    async fn link_job(&self, ctx: &Context<'_>, client_id: ID, job_id: ID) -> ApiResult<Job> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let job_id = parse_id(&job_id, "jobId")?;
        let mut tx = state(ctx).pool.begin().await?;
        service::link(&mut tx, viewer, client_id, &[job_id], "jobId").await?;
        let job = service::get(&mut *tx, job_id).await?;
        tx.commit().await?;
        Ok(job)
    }

    /// Links up to 100 jobs to a client at once, all or nothing: one id that is not a job
    /// and none is linked (managers and admins; audit-logged). The jobs, each once, in the
    /// order asked.
    #[graphql(guard = "Allowed(Permission::LinkJobs)")]
    async fn link_jobs(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        job_ids: Vec<ID>,
    ) -> ApiResult<Vec<Job>> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let mut ids = Vec::with_capacity(job_ids.len());
        for id in &job_ids {
            let id = parse_id(id, "jobIds")?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut tx = state(ctx).pool.begin().await?;
        service::link(&mut tx, viewer, client_id, &ids, "jobIds").await?;
        tx.commit().await?;
        let jobs = loader(ctx)
            .load_many(ids.iter().map(|id| JobById(*id)))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| jobs.get(&JobById(*id)).cloned())
            .collect())
    }

    /// Ends a client's link to a job (managers and admins; audit-logged). The link keeps who
    /// made and ended it, and when.
    #[graphql(guard = "Allowed(Permission::LinkJobs)")]
    async fn unlink_job(&self, ctx: &Context<'_>, client_id: ID, job_id: ID) -> ApiResult<Job> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let job_id = parse_id(&job_id, "jobId")?;
        let mut tx = state(ctx).pool.begin().await?;
        service::unlink(&mut tx, viewer, client_id, job_id).await?;
        let job = service::get(&mut *tx, job_id).await?;
        tx.commit().await?;
        Ok(job)
    }
}
