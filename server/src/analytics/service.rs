//! The rules of dashboards and analytics: bounds on what may be asked, and the days of the
//! agency's calendar the aggregation counts.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use clientele_core::JobStatus;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{
    Activity, AggregationRun, AnalyticsPoint, DashboardStats, Granularity, JobStatusCount, sql,
};
use crate::{
    error::{ApiResult, AppError},
    graphql::scalars::Date,
    jobs::{StageCount, full_pipeline},
};

/// Longest activity window, in days.
pub const MAX_ACTIVITY_DAYS: i32 = 365;
/// Most activities at once.
pub const MAX_ACTIVITIES: i32 = 100;
/// Longest analytics range, in days (three years of daily points).
pub const MAX_SERIES_DAYS: i64 = 3 * 366;

/// The dashboard's headline figures.
pub async fn stats(db: impl PgExecutor<'_>, client_id: Uuid) -> ApiResult<DashboardStats> {
    Ok(sql::stats(db, client_id).await?)
}

/// Candidates per stage over the client's jobs, every stage in pipeline order.
pub async fn pipeline(db: impl PgExecutor<'_>, client_id: Uuid) -> ApiResult<Vec<StageCount>> {
    Ok(full_pipeline(&sql::pipeline(db, client_id).await?))
}

/// The client's jobs per status, every status in order.
pub async fn job_statuses(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
) -> ApiResult<Vec<JobStatusCount>> {
    let counts = sql::job_statuses(db, client_id).await?;
    Ok(JobStatus::ALL
        .iter()
        .map(|&status| JobStatusCount {
            status,
            count: counts
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// What happened to the client in the last `days` days, newest first, at most `limit`.
pub async fn activities(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    days: i32,
    limit: i32,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Activity>> {
    let mut errors = clientele_core::FieldErrors::new();
    if !(1..=MAX_ACTIVITY_DAYS).contains(&days) {
        errors.add("days", format!("must be between 1 and {MAX_ACTIVITY_DAYS}"));
    }
    if !(1..=MAX_ACTIVITIES).contains(&limit) {
        errors.add("limit", format!("must be between 1 and {MAX_ACTIVITIES}"));
    }
    errors.finish(|| Some(()))?;
    let since = now - chrono::Duration::days(i64::from(days));
    Ok(sql::activities(db, client_id, since, i64::from(limit)).await?)
}

/// The client's analytics between two days, both included, bucketed.
pub async fn series(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: Date,
    to: Date,
    granularity: Granularity,
) -> ApiResult<Vec<AnalyticsPoint>> {
    if to < from {
        return Err(AppError::invalid("dateTo", "must not be before dateFrom"));
    }
    if (to.0 - from.0).num_days() >= MAX_SERIES_DAYS {
        return Err(AppError::invalid(
            "dateTo",
            format!("the range may cover at most {MAX_SERIES_DAYS} days"),
        ));
    }
    Ok(sql::series(db, client_id, from, to, granularity.unit()).await?)
}

/// Midnight starting `day` in `tz`, as an instant (the first instant of the day when a
/// clock change skips midnight).
pub fn start_of_day(day: chrono::NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.with_timezone(&Utc)
        }
        // Midnight does not exist that day: the day starts an hour later.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
            .earliest()
            .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc)),
    }
}

/// Writes every client's figures for `day` of the agency's calendar, replacing an earlier
/// run's, in the caller's transaction.
pub async fn aggregate_day(db: &mut PgConnection, day: Date, tz: Tz) -> ApiResult<AggregationRun> {
    let next = day
        .0
        .succ_opt()
        .ok_or_else(|| AppError::invalid("date", "is out of range"))?;
    let clients = sql::aggregate(db, day, start_of_day(day.0, tz), start_of_day(next, tz)).await?;
    Ok(AggregationRun { date: day, clients })
}
