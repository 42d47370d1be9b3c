//! The app taking over the page the server rendered (its first paint). The app renders the
//! same page again from the answers that came with it; what the person did to the server's
//! page before the app arrived is carried over: what they typed or chose in its fields (a
//! browser's autofill too), where the focus was, and a form they sent (the page's loader
//! script holds a form sent before the app arrived and notes which one), which is sent
//! again once the app is there.

use wasm_bindgen::JsCast;
use web_sys::{
    Document, Event, EventInit, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

/// A field's changed state.
enum Changed {
    Value(String),
    Checked(bool),
}

/// What the person did to the server's page.
pub struct Carried {
    fields: Vec<(String, Changed)>,
    focused: Option<String>,
}

impl Carried {
    /// Reads it from the page, before the app replaces it.
    pub fn collect(document: &Document) -> Self {
        let mut fields = Vec::new();
        if let Ok(found) = document.query_selector_all("input[id], textarea[id], select[id]") {
            for index in 0..found.length() {
                let Some(node) = found.item(index) else {
                    continue;
                };
                if let (Some(changed), Some(element)) =
                    (changed(&node), node.dyn_ref::<web_sys::Element>())
                {
                    fields.push((element.id(), changed));
                }
            }
        }
        let focused = document
            .active_element()
            .map(|e| e.id())
            .filter(|id| !id.is_empty());
        Self { fields, focused }
    }

    /// Puts it back into the app's page, once rendered; then sends the form that was sent.
    pub fn restore(self, document: &Document) {
        for (id, changed) in self.fields {
            let Some(element) = document.get_element_by_id(&id) else {
                continue;
            };
            match (&changed, element.dyn_ref::<HtmlInputElement>()) {
                (Changed::Checked(checked), Some(input)) => input.set_checked(*checked),
                (Changed::Value(value), Some(input)) => input.set_value(value),
                (Changed::Value(value), None) => {
                    if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                        area.set_value(value);
                    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                        select.set_value(value);
                    }
                }
                (Changed::Checked(_), None) => {}
            }
            // The app's fields follow these events.
            for kind in ["input", "change"] {
                let init = EventInit::new();
                init.set_bubbles(true);
                if let Ok(event) = Event::new_with_event_init_dict(kind, &init) {
                    let _ = element.dispatch_event(&event);
                }
            }
        }
        if let Some(focused) = self
            .focused
            .and_then(|id| document.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = focused.focus();
        }
        let held = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"clienteleHeldSubmit".into()).ok())
            .and_then(|v| v.as_f64());
        if let Some(index) = held.filter(|i| *i >= 0.0) {
            let form = document
                .forms()
                .item(index as u32)
                .and_then(|f| f.dyn_into::<HtmlFormElement>().ok());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
    }
}

/// The state of a field the person changed, if they did.
fn changed(node: &web_sys::Node) -> Option<Changed> {
    if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
        return match input.type_().as_str() {
            "checkbox" | "radio" => (input.checked() != input.default_checked())
                .then(|| Changed::Checked(input.checked())),
            // A chosen file cannot be carried over.
            "file" => None,
            _ => (input.value() != input.default_value()).then(|| Changed::Value(input.value())),
        };
    }
    if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
        let default = area.default_value().unwrap_or_default();
        return (area.value() != default).then(|| Changed::Value(area.value()));
    }
    let select = node.dyn_ref::<HtmlSelectElement>()?;
    let options = select.options();
    let default = (0..options.length())
        .filter_map(|i| options.item(i))
        .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
        .find(web_sys::HtmlOptionElement::default_selected)
        .or_else(|| {
            options
                .item(0)
                .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
        })
        .map(|o| o.value());
    let value = select.value();
    (Some(&value) != default.as_ref()).then_some(Changed::Value(value))
}
