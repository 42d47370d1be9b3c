//! A small line chart of one measure over periods: on a fixed scale (ratings 1–5) or on one
//! that fits counts ([`count_ticks`]).

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
/// Up to this many points each print their value.
const MAX_VALUES: usize = 12;

/// A value as the chart prints it: with `decimals` decimals, always.
fn shown(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

/// Grid levels for counts up to `most`: from 0 to a round top, at most five, whole numbers.
pub fn count_ticks(most: f64) -> Vec<f64> {
    let most = most.max(1.0);
    let raw = most / 4.0;
    let magnitude = 10_f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw)
        .max(1.0)
        .ceil();
    let top = (most / step).ceil() * step;
    (0..=(top / step) as usize)
        .map(|i| i as f64 * step)
        .collect()
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
    /// The grid's levels (default: every whole number from `min` to `max`).
    #[prop(optional)]
    ticks: Option<Vec<f64>>,
    /// Decimals of the values printed.
    #[prop(default = 1)]
    decimals: usize,
    /// What the description says when there are no points.
    #[prop(into, default = "No feedback yet.".to_owned())]
    empty: String,
) -> impl IntoView {
    let ticks = ticks.unwrap_or_else(|| (min as i64..=max as i64).map(|l| l as f64).collect());
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
        empty
    } else {
        points
            .iter()
            .map(|(period, value)| match value {
                Some(v) => format!("{period}: {}", shown(*v, decimals)),
                None => format!("{period}: no value"),
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
    let grid = ticks.into_iter().map(|level| {
        let at = y(level);
        view! {
            <line class="chart-grid" x1=LEFT y1=at x2=RIGHT y2=at/>
            <text class="chart-axis" x=LEFT - 8.0 y=at + 3.5 text-anchor="end">{shown(level, 0)}</text>
        }
    });
    // Many points: only the last and the highest carry their value (the description
    // carries every value).
    let crowded = known.len() > MAX_VALUES;
    let highest = known
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    let last = known.last().map(|&(i, _)| i);
    let radius = if crowded { "2" } else { "3.5" };
    let marks = known.iter().map(|&(i, v)| {
        let labelled = !crowded || Some(i) == last || Some(i) == highest;
        view! {
            <circle class="chart-point" cx=x(i) cy=y(v) r=radius/>
            {labelled.then(|| view! {
                <text class="chart-value" x=x(i) y=y(v) - 8.0 text-anchor="middle">{shown(v, decimals)}</text>
            })}
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
