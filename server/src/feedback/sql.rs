//! All SQL about feedback. Averages and trends are computed here, in SQL. Private to
//! `feedback`.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Feedback, FeedbackAverages, FeedbackScores, FeedbackTrend, NewFeedback};
use crate::graphql::scalars::Date;

/// Inserts the feedback of a period, or updates the period's feedback while it is not
/// finalized; `None` when it is finalized.
pub async fn upsert(
    db: &mut PgConnection,
    client_id: Uuid,
    new: &NewFeedback,
    submitted_by: Uuid,
) -> sqlx::Result<Option<Feedback>> {
    let [r1, r2, r3, r4, r5] = new.ratings.map(|r| i16::from(r.value()));
    sqlx::query_as!(
        Feedback,
        r#"
        insert into client_feedback
            (client_id, feedback_period, feedback_date, responsiveness_rating,
             communication_rating, requirements_clarity_rating, decision_speed_rating,
             overall_satisfaction, written_feedback, submitted_by)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        on conflict (client_id, feedback_period) do update
            set feedback_date = excluded.feedback_date,
                responsiveness_rating = excluded.responsiveness_rating,
                communication_rating = excluded.communication_rating,
                requirements_clarity_rating = excluded.requirements_clarity_rating,
                decision_speed_rating = excluded.decision_speed_rating,
                overall_satisfaction = excluded.overall_satisfaction,
                written_feedback = excluded.written_feedback,
                submitted_by = excluded.submitted_by
            where not client_feedback.is_finalized
        returning id, client_id, feedback_period as period, feedback_date as "feedback_date: Date",
                  responsiveness_rating as responsiveness, communication_rating as communication,
                  requirements_clarity_rating as requirements_clarity,
                  decision_speed_rating as decision_speed, overall_satisfaction, written_feedback,
                  submitted_by, is_finalized, finalized_by, finalized_at, created_at, updated_at
        "#,
        client_id,
        new.period.to_string(),
        new.feedback_date as Date,
        r1,
        r2,
        r3,
        r4,
        r5,
        new.written_feedback,
        submitted_by
    )
    .fetch_optional(db)
    .await
}

