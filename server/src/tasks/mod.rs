//! The background queue (not "jobs": those are the agency's). Work that should not hold up
//! a request — rendering a report, later emails and schedules — is a [`Task`] written to
//! `background_jobs` in the same transaction as the change that causes it, so it exists
//! exactly when that change committed. Workers in every server claim tasks with
//! `FOR UPDATE SKIP LOCKED`; a task that fails is retried with backoff and parked, not lost,
//! when it keeps failing. Tests drain the queue with [`run_pending`], never by sleeping.

pub(crate) mod graphql;
mod sql;
mod worker;

use std::{future::Future, panic::AssertUnwindSafe, sync::Arc, time::Duration};

use anyhow::Context as _;
use futures::FutureExt;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub use sql::{QueueFigure, lock_schedule, mark_fired};
pub use worker::{Workers, spawn_workers};

use crate::{config::Config, error::ApiResult, storage::Storage};

/// The channel a new task is announced on, so idle workers wake at once.
const CHANNEL: &str = "clientele_tasks";

/// What a running task may reach.
#[derive(Clone)]
pub struct TaskContext {
    /// The database.
    pub pool: PgPool,
    /// Where files are kept.
    pub storage: Storage,
    /// Configuration.
    pub config: Arc<Config>,
    /// How email leaves.
    pub mailer: crate::email::Mailer,
}

impl From<&crate::AppState> for TaskContext {
    fn from(state: &crate::AppState) -> Self {
        Self {
            pool: state.pool.clone(),
            storage: state.storage.clone(),
            config: state.config.clone(),
            mailer: state.mailer.clone(),
        }
    }
}

/// Which attempt of a task this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first.
    pub number: i32,
    /// Whether the task is parked if this attempt fails too.
    pub last: bool,
}

/// A kind of background work. Its value is the payload, stored as JSON.
pub trait Task: Serialize + DeserializeOwned + Send {
    /// The name it is stored under; never change it once tasks of it may be queued.
    const NAME: &'static str;
    /// Does the work. An error is retried later (or parks the task on its last attempt),
    /// so a task must be safe to run again after it failed half way.
    fn run(
        self,
        ctx: &TaskContext,
        attempt: Attempt,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Every task this server can run, and how each is read back from its payload.
macro_rules! registered {
    ($($task:ty),* $(,)?) => {
        /// The names of the tasks this server runs: it claims no others, so a replica of an
        /// older version leaves a newer task to a server that knows it.
        const KNOWN: &[&str] = &[$(<$task as Task>::NAME),*];

        async fn dispatch(
            ctx: &TaskContext,
            name: &str,
            payload: serde_json::Value,
            attempt: Attempt,
        ) -> anyhow::Result<()> {
            $(
                if name == <$task as Task>::NAME {
                    let task: $task =
                        serde_json::from_value(payload).context("reading the task's payload")?;
                    return task.run(ctx, attempt).await;
                }
            )*
            anyhow::bail!("no task is named {name:?}")
        }
    };
}

registered!(
    crate::reports::RenderReport,
    crate::analytics::AggregateAnalytics,
    crate::email::DeliverEmail,
    crate::email::FeedbackReminders,
);

/// Queues `task` in the caller's transaction: it runs once that transaction commits.
pub async fn enqueue<T: Task>(db: &mut PgConnection, task: &T) -> ApiResult<Uuid> {
    let payload = serde_json::to_value(task).context("writing a task's payload")?;
    let id = sql::insert(&mut *db, T::NAME, &payload).await?;
    sql::announce(db, CHANNEL).await?;
    Ok(id)
}

/// Queues `task` under a schedule key in the caller's transaction, unless a task with that
/// key is queued already; its id when queued.
pub async fn enqueue_scheduled<T: Task>(
    db: &mut PgConnection,
    task: &T,
    key: &str,
) -> ApiResult<Option<Uuid>> {
    let payload = serde_json::to_value(task).context("writing a task's payload")?;
    let id = sql::insert_scheduled(&mut *db, T::NAME, &payload, key).await?;
    if id.is_some() {
        sql::announce(db, CHANNEL).await?;
    }
    Ok(id)
}

/// Runs `tick` now and then every minute until the pool closes; a failed tick is logged
/// and the next one tries again. Schedules use it to queue their runs.
pub fn every_minute<F, Fut>(
    pool: PgPool,
    what: &'static str,
    tick: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn(PgPool) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    tokio::spawn(async move {
        loop {
            match tick(pool.clone()).await {
                Ok(()) => {}
                Err(_) if pool.is_closed() => return,
                Err(error) => tracing::warn!(?error, schedule = what, "a schedule could not tick"),
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    })
}

/// How long a task that failed `attempts` times waits: 4 s, 16 s, 64 s, … at most an hour.
fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8)).unwrap_or(8);
    Duration::from_secs(4u64.pow(exponent)).min(Duration::from_secs(3600))
}

/// The queue in figures (waiting, retrying, parked; the oldest of each), for the metrics.
pub async fn queue_figures(pool: &PgPool) -> anyhow::Result<Vec<QueueFigure>> {
    Ok(sql::queue_figures(pool).await?)
}

/// Claims and runs the next task that is due; `false` when none is.
pub async fn run_next(ctx: &TaskContext) -> anyhow::Result<bool> {
    // The claim's row lock is held until the outcome is written: a server that dies
    // mid-task drops its connection, the lock goes with it, and another server retries.
    let mut tx = ctx.pool.begin().await.context("starting a task")?;
    let Some(claimed) = sql::claim(&mut tx, KNOWN)
        .await
        .context("claiming a task")?
    else {
        return Ok(false);
    };
    let attempt = Attempt {
        number: claimed.attempts + 1,
        last: claimed.attempts + 1 >= claimed.max_attempts,
    };
    let running = ::metrics::gauge!("clientele_background_tasks_running");
    running.increment(1.0);
    let outcome = AssertUnwindSafe(dispatch(ctx, &claimed.job_type, claimed.payload, attempt))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the task panicked")));
    running.decrement(1.0);
    match outcome {
        Ok(()) => sql::delete(&mut tx, claimed.id).await?,
        Err(error) => {
            tracing::warn!(
                task = %claimed.job_type, id = %claimed.id, attempt = attempt.number,
                parked = attempt.last, error = ?error, "a task failed"
            );
            crate::metrics::task_failed(&claimed.job_type, attempt.last);
            let wait = backoff(attempt.number);
            sql::failed(&mut tx, claimed.id, &format!("{error:#}"), wait).await?;
        }
    }
    tx.commit().await.context("recording a task's outcome")?;
    Ok(true)
}

/// Runs every task that is due, one after another, until none is; how many ran. Tasks that
/// fail wait for their backoff and are not run again here.
pub async fn run_pending(ctx: &TaskContext) -> anyhow::Result<usize> {
    let mut ran = 0;
    while run_next(ctx).await? {
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let waits: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [4, 16, 64, 256, 1024, 3600, 3600, 3600, 3600]);
    }
}
