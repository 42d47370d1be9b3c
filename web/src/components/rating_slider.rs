//! A 1–5 rating as a slider: the number and its word (1 Poor … 5 Excellent) shown beside it
//! and read out by screen readers; arrow keys move it.

use clientele_core::Rating;
use leptos::prelude::*;

/// "4 · Very good".
fn spoken(value: u8) -> String {
    let word = Rating::parse(i64::from(value)).map_or("", Rating::label);
    format!("{value} · {word}")
}

/// A labelled 1–5 slider bound to `value`, with the server's message for it under it.
#[component]
pub fn RatingSlider(
    /// Element id, also the label's `for`.
    id: String,
    /// The criterion.
    label: &'static str,
    /// The rating, two-way bound.
    value: RwSignal<u8>,
    /// The error to show under it.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field rating" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <div class="rating-row">
                <input id=id.clone() type="range" min="1" max="5" step="1"
                    prop:value=move || value.get().to_string()
                    aria-valuetext=move || spoken(value.get())
                    aria-describedby=error_id.clone()
                    aria-invalid=move || super::aria_invalid(error.get().is_some())
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                            value.set(v.clamp(1, 5));
                        }
                    }/>
                <output for=id class="rating-value">{move || spoken(value.get())}</output>
            </div>
            <div class="rating-scale" aria-hidden="true">
                {Rating::LABELS.iter().enumerate().map(|(i, word)| view! {
                    <span>{format!("{} {word}", i + 1)}</span>
                }).collect_view()}
            </div>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
