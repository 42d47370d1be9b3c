//! Dashboards and analytics over GraphQL: `Client.dashboard` (each part computed when
//! asked for), `Client.analytics`, and `runAnalyticsAggregation` for admins.

use async_graphql::{Context, Object};

use super::{
    Activity, AggregationRun, AnalyticsPoint, Dashboard, DashboardStats, Granularity,
    JobStatusCount, service,
};
use crate::{
    auth::{Allowed, Permission},
    error::ApiResult,
    graphql::{scalars::Date, state},
    jobs::StageCount,
};

#[Object]
impl Dashboard {
    /// Headline figures over the client's jobs (its own and those linked).
    async fn stats(&self, ctx: &Context<'_>) -> ApiResult<DashboardStats> {
        service::stats(&state(ctx).pool, self.client_id).await
    }
    /// What happened in the last `days` days (default 30, at most 365), newest first:
    /// communications, job links and unlinks, stage moves in its jobs, feedback.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] days: i32,
        #[graphql(default = 20, desc = "At most 100.")] limit: i32,
    ) -> ApiResult<Vec<Activity>> {
        service::activities(
            &state(ctx).pool,
            self.client_id,
            days,
            limit,
            chrono::Utc::now(),
        )
        .await
    }
    /// Candidates per stage over the client's jobs, every stage in pipeline order (the
    /// funnel).
    async fn pipeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageCount>> {
        service::pipeline(&state(ctx).pool, self.client_id).await
    }
    /// The client's jobs per status, every status.
    async fn job_statuses(&self, ctx: &Context<'_>) -> ApiResult<Vec<JobStatusCount>> {
        service::job_statuses(&state(ctx).pool, self.client_id).await
    }
}

/// A client's analytics series, for `Client.analytics`.
pub async fn client_analytics(
    ctx: &Context<'_>,
    client_id: uuid::Uuid,
    from: Date,
    to: Date,
    granularity: Granularity,
) -> ApiResult<Vec<AnalyticsPoint>> {
    service::series(&state(ctx).pool, client_id, from, to, granularity).await
}

/// Analytics mutations.
#[derive(Default)]
pub struct AnalyticsMutation;

#[Object]
impl AnalyticsMutation {
    /// Aggregates one day of the agency's calendar for every client now, replacing what
    /// an earlier run wrote (admins). The nightly schedule does the same at midnight.
    #[graphql(guard = "Allowed(Permission::OperateQueue)")]
    async fn run_analytics_aggregation(
        &self,
        ctx: &Context<'_>,
        date: Date,
    ) -> ApiResult<AggregationRun> {
        let api = state(ctx);
        let mut tx = api.pool.begin().await?;
        let run = service::aggregate_day(&mut tx, date, api.config.time_zone).await?;
        tx.commit().await?;
        Ok(run)
    }
}
