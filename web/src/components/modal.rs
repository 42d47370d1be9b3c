//! The one modal dialog every dialog of the app uses: a native `<dialog>` opened with
//! `showModal()`, so the browser makes the page behind it inert (Tab cannot leave it, a
//! screen reader reads only it) and draws the backdrop. Escape asks to close it; on open the
//! focus goes to its heading, on close back to whatever had it before (the button that
//! opened it).

use leptos::{html, prelude::*};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// What Tab stops at inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// A modal dialog, shown while it is mounted. Its first heading (`<h2 id=labelled_by
/// tabindex="-1">`) names it and takes the focus.
#[component]
pub fn Modal(
    /// The id of the heading that names the dialog.
    labelled_by: &'static str,
    /// The id of an element that describes it, if any.
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// Extra classes (`dialog-wide`).
    #[prop(optional)]
    class: &'static str,
    /// Escape: the dialog should close (the parent unmounts it).
    on_close: Callback<()>,
    /// Where the focus goes on close when nothing had it on open (the opener was disabled
    /// while the dialog's content loaded), as a CSS selector.
    #[prop(optional)]
    return_to: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // A server render has no document (and never shows a dialog open).
    let document = if cfg!(feature = "ssr") {
        None
    } else {
        web_sys::window().and_then(|w| w.document())
    };
    let body = document.as_ref().and_then(web_sys::Document::body);
    let opener = SendWrapper::new(
        document
            .as_ref()
            .and_then(web_sys::Document::active_element)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|e| Some(e) != body.as_ref()),
    );
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
            let heading = dialog
                .query_selector(&format!("#{labelled_by}"))
                .ok()
                .flatten()
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(heading) = heading {
                let _ = heading.focus();
            }
        }
    });
    on_cleanup(move || {
        // Back where the dialog was opened from, if that is still on the page, once the
        // dialog has gone (until then the page behind it is inert and cannot take focus).
        match (opener.take(), return_to) {
            (Some(opener), _) if opener.is_connected() => super::after_render(move || {
                let _ = opener.focus();
            }),
            (_, Some(selector)) => super::focus_after_render(selector),
            _ => {}
        }
    });
    // Tab and Shift+Tab go round inside the dialog rather than out to the browser's own
    // controls after its last element.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() != "Tab" {
            return;
        }
        let Some(dialog) = dialog.get_untracked() else {
            return;
        };
        let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
            return;
        };
        let focusable: Vec<web_sys::HtmlElement> = (0..found.length())
            .filter_map(|i| found.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            .collect();
        let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = |e: &web_sys::HtmlElement| active.as_ref() == Some(e.unchecked_ref());
        let on_heading = active.as_ref().is_some_and(|a| a.id() == labelled_by);
        if event.shift_key() && (at(first) || on_heading) {
            event.prevent_default();
            let _ = last.focus();
        } else if !event.shift_key() && at(last) {
            event.prevent_default();
            let _ = first.focus();
        }
    };
    let on_cancel = move |event: leptos::ev::Event| {
        // The browser would close it on its own; the parent decides.
        event.prevent_default();
        on_close.run(());
    };
    view! {
        <dialog node_ref=dialog class=format!("dialog card {class}") aria-labelledby=labelled_by
            aria-describedby=described_by on:cancel=on_cancel on:keydown=on_keydown>
            {children()}
        </dialog>
    }
}
