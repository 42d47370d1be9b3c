//! The rules of reports: gathering a client's figures from one snapshot, rendering them
//! with typst off the async threads, and the report record — written ready at once, or
//! pending for the background queue to finish.

use std::collections::BTreeMap;

use anyhow::Context as _;
use clientele_core::Criterion;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{
    Report, ReportData, ReportKind, ReportStatus,
    model::{
        ClientPart, CommunicationPart, CountPart, CriterionPart, JobsPart, PeriodPart, ReportRange,
        StagePart, TrendPart,
    },
    sql,
};
use crate::{
    auth::Viewer,
    error::{ApiResult, AppError},
    feedback::{self, FeedbackScores},
    graphql::{page::PageRequest, scalars::Date},
    storage::StoredObject,
    uploads::{FileType, StoredFile},
};

/// How many important communications a report lists (the latest).
pub const IMPORTANT_SHOWN: i64 = 25;

/// The performance report's template, compiled into the binary.
const TEMPLATE: &str = include_str!("../../templates/performance_report.typ");

fn day(date: chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

pub(super) fn or_dash(text: Option<String>) -> String {
    text.filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "—".to_owned())
}

/// Makes the caller's fresh transaction one read-only snapshot, so every figure a report
/// gathers in it is of the same moment.
pub async fn snapshot(db: &mut PgConnection) -> ApiResult<()> {
    Ok(sql::snapshot(db).await?)
}

