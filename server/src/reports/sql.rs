//! All SQL of reports: the report records, and the read-only queries that gather what a
//! performance report shows from clients, feedback, jobs, applications and communications.
//! Reports read across domains on purpose (a report is a view over all of them); they never
//! write there. Private to `reports`.

use chrono::{DateTime, Utc};
use clientele_core::CommunicationType;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Report, ReportKind, ReportStatus};
use crate::graphql::scalars::Date;

/// A new report record.
pub struct NewReport {
    pub id: Uuid,
    pub client_id: Uuid,
    pub kind: ReportKind,
    pub date_from: Date,
    pub date_to: Date,
    pub status: ReportStatus,
    pub requested_by: Uuid,
    pub file_id: Option<Uuid>,
}

/// Makes the caller's transaction read one consistent snapshot and write nothing: every
/// figure of a report is of the same moment.
pub async fn snapshot(db: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("set transaction isolation level repeatable read, read only")
        .execute(db)
        .await?;
    Ok(())
}

/// Records a report.
pub async fn insert(db: &mut PgConnection, new: &NewReport) -> sqlx::Result<Report> {
    sqlx::query_as!(
        Report,
        r#"
        insert into reports (id, client_id, date_from, date_to, status, requested_by, file_id,
                             finished_at, kind)
        values ($1, $2, $3, $4, $5, $6, $7, case when $5 = 'pending' then null else now() end,
                $8)
        returning id, client_id, kind as "kind: ReportKind", date_from as "date_from: Date",
                  date_to as "date_to: Date", status as "status: ReportStatus", requested_by,
                  file_id, error, created_at, finished_at
        "#,
        new.id,
        new.client_id,
        new.date_from as Date,
        new.date_to as Date,
        new.status.as_str(),
        new.requested_by,
        new.file_id,
        new.kind.as_str()
    )
    .fetch_one(db)
    .await
}

