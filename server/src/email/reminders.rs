//! Feedback reminders: on the 1st of each month at 09:00 in the agency's time zone, one
//! email per account manager listing their active clients with no feedback in the current
//! quarter (a feedback for the quarter or for one of its months counts). `tick` (every
//! minute on each server) queues the month's run once under the schedule's row lock; the
//! run writes one outbox email per manager under a per-manager-and-month key, so a run
//! that is retried, or queued twice, never reminds anyone twice.

use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{queue, render, sql};
use crate::{
    error::{ApiResult, AppError},
    graphql::scalars::Date,
    tasks::{self, Attempt, Task, TaskContext},
};

/// The schedule's name, also the prefix of its tasks' schedule keys.
pub const REMINDERS: &str = "feedback-reminders";
/// The hour of the 1st at which reminders go out.
const HOUR: u32 = 9;

/// Sends the reminders of one month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedbackReminders {
    /// The 1st of the month.
    pub month: NaiveDate,
}

impl Task for FeedbackReminders {
    const NAME: &'static str = "feedback_reminders";

    async fn run(self, ctx: &TaskContext, _attempt: Attempt) -> anyhow::Result<()> {
        let mut tx = ctx.pool.begin().await?;
        let queued = send_reminders(&mut tx, self.month)
            .await
            .map_err(AppError::into_anyhow)?;
        tx.commit().await?;
        tracing::info!(month = %self.month, queued, "feedback reminders queued");
        Ok(())
    }
}

/// A client in a reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemindedClient {
    /// Its name.
    pub name: String,
    /// Its code.
    pub code: String,
    /// When its last feedback was given, if ever.
    pub last_feedback: Option<NaiveDate>,
}

/// One manager's reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagerReminder {
    /// The manager.
    #[serde(skip)]
    pub manager_id: Uuid,
    /// Their name.
    pub manager_name: String,
    /// Where the reminder goes.
    #[serde(skip)]
    pub manager_email: String,
    /// The quarter (`2026-Q4`).
    pub quarter: String,
    /// Their clients without feedback in the quarter, by name.
    pub clients: Vec<RemindedClient>,
}

/// The quarter a day is in, and the periods that count as feedback for it: the quarter and
/// its three months (`2026-Q4`, `2026-10`, `2026-11`, `2026-12`).
fn quarter_periods(day: NaiveDate) -> (String, Vec<String>) {
    let year = day.year();
    let quarter = (day.month() - 1) / 3 + 1;
    let name = format!("{year}-Q{quarter}");
    let mut periods = vec![name.clone()];
    periods.extend((0..3).map(|i| format!("{year}-{:02}", (quarter - 1) * 3 + 1 + i)));
    (name, periods)
}

/// The reminders due in the month starting `month`: per active account manager, their
/// active clients without feedback in that month's quarter.
pub async fn reminders_due(
    db: &mut PgConnection,
    month: NaiveDate,
) -> ApiResult<Vec<ManagerReminder>> {
    let (quarter, periods) = quarter_periods(month);
    let rows = sql::due_for_feedback(db, &periods).await?;
    let mut by_manager: BTreeMap<Uuid, ManagerReminder> = BTreeMap::new();
    for row in rows {
        by_manager
            .entry(row.manager_id)
            .or_insert_with(|| ManagerReminder {
                manager_id: row.manager_id,
                manager_name: row.manager_name,
                manager_email: row.manager_email,
                quarter: quarter.clone(),
                clients: Vec::new(),
            })
            .clients
            .push(RemindedClient {
                name: row.client_name,
                code: row.client_code,
                last_feedback: row.last_feedback,
            });
    }
    Ok(by_manager.into_values().collect())
}

