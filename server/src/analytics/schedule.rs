//! The nightly aggregation: `tick` (run every minute by each server, and at start) queues an
//! `AggregateAnalytics` task for every day of the agency's calendar that has ended since
//! the schedule last fired, under the schedule's row lock: a day is queued once however many
//! servers tick, and days missed while every server was down are caught up (31 at most).

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::service;
use crate::{
    error::AppError,
    graphql::scalars::Date,
    tasks::{self, Attempt, Task, TaskContext},
};

/// The schedule's name, also the prefix of its tasks' schedule keys.
pub const DAILY_ANALYTICS: &str = "daily-analytics";
/// Most past days one tick queues.
const MAX_CATCH_UP_DAYS: u64 = 31;

/// Aggregates one day of the agency's calendar for every client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AggregateAnalytics {
    /// The day.
    pub date: NaiveDate,
}

impl Task for AggregateAnalytics {
    const NAME: &'static str = "aggregate_analytics";

    async fn run(self, ctx: &TaskContext, _attempt: Attempt) -> anyhow::Result<()> {
        let mut tx = ctx.pool.begin().await?;
        let run = service::aggregate_day(&mut tx, Date(self.date), ctx.config.time_zone)
            .await
            .map_err(AppError::into_anyhow)?;
        tx.commit().await?;
        tracing::info!(date = %self.date, clients = run.clients, "daily analytics aggregated");
        Ok(())
    }
}

/// Queues the days that ended since the schedule last fired (at `now` in `tz`); the days
/// queued. The first tick ever queues yesterday.
pub async fn tick(pool: &PgPool, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<Vec<NaiveDate>> {
    let today = now.with_timezone(&tz).date_naive();
    let yesterday = today.pred_opt().context("the calendar ended")?;
    let mut tx = pool.begin().await?;
    let initial = yesterday.pred_opt().context("the calendar ended")?;
    let last = tasks::lock_schedule(&mut tx, DAILY_ANALYTICS, Date(initial))
        .await?
        .0;
    let earliest = yesterday - chrono::Days::new(MAX_CATCH_UP_DAYS - 1);
    let mut day = last.succ_opt().context("the calendar ended")?.max(earliest);
    let mut queued = Vec::new();
    while day <= yesterday {
        let key = format!("{DAILY_ANALYTICS}:{day}");
        if tasks::enqueue_scheduled(&mut tx, &AggregateAnalytics { date: day }, &key)
            .await
            .map_err(AppError::into_anyhow)?
            .is_some()
        {
            queued.push(day);
        }
        day = day.succ_opt().context("the calendar ended")?;
    }
    if last < yesterday {
        tasks::mark_fired(&mut tx, DAILY_ANALYTICS, Date(yesterday)).await?;
    }
    tx.commit().await?;
    Ok(queued)
}

/// Ticks now and every minute until the pool closes.
pub fn spawn(pool: PgPool, tz: Tz) -> tokio::task::JoinHandle<()> {
    tasks::every_minute(pool, "daily analytics", move |pool| async move {
        let days = tick(&pool, tz, Utc::now()).await?;
        if !days.is_empty() {
            tracing::info!(?days, "daily analytics queued");
        }
        Ok(())
    })
}
