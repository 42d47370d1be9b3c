//! The Clientele web app (Leptos, client-side rendered): the router and its pages.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The app: one router over the staff pages.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
            </Routes>
        </Router>
    }
}

/// The start page.
#[component]
fn Home() -> impl IntoView {
    view! {
        <main>
            <h1>"Clientele"</h1>
            <p>"Client management for the agency's staff. The API is at "
                <a href="/graphql">"/graphql"</a>", with GraphiQL at "
                <a href="/graphiql">"/graphiql"</a>"."</p>
        </main>
    }
}

/// Shown for an address the app does not know.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main>
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the start page"</a></p>
        </main>
    }
}
