//! The rules about feedback: one per client and period, updated until finalized, finalized
//! once (audit-logged), and averages and trends computed by the database.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{Feedback, FeedbackAverages, FeedbackTrend, NewFeedback, sql};
use crate::{
    audit::{self, AuditEntry},
    auth::Viewer,
    clients,
    error::{ApiResult, AppError},
    graphql::{page::PageRequest, scalars::Date},
};

/// Submits a client's feedback for a period: a new one, or an update of the period's
/// feedback while it is not finalized.
pub async fn submit(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    new: &NewFeedback,
) -> ApiResult<Feedback> {
    clients::lock(db, client_id).await?;
    sql::upsert(db, client_id, new, viewer.user_id)
        .await?
        .ok_or_else(|| {
            AppError::conflict(format!(
                "the feedback for {} is finalized and cannot change",
                new.period
            ))
        })
}

/// Finalizes a feedback: it never changes again.
pub async fn finalize(db: &mut PgConnection, viewer: Viewer, id: Uuid) -> ApiResult<Feedback> {
    let before = sql::lock(db, id)
        .await?
        .ok_or(AppError::NotFound("feedback"))?;
    if before.is_finalized {
        return Err(AppError::conflict("this feedback is already finalized"));
    }
    let after = sql::finalize(db, id, viewer.user_id).await?;
    audit::record(
        db,
        AuditEntry {
            actor_id: Some(viewer.user_id),
            action: "feedback.finalized",
            entity: "feedback",
            entity_id: id,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// A page of a client's feedback, newest first.
pub async fn list(
    db: &mut PgConnection,
    client_id: Uuid,
    range: (Option<Date>, Option<Date>),
    finalized_only: bool,
    page: PageRequest,
) -> ApiResult<(Vec<Feedback>, i64)> {
    Ok(sql::list(
        db,
        client_id,
        range.0,
        range.1,
        finalized_only,
        page.limit,
        page.offset(),
    )
    .await?)
}

/// A client's average ratings between two dates.
pub async fn averages(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> ApiResult<FeedbackAverages> {
    Ok(sql::averages(db, client_id, from, to).await?)
}

/// Most periods a trend shows.
pub const MAX_TREND_PERIODS: i32 = 40;

/// The last `periods` periods of a client's feedback, oldest first, with changes.
pub async fn trends(
    db: impl PgExecutor<'_>,
    client_id: Uuid,
    periods: i32,
) -> ApiResult<Vec<FeedbackTrend>> {
    if !(1..=MAX_TREND_PERIODS).contains(&periods) {
        return Err(AppError::invalid(
            "periods",
            format!("must be between 1 and {MAX_TREND_PERIODS}"),
        ));
    }
    Ok(sql::trends(db, client_id, i64::from(periods)).await?)
}
