//! Feedback over GraphQL: submitting and finalizing, and the client's feedback, averages and
//! trends (`Client.feedback`, `Client.feedbackAverages`, `Client.feedbackTrends`).

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};

use super::{
    Feedback, FeedbackAverages, FeedbackTrend, NewFeedback, model::SubmitFeedbackInput, service,
};
use crate::{
    auth::{Allowed, Permission, viewer},
    error::ApiResult,
    graphql::{
        loader,
        loaders::UserById,
        page::{PageInfo, PageRequest},
        parse_id,
        scalars::Date,
        state,
    },
    users::User,
};

#[ComplexObject]
impl Feedback {
    /// Who submitted it.
    async fn submitted_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        loader(ctx).load_one(UserById(self.submitted_by)).await
    }
    /// Who finalized it.
    async fn finalized_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.finalized_by {
            Some(id) => loader(ctx).load_one(UserById(id)).await,
            None => Ok(None),
        }
    }
}

/// Which feedback of a client to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct FeedbackFilter {
    /// Given on or after this day.
    pub date_from: Option<Date>,
    /// Given on or before this day.
    pub date_to: Option<Date>,
    /// Only finalized feedback.
    #[graphql(default = false)]
    pub finalized_only: bool,
}

/// A page of feedback.
#[derive(SimpleObject)]
pub struct FeedbackPage {
    /// The feedback on this page.
    items: Vec<Feedback>,
    /// Where this page sits.
    page_info: PageInfo,
}

/// A client's feedback, for `Client.feedback`.
pub async fn client_feedback(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    filter: Option<FeedbackFilter>,
    page: PageRequest,
) -> ApiResult<FeedbackPage> {
    let filter = filter.unwrap_or_default();
    let mut db = state(ctx).pool.acquire().await?;
    let (items, total) = service::list(
        &mut db,
        client_id,
        (filter.date_from, filter.date_to),
        filter.finalized_only,
        page,
    )
    .await?;
    drop(db);
    let users: Vec<UserById> = items
        .iter()
        .flat_map(|f| [Some(f.submitted_by), f.finalized_by])
        .flatten()
        .map(UserById)
        .collect();
    loader(ctx).load_many(users).await?;
    Ok(FeedbackPage {
        items,
        page_info: page.info(total),
    })
}

/// A client's averages, for `Client.feedbackAverages`.
pub async fn client_averages(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> ApiResult<FeedbackAverages> {
    service::averages(&state(ctx).pool, client_id, from, to).await
}

/// A client's trend, for `Client.feedbackTrends`.
pub async fn client_trends(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    periods: i32,
) -> ApiResult<Vec<FeedbackTrend>> {
    service::trends(&state(ctx).pool, client_id, periods).await
}

/// Feedback mutations.
#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Submits a client's feedback for a quarter or month (managers and admins). A second
    /// submission for the period updates the first until it is finalized (then CONFLICT).
    #[graphql(guard = "Allowed(Permission::ManageFeedback)")]
    async fn submit_feedback(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: SubmitFeedbackInput,
    ) -> ApiResult<Feedback> {
        let viewer = viewer(ctx)?;
        let client_id = parse_id(&client_id, "clientId")?;
        let new = NewFeedback::parse(&input, Date::today())?;
        let mut tx = state(ctx).pool.begin().await?;
        let feedback = service::submit(&mut tx, viewer, client_id, &new).await?;
        tx.commit().await?;
        Ok(feedback)
    }

    /// Finalizes a feedback (managers only; audit-logged): it never changes again.
    #[graphql(guard = "Allowed(Permission::FinalizeFeedback)")]
    async fn finalize_feedback(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Feedback> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let mut tx = state(ctx).pool.begin().await?;
        let feedback = service::finalize(&mut tx, viewer, id).await?;
        tx.commit().await?;
        Ok(feedback)
    }
}
