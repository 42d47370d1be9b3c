//! What a client is and its rules.
//!
//! A client is a company the agency recruits for. It has a unique code
//! `CLT-<year>-<number>` drawn from a per-year counter, a status
//! (active, inactive, on hold, archived), an account manager who must be an active manager
//! or admin, and contact persons (see `contacts`). New clients are checked for likely
//! duplicates first. Only admins deactivate and reactivate, and both are audit-logged.

pub mod duplicates;
pub mod graphql;
pub mod model;
pub mod service;
pub mod sql;

pub use model::{Client, ClientStatus};