/// One feedback, locked for the rest of the transaction.
pub async fn lock(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Feedback>> {
    sqlx::query_as!(
        Feedback,
        r#"
        select id, client_id, feedback_period as period, feedback_date as "feedback_date: Date",
               responsiveness_rating as responsiveness, communication_rating as communication,
               requirements_clarity_rating as requirements_clarity,
               decision_speed_rating as decision_speed, overall_satisfaction, written_feedback,
               submitted_by, is_finalized, finalized_by, finalized_at, created_at, updated_at
        from client_feedback
        where id = $1
        for update
        "#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Finalizes a feedback.
pub async fn finalize(db: &mut PgConnection, id: Uuid, by: Uuid) -> sqlx::Result<Feedback> {
    sqlx::query_as!(
        Feedback,
        r#"
        update client_feedback
        set is_finalized = true, finalized_by = $2, finalized_at = now()
        where id = $1
        returning id, client_id, feedback_period as period, feedback_date as "feedback_date: Date",
                  responsiveness_rating as responsiveness, communication_rating as communication,
                  requirements_clarity_rating as requirements_clarity,
                  decision_speed_rating as decision_speed, overall_satisfaction, written_feedback,
                  submitted_by, is_finalized, finalized_by, finalized_at, created_at, updated_at
        "#,
        id,
        by
    )
    .fetch_one(db)
    .await
}

/// A page of a client's feedback, newest first, and how many match.
pub async fn list(
    db: &mut PgConnection,
    client_id: Uuid,
    from: Option<Date>,
    to: Option<Date>,
    finalized_only: bool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Feedback>, i64)> {
    let items = sqlx::query_as!(
        Feedback,
        r#"
        select id, client_id, feedback_period as period, feedback_date as "feedback_date: Date",
               responsiveness_rating as responsiveness, communication_rating as communication,
               requirements_clarity_rating as requirements_clarity,
               decision_speed_rating as decision_speed, overall_satisfaction, written_feedback,
               submitted_by, is_finalized, finalized_by, finalized_at, created_at, updated_at
        from client_feedback
        where client_id = $1
          and ($2::date is null or feedback_date >= $2)
          and ($3::date is null or feedback_date <= $3)
          and (not $4 or is_finalized)
        order by feedback_date desc, feedback_period desc
        limit $5 offset $6
        "#,
        client_id,
        from as Option<Date>,
        to as Option<Date>,
        finalized_only,
        limit,
        offset
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!"
        from client_feedback
        where client_id = $1
          and ($2::date is null or feedback_date >= $2)
          and ($3::date is null or feedback_date <= $3)
          and (not $4 or is_finalized)
        "#,
        client_id,
        from as Option<Date>,
        to as Option<Date>,
        finalized_only
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((items, total))
}

/// A client's average ratings between two dates (each bound optional, both inclusive).
pub async fn averages(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> sqlx::Result<FeedbackAverages> {
    let row = sqlx::query!(
        r#"
        select count(*) as "count!",
               avg(responsiveness_rating)::float8 as responsiveness,
               avg(communication_rating)::float8 as communication,
               avg(requirements_clarity_rating)::float8 as requirements_clarity,
               avg(decision_speed_rating)::float8 as decision_speed,
               avg(overall_satisfaction)::float8 as overall_satisfaction
        from client_feedback
        where client_id = $1
          and ($2::date is null or feedback_date >= $2)
          and ($3::date is null or feedback_date <= $3)
        "#,
        client_id,
        from as Option<Date>,
        to as Option<Date>
    )
    .fetch_one(db)
    .await?;
    Ok(FeedbackAverages {
        count: row.count,
        averages: FeedbackScores {
            responsiveness: row.responsiveness,
            communication: row.communication,
            requirements_clarity: row.requirements_clarity,
            decision_speed: row.decision_speed,
            overall_satisfaction: row.overall_satisfaction,
        },
    })
}

/// The last `periods` periods of a client's feedback, oldest first: each period's averages
/// and the change from the period before it (over all periods, not only those shown).
pub async fn trends(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    periods: i64,
) -> sqlx::Result<Vec<FeedbackTrend>> {
    let rows = sqlx::query!(
        r#"
        with per_period as (
            select feedback_period as period, min(feedback_date) as starts, count(*) as n,
                   avg(responsiveness_rating)::float8 as a1,
                   avg(communication_rating)::float8 as a2,
                   avg(requirements_clarity_rating)::float8 as a3,
                   avg(decision_speed_rating)::float8 as a4,
                   avg(overall_satisfaction)::float8 as a5
            from client_feedback
            where client_id = $1
            group by feedback_period
        ),
        with_change as (
            select period, starts, n, a1, a2, a3, a4, a5,
                   a1 - lag(a1) over w as d1, a2 - lag(a2) over w as d2,
                   a3 - lag(a3) over w as d3, a4 - lag(a4) over w as d4,
                   a5 - lag(a5) over w as d5
            from per_period
            window w as (order by starts, period)
        )
        select period as "period!", n as "count!", a1, a2, a3, a4, a5, d1, d2, d3, d4, d5
        from (select * from with_change order by starts desc, period desc limit $2) latest
        order by starts, period
        "#,
        client_id,
        periods
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FeedbackTrend {
            period: r.period,
            count: r.count,
            averages: FeedbackScores {
                responsiveness: r.a1,
                communication: r.a2,
                requirements_clarity: r.a3,
                decision_speed: r.a4,
                overall_satisfaction: r.a5,
            },
            change: FeedbackScores {
                responsiveness: r.d1,
                communication: r.d2,
                requirements_clarity: r.d3,
                decision_speed: r.d4,
                overall_satisfaction: r.d5,
            },
        })
        .collect())
}
