//! The signed-in user, provided to every page by context. The session itself is an
//! HttpOnly cookie the server sets and no script here can read; this tab remembers only
//! who is signed in (sessionStorage, for the header and the role checks), and reads the
//! CSRF token the server left in a readable cookie, to send with every request.

use clientele_core::{Permission, Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "clientele.session";

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// User id.
    pub id: String,
    /// Name to greet.
    pub full_name: String,
    /// Email.
    pub email: String,
    /// What they may do.
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    user: CurrentUser,
}

/// The session, a copyable handle on signals.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    user: RwSignal<Option<CurrentUser>>,
    expired: RwSignal<bool>,
    /// This tab has asked the server whose the browser's session cookie is.
    resume_asked: RwSignal<bool>,
}

/// The cookie the server writes the CSRF token into.
#[cfg(not(feature = "ssr"))]
const CSRF_COOKIE: &str = "clientele_csrf";

/// The CSRF token of the browser's session, if it has one: sent as `X-CSRF-Token`. A
/// server render sends no request of its own.
#[cfg(feature = "ssr")]
pub fn csrf_token() -> Option<String> {
    None
}

/// The CSRF token of the browser's session, if it has one: sent as `X-CSRF-Token`.
#[cfg(not(feature = "ssr"))]
pub fn csrf_token() -> Option<String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?;
    let cookies = document.cookie().ok()?;
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == CSRF_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

#[cfg(not(feature = "ssr"))]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// A server render remembers nothing.
#[cfg(feature = "ssr")]
fn storage() -> Option<web_sys::Storage> {
    None
}

impl Session {
    /// The session restored from sessionStorage, if any. On the server, rendering a first
    /// paint: the session of the person asking for the page, if any.
    #[cfg(feature = "ssr")]
    pub fn restore() -> Self {
        use futures::FutureExt;
        let session = Self {
            user: RwSignal::new(None),
            expired: RwSignal::new(false),
            resume_asked: RwSignal::new(false),
        };
        // Answered in process, so at once; the answer goes to the app with the page, for
        // its own `resume`.
        let _ = session.resume().now_or_never();
        session
    }

    /// The session restored from sessionStorage, if any.
    #[cfg(not(feature = "ssr"))]
    pub fn restore() -> Self {
        let stored: Option<Stored> = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok());
        Self {
            user: RwSignal::new(stored.map(|s| s.user)),
            expired: RwSignal::new(false),
            resume_asked: RwSignal::new(false),
        }
    }

    /// The session from context.
    pub fn get() -> Self {
        expect_context::<Session>()
    }

    /// Whether this tab believes it is signed in, read without tracking.
    pub fn signed_in_untracked(&self) -> bool {
        self.user.with_untracked(Option::is_some)
    }

    /// The signed-in user (reactive).
    pub fn user(&self) -> Option<CurrentUser> {
        self.user.get()
    }

    /// The signed-in user, read without tracking.
    pub fn user_untracked(&self) -> Option<CurrentUser> {
        self.user.get_untracked()
    }

    /// Whether a session ended because the server refused its token (reactive).
    pub fn expired(&self) -> bool {
        self.expired.get()
    }

    /// Whether this tab should ask the server for the browser's session before showing
    /// sign-in: it knows no user (a new tab), the session did not just expire, it has not
    /// asked yet, and the browser holds the CSRF cookie that comes with a session.
    pub fn may_resume(&self) -> bool {
        self.user.with_untracked(Option::is_none)
            && !self.expired.get_untracked()
            && !self.resume_asked.get_untracked()
            && csrf_token().is_some()
    }

    /// Signs this tab in as whoever the browser's session cookie belongs to (signed in in
    /// another tab); false when the server knows no such session.
    pub async fn resume(self) -> bool {
        use crate::api::operations::{CurrentSession, current_session};
        self.resume_asked.set(true);
        match crate::api::call::<CurrentSession>(self, current_session::Variables {}).await {
            Ok(data) => {
                let user = data.me;
                self.sign_in(CurrentUser {
                    id: user.id,
                    full_name: user.full_name,
                    email: user.email,
                    role: user.role,
                });
                true
            }
            Err(_) => false,
        }
    }

    /// Starts a session (the server has set its cookies).
    pub fn sign_in(&self, user: CurrentUser) {
        if let (Some(storage), Ok(json)) = (
            storage(),
            serde_json::to_string(&Stored { user: user.clone() }),
        ) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        self.expired.set(false);
        self.user.set(Some(user));
    }

    /// Ends the session at the user's request.
    pub fn sign_out(&self) {
        self.clear();
        self.expired.set(false);
    }

    /// Ends the session because the server no longer accepts its token.
    pub fn expire(&self) {
        self.clear();
        self.expired.set(true);
    }

    fn clear(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        self.user.set(None);
    }

    /// Whether the signed-in user's role holds `permission`, by the server's own role
    /// matrix (reactive). The server still decides; this only hides what would be refused.
    pub fn may(&self, permission: Permission) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|u| permission.allows(u.role)))
    }
}
