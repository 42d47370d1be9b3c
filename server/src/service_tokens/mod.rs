//! Service tokens: how the agency's internal services call the graph. An admin creates one
//! with a name, a role (never ADMIN) and an optional expiry; its secret (`clt_…`) is shown
//! once and kept only as a SHA-256. A service sends it as `Authorization: Bearer clt_…`;
//! it acts through a service user of its own, so its work is attributed like a person's.
//! Revoking takes effect on the next request. Creation and revocation are audit-logged.

pub(crate) mod graphql;
mod service;
mod sql;

pub use service::{CreatedToken, PREFIX, authenticate, create, list, revoke};
pub use sql::TokenRow;