/// Everything the performance report of a client over `range` shows, read on the caller's
/// connection (a [`snapshot`] transaction); NOT_FOUND when there is no such client.
pub async fn gather(
    db: &mut PgConnection,
    client_id: Uuid,
    range: ReportRange,
    today: Date,
) -> ApiResult<ReportData> {
    let cover = sql::cover(&mut *db, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let averages =
        feedback::averages(&mut *db, client_id, Some(range.from()), Some(range.to())).await?;
    let periods = sql::period_averages(&mut *db, client_id, range.from(), range.to()).await?;
    let jobs = sql::job_figures(&mut *db, client_id, range.starts(), range.ends()).await?;
    let stages = crate::analytics::pipeline(&mut *db, client_id).await?;
    let important = sql::important_communications(
        &mut *db,
        client_id,
        range.starts(),
        range.ends(),
        IMPORTANT_SHOWN,
    )
    .await?;
    Ok(ReportData {
        client: ClientPart {
            name: cover.name,
            code: cover.code,
            industry: or_dash(cover.industry),
            account_manager: or_dash(cover.account_manager),
        },
        period: PeriodPart {
            label: format!("{} – {}", day(range.from().0), day(range.to().0)),
        },
        generated_on: day(today.0),
        averages: CountPart {
            count: averages.count,
        },
        criteria: Criterion::ALL
            .iter()
            .map(|&criterion| CriterionPart {
                key: criterion.field(),
                name: criterion.name(),
                average: averages
                    .averages
                    .of(criterion)
                    .map_or_else(|| "—".to_owned(), |a| format!("{a:.2}")),
            })
            .collect(),
        trends: periods
            .into_iter()
            .map(|p| {
                let scores = FeedbackScores {
                    responsiveness: p.responsiveness,
                    communication: p.communication,
                    requirements_clarity: p.requirements_clarity,
                    decision_speed: p.decision_speed,
                    overall_satisfaction: p.overall_satisfaction,
                };
                TrendPart {
                    period: p.period,
                    values: Criterion::ALL
                        .iter()
                        .map(|&criterion| (criterion.field(), scores.of(criterion)))
                        .collect::<BTreeMap<_, _>>(),
                }
            })
            .collect(),
        jobs: JobsPart {
            linked: jobs.linked,
            open: jobs.open,
            filled: jobs.filled,
            hires: jobs.hires,
            time_to_fill: jobs
                .days_to_fill
                .map_or_else(|| "—".to_owned(), |d| format!("{d:.1} days")),
            stages: stages
                .into_iter()
                .filter(|s| s.count > 0)
                .map(|s| StagePart {
                    stage: s.stage.label().to_owned(),
                    count: s.count,
                })
                .collect(),
        },
        communications_total: important.first().map_or(0, |c| c.total),
        communications: important
            .into_iter()
            .map(|c| CommunicationPart {
                date: day(c.communication_date.date_naive()),
                kind: c.communication_type.label().to_owned(),
                subject: c.subject,
                logged_by: c.logged_by,
            })
            .collect(),
    })
}

/// Renders a performance report as a PDF. CPU-bound: call it off the async threads.
pub fn render_performance_report(data: &ReportData) -> anyhow::Result<Vec<u8>> {
    let data = serde_json::to_value(data).context("serialising the report's data")?;
    super::render::render("performance", TEMPLATE, &data)
}

/// Renders gathered figures as the performance report of a client over a range: the
/// file's record (not yet written) and its bytes, to be stored under `reports/<client>/`.
pub async fn produce(
    data: ReportData,
    client_id: Uuid,
    range: ReportRange,
    requested_by: Uuid,
) -> ApiResult<(StoredFile, StoredObject)> {
    let name = format!(
        "Performance report {} {} to {}.pdf",
        data.client.name,
        range.from().0,
        range.to().0
    );
    let pdf = tokio::task::spawn_blocking(move || render_performance_report(&data))
        .await
        .context("the report renderer stopped")??;
    Ok(rendered(client_id, &name, pdf, requested_by))
}

/// A rendered PDF of a client: the file's record (not yet written) and its bytes, to be
/// stored under `reports/<client>/`.
pub fn rendered(
    client_id: Uuid,
    name: &str,
    pdf: Vec<u8>,
    requested_by: Uuid,
) -> (StoredFile, StoredObject) {
    let file = StoredFile::generated(
        &format!("reports/{client_id}"),
        name,
        FileType::Pdf,
        &pdf,
        requested_by,
    );
    let object = StoredObject {
        bytes: pdf.into(),
        content_type: file.content_type.clone(),
    };
    (file, object)
}

/// A report record asked for by `viewer`: ready with its file, or pending without one.
fn new_report(
    viewer: Viewer,
    client_id: Uuid,
    kind: ReportKind,
    range: ReportRange,
    file_id: Option<Uuid>,
) -> sql::NewReport {
    sql::NewReport {
        id: Uuid::new_v4(),
        client_id,
        kind,
        date_from: range.from(),
        date_to: range.to(),
        status: if file_id.is_some() {
            ReportStatus::Ready
        } else {
            ReportStatus::Pending
        },
        requested_by: viewer.user_id,
        file_id,
    }
}

/// Records a report of `kind` rendered at once, with its file, in the caller's transaction.
pub async fn record_ready(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    kind: ReportKind,
    range: ReportRange,
    file: &StoredFile,
) -> ApiResult<Report> {
    crate::uploads::record_file(db, file).await?;
    let ready = new_report(viewer, client_id, kind, range, Some(file.id));
    Ok(sql::insert(db, &ready).await?)
}

/// Records a report to be rendered by the background queue, and queues it, in the caller's
/// transaction; NOT_FOUND when there is no such client.
pub async fn request(
    db: &mut PgConnection,
    viewer: Viewer,
    client_id: Uuid,
    range: ReportRange,
) -> ApiResult<Report> {
    sql::cover(&mut *db, client_id)
        .await?
        .ok_or(AppError::NotFound("client"))?;
    let pending = new_report(viewer, client_id, ReportKind::Performance, range, None);
    let report = sql::insert(db, &pending).await?;
    crate::tasks::enqueue(
        db,
        &super::RenderReport {
            report_id: report.id,
        },
    )
    .await?;
    Ok(report)
}

/// Records the rendered file of a pending report and marks it ready, in the caller's
/// transaction; CONFLICT when it is no longer pending.
pub async fn finish(db: &mut PgConnection, report_id: Uuid, file: &StoredFile) -> ApiResult<()> {
    crate::uploads::record_file(db, file).await?;
    sql::mark_ready(db, report_id, file.id)
        .await?
        .map(drop)
        .ok_or_else(|| AppError::conflict("the report is no longer pending"))
}

/// Marks a pending report failed, with what its requester may read.
pub async fn fail(db: impl PgExecutor<'_>, report_id: Uuid, reason: &str) -> ApiResult<()> {
    Ok(sql::mark_failed(db, report_id, reason).await?)
}

/// One report; NOT_FOUND when there is none.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Report> {
    sql::get(db, id).await?.ok_or(AppError::NotFound("report"))
}

/// One report, or nothing.
pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> ApiResult<Option<Report>> {
    Ok(sql::get(db, id).await?)
}

/// A page of a client's reports, newest first, and how many there are.
pub async fn of_client(
    db: &mut PgConnection,
    client_id: Uuid,
    page: PageRequest,
) -> ApiResult<(Vec<Report>, i64)> {
    Ok(sql::of_client(db, client_id, page.limit, page.offset()).await?)
}