/// One report.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Report>> {
    sqlx::query_as!(
        Report,
        r#"
        select id, client_id, kind as "kind: ReportKind", date_from as "date_from: Date",
               date_to as "date_to: Date", status as "status: ReportStatus", requested_by,
               file_id, error, created_at, finished_at
        from reports
        where id = $1
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// A client's latest reports, newest first, and how many there are.
pub async fn of_client(
    db: &mut PgConnection,
    client_id: Uuid,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Report>, i64)> {
    let items = sqlx::query_as!(
        Report,
        r#"
        select id, client_id, kind as "kind: ReportKind", date_from as "date_from: Date",
               date_to as "date_to: Date", status as "status: ReportStatus", requested_by,
               file_id, error, created_at, finished_at
        from reports
        where client_id = $1
        order by created_at desc, id
        limit $2 offset $3
        "#,
        client_id,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "count!" from reports where client_id = $1"#,
        client_id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// Marks a pending report rendered; `None` when it was no longer pending.
pub async fn mark_ready(
    db: &mut PgConnection,
    id: Uuid,
    file_id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"
        update reports set status = 'ready', file_id = $2, error = null, finished_at = now()
        where id = $1 and status = 'pending'
        returning id
        "#,
        id,
        file_id
    )
    .fetch_optional(db)
    .await
}

/// Marks a pending report failed, saying why.
pub async fn mark_failed(db: impl PgExecutor<'_>, id: Uuid, error: &str) -> sqlx::Result<()> {
    sqlx::query!(
        r#"
        update reports set status = 'failed', error = $2, finished_at = now()
        where id = $1 and status = 'pending'
        "#,
        id,
        error
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The client on a report's cover.
pub struct Cover {
    pub name: String,
    pub code: String,
    pub industry: Option<String>,
    pub account_manager: Option<String>,
}

/// A client's name, code, industry and account manager.
pub async fn cover(db: impl PgExecutor<'_>, client_id: Uuid) -> sqlx::Result<Option<Cover>> {
    sqlx::query_as!(
        Cover,
        r#"
        select c.name, c.client_code as code, c.industry, u.full_name as "account_manager?"
        from clients c
        left join users u on u.id = c.account_manager_id
        where c.id = $1
        "#,
        client_id
    )
    .fetch_optional(db)
    .await
}

/// One period's average ratings.
pub struct PeriodAverages {
    pub period: String,
    pub responsiveness: Option<f64>,
    pub communication: Option<f64>,
    pub requirements_clarity: Option<f64>,
    pub decision_speed: Option<f64>,
    pub overall_satisfaction: Option<f64>,
}

/// Per period with feedback given in the range, the average of each criterion, oldest
/// period first.
pub async fn period_averages(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: Date,
    to: Date,
) -> sqlx::Result<Vec<PeriodAverages>> {
    sqlx::query_as!(
        PeriodAverages,
        r#"
        select feedback_period as period,
               avg(responsiveness_rating)::float8 as responsiveness,
               avg(communication_rating)::float8 as communication,
               avg(requirements_clarity_rating)::float8 as requirements_clarity,
               avg(decision_speed_rating)::float8 as decision_speed,
               avg(overall_satisfaction)::float8 as overall_satisfaction
        from client_feedback
        where client_id = $1 and feedback_date between $2 and $3
        group by feedback_period
        order by min(feedback_date), feedback_period
        "#,
        client_id,
        from as Date,
        to as Date
    )
    .fetch_all(db)
    .await
}

/// Job figures of a client over a range.
pub struct JobFigures {
    pub linked: i64,
    pub open: i64,
    pub filled: i64,
    pub hires: i64,
    pub days_to_fill: Option<f64>,
}

/// The client's jobs (its own and those actively linked): how many, how many are open now,
/// how many were filled in `[from, until)` and in how many days on average, and how many
/// candidates were hired for them in it.
pub async fn job_figures(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<JobFigures> {
    sqlx::query_as!(
        JobFigures,
        r#"
        with job_figures as (
            select count(*) as linked,
                   count(*) filter (where j.status = 'open') as open,
                   count(*) filter (where j.filled_at >= $2 and j.filled_at < $3) as filled,
                   (avg(extract(epoch from j.filled_at - j.opened_at) / 86400)
                       filter (where j.filled_at >= $2 and j.filled_at < $3
                                 and j.opened_at is not null))::float8 as days_to_fill
            from jobs j
            where j.id = any((select client_job_ids($1))::uuid[])
        ),
        hired as (
            select count(distinct h.application_id) as hires
            from application_stage_history h
            where h.job_id = any((select client_job_ids($1))::uuid[])
              and h.stage = 'hired' and h.entered_at >= $2 and h.entered_at < $3
        )
        select jf.linked as "linked!", jf.open as "open!", jf.filled as "filled!",
               hired.hires as "hires!", jf.days_to_fill
        from job_figures jf cross join hired
        "#,
        client_id,
        from,
        until
    )
    .fetch_one(db)
    .await
}

/// An important communication.
pub struct Important {
    pub communication_date: DateTime<Utc>,
    pub communication_type: CommunicationType,
    pub subject: String,
    pub logged_by: String,
    pub total: i64,
}

/// The client's latest `limit` communications marked important in `[from, until)`, newest
/// first, each with how many there are in all.
pub async fn important_communications(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Important>> {
    sqlx::query_as!(
        Important,
        r#"
        select c.communication_date,
               c.communication_type as "communication_type: CommunicationType", c.subject,
               u.full_name as logged_by, count(*) over () as "total!"
        from client_communications c
        join users u on u.id = c.logged_by
        where c.client_id = $1 and c.is_important
          and c.communication_date >= $2 and c.communication_date < $3
        order by c.communication_date desc, c.id
        limit $4
        "#,
        client_id,
        from,
        until,
        limit
    )
    .fetch_all(db)
    .await
}
