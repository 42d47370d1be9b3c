//! Entry point of the Clientele web app: installs the panic hook and mounts the app.

fn main() {
    console_error_panic_hook::set_once();
    // The page's own "Loading…" (shown while the wasm downloads) makes way for the app.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(clientele_web::App);
}
