//! Staff accounts of the host system: sign-in, the current user, the account-manager
//! picker, and adding staff (admins only).

pub mod graphql;
pub mod model;
pub mod service;
pub mod sql;

pub use model::User;
