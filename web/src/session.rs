//! The signed-in user, kept in the browser session (sessionStorage), provided to every
//! page by context.

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
    token: String,
    user: CurrentUser,
}

/// The session, a copyable handle on signals.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    user: RwSignal<Option<CurrentUser>>,
    expired: RwSignal<bool>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

impl Session {
    /// The session restored from sessionStorage, if any.
    pub fn restore() -> Self {
        let stored: Option<Stored> = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok());
        Self {
            token: RwSignal::new(stored.as_ref().map(|s| s.token.clone())),
            user: RwSignal::new(stored.map(|s| s.user)),
            expired: RwSignal::new(false),
        }
    }

    /// The session from context.
    pub fn get() -> Self {
        expect_context::<Session>()
    }

    /// The bearer token, read without tracking.
    pub fn token(&self) -> Option<String> {
        self.token.get_untracked()
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

    /// Starts a session.
    pub fn sign_in(&self, token: String, user: CurrentUser) {
        if let (Some(storage), Ok(json)) = (
            storage(),
            serde_json::to_string(&Stored {
                token: token.clone(),
                user: user.clone(),
            }),
        ) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        self.expired.set(false);
        self.token.set(Some(token));
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
        self.token.set(None);
        self.user.set(None);
    }

    /// Whether the signed-in user's role holds `permission`, by the server's own role
    /// matrix (reactive). The server still decides; this only hides what would be refused.
    pub fn may(&self, permission: Permission) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|u| permission.allows(u.role)))
    }
}
