//! All SQL of the background queue. Private to `tasks`.

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

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
