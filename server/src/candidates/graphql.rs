//! Candidates and applications over GraphQL: `candidates`, `createCandidate`,
//! `applyCandidate`, `moveApplication`, and `Job.applications`.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use clientele_core::ApplicationStage;

use super::{Application, Candidate, CreateCandidateInput, NewCandidate, StageChange, service};
use crate::{
    auth::{Allowed, Permission, viewer},
    clients::Client,
    error::{ApiResult, AppError},
    graphql::{
        loader,
        loaders::{CandidateById, ClientById, HistoryByApplication, JobById, UserById},
        page::{PageInfo, PageRequest},
        parse_id, state,
    },
    jobs::Job,
    users::User,
};

#[ComplexObject]
impl Candidate {
    /// The client they came through.
    async fn client(&self, ctx: &Context<'_>) -> ApiResult<Option<Client>> {
        match self.client_id {
            Some(id) => loader(ctx).load_one(ClientById(id)).await,
            None => Ok(None),
        }
    }
}

#[ComplexObject]
impl Application {
    /// The candidate.
    async fn candidate(&self, ctx: &Context<'_>) -> ApiResult<Candidate> {
        loader(ctx)
            .load_one(CandidateById(self.candidate_id))
            .await?
            .ok_or(AppError::NotFound("candidate"))
    }
    /// The job.
    async fn job(&self, ctx: &Context<'_>) -> ApiResult<Job> {
        loader(ctx)
            .load_one(JobById(self.job_id))
            .await?
            .ok_or(AppError::NotFound("job"))
    }
    /// Every stage it entered, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageChange>> {
        Ok(loader(ctx)
            .load_one(HistoryByApplication(self.id))
            .await?
            .unwrap_or_default())
    }
}

#[ComplexObject]
impl StageChange {
    /// Who moved it there.
    async fn changed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.changed_by {
            Some(id) => loader(ctx).load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
}

/// A page of candidates.
#[derive(SimpleObject)]
pub struct CandidatePage {
    /// The candidates on this page.
    items: Vec<Candidate>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// A page of applications.
#[derive(SimpleObject)]
pub struct ApplicationPage {
    /// The applications on this page.
    items: Vec<Application>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// A job's applications, for `Job.applications`.
pub async fn job_applications(
    ctx: &Context<'_>,
    job_id: uuid::Uuid,
    stages: Option<Vec<ApplicationStage>>,
    page: PageRequest,
) -> ApiResult<ApplicationPage> {
    let mut db = state(ctx).pool.acquire().await?;
    let (items, total) =
        service::applications_of_job(&mut db, job_id, stages.as_deref(), page).await?;
    Ok(ApplicationPage {
        items,
        page_info: page.info(total),
    })
}

/// Candidate queries.
#[derive(Default)]
pub struct CandidatesQuery;

#[Object]
impl CandidatesQuery {
    /// Candidates by name, whose name or email holds `search`.
    #[graphql(
        guard = "Allowed(Permission::Read)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<CandidatePage> {
        let page = PageRequest::parse(page, limit)?;
        let mut db = state(ctx).pool.acquire().await?;
        let (items, total) = service::list(&mut db, search.as_deref(), page).await?;
        Ok(CandidatePage {
            items,
            page_info: page.info(total),
        })
    }
}

/// Pipeline mutations.
#[derive(Default)]
pub struct CandidatesMutation;

#[Object]
impl CandidatesMutation {
    /// Adds a candidate (recruiters, managers, admins).
    #[graphql(guard = "Allowed(Permission::ManagePipeline)")]
    async fn create_candidate(
        &self,
        ctx: &Context<'_>,
        input: CreateCandidateInput,
    ) -> ApiResult<Candidate> {
        let new = NewCandidate::try_from(&input)?;
        let mut tx = state(ctx).pool.begin().await?;
        let candidate = service::create(&mut tx, &new).await?;
        tx.commit().await?;
        Ok(candidate)
    }

    /// Applies a candidate to a job, at APPLIED (recruiters, managers, admins); once per
    /// candidate and job (else CONFLICT).
    #[graphql(guard = "Allowed(Permission::ManagePipeline)")]
    async fn apply_candidate(
        &self,
        ctx: &Context<'_>,
        candidate_id: ID,
        job_id: ID,
    ) -> ApiResult<Application> {
        let viewer = viewer(ctx)?;
        let candidate_id = parse_id(&candidate_id, "candidateId")?;
        let job_id = parse_id(&job_id, "jobId")?;
        let mut tx = state(ctx).pool.begin().await?;
        let application = service::apply(&mut tx, viewer, candidate_id, job_id).await?;
        tx.commit().await?;
        Ok(application)
    }

    /// Moves an application to another stage, recording who and when (recruiters,
    /// managers, admins).
    #[graphql(guard = "Allowed(Permission::ManagePipeline)")]
    async fn move_application(
        &self,
        ctx: &Context<'_>,
        id: ID,
        stage: ApplicationStage,
    ) -> ApiResult<Application> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let application = service::move_to(&mut tx, viewer, id, stage).await?;
        tx.commit().await?;
        Ok(application)
    }
}
