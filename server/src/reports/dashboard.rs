//! The dashboard as a PDF: the figures, the funnel, the job statuses and the 30-day activity
//! a client's dashboard shows, read from one snapshot and rendered with typst like the
//! performance report.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{model::ClientPart, service::or_dash, sql};
use crate::{
    analytics::{self, ActivityKind},
    error::{ApiResult, AppError},
};

/// How many days of activity the export lists, as the dashboard shows them.
pub const ACTIVITY_DAYS: i32 = 30;
/// Most activities the export lists.
pub const ACTIVITIES_SHOWN: i32 = 50;

/// The dashboard's template, compiled into the binary.
const TEMPLATE: &str = include_str!("../../templates/dashboard.typ");

/// Everything the dashboard PDF shows, as the template reads it from `/data.json`.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardData {
    /// The client.
    pub client: ClientPart,
    /// When it was exported (UTC).
    pub generated_at: String,
    /// Headline figures, as shown.
    pub stats: Vec<Figure>,
    /// Candidates per stage, every stage in pipeline order.
    pub pipeline: Vec<Bar>,
    /// Jobs per status, every status.
    pub statuses: Vec<Bar>,
    /// The last 30 days, newest first.
    pub activities: Vec<ActivityPart>,
}

/// One headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// What it counts.
    pub label: &'static str,
    /// Its value, as shown.
    pub value: String,
}

/// One bar of a chart.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Its name.
    pub label: &'static str,
    /// Its value.
    pub count: i64,
}

/// One line of the activity timeline.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityPart {
    /// Day and time (UTC).
    pub at: String,
    /// What kind of thing happened.
    pub kind: &'static str,
    /// In a few words.
    pub summary: String,
    /// Who did it (— when unknown).
    pub actor: String,
}

fn kind_label(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Communication => "Communication",
        ActivityKind::JobLinked => "Job linked",
        ActivityKind::JobUnlinked => "Job unlinked",
        ActivityKind::StageChanged => "Stage changed",
        ActivityKind::Feedback => "Feedback",
    }
}

fn moment(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y %H:%M").to_string()
}

/// The dashboard of a client as it stands at `now`, read on the caller's connection (a
/// [`snapshot`](super::snapshot) transaction); NOT_FOUND when there is no such client.
pub async fn gather(
    db: &mut PgConnection,
    client_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<DashboardData> {
    let cover = sql::cover(&mut *db, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let stats = analytics::stats(&mut *db, client_id).await?;
    let pipeline = analytics::pipeline(&mut *db, client_id).await?;
    let statuses = analytics::job_statuses(&mut *db, client_id).await?;
    let activities =
        analytics::activities(&mut *db, client_id, ACTIVITY_DAYS, ACTIVITIES_SHOWN, now).await?;
    Ok(DashboardData {
        client: ClientPart {
            name: cover.name,
            code: cover.code,
            industry: or_dash(cover.industry),
            account_manager: or_dash(cover.account_manager),
        },
        generated_at: format!("{} UTC", moment(now)),
        stats: vec![
            Figure {
                label: "Active jobs",
                value: stats.active_jobs.to_string(),
            },
            Figure {
                label: "Linked jobs",
                value: stats.linked_jobs.to_string(),
            },
            Figure {
                label: "Candidates",
                value: stats.total_candidates.to_string(),
            },
            Figure {
                label: "Hires",
                value: stats.hires.to_string(),
            },
            Figure {
                label: "Average time to fill",
                value: stats
                    .average_time_to_fill_days
                    .map_or_else(|| "—".to_owned(), |d| format!("{d:.1} days")),
            },
        ],
        pipeline: pipeline
            .iter()
            .map(|s| Bar {
                label: s.stage.label(),
                count: s.count,
            })
            .collect(),
        statuses: statuses
            .iter()
            .map(|s| Bar {
                label: s.status.label(),
                count: s.count,
            })
            .collect(),
        activities: activities
            .into_iter()
            .map(|a| ActivityPart {
                at: moment(a.at),
                kind: kind_label(a.kind),
                summary: a.summary,
                actor: or_dash(a.actor_name),
            })
            .collect(),
    })
}

/// Renders a dashboard as a PDF. CPU-bound: call it off the async threads.
pub fn render(data: &DashboardData) -> anyhow::Result<Vec<u8>> {
    let data = serde_json::to_value(data).context("serialising the dashboard's data")?;
    super::render::render("dashboard", TEMPLATE, &data)
}

/// Renders a gathered dashboard exported at `now`: its file name and PDF bytes.
pub async fn produce(data: DashboardData, now: DateTime<Utc>) -> ApiResult<(String, Vec<u8>)> {
    let name = format!("Dashboard {} {}.pdf", data.client.name, now.date_naive());
    let pdf = tokio::task::spawn_blocking(move || render(&data))
        .await
        .context("the dashboard renderer stopped")??;
    Ok((name, pdf))
}
