//! The Analytics tab: the client's daily figures over a date range, by day, week or month,
//! as line charts and as a table.

use leptos::prelude::*;

use super::ClientPageState;
use crate::{
    api::{
        self,
        operations::{ClientAnalytics, client_analytics},
    },
    clock,
    components::{
        ErrorNotice, Loading,
        charts::{TrendChart, count_ticks},
    },
    session::Session,
};

type Point = client_analytics::ClientAnalyticsClientAnalytics;
type Granularity = client_analytics::Granularity;

/// One measure of a point, as a chart draws it.
struct Measure {
    key: &'static str,
    name: &'static str,
    decimals: usize,
    value: fn(&Point) -> Option<f64>,
}

const MEASURES: [Measure; 6] = [
    Measure {
        key: "active-jobs",
        name: "Active jobs",
        decimals: 0,
        value: |p| Some(p.active_jobs as f64),
    },
    Measure {
        key: "candidates",
        name: "Candidates",
        decimals: 0,
        value: |p| Some(p.total_candidates as f64),
    },
    Measure {
        key: "screened",
        name: "Screened",
        decimals: 0,
        value: |p| Some(p.screened as f64),
    },
    Measure {
        key: "interviewed",
        name: "Interviewed",
        decimals: 0,
        value: |p| Some(p.interviewed as f64),
    },
    Measure {
        key: "hired",
        name: "Hired",
        decimals: 0,
        value: |p| Some(p.hired as f64),
    },
    Measure {
        key: "time-to-fill",
        name: "Average days to fill",
        decimals: 1,
        value: |p| p.average_time_to_fill_days,
    },
];

/// The tab.
#[component]
pub fn AnalyticsTab() -> impl IntoView {
    let session = Session::get();
    let state = expect_context::<ClientPageState>();
    let from = RwSignal::new(clock::days_ago(89));
    let to = RwSignal::new(clock::today());
    let granularity = RwSignal::new("WEEK");
    let series = crate::load::load(move || {
        let variables = client_analytics::Variables {
            id: state.id.get(),
            date_from: from.get(),
            date_to: to.get(),
            granularity: match granularity.get() {
                "DAY" => Granularity::DAY,
                "MONTH" => Granularity::MONTH,
                _ => Granularity::WEEK,
            },
        };
        async move { api::call::<ClientAnalytics>(session, variables).await }
    });
    let choose = move |value: &str| {
        granularity.set(match value {
            "DAY" => "DAY",
            "MONTH" => "MONTH",
            _ => "WEEK",
        });
    };
    view! {
        <h2>"Analytics"</h2>
        <form class="filters analytics-range" aria-label="Range" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="analytics-from">"From"</label>
                <input id="analytics-from" type="date" prop:value=move || from.get()
                    on:change=move |ev| { let v = event_target_value(&ev); if !v.is_empty() { from.set(v); } }/>
            </div>
            <div class="field">
                <label for="analytics-to">"To"</label>
                <input id="analytics-to" type="date" prop:value=move || to.get()
                    on:change=move |ev| { let v = event_target_value(&ev); if !v.is_empty() { to.set(v); } }/>
            </div>
            <div class="field">
                <label for="analytics-granularity">"Points"</label>
                <select id="analytics-granularity" on:change=move |ev| choose(&event_target_value(&ev))>
                    <option value="DAY">"One a day"</option>
                    <option value="WEEK" selected=true>"One a week"</option>
                    <option value="MONTH">"One a month"</option>
                </select>
            </div>
        </form>
        <p class="hint">"Counts of jobs and candidates are as of each point's last day; stage moves are those made in it. Figures are written every night for the day before."</p>
        {crate::load::when_loaded(series, || view! { <Loading label="Loading analytics…"/> }, move |loaded| {
            match loaded {
                Err(error) => view! { <ErrorNotice error=error/> }.into_any(),
                Ok(data) => view! { <Series points=data.client.analytics/> }.into_any(),
            }
        })}
    }
}

/// The charts and the table of a series.
#[component]
fn Series(points: Vec<Point>) -> impl IntoView {
    if points.is_empty() {
        return view! { <p class="empty">"No figures for these days yet."</p> }.into_any();
    }
    let charts = MEASURES
        .iter()
        .map(|m| {
            let values: Vec<(String, Option<f64>)> = points
                .iter()
                .map(|p| (p.date.get(5..).unwrap_or_default().to_owned(), (m.value)(p)))
                .collect();
            let most = values.iter().filter_map(|(_, v)| *v).fold(0.0, f64::max);
            let ticks = count_ticks(most);
            let top = ticks.last().copied().unwrap_or(1.0);
            view! {
                <TrendChart id=format!("analytics-{}", m.key) title=m.name points=values
                    min=0.0 max=top ticks=ticks decimals=m.decimals empty="No figures."/>
            }
        })
        .collect_view();
    view! {
        <div class="charts">{charts}</div>
        <details class="chart-table">
            <summary>"Show the figures as a table"</summary>
            <div class="table-wrap" role="region" aria-label="Analytics figures" tabindex="0">
                <table class="clients-table">
                    <thead>
                        <tr>
                            <th scope="col">"From"</th>
                            {MEASURES.iter().map(|m| view! { <th scope="col">{m.name}</th> }).collect_view()}
                            <th scope="col">"Shortlisted"</th>
                            <th scope="col">"Average quality"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {points.iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.date.clone()}</th>
                                {MEASURES.iter().map(|m| view! {
                                    <td>{(m.value)(p).map_or_else(|| "—".to_owned(), |v| format!("{v:.prec$}", prec = m.decimals))}</td>
                                }).collect_view()}
                                <td>{p.shortlisted}</td>
                                <td>{p.average_quality_score.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}
