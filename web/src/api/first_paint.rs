//! The answers a page's first paint was rendered with. The server sends them in the page
//! (`<script type="application/json" id="first-paint-answers">`, an object of answer key →
//! GraphQL response); the app's first render takes each one once instead of asking the
//! server again, and forgets the rest once it has rendered.

/// The id of the element holding the answers.
pub const ELEMENT_ID: &str = "first-paint-answers";

/// What names an answer: the operation and its variables.
pub fn key(operation_name: &str, variables: &serde_json::Value) -> String {
    format!("{operation_name} {variables}")
}

#[cfg(not(feature = "ssr"))]
thread_local! {
    static ANSWERS: std::cell::RefCell<serde_json::Map<String, serde_json::Value>> =
        std::cell::RefCell::default();
}

/// Reads the answers the page came with (and takes them out of the page).
#[cfg(not(feature = "ssr"))]
pub fn adopt() {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ELEMENT_ID))
    else {
        return;
    };
    let answers = element
        .text_content()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
    element.remove();
    if let Some(serde_json::Value::Object(answers)) = answers {
        ANSWERS.with(|a| *a.borrow_mut() = answers);
    }
}

/// The answer for `key`, once.
#[cfg(not(feature = "ssr"))]
pub fn take(key: &str) -> Option<serde_json::Value> {
    ANSWERS.with(|a| a.borrow_mut().remove(key))
}

/// Forgets the answers nothing took: from now on they would be stale.
#[cfg(not(feature = "ssr"))]
pub fn forget() {
    ANSWERS.with(|a| a.borrow_mut().clear());
}
