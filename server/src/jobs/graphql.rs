//! Jobs over GraphQL: a client's jobs, for `Client.jobs`.

use async_graphql::{Context, InputObject, SimpleObject};
use clientele_core::JobStatus;

use super::{Job, service};
use crate::{
    error::ApiResult,
    graphql::{
        page::{PageInfo, PageRequest},
        state,
    },
};

/// Which of a client's jobs to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ClientJobFilter {
    /// Only jobs in these states.
    pub status: Option<Vec<JobStatus>>,
}

/// A page of jobs.
#[derive(SimpleObject)]
pub struct JobPage {
    /// The jobs on this page.
    items: Vec<Job>,
    /// Where this page sits.
    page_info: PageInfo,
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
    let (items, total) =
        service::jobs_of_client(&mut db, client_id, filter.status.as_deref(), page).await?;
    Ok(JobPage {
        items,
        page_info: page.info(total),
    })
}
