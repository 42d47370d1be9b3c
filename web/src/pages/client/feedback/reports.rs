//! "Performance report": pick the days it covers and generate it. The server renders it in
//! its background queue; the panel follows it until it is ready (or failed) and offers the
//! download, and lists the client's latest reports.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        self, ApiError,
        operations::{
            ClientReportList, GenerateReport, ReportLink, ReportProgress, ReportStatus,
            client_report_list, generate_report, report_link, report_progress,
        },
    },
    clock,
    components::{ErrorNotice, aria_invalid, focus_first_invalid},
    pages::client::ClientPageState,
    session::Session,
};

type Summary = client_report_list::ReportSummary;

/// How often a pending report is looked at, and for how long at most.
const POLL_MS: i32 = 700;
const POLL_LIMIT: usize = 180;

/// Where the report being generated stands.
#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Idle,
    Rendering,
    Ready(String),
    Failed(String),
}

/// The panel.
#[component]
pub fn ReportPanel() -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let from = RwSignal::new(clock::start_of_year());
    let to = RwSignal::new(clock::today());
    let progress = RwSignal::new(Progress::Idle);
    let failure = RwSignal::new(None::<ApiError>);
    let range_error = RwSignal::new(None::<String>);
    let list = crate::load::load(move || {
        let id = state.id.get();
        async move {
            api::call::<ClientReportList>(session, client_report_list::Variables { id })
                .await
                .map(|data| data.client.reports.items)
        }
    });
    // Polling stops when the tab goes away.
    let alive = Arc::new(AtomicBool::new(true));
    on_cleanup({
        let alive = alive.clone();
        move || alive.store(false, Ordering::Relaxed)
    });

    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if progress.get_untracked() == Progress::Rendering {
            return;
        }
        failure.set(None);
        range_error.set(None);
        let variables = generate_report::Variables {
            client_id: state.id.get_untracked(),
            date_from: from.get_untracked(),
            date_to: to.get_untracked(),
        };
        progress.set(Progress::Rendering);
        let alive = alive.clone();
        spawn_local(async move {
            let report = match api::call::<GenerateReport>(session, variables).await {
                Ok(data) => data.generate_performance_report,
                Err(error) => {
                    progress.set(Progress::Idle);
                    range_error.set(error.field("dateTo").or_else(|| error.field("dateFrom")));
                    failure.set(Some(error));
                    focus_first_invalid(".report-range");
                    return;
                }
            };
            let outcome = follow(session, report.id.clone(), report.status, &alive).await;
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            match outcome {
                Ok(next) => progress.set(next),
                Err(error) => {
                    progress.set(Progress::Idle);
                    failure.set(Some(error));
                }
            }
            list.refetch();
        });
    };

    view! {
        <section class="card form report-panel" aria-labelledby="report-title">
            <h2 id="report-title">"Performance report"</h2>
            <p class="hint">"A PDF with the feedback averages and trends, job and pipeline figures, and important communications."</p>
            <form class="report-range" on:submit=generate novalidate aria-labelledby="report-title">
                <div class="grid-2">
                    <div class="field">
                        <label for="report-from">"From"</label>
                        <input id="report-from" type="date" bind:value=from required/>
                    </div>
                    <div class="field" class:field-invalid=move || range_error.get().is_some()>
                        <label for="report-to">"To"</label>
                        <input id="report-to" type="date" bind:value=to required aria-describedby="report-to-error"
                            aria-invalid=move || aria_invalid(range_error.get().is_some())/>
                        <p class="field-error" id="report-to-error">{move || range_error.get()}</p>
                    </div>
                </div>
                <div class="wizard-actions">
                    <button type="submit" class="button" disabled=move || progress.get() == Progress::Rendering>
                        "Generate report"
                    </button>
                </div>
            </form>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="report-progress" role="status" aria-live="polite">
                {move || match progress.get() {
                    Progress::Idle => ().into_any(),
                    Progress::Rendering => view! {
                        <progress aria-label="Rendering the report"></progress>
                        <span>"Rendering the report…"</span>
                    }.into_any(),
                    Progress::Ready(id) => view! {
                        <span>"The report is ready."</span>
                        <DownloadButton report=id label="Download the report (PDF)".to_owned() failure=failure/>
                    }.into_any(),
                    Progress::Failed(why) => view! { <span class="notice notice-error">{why}</span> }.into_any(),
                }}
            </div>
            <Recent list=list failure=failure/>
        </section>
    }
}

/// Looks at a report until it is no longer pending.
async fn follow(
    session: Session,
    id: String,
    mut status: ReportStatus,
    alive: &AtomicBool,
) -> Result<Progress, ApiError> {
    let mut error = None;
    for _ in 0..POLL_LIMIT {
        match status {
            ReportStatus::Ready => return Ok(Progress::Ready(id)),
            ReportStatus::Failed => {
                return Ok(Progress::Failed(error.unwrap_or_else(|| {
                    "The report could not be rendered.".to_owned()
                })));
            }
            ReportStatus::Pending => {}
        }
        clock::sleep(POLL_MS).await;
        if !alive.load(Ordering::Relaxed) {
            return Ok(Progress::Idle);
        }
        let report =
            api::call::<ReportProgress>(session, report_progress::Variables { id: id.clone() })
                .await?
                .report;
        status = report.status;
        error = report.error;
    }
    Ok(Progress::Failed(
        "The report is taking longer than usual; it will appear in the list below when it is ready."
            .to_owned(),
    ))
}

/// The client's latest reports.
#[component]
fn Recent(
    list: crate::load::Loaded<Result<Vec<Summary>, ApiError>>,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        {crate::load::when_loaded(list, || (), move |loaded| {
            let reports = loaded.unwrap_or_default();
            if reports.is_empty() {
                return ().into_any();
            }
            view! {
                <h3>"Latest reports"</h3>
                <ul class="report-list">
                    {reports.into_iter().map(|r| {
                        let range = format!("{} to {}", r.date_from, r.date_to);
                        let state = match r.status {
                            ReportStatus::Ready => view! {
                                <DownloadButton report=r.id.clone() label=format!("Download the report of {range}") failure=failure/>
                            }.into_any(),
                            ReportStatus::Pending => view! { <span class="hint">"Rendering…"</span> }.into_any(),
                            ReportStatus::Failed => view! {
                                <span class="field-error">{r.error.clone().unwrap_or_else(|| "Failed".to_owned())}</span>
                            }.into_any(),
                        };
                        let size = r.file.as_ref().map(|f| format!(" · {:.0} KB", f.size_bytes as f64 / 1024.0)).unwrap_or_default();
                        view! {
                            <li>
                                <span>{range}{size}</span>
                                {state}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })}
    }
}

/// Asks for a fresh signed link and follows it: the browser downloads the PDF.
#[component]
fn DownloadButton(
    report: String,
    label: String,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = Session::get();
    let download = move |_| {
        let variables = report_link::Variables { id: report.clone() };
        spawn_local(async move {
            match api::call::<ReportLink>(session, variables).await {
                Ok(data) => {
                    if let (Some(url), Some(window)) = (data.report.download_url, web_sys::window())
                    {
                        let _ = window.location().assign(&url);
                    }
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    view! { <button type="button" class="button-quiet" on:click=download>{label}</button> }
}
