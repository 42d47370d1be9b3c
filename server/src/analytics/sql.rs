//! All SQL of dashboards and analytics: set-based statements over a client's jobs (its own
//! and those actively linked), never row by row. Reads across domains on purpose; writes
//! only `client_analytics`. Private to `analytics`.

use chrono::{DateTime, Utc};
use clientele_core::{ApplicationStage, JobStatus};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Activity, ActivityKind, AnalyticsPoint, DashboardStats};
use crate::graphql::scalars::Date;

/// The dashboard's headline figures.
pub async fn stats(db: impl PgExecutor<'_>, client_id: Uuid) -> sqlx::Result<DashboardStats> {
    sqlx::query_as!(
        DashboardStats,
        r#"
        with job_figures as (
            select count(*) as linked_jobs,
                   count(*) filter (where j.status in ('open', 'on-hold')) as active_jobs,
                   (avg(extract(epoch from j.filled_at - j.opened_at) / 86400)
                       filter (where j.status = 'filled' and j.filled_at is not null
                                 and j.opened_at is not null))::float8 as time_to_fill
            from jobs j
            where j.id = any((select client_job_ids($1))::uuid[])
        ),
        application_figures as (
            select count(distinct a.candidate_id) as candidates,
                   count(*) filter (where a.stage = 'hired') as hires
            from applications a
            where a.job_id = any((select client_job_ids($1))::uuid[])
        )
        select jf.linked_jobs as "linked_jobs!", jf.active_jobs as "active_jobs!",
               af.candidates as "total_candidates!", af.hires as "hires!",
               jf.time_to_fill as average_time_to_fill_days
        from job_figures jf cross join application_figures af
        "#,
        client_id
    )
    .fetch_one(db)
    .await
}

/// Candidates per stage over the client's jobs (stages with none are absent).
pub async fn pipeline(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
) -> sqlx::Result<Vec<(ApplicationStage, i64)>> {
    let rows = sqlx::query!(
        r#"
        select a.stage as "stage: ApplicationStage", count(*) as "count!"
        from applications a
        where a.job_id = any((select client_job_ids($1))::uuid[])
        group by a.stage
        "#,
        client_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.stage, r.count)).collect())
}

/// The client's jobs per status (statuses with none are absent).
pub async fn job_statuses(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
) -> sqlx::Result<Vec<(JobStatus, i64)>> {
    let rows = sqlx::query!(
        r#"
        select j.status as "status: JobStatus", count(*) as "count!"
        from jobs j
        where j.id = any((select client_job_ids($1))::uuid[])
        group by j.status
        "#,
        client_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.count)).collect())
}

/// Everything that happened to the client since `since`, newest first, at most `limit`:
/// communications, job links and unlinks (from the audit log), stage moves in its jobs,
/// feedback.
pub async fn activities(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    since: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Activity>> {
    let rows = sqlx::query!(
        r#"
        -- Each kind's latest `limit` first, so only those are joined and described.
        with moves as (
            select h.application_id, h.stage, h.entered_at, h.changed_by
            from application_stage_history h
            where h.job_id = any((select client_job_ids($1))::uuid[]) and h.entered_at >= $2
            order by h.entered_at desc
            limit $3
        ),
        events as (
            (select 'communication' as kind, c.communication_date as at, c.subject as summary,
                    u.full_name as actor, c.id as record_id
             from client_communications c
             left join users u on u.id = c.logged_by
             where c.client_id = $1 and c.communication_date >= $2
               and c.communication_date <= now()
             order by c.communication_date desc
             limit $3)
            union all
            (select case a.action when 'client.job_linked' then 'job_linked' else 'job_unlinked' end,
                    a.at, coalesce(j.title, 'A job'), u.full_name, j.id
             from audit_log a
             left join jobs j on j.id = coalesce(a.after ->> 'job_id', a.before ->> 'job_id')::uuid
             left join users u on u.id = a.actor_id
             where a.entity = 'client' and a.entity_id = $1
               and a.action in ('client.job_linked', 'client.job_unlinked') and a.at >= $2
             order by a.at desc
             limit $3)
            union all
            select 'stage_changed', m.entered_at,
                   p.full_name || ' moved to ' || initcap(m.stage) || ' · ' || j.title,
                   u.full_name, ap.id
            from moves m
            join applications ap on ap.id = m.application_id
            join jobs j on j.id = ap.job_id
            join candidates p on p.id = ap.candidate_id
            left join users u on u.id = m.changed_by
            union all
            (select 'feedback', f.created_at, 'Feedback for ' || f.feedback_period, u.full_name, f.id
             from client_feedback f
             left join users u on u.id = f.submitted_by
             where f.client_id = $1 and f.created_at >= $2
             order by f.created_at desc
             limit $3)
        )
        select kind as "kind!", at as "at!", summary as "summary!", actor, record_id
        from events
        order by at desc, kind
        limit $3
        "#,
        client_id,
        since,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = match r.kind.as_str() {
                "communication" => ActivityKind::Communication,
                "job_linked" => ActivityKind::JobLinked,
                "job_unlinked" => ActivityKind::JobUnlinked,
                "stage_changed" => ActivityKind::StageChanged,
                "feedback" => ActivityKind::Feedback,
                _ => return None,
            };
            Some(Activity {
                kind,
                at: r.at,
                summary: r.summary,
                actor_name: r.actor,
                record_id: r.record_id,
            })
        })
        .collect())
}

