//! The dashboard on the Overview tab: the headline figures over the client's jobs, the
//! pipeline funnel, the job status pie, and what happened in the last 30 days.

use leptos::prelude::*;

use crate::{
    api::{
        self, ApiError,
        operations::{ClientDashboard, client_dashboard},
    },
    components::{
        ErrorNotice,
        charts::{BarChart, PieChart},
    },
    session::Session,
};

type Activity = client_dashboard::ClientDashboardClientDashboardActivities;
type Kind = client_dashboard::ActivityKind;

/// What happened, as people read it.
fn kind_label(kind: &Kind) -> &'static str {
    match kind {
        Kind::COMMUNICATION => "Communication",
        Kind::JOB_LINKED => "Job linked",
        Kind::JOB_UNLINKED => "Job unlinked",
        Kind::STAGE_CHANGED => "Stage changed",
        Kind::FEEDBACK => "Feedback",
        Kind::Other(_) => "Activity",
    }
}

/// Days shown with one decimal, or a dash.
pub fn days_text(days: Option<f64>) -> String {
    days.map_or_else(|| "—".to_owned(), |d| format!("{d:.1} days"))
}

/// The dashboard's answer.
pub type Loaded = Result<client_dashboard::ResponseData, ApiError>;

/// Loads the dashboard of the client `id` names.
pub fn load(id: Memo<String>) -> crate::load::Loaded<Loaded> {
    let session = Session::get();
    crate::load::load(move || {
        let id = id.get();
        async move { api::call::<ClientDashboard>(session, client_dashboard::Variables { id }).await }
    })
}

/// The dashboard panel.
#[component]
pub fn DashboardPanel(dashboard: Loaded) -> impl IntoView {
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <h2 id="dashboard-title">"Dashboard"</h2>
            {match dashboard {
                        Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                        Ok(data) => {
                            let d = data.client.dashboard;
                            let s = d.stats;
                            let funnel = d.pipeline.iter()
                                .filter(|p| p.stage != clientele_core::ApplicationStage::Rejected)
                                .map(|p| (p.stage.label().to_owned(), p.count))
                                .collect::<Vec<_>>();
                            let rejected = d.pipeline.iter()
                                .find(|p| p.stage == clientele_core::ApplicationStage::Rejected)
                                .map_or(0, |p| p.count);
                            let statuses = d.job_statuses.iter()
                                .map(|j| (j.status.label().to_owned(), j.count))
                                .collect::<Vec<_>>();
                            view! {
                                <ul class="stat-cards" aria-label="Headline figures">
                                    <Stat name="Active jobs" value=s.active_jobs.to_string()
                                        note=format!("of {} linked", s.linked_jobs)/>
                                    <Stat name="Candidates" value=s.total_candidates.to_string()
                                        note="applied to its jobs".to_owned()/>
                                    <Stat name="Hires" value=s.hires.to_string() note="over all its jobs".to_owned()/>
                                    <Stat name="Average time to fill" value=days_text(s.average_time_to_fill_days)
                                        note="from opening to filling".to_owned()/>
                                </ul>
                                <div class="charts dashboard-charts">
                                    <BarChart id="funnel".to_owned() title="Pipeline funnel" rows=funnel centred=true
                                        note=format!("Rejected: {rejected}")/>
                                    <PieChart id="job-statuses".to_owned() title="Jobs by status" rows=statuses/>
                                </div>
                                <ActivityTimeline items=d.activities/>
                            }
                            .into_any()
                        }
            }}
        </section>
    }
}

#[component]
fn Stat(name: &'static str, value: String, note: String) -> impl IntoView {
    view! {
        <li class="card stat">
            <p class="stat-name">{name}</p>
            <p class="stat-value">{value}</p>
            <p class="stat-change">{note}</p>
        </li>
    }
}

/// The last 30 days, newest first.
#[component]
fn ActivityTimeline(items: Vec<Activity>) -> impl IntoView {
    view! {
        <h3>"Last 30 days"</h3>
        {if items.is_empty() {
            view! { <p class="empty">"Nothing happened in the last 30 days."</p> }.into_any()
        } else {
            view! {
                <ol class="activity-list">
                    {items.into_iter().map(|a| {
                        let when = format!(
                            "{} {}",
                            a.at.get(..10).unwrap_or_default(),
                            a.at.get(11..16).unwrap_or_default()
                        );
                        view! {
                            <li>
                                <span class="activity-kind">{kind_label(&a.kind)}</span>
                                <span class="activity-summary">{a.summary}</span>
                                <span class="activity-meta">
                                    <time datetime=a.at.clone()>{when}</time>
                                    {a.actor_name.map(|n| format!(" · {n}"))}
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}
