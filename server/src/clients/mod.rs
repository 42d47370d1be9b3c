//! What a client is and its rules.
//!
//! A client is a company the agency recruits for. It has a unique code
//! `CLT-<year>-<number>` drawn from a per-year counter, a status
//! (active, inactive, on hold, archived), an account manager who must be an active manager
//! or admin, and contact persons (see `contacts`). New clients are checked for likely
//! duplicates first. Only admins deactivate and reactivate, and both are audit-logged.
//!
//! Write functions run on the caller's transaction and never commit; other domains use the
//! functions re-exported here, never this domain's SQL.

mod duplicates;
pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use duplicates::{DuplicateCandidate, DuplicateQuery, DuplicateReason};
pub use model::{
    Client, ClientFilter, ClientPatch, ClientSettings, ClientSort, CreateClientInput, Deactivation,
    IndustryCount, ListCursor, ListFilter, MAX_CONTACTS_ON_CREATE, NewClient, StatusSummary,
};
pub use service::{
    ClientList, ListRequest, ListStart, check_account_manager, create, deactivate, duplicates, get,
    industries, list, lock, lock_all, name_exists, reactivate, set_logo, update, welcome,
};
