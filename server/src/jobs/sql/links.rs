//! Links between clients and jobs (`client_job_assignments`): soft, so a link keeps who made
//! it and when, and who ended it; linking again brings the same row back.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// Links the jobs to the client, bringing back ended links; the jobs newly linked (those
/// already linked are left as they are).
pub async fn link(
    db: &mut PgConnection,
    client_id: Uuid,
    job_ids: &[Uuid],
    by: Uuid,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        r#"
        insert into client_job_assignments (client_id, job_id, assigned_by)
        select $1, job_id, $3 from unnest($2::uuid[]) as job_id
        on conflict (client_id, job_id) do update
            set is_active = true, assigned_by = excluded.assigned_by, assigned_at = now(),
                unassigned_at = null, unassigned_by = null
            where not client_job_assignments.is_active
        returning job_id
        "#,
        client_id,
        job_ids,
        by
    )
    .fetch_all(db)
    .await
}

/// Ends the client's link to the job; whether there was one.
pub async fn unlink(
    db: &mut PgConnection,
    client_id: Uuid,
    job_id: Uuid,
    by: Uuid,
) -> sqlx::Result<bool> {
    let ended = sqlx::query!(
        r#"
        update client_job_assignments
        set is_active = false, unassigned_at = now(), unassigned_by = $3
        where client_id = $1 and job_id = $2 and is_active
        "#,
        client_id,
        job_id,
        by
    )
    .execute(db)
    .await?;
    Ok(ended.rows_affected() == 1)
}

/// Of `ids`, those that are jobs.
pub async fn existing_jobs(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from jobs where id = any($1)", ids)
        .fetch_all(db)
        .await
}
