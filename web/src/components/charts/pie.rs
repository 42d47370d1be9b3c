//! A pie of shares with a legend that names each slice, its count and its share: the legend
//! carries the figures, so no slice relies on its colour alone.

use std::f64::consts::TAU;

use leptos::prelude::*;

const SIZE: f64 = 160.0;
const RADIUS: f64 = 70.0;
/// Slice colours, each distinct from white and from its neighbours.
const COLOURS: [&str; 6] = [
    "#2a55c9", "#1f7a4d", "#b35c00", "#7a3fb0", "#a3264b", "#3d6470",
];

/// One slice's outline: a full circle for the whole, else an arc from `from` to `to` (in
/// turns, from twelve o'clock, clockwise).
fn slice(from: f64, to: f64) -> String {
    let c = SIZE / 2.0;
    if to - from >= 0.9999 {
        return format!(
            "M {c} {t} A {RADIUS} {RADIUS} 0 1 1 {c} {b} A {RADIUS} {RADIUS} 0 1 1 {c} {t} Z",
            t = c - RADIUS,
            b = c + RADIUS
        );
    }
    let point = |turn: f64| {
        let angle = turn * TAU;
        (c + RADIUS * angle.sin(), c - RADIUS * angle.cos())
    };
    let (x1, y1) = point(from);
    let (x2, y2) = point(to);
    let large = i32::from(to - from > 0.5);
    format!("M {c} {c} L {x1:.2} {y1:.2} A {RADIUS} {RADIUS} 0 {large} 1 {x2:.2} {y2:.2} Z")
}

/// A share in whole percent.
fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "0%".to_owned()
    } else {
        format!("{:.0}%", part as f64 * 100.0 / whole as f64)
    }
}

/// A pie of `(label, count)`; slices with no count are named in the legend only.
#[component]
pub fn PieChart(
    /// Unique on the page: the ids of the title and description derive from it.
    id: String,
    /// What is shared out.
    #[prop(into)]
    title: String,
    /// In the order shown.
    rows: Vec<(String, i64)>,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let total: i64 = rows.iter().map(|(_, v)| *v).sum();
    let description = if total == 0 {
        "Nothing to show yet.".to_owned()
    } else {
        rows.iter()
            .map(|(label, value)| format!("{label}: {value} ({})", percent(*value, total)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut turn = 0.0;
    let slices = rows
        .iter()
        .enumerate()
        .filter(|(_, (_, v))| *v > 0)
        .map(|(i, (_, value))| {
            let from = turn;
            turn += *value as f64 / total as f64;
            view! { <path d=slice(from, turn) fill=COLOURS[i % COLOURS.len()] stroke="#fff" stroke-width="1.5"/> }
        })
        .collect_view();
    let legend = rows
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            view! {
                <li>
                    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">
                        <rect width="10" height="10" rx="2" fill=COLOURS[i % COLOURS.len()]/>
                    </svg>
                    <span class="legend-label">{label.clone()}</span>
                    <span class="legend-value">{format!("{value} · {}", percent(*value, total))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart chart-pie">
            <figcaption id=title_id.clone()>{title}</figcaption>
            <div class="pie-body">
                <svg viewBox=format!("0 0 {SIZE} {SIZE}") role="img"
                    aria-labelledby=title_id aria-describedby=desc_id.clone()>
                    <desc id=desc_id.clone()>{description}</desc>
                    {(total == 0).then(|| view! {
                        <circle cx=SIZE / 2.0 cy=SIZE / 2.0 r=RADIUS class="chart-empty"/>
                    })}
                    {slices}
                </svg>
                <ul class="legend" aria-hidden="true">{legend}</ul>
            </div>
        </figure>
    }
}