/// The client's analytics between two days, bucketed by `unit` (`day`, `week`, `month`):
/// counts of what exists as of the bucket's last row, stage counts summed.
pub async fn series(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: Date,
    to: Date,
    unit: &str,
) -> sqlx::Result<Vec<AnalyticsPoint>> {
    sqlx::query_as!(
        AnalyticsPoint,
        r#"
        select date_trunc($4, date::timestamp)::date as "date!: Date",
               (array_agg(active_jobs_count order by date desc))[1]::int8 as "active_jobs!",
               (array_agg(total_candidates_count order by date desc))[1]::int8 as "total_candidates!",
               sum(screened_count)::int8 as "screened!",
               sum(shortlisted_count)::int8 as "shortlisted!",
               sum(interviewed_count)::int8 as "interviewed!",
               sum(hired_count)::int8 as "hired!",
               (array_agg(avg_time_to_fill_days order by date desc))[1]::float8
                   as average_time_to_fill_days,
               (array_agg(avg_candidate_quality_score order by date desc))[1]::float8
                   as average_quality_score
        from client_analytics
        where client_id = $1 and date between $2 and $3
        group by 1
        order by 1
        "#,
        client_id,
        from as Date,
        to as Date,
        unit
    )
    .fetch_all(db)
    .await
}

/// Writes every client's figures for `day` (the instants `[start, end)` in the agency's
/// time zone), replacing what an earlier run wrote; how many clients.
pub async fn aggregate(
    db: &mut PgConnection,
    day: Date,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let written = sqlx::query!(
        r#"
        with links as (
            select client_id, id as job_id from jobs where client_id is not null
            union
            select client_id, job_id from client_job_assignments where is_active
        ),
        job_figures as (
            select l.client_id,
                   count(*) filter (where j.opened_at < $3
                                      and (j.filled_at is null or j.filled_at >= $3)
                                      and j.status in ('open', 'on-hold', 'filled'))
                       as active_jobs,
                   avg(extract(epoch from j.filled_at - j.opened_at) / 86400)
                       filter (where j.filled_at < $3 and j.opened_at is not null) as time_to_fill
            from links l join jobs j on j.id = l.job_id
            group by l.client_id
        ),
        application_figures as (
            select l.client_id,
                   count(*) filter (where a.created_at < $3) as candidates,
                   avg(a.quality_score) filter (where a.created_at < $3) as quality
            from links l join applications a on a.job_id = l.job_id
            group by l.client_id
        ),
        moves as (
            select l.client_id,
                   count(*) filter (where h.stage = 'screened') as screened,
                   count(*) filter (where h.stage = 'shortlisted') as shortlisted,
                   count(*) filter (where h.stage = 'interviewed') as interviewed,
                   count(*) filter (where h.stage = 'hired') as hired
            from application_stage_history h
            join links l on l.job_id = h.job_id
            where h.entered_at >= $2 and h.entered_at < $3
            group by l.client_id
        ),
        written as (
            insert into client_analytics
                (client_id, date, active_jobs_count, total_candidates_count, screened_count,
                 shortlisted_count, interviewed_count, hired_count, avg_time_to_fill_days,
                 avg_candidate_quality_score)
            select c.id, $1,
                   coalesce(jf.active_jobs, 0), coalesce(af.candidates, 0),
                   coalesce(m.screened, 0), coalesce(m.shortlisted, 0),
                   coalesce(m.interviewed, 0), coalesce(m.hired, 0),
                   round(jf.time_to_fill::numeric, 2), round(af.quality::numeric, 2)
            from clients c
            left join job_figures jf on jf.client_id = c.id
            left join application_figures af on af.client_id = c.id
            left join moves m on m.client_id = c.id
            where c.created_at < $3
            on conflict (client_id, date) do update set
                active_jobs_count = excluded.active_jobs_count,
                total_candidates_count = excluded.total_candidates_count,
                screened_count = excluded.screened_count,
                shortlisted_count = excluded.shortlisted_count,
                interviewed_count = excluded.interviewed_count,
                hired_count = excluded.hired_count,
                avg_time_to_fill_days = excluded.avg_time_to_fill_days,
                avg_candidate_quality_score = excluded.avg_candidate_quality_score
            returning 1
        )
        select count(*) as "count!" from written
        "#,
        day as Date,
        start,
        end
    )
    .fetch_one(db)
    .await?;
    Ok(written.count)
}
