//! A small line chart of one measure over periods, on a fixed scale (ratings 1–5).

use leptos::prelude::*;

/// Width and height of the drawing, in SVG units (it scales to its box).
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 170.0;
/// The plot area inside the drawing.
const LEFT: f64 = 30.0;
const RIGHT: f64 = 294.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 130.0;
/// At most this many period names fit under the chart; the last is always named.
const MAX_LABELS: usize = 6;

/// One value as the chart prints it: one decimal, always.
fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A line chart of `points` (period, value or none) on the scale `min`–`max`, titled
/// `title`. Periods without a value leave a gap in the marks but keep their place.
#[component]
pub fn TrendChart(
    /// Unique on the page: the ids of the title and description derive from it.
    id: String,
    /// What is measured.
    #[prop(into)]
    title: String,
    /// Oldest first.
    points: Vec<(String, Option<f64>)>,
    /// Bottom of the scale.
    #[prop(default = 1.0)]
    min: f64,
    /// Top of the scale.
    #[prop(default = 5.0)]
    max: f64,
) -> impl IntoView {
    let n = points.len();
    let x = move |i: usize| {
        if n > 1 {
            LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64
        } else {
            (LEFT + RIGHT) / 2.0
        }
    };
    let y = move |v: f64| BOTTOM - (BOTTOM - TOP) * (v.clamp(min, max) - min) / (max - min);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let description = if points.is_empty() {
        "No feedback yet.".to_owned()
    } else {
        points
            .iter()
            .map(|(period, value)| match value {
                Some(v) => format!("{period}: {}", one_decimal(*v)),
                None => format!("{period}: no rating"),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let known: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
        .collect();
    let line = known
        .iter()
        .map(|&(i, v)| format!("{:.1},{:.1}", x(i), y(v)))
        .collect::<Vec<_>>()
        .join(" ");
    let step = n.div_ceil(MAX_LABELS).max(1);
    let grid = (min as i64..=max as i64).map(|level| {
        let at = y(level as f64);
        view! {
            <line class="chart-grid" x1=LEFT y1=at x2=RIGHT y2=at/>
            <text class="chart-axis" x=LEFT - 8.0 y=at + 3.5 text-anchor="end">{level}</text>
        }
    });
    let marks = known.iter().map(|&(i, v)| {
        view! {
            <circle class="chart-point" cx=x(i) cy=y(v) r="3.5"/>
            <text class="chart-value" x=x(i) y=y(v) - 8.0 text-anchor="middle">{one_decimal(v)}</text>
        }
    });
    let labels = points
        .iter()
        .enumerate()
        .filter(|(i, _)| (n - 1 - i).is_multiple_of(step))
        .map(|(i, (period, _))| {
            view! { <text class="chart-axis" x=x(i) y=BOTTOM + 18.0 text-anchor="middle">{period.clone()}</text> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby=title_id aria-describedby=desc_id.clone()>
                <desc id=desc_id.clone()>{description}</desc>
                {grid.collect_view()}
                {(known.len() > 1).then(|| view! { <polyline class="chart-line" points=line/> })}
                {marks.collect_view()}
                {labels}
            </svg>
        </figure>
    }
}
