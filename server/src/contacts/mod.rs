//! Contact persons of a client.
//!
//! A client has any number of contacts; at most one active contact is primary, which the
//! database enforces with a partial unique index and `setPrimaryContact` moves atomically.
//! Admins and managers manage contacts.

pub mod graphql;
pub mod model;
pub mod service;
pub mod sql;
