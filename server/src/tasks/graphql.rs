//! The queue for operators (admins): `backgroundJobs` lists what waits or was parked,
//! `retryBackgroundJob` gives a parked task another round of attempts.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{CHANNEL, sql};
use crate::{
    auth::{Allowed, Permission},
    error::{ApiResult, AppError},
    graphql::{
        page::{PageInfo, PageRequest},
        parse_id, state,
    },
};

/// Which queued tasks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum QueueState {
    /// Waiting to run (first time or retry).
    Waiting,
    /// Failed every attempt and set aside.
    Parked,
    /// Both.
    All,
}

/// A task in the background queue.
#[derive(Debug, Clone, SimpleObject)]
pub struct BackgroundJob {
    /// Unique id.
    pub id: ID,
    /// What it does (`render_report`, `aggregate_analytics`).
    pub job_type: String,
    /// Its payload, as JSON text.
    pub payload: String,
    /// Attempts made.
    pub attempts: i32,
    /// Attempts it gets before it is parked.
    pub max_attempts: i32,
    /// When it runs next.
    pub run_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was parked.
    pub parked_at: Option<DateTime<Utc>>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// A page of queued tasks.
#[derive(SimpleObject)]
pub struct BackgroundJobPage {
    /// The tasks on this page.
    items: Vec<BackgroundJob>,
    /// Where this page sits.
    page_info: PageInfo,
}

impl From<sql::Queued> for BackgroundJob {
    fn from(q: sql::Queued) -> Self {
        Self {
            id: ID(q.id.to_string()),
            job_type: q.job_type,
            payload: q.payload.to_string(),
            attempts: q.attempts,
            max_attempts: q.max_attempts,
            run_at: q.run_at,
            last_error: q.last_error,
            parked_at: q.parked_at,
            created_at: q.created_at,
        }
    }
}

/// Queue queries.
#[derive(Default)]
pub struct TasksQuery;

#[Object]
impl TasksQuery {
    /// Tasks in the background queue: parked ones first, then by when they run (admins).
    #[graphql(
        guard = "Allowed(Permission::OperateQueue)",
        complexity = "PageRequest::complexity(limit, child_complexity)"
    )]
    async fn background_jobs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "QueueState::All")] state: QueueState,
        #[graphql(default = 1, desc = "Page number, from 1.")] page: i32,
        #[graphql(default = 20, desc = "Items per page, 1 to 100.")] limit: i32,
    ) -> ApiResult<BackgroundJobPage> {
        let page = PageRequest::parse(page, limit)?;
        let parked = match state {
            QueueState::Waiting => Some(false),
            QueueState::Parked => Some(true),
            QueueState::All => None,
        };
        let mut db = crate::graphql::state(ctx).pool.acquire().await?;
        let (items, total) = sql::queued(&mut db, parked, page.limit, page.offset()).await?;
        Ok(BackgroundJobPage {
            items: items.into_iter().map(BackgroundJob::from).collect(),
            page_info: page.info(total),
        })
    }
}

/// Queue mutations.
#[derive(Default)]
pub struct TasksMutation;

#[Object]
impl TasksMutation {
    /// Gives a parked task a fresh round of attempts, due now (admins).
    #[graphql(guard = "Allowed(Permission::OperateQueue)")]
    async fn retry_background_job(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        if !sql::unpark(&mut tx, id).await? {
            return Err(AppError::NotFound("parked task"));
        }
        sql::announce(&mut tx, CHANNEL).await?;
        tx.commit().await?;
        Ok(true)
    }
}
