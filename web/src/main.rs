//! Entry point of the Clientele web app: installs the panic hook and mounts the app.

#[cfg(feature = "csr")]
fn main() {
    console_error_panic_hook::set_once();
    // What the page showed while the wasm downloaded (the server's first paint of the page,
    // or the HTML's own "Loading…") makes way for the app, which renders the same page with
    // the answers the server sent along, before the browser paints again.
    clientele_web::api::first_paint::adopt();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let carried = clientele_web::takeover::Carried::collect(&document);
    if let Some(body) = document.body() {
        body.set_text_content(None);
    }
    leptos::mount::mount_to_body(clientele_web::App);
    clientele_web::components::after_render(move || {
        carried.restore(&document);
        // Answers the first render did not ask for are stale from now on.
        clientele_web::api::first_paint::forget();
    });
}

/// Without `csr` this crate is the server's renderer of first paints (`ssr`): no app to
/// start.
#[cfg(not(feature = "csr"))]
fn main() {}