/// Queues the month's reminders in the caller's transaction; how many were new.
async fn send_reminders(db: &mut PgConnection, month: NaiveDate) -> ApiResult<usize> {
    let mut queued = 0;
    for reminder in reminders_due(db, month).await? {
        let email = render("feedback_reminder", &reminder)?;
        let key = format!(
            "feedback-reminder:{}:{}",
            month.format("%Y-%m"),
            reminder.manager_id
        );
        if queue(db, &reminder.manager_email, &email, Some(&key))
            .await?
            .is_some()
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The 1st of the month whose reminders are the latest due at `now` (09:00 on the 1st in
/// `tz`).
fn latest_due(now: DateTime<Utc>, tz: Tz) -> anyhow::Result<NaiveDate> {
    let local = now.with_timezone(&tz);
    let first = local
        .date_naive()
        .with_day(1)
        .context("the 1st of the month")?;
    let nine = NaiveTime::from_hms_opt(HOUR, 0, 0).context("09:00")?;
    let due_at = tz
        .from_local_datetime(&first.and_time(nine))
        .earliest()
        .context("09:00 on the 1st does not exist in the time zone")?;
    if now >= due_at.with_timezone(&Utc) {
        Ok(first)
    } else {
        first
            .checked_sub_months(Months::new(1))
            .context("the calendar ended")
    }
}

/// Queues the latest month's reminders at `now` unless that month's were queued already;
/// the month queued. The first tick ever counts the latest month as done, so a new
/// installation does not remind anyone until the next 1st.
pub async fn tick(pool: &PgPool, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<Option<NaiveDate>> {
    let due = latest_due(now, tz)?;
    let mut tx = pool.begin().await?;
    let last = tasks::lock_schedule(&mut tx, REMINDERS, Date(due)).await?.0;
    if last >= due {
        // Committed all the same: the first tick ever creates the schedule's row.
        tx.commit().await?;
        return Ok(None);
    }
    let key = format!("{REMINDERS}:{}", due.format("%Y-%m"));
    let queued = tasks::enqueue_scheduled(&mut tx, &FeedbackReminders { month: due }, &key)
        .await
        .map_err(AppError::into_anyhow)?;
    tasks::mark_fired(&mut tx, REMINDERS, Date(due)).await?;
    tx.commit().await?;
    Ok(queued.map(|_| due))
}

/// Ticks now and every minute until the pool closes.
pub fn spawn(pool: PgPool, tz: Tz) -> tokio::task::JoinHandle<()> {
    tasks::every_minute(pool, "feedback reminders", move |pool| async move {
        if let Some(month) = tick(&pool, tz, Utc::now()).await? {
            tracing::info!(%month, "feedback reminders queued");
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_month_is_due_from_nine_on_the_first_in_the_agencys_zone() -> anyhow::Result<()> {
        let utc = chrono_tz::UTC;
        assert_eq!(
            latest_due(at("2026-12-01T08:59:59Z"), utc)?,
            day(2026, 11, 1)
        );
        assert_eq!(
            latest_due(at("2026-12-01T09:00:00Z"), utc)?,
            day(2026, 12, 1)
        );
        assert_eq!(
            latest_due(at("2026-12-31T23:00:00Z"), utc)?,
            day(2026, 12, 1)
        );
        assert_eq!(
            latest_due(at("2027-01-01T08:00:00Z"), utc)?,
            day(2026, 12, 1)
        );
        // 09:00 in Berlin is 08:00 UTC in winter.
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            latest_due(at("2027-01-01T08:00:00Z"), berlin)?,
            day(2027, 1, 1)
        );
        assert_eq!(
            latest_due(at("2027-01-01T07:59:00Z"), berlin)?,
            day(2026, 12, 1)
        );
        Ok(())
    }

    #[test]
    fn a_quarter_counts_its_own_feedback_and_its_months() {
        assert_eq!(
            quarter_periods(day(2026, 10, 1)),
            (
                "2026-Q4".to_owned(),
                vec![
                    "2026-Q4".into(),
                    "2026-10".into(),
                    "2026-11".into(),
                    "2026-12".into()
                ]
            )
        );
        assert_eq!(
            quarter_periods(day(2026, 3, 1)).1,
            ["2026-Q1", "2026-01", "2026-02", "2026-03"]
        );
        assert_eq!(quarter_periods(day(2027, 7, 1)).0, "2027-Q3");
    }
}
