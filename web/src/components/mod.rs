//! Widgets several pages share.

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

/// A client status as people read it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "Active",
        "INACTIVE" => "Inactive",
        "ON_HOLD" => "On hold",
        "ARCHIVED" => "Archived",
        _ => "Unknown",
    }
}

/// A coloured badge for a client status.
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let class = format!("badge badge-{}", status.to_lowercase().replace('_', "-"));
    view! { <span class=class>{status_label(&status)}</span> }
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
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let id = format!(
        "field-{}",
        label
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
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
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
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
