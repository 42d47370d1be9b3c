//! `RenderReport`: the background task that renders a pending report.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ReportKind, ReportStatus, dashboard, model::ReportRange, service};
use crate::{
    error::AppError,
    graphql::scalars::Date,
    tasks::{Attempt, Task, TaskContext},
    uploads,
};

/// What the requester reads when a report could not be rendered; the log has the cause.
const FAILED: &str = "The report could not be rendered. Try again, or ask an administrator \
                      to look at the server log.";

/// Renders the pending report `report_id` and stores its PDF.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderReport {
    /// The report.
    pub report_id: Uuid,
}

impl Task for RenderReport {
    const NAME: &'static str = "render_report";

    async fn run(self, ctx: &TaskContext, attempt: Attempt) -> anyhow::Result<()> {
        let Some(report) = service::find(&ctx.pool, self.report_id)
            .await
            .map_err(AppError::into_anyhow)?
        else {
            return Ok(()); // its client was deleted since
        };
        if report.status != ReportStatus::Pending {
            return Ok(()); // finished by an earlier attempt whose outcome was not recorded
        }
        let rendered = async {
            let mut tx = ctx.pool.begin().await?;
            service::snapshot(&mut tx).await?;
            let (file, object) = match report.kind {
                ReportKind::Performance => {
                    let range = ReportRange::parse(report.date_from, report.date_to)?;
                    let data =
                        service::gather(&mut tx, report.client_id, range, Date::today()).await?;
                    tx.commit().await?;
                    service::produce(data, report.client_id, range, report.requested_by).await?
                }
                ReportKind::Dashboard => {
                    let now = chrono::Utc::now();
                    let data = dashboard::gather(&mut tx, report.client_id, now).await?;
                    tx.commit().await?;
                    let (name, pdf) = dashboard::produce(data, now).await?;
                    service::rendered(report.client_id, &name, pdf, report.requested_by)
                }
            };
            let key = file.storage_key.clone();
            let report_id = report.id;
            uploads::store_then_record(&ctx.pool, ctx.storage.as_ref(), &key, object, move |tx| {
                Box::pin(async move { service::finish(tx, report_id, &file).await })
            })
            .await
        }
        .await;
        match rendered {
            Ok(()) => Ok(()),
            Err(error) => {
                if attempt.last {
                    service::fail(&ctx.pool, report.id, FAILED)
                        .await
                        .map_err(AppError::into_anyhow)?;
                }
                Err(error.into_anyhow())
            }
        }
    }
}
