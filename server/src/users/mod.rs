//! Staff accounts of the host system: sign-in (throttled per account, address and both),
//! the current user, the account-manager picker, and adding staff (admins only).
//!
//! Other domains use the functions re-exported here; `sql` is this domain's own.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;
mod throttle;

pub use model::{MIN_PASSWORD_LENGTH, NewUser, User};
pub use service::{
    Session, active_role, create_first_admin, create_user, find, find_by_email, list, login,
    sign_out,
};
