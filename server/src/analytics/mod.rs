//! A client's dashboard (headline figures, 30-day activity, pipeline funnel, job statuses),
//! its analytics series, the nightly aggregation that writes them, and its schedule. All
//! counted in SQL, set-based.

pub(crate) mod graphql;
mod model;
mod schedule;
mod service;
mod sql;

pub use model::{
    Activity, ActivityKind, AggregationRun, AnalyticsPoint, Dashboard, DashboardStats, Granularity,
    JobStatusCount,
};
pub use schedule::{AggregateAnalytics, DAILY_ANALYTICS, spawn as spawn_schedule, tick};
pub use service::{activities, aggregate_day, job_statuses, pipeline, series, start_of_day, stats};
