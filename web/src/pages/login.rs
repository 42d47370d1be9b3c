//! Sign-in.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::{
        self,
        operations::{SignIn, sign_in},
    },
    session::{CurrentUser, Session},
};

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    crate::components::set_title("Sign in");
    let session = Session::get();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let expired = move || query.with(|q| q.get("expired").is_some()) || session.expired();
    // Where the user was going (a link opened in a new tab, an expired session): back there
    // once signed in. Only a path of our own origin, never `//other.example`.
    let next = query
        .with_untracked(|q| q.get("next"))
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| "/clients".to_owned());

    if session.user().is_some() {
        // Signed in already: on to the page asked for (a server render leaves that to the
        // app).
        #[cfg(feature = "ssr")]
        crate::ssr::incomplete();
        #[cfg(not(feature = "ssr"))]
        navigate(&next, Default::default());
    } else if !expired() && session.may_resume() {
        // Signed in in another tab: the browser holds the session cookie; ask who it is.
        let navigate = navigate.clone();
        let next = next.clone();
        spawn_local(async move {
            if session.resume().await {
                navigate(&next, Default::default());
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        let next = next.clone();
        let variables = sign_in::Variables {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<SignIn>(session, variables).await {
                Ok(data) => {
                    let user = data.sign_in.user;
                    session.sign_in(CurrentUser {
                        id: user.id,
                        full_name: user.full_name,
                        email: user.email,
                        role: user.role,
                    });
                    navigate(&next, Default::default());
                }
                Err(e) => {
                    error.set(Some(if e.code == "UNAUTHENTICATED" {
                        "Wrong email or password.".to_owned()
                    } else {
                        e.message
                    }));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <main class="page narrow login">
            <h1>"Clientele"</h1>
            <p class="lede">"Sign in to manage the agency's clients."</p>
            <Show when=expired>
                <div class="notice notice-warning" role="status">"Your session has expired. Please sign in again."</div>
            </Show>
            <form on:submit=submit class="card form">
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" type="email" autocomplete="username" required bind:value=email/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" type="password" autocomplete="current-password" required bind:value=password/>
                </div>
                {move || error.get().map(|e| view! { <div class="notice notice-error" role="alert">{e}</div> })}
                <button type="submit" class="button" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
