//! Choosing a client's logo: a file input with a preview of the chosen image, and the
//! upload that follows a save.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::{
    api::{
        ApiError,
        operations::{UploadClientLogo, upload_client_logo},
        upload::upload,
    },
    session::Session,
};

/// The logo input and the preview of what was chosen.
#[component]
pub fn LogoPicker(
    /// The chosen file, if any.
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    /// What went wrong with the last upload.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let preview = RwSignal::new(None::<String>);
    let chosen = move |ev: leptos::ev::Event| {
        let picked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(old) = preview.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        preview.set(
            picked
                .as_ref()
                .and_then(|f| web_sys::Url::create_object_url_with_blob(f).ok()),
        );
        problem.set(None);
        file.set(picked);
    };
    on_cleanup(move || {
        if let Some(url) = preview.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <div class="field logo-field" class:field-invalid=move || problem.get().is_some()>
            <label for="logo">"Logo (PNG, JPEG or WebP, up to 2 MB)"</label>
            <input id="logo" type="file" accept="image/png,image/jpeg,image/webp"
                aria-describedby="logo-error" on:change=chosen/>
            {move || preview.get().map(|url| view! {
                <img class="logo-preview" src=url alt="Preview of the new logo"/>
            })}
            <p class="field-error" id="logo-error" role="alert">{move || problem.get()}</p>
        </div>
    }
}

/// Uploads the chosen logo, if any, for `client_id`; the problem in words when refused.
pub async fn upload_logo(
    session: Session,
    client_id: String,
    file: Option<web_sys::File>,
) -> Result<(), String> {
    let Some(file) = file else {
        return Ok(());
    };
    let variables = upload_client_logo::Variables {
        client_id,
        file: (),
    };
    upload::<UploadClientLogo>(session, variables, file, |_| {})
        .await
        .map(drop)
        .map_err(|error: ApiError| match error.code.as_str() {
            "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" => {
                format!("Logo not uploaded: {}.", error.message)
            }
            _ => match error.field("file") {
                Some(why) => format!("Logo not uploaded: the file {why}."),
                None => format!("Logo not uploaded: {}", error.message),
            },
        })
}
