//! Reports: a client's performance over a date range — feedback averages and trends, jobs
//! and pipeline figures, important communications — and a client's dashboard, rendered in
//! process as PDFs with typst, stored as files, and downloaded through signed links.
//! Performance reports are rendered at once or by the background queue ([`RenderReport`]);
//! dashboards at once.

mod dashboard;
pub(crate) mod graphql;
mod model;
pub mod render;
mod service;
mod sql;
mod task;

pub use dashboard::{DashboardData, gather as gather_dashboard, render as render_dashboard};
pub use model::{Report, ReportData, ReportKind, ReportRange, ReportStatus};
pub use service::{IMPORTANT_SHOWN, gather, render_performance_report, snapshot};
pub use task::RenderReport;
