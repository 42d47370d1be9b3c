//! A page's first paint, rendered on the server by the app's own components: the server
//! sends it in the page's HTML, so a phone shows the page before the app's wasm has
//! downloaded; the app then takes over with the same answers (sent along, so it asks the
//! server nothing twice).
//!
//! Rendering is synchronous: the server answers the app's GraphQL queries in process (the
//! [`Execute`] it passes), so every [`crate::load::load`] has its value when it is made.
//! A page that would not be complete that way (it redirects, or waits for something only a
//! browser has) is not rendered: [`render`] says `None` and the server sends the bare app.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use leptos::{prelude::*, tachys::view::RenderHtml};

/// Answers one GraphQL request (its JSON body: `query`, `operationName`, `variables`) as
/// the person asking for the page, with the JSON response.
pub type Execute = Arc<dyn Fn(serde_json::Value) -> serde_json::Value + Send + Sync>;

/// A rendered first paint.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The body's HTML.
    pub body: String,
    /// The page's title (`Acme Corp — Clients — Clientele`), when it names itself.
    pub title: Option<String>,
    /// The answers the page was rendered with, as a JSON object (answer key → GraphQL
    /// response), for the app to take over with.
    pub answers: String,
}

/// What one render collects, provided by context.
#[derive(Clone)]
struct Render {
    execute: Execute,
    answers: Arc<Mutex<serde_json::Map<String, serde_json::Value>>>,
    title: Arc<Mutex<Option<String>>>,
    incomplete: Arc<AtomicBool>,
}

/// Renders the app at `url` (path and query).
pub fn render(url: &str, execute: Execute) -> Option<Page> {
    init_executor();
    let render = Render {
        execute,
        answers: Arc::default(),
        title: Arc::default(),
        incomplete: Arc::default(),
    };
    let owner = Owner::new();
    let body = owner.with(|| {
        provide_context(render.clone());
        provide_context(leptos_router::location::RequestUrl::new(url));
        let incomplete = render.incomplete.clone();
        leptos_router::components::provide_server_redirect(move |_| {
            incomplete.store(true, Ordering::Relaxed);
        });
        view! { <crate::App/> }.to_html()
    });
    drop(owner);
    if render.incomplete.load(Ordering::Relaxed) {
        return None;
    }
    let title = lock(&render.title).take();
    let answers = std::mem::take(&mut *lock(&render.answers));
    let answers = serde_json::Value::Object(answers).to_string();
    Some(Page {
        body,
        title,
        answers,
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Answers a request of the page being rendered, and keeps the answer for the app.
pub(crate) fn execute(key: String, body: serde_json::Value) -> serde_json::Value {
    let Some(render) = use_context::<Render>() else {
        incomplete();
        return serde_json::json!({ "errors": [{ "message": "not rendering a page" }] });
    };
    let answer = (render.execute)(body);
    lock(&render.answers).insert(key, answer.clone());
    answer
}

/// The page being rendered names itself.
pub(crate) fn set_title(title: String) {
    if let Some(render) = use_context::<Render>() {
        *lock(&render.title) = Some(title);
    }
}

/// The page being rendered cannot be completed on the server.
pub(crate) fn incomplete() {
    if let Some(render) = use_context::<Render>() {
        render.incomplete.store(true, Ordering::Relaxed);
    }
}

/// Nothing runs in the background of a server render: effects do not run on the server,
/// and what a component would start (a browser's local resource) is dropped unstarted.
struct NoBackground;

impl any_spawner::CustomExecutor for NoBackground {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

fn init_executor() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        // Set only here, once; another executor set by the host would do as well.
        let _ = any_spawner::Executor::init_custom_executor(NoBackground);
    });
}
