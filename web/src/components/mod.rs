//! Widgets several pages share.

pub mod charts;
mod logo;
mod modal;
mod profile_form;
mod rating_slider;

pub use logo::{LogoPicker, upload_logo};
pub use modal::Modal;
pub use profile_form::{ProfileDraft, ProfileForm, ProfileValues, filled};
pub use rating_slider::RatingSlider;

use clientele_core::ClientStatus;
use leptos::prelude::*;
use serde::Serialize;

use crate::api::ApiError;

/// The GraphQL name of a generated enum value (`ON_HOLD`).
pub fn enum_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A value as the pages show it: "—" when blank.
pub fn or_dash(value: String) -> String {
    if value.trim().is_empty() {
        "—".to_owned()
    } else {
        value
    }
}

/// The value of a generated enum named by its GraphQL name (`ON_HOLD`), if it is one.
pub fn from_enum_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// A coloured badge for a client status.
#[component]
pub fn StatusBadge(status: ClientStatus) -> impl IntoView {
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{status.label()}</span> }
}

/// Shown while data is on its way.
#[component]
pub fn Loading(#[prop(into, default = "Loading…".to_owned())] label: String) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">{label}</p> }
}

/// An error from the server, in words.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let message = match error.code.as_str() {
        "FORBIDDEN" => "Your role does not allow this.".to_owned(),
        "NOT_FOUND" => "This was not found. It may have been removed.".to_owned(),
        "VALIDATION" if !error.fields.is_empty() => {
            "Please correct the highlighted fields.".to_owned()
        }
        _ => error.message.clone(),
    };
    view! { <div class="notice notice-error" role="alert">{message}</div> }
}

/// A labelled text input with its error message.
#[component]
pub fn TextField(
    /// The label.
    #[prop(into)]
    label: String,
    /// The value, two-way bound.
    value: RwSignal<String>,
    /// The error to show under it.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Input type (text, email, tel, url).
    #[prop(into, default = "text".to_owned())]
    kind: String,
    /// Whether it must be filled.
    #[prop(default = false)]
    required: bool,
    /// Called when the field loses focus.
    #[prop(default = None)]
    on_blur: Option<Callback<()>>,
    /// Element id (its message's is `{id}-error`); by default derived from the label.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| {
        format!(
            "field-{}",
            label
                .to_lowercase()
                .replace(|c: char| !c.is_alphanumeric(), "-")
        )
    });
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(" *")}</label>
            <input
                id=id
                type=kind
                required=required
                bind:value=value
                aria-invalid=move || aria_invalid(error.get().is_some())
                aria-describedby=described
                on:blur=move |_| {
                    if let Some(on_blur) = on_blur {
                        on_blur.run(());
                    }
                }
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A labelled `<select>` with an empty first choice and options loaded from the server.
#[component]
pub fn Picker(
    /// Element id, also the label's `for`.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// Text of the empty choice.
    empty: &'static str,
    /// The selected value ("" for none).
    #[prop(into)]
    value: Signal<String>,
    /// (value, label) pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// Called with the new value.
    on_change: Callback<String>,
    /// The error to show under it.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| on_change.run(event_target_value(&ev))
                aria-invalid=move || aria_invalid(error.get().is_some())
                aria-describedby=format!("{id}-error")>
                <option value="">{empty}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let selected = value.get_untracked() == option;
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

/// Active managers and admins, the people who may be account managers, as picker options.
pub fn account_managers(session: crate::session::Session) -> Signal<Vec<(String, String)>> {
    use crate::api::operations::{ListFilters, list_filters};
    let loaded = crate::load::load(move || async move {
        crate::api::call::<ListFilters>(session, list_filters::Variables).await
    });
    Signal::derive(move || {
        loaded
            .get()
            .and_then(Result::ok)
            .map(|f| f.users.into_iter().map(|u| (u.id, u.full_name)).collect())
            .unwrap_or_default()
    })
}

/// Previous / next page buttons with where the list stands (`Page 2 of 5 · 93 clients`).
#[component]
pub fn Pager(
    /// This page, from 1.
    page: i64,
    /// Pages in all.
    total_pages: i64,
    /// Items in all.
    total: i64,
    /// What the items are: (one, many).
    #[prop(default = ("client", "clients"))]
    noun: (&'static str, &'static str),
    /// Called with the page to go to.
    on_page: Callback<i64>,
) -> impl IntoView {
    let noun = if total == 1 { noun.0 } else { noun.1 };
    let at_start = page <= 1;
    let at_end = page >= total_pages;
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" class="button-quiet" disabled=at_start on:click=move |_| on_page.run(page - 1)>
                "← Previous"
            </button>
            <span class="pager-status">
                {format!("Page {} of {} · {total} {noun}", page, total_pages.max(1))}
            </span>
            <button type="button" class="button-quiet" disabled=at_end on:click=move |_| on_page.run(page + 1)>
                "Next →"
            </button>
        </nav>
    }
}

/// Runs `f` once the view has updated (on the next animation frame); nothing on the server.
pub fn after_render(f: impl FnOnce() + 'static) {
    #[cfg(feature = "ssr")]
    {
        let _ = f;
    }
    #[cfg(not(feature = "ssr"))]
    browser_after_render(f);
}

#[cfg(not(feature = "ssr"))]
fn browser_after_render(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{JsCast, closure::Closure};
    if let Some(window) = web_sys::window() {
        let f = Closure::once_into_js(f);
        let _ = window.request_animation_frame(f.unchecked_ref());
    }
}

/// Moves the focus to the first element matching `selector` once the view has updated:
/// the new heading after a step or page change, the first invalid field after a refused
/// form.
pub fn focus_after_render(selector: impl Into<String>) {
    use wasm_bindgen::JsCast;
    let selector = selector.into();
    after_render(move || {
        let target = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    });
}

/// Moves the focus to the first field marked invalid inside `form` (a selector) once the
/// view shows the errors.
pub fn focus_first_invalid(form: &str) {
    focus_after_render(format!("{form} [aria-invalid=\"true\"]"));
}

/// The value of `aria-invalid` for a field with or without an error.
pub fn aria_invalid(invalid: bool) -> &'static str {
    if invalid { "true" } else { "false" }
}

/// Names the browser tab after the page, most specific first (`Acme Corp — Clients —
/// Clientele`), so every page and its history entry says where it is.
pub fn set_title(what: &str) {
    let title = format!("{what} — Clientele");
    #[cfg(feature = "ssr")]
    crate::ssr::set_title(title);
    #[cfg(not(feature = "ssr"))]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&title);
    }
}

/// `encodeURIComponent`: every byte but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX` of its
/// UTF-8.
pub fn encode_uri_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
