//! Contact persons of a client.
//!
//! A client has any number of contacts; at most one active contact is primary, which the
//! database enforces with a partial unique index and `setPrimaryContact` moves atomically.
//! Admins and managers manage contacts. Other domains use the functions re-exported here.

pub(crate) mod graphql;
mod model;
mod service;
mod sql;

pub use model::{Contact, ContactInput, ContactPatch};
pub use service::{add, add_to_new_client, find_many, set_primary, update};
