//! Reports: a client's performance over a date range — feedback averages and trends, jobs
//! and pipeline figures, important communications — rendered in process as a PDF with
//! typst, stored as a file, and downloaded through a signed link. Rendered at once, or by
//! the background queue ([`RenderReport`]).

pub(crate) mod graphql;
mod model;
pub mod render;
mod service;
mod sql;
mod task;

pub use model::{Report, ReportData, ReportRange, ReportStatus};
pub use service::{IMPORTANT_SHOWN, gather, render_performance_report};
pub use task::RenderReport;
