//! All SQL of the background queue. Private to `tasks`.

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::graphql::scalars::Date;

/// How many tasks are in one state of the queue, and the age of the oldest.
pub struct QueueFigure {
    /// `waiting` (first attempt due), `retrying` (failed before, not parked) or `parked`.
    pub state: &'static str,
    /// How many.
    pub count: i64,
    /// Seconds since the oldest of them was queued (0 when none).
    pub oldest_seconds: f64,
}

/// The queue in figures, for the metrics.
pub async fn queue_figures(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<QueueFigure>> {
    let row = sqlx::query!(
        r#"
        select
            count(*) filter (where parked_at is null and attempts = 0) as "waiting!",
            count(*) filter (where parked_at is null and attempts > 0) as "retrying!",
            count(*) filter (where parked_at is not null) as "parked!",
            coalesce(extract(epoch from now() - min(created_at)
                filter (where parked_at is null and attempts = 0))::float8, 0) as "waiting_age!",
            coalesce(extract(epoch from now() - min(created_at)
                filter (where parked_at is null and attempts > 0))::float8, 0) as "retrying_age!",
            coalesce(extract(epoch from now() - min(created_at)
                filter (where parked_at is not null))::float8, 0) as "parked_age!"
        from background_jobs
        "#
    )
    .fetch_one(db)
    .await?;
    Ok(vec![
        QueueFigure {
            state: "waiting",
            count: row.waiting,
            oldest_seconds: row.waiting_age,
        },
        QueueFigure {
            state: "retrying",
            count: row.retrying,
            oldest_seconds: row.retrying_age,
        },
        QueueFigure {
            state: "parked",
            count: row.parked,
            oldest_seconds: row.parked_age,
        },
    ])
}

/// A claimed task.
pub struct Claimed {
    pub id: Uuid,
    pub job_type: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
    pub max_attempts: i32,
}

/// Queues a task.
pub async fn insert(
    db: impl PgExecutor<'_>,
    job_type: &str,
    payload: &serde_json::Value,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into background_jobs (job_type, payload) values ($1, $2) returning id",
        job_type,
        payload
    )
    .fetch_one(db)
    .await
}

/// Queues a task under a schedule key, unless one with that key is queued; its id.
pub async fn insert_scheduled(
    db: impl PgExecutor<'_>,
    job_type: &str,
    payload: &serde_json::Value,
    key: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"
        insert into background_jobs (job_type, payload, schedule_key) values ($1, $2, $3)
        on conflict (schedule_key) do nothing
        returning id
        "#,
        job_type,
        payload,
        key
    )
    .fetch_optional(db)
    .await
}

/// Wakes idle workers when the caller's transaction commits.
pub async fn announce(db: &mut PgConnection, channel: &str) -> sqlx::Result<()> {
    sqlx::query!("select pg_notify($1, '')", channel)
        .execute(db)
        .await?;
    Ok(())
}

/// The task due first among `known` kinds, locked for the caller's transaction; tasks
/// other workers hold are skipped.
pub async fn claim(db: &mut PgConnection, known: &[&str]) -> sqlx::Result<Option<Claimed>> {
    let known: Vec<String> = known.iter().map(|&name| name.to_owned()).collect();
    sqlx::query_as!(
        Claimed,
        r#"
        select id, job_type, payload, attempts, max_attempts
        from background_jobs
        where parked_at is null and run_at <= now() and job_type = any($1)
        order by run_at
        limit 1
        for update skip locked
        "#,
        &known
    )
    .fetch_optional(db)
    .await
}

/// Forgets a task that ran.
pub async fn delete(db: &mut PgConnection, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from background_jobs where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: the task waits `wait` before its next, or is parked when it
/// has had all its attempts.
pub async fn failed(
    db: &mut PgConnection,
    id: Uuid,
    error: &str,
    wait: Duration,
) -> sqlx::Result<()> {
    let wait_seconds = wait.as_secs_f64();
    sqlx::query!(
        r#"
        update background_jobs
        set attempts = attempts + 1,
            last_error = $2,
            run_at = now() + make_interval(secs => $3),
            locked_at = null,
            parked_at = case when attempts + 1 >= max_attempts then now() end
        where id = $1
        "#,
        id,
        error,
        wait_seconds
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A queued task as operators see it.
pub struct Queued {
    pub id: Uuid,
    pub job_type: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: chrono::DateTime<chrono::Utc>,
    pub last_error: Option<String>,
    pub parked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of queued tasks, parked or waiting (`None`: both), due first, and how many.
pub async fn queued(
    db: &mut PgConnection,
    parked: Option<bool>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Queued>, i64)> {
    let items = sqlx::query_as!(
        Queued,
        r#"
        select id, job_type, payload, attempts, max_attempts, run_at, last_error, parked_at,
               created_at
        from background_jobs
        where $1::bool is null or (parked_at is not null) = $1
        order by parked_at desc nulls last, run_at, id
        limit $2 offset $3
        "#,
        parked,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!" from background_jobs
        where $1::bool is null or (parked_at is not null) = $1
        "#,
        parked
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// Gives a parked task a fresh set of attempts, due now; whether it was parked.
pub async fn unpark(db: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"
        update background_jobs
        set parked_at = null, attempts = 0, run_at = now(), last_error = null
        where id = $1 and parked_at is not null
        "#,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the named schedule's row (creating it as last fired on `initial`) and returns the
/// last day it fired for.
pub async fn lock_schedule(db: &mut PgConnection, name: &str, initial: Date) -> sqlx::Result<Date> {
    sqlx::query!(
        "insert into task_schedules (name, last_fired) values ($1, $2) on conflict (name) do nothing",
        name,
        initial as Date
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        r#"select last_fired as "last_fired: Date" from task_schedules where name = $1 for update"#,
        name
    )
    .fetch_one(db)
    .await
}

/// Records the last day the named schedule fired for.
pub async fn mark_fired(db: &mut PgConnection, name: &str, day: Date) -> sqlx::Result<()> {
    sqlx::query!(
        "update task_schedules set last_fired = $2, updated_at = now() where name = $1",
        name,
        day as Date
    )
    .execute(db)
    .await?;
    Ok(())
}
