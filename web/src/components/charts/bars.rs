//! Horizontal bars, one per row, each with its label and its value: the pipeline funnel.

use leptos::prelude::*;

/// Width of the drawing and of its parts, in SVG units (it scales to its box).
const WIDTH: f64 = 320.0;
const LABEL: f64 = 92.0;
const VALUE: f64 = 44.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;

/// A bar per `(label, value)`, longest for the largest value; titled `title`. With `centred`
/// the bars are centred on one axis, as a funnel is drawn.
#[component]
pub fn BarChart(
    /// Unique on the page: the ids of the title and description derive from it.
    id: String,
    /// What is counted.
    #[prop(into)]
    title: String,
    /// In the order shown.
    rows: Vec<(String, i64)>,
    /// Centre the bars (a funnel).
    #[prop(optional)]
    centred: bool,
    /// A line under the chart (what the bars leave out).
    #[prop(optional, into)]
    note: Option<String>,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let description = rows
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    let most = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let span = WIDTH - LABEL - VALUE;
    let height = ROW * rows.len() as f64 + 4.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let top = 2.0 + ROW * i as f64;
            let width = (span * *value as f64 / most).max(if *value > 0 { 2.0 } else { 0.0 });
            let left = if centred {
                LABEL + (span - width) / 2.0
            } else {
                LABEL
            };
            view! {
                <text class="chart-axis chart-label" x=LABEL - 8.0 y=top + BAR - 4.0 text-anchor="end">{label.clone()}</text>
                <rect class="chart-bar" x=left y=top width=width height=BAR rx="2"/>
                <text class="chart-value" x=WIDTH - 4.0 y=top + BAR - 4.0 text-anchor="end">{*value}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img"
                aria-labelledby=title_id aria-describedby=desc_id.clone()>
                <desc id=desc_id.clone()>{description}</desc>
                {bars}
            </svg>
            {note.map(|n| view! { <p class="hint chart-note">{n}</p> })}
        </figure>
    }
}
