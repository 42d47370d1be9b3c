//! The Clientele web app (Leptos, client-side rendered, with each page's first paint
//! rendered by the server from the same components): the router, the page frame and the
//! session every page reads.

// The server's render (natively, where Leptos's `erase_components` is not set) nests its
// view types deeply.
#![recursion_limit = "256"]

pub mod api;
pub mod clock;
pub mod components;
pub mod load;
pub mod pages;
pub mod session;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(not(feature = "ssr"))]
pub mod takeover;

use leptos::prelude::*;
use leptos_router::{
    components::{A, ParentRoute, Redirect, Route, Router, Routes},
    hooks::use_navigate,
    nested_router::Outlet,
    path,
};

use session::Session;

/// The app: session context, the frame and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::restore());
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <ParentRoute path=path!("") view=SignedIn>
                    <Route path=path!("/") view=|| view! { <Redirect path="/clients"/> }/>
                    <Route path=path!("/clients") view=pages::client_list::ClientListPage/>
                    <Route path=path!("/clients/new") view=pages::client_new::NewClientPage/>
                    <ParentRoute path=path!("/clients/:id") view=pages::client::ClientPage>
                        <Route path=path!("") view=pages::client::OverviewTab/>
                        <Route path=path!("jobs") view=pages::client::JobsTab/>
                        <Route path=path!("communications") view=pages::client::CommunicationsTab/>
                        <Route path=path!("feedback") view=pages::client::FeedbackTab/>
                        <Route path=path!("analytics") view=pages::client::AnalyticsTab/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The frame of every signed-in page; sends anyone else to sign-in.
#[component]
fn SignedIn() -> impl IntoView {
    let session = Session::get();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        // The server ends the session too, so a copy of the token stops working; the tab
        // forgets it whatever the answer.
        leptos::task::spawn_local(async move {
            let _ = api::call::<api::operations::Logout>(
                session,
                api::operations::logout::Variables {},
            )
            .await;
            session.sign_out();
            navigate("/login", Default::default());
        });
    };
    // A new page (not a tab of the same client, not a filter change) starts at its main
    // content: focus there, so a keyboard or screen-reader user is not left on the body.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let page: String = path.split('/').take(3).collect::<Vec<_>>().join("/");
        if previous.as_deref() != Some(page.as_str()) {
            components::focus_after_render("#main");
        }
        page
    });
    // A new tab of a browser signed in elsewhere: ask the server before showing sign-in
    // (which would flash and then make way for the page), and show the loading line
    // meanwhile.
    let resuming = RwSignal::new(session.may_resume());
    if resuming.get_untracked() {
        leptos::task::spawn_local(async move {
            session.resume().await;
            resuming.set(false);
        });
    }
    move || match session.user() {
        None if resuming.get() => {
            view! { <p class="boot" role="status">"Loading Clientele…"</p> }.into_any()
        }
        None => {
            // Sign in first, then on to the page that was asked for.
            let (path, search) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            // The router's `search` comes without its `?`.
            let asked = if search.is_empty() {
                path
            } else {
                format!("{path}?{}", search.trim_start_matches('?'))
            };
            let next = components::encode_uri_component(&asked);
            let expired = if session.expired() { "expired=1&" } else { "" };
            let to = format!("/login?{expired}next={next}");
            view! { <Redirect path=to/> }.into_any()
        }
        Some(user) => {
            let role = user.role.as_str();
            let sign_out = sign_out.clone();
            view! {
                <a class="skip-link" href="#main">"Skip to main content"</a>
                <header class="topbar">
                    <A href="/clients" attr:class="brand">"Clientele"</A>
                    <nav aria-label="Main">
                        <A href="/clients">"Clients"</A>
                    </nav>
                    <div class="who">
                        <span class="who-name">{user.full_name.clone()}</span>
                        <span class="who-role">{role}</span>
                        <button type="button" class="button-quiet" on:click=sign_out>"Sign out"</button>
                    </div>
                </header>
                <main class="page" id="main" tabindex="-1">
                    <Outlet/>
                </main>
            }
            .into_any()
        }
    }
}

/// Shown for an address the app does not know.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="page narrow">
            <h1>"Page not found"</h1>
            <p><A href="/clients">"Back to the clients"</A></p>
        </main>
    }
}
