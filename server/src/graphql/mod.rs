//! What every domain's GraphQL layer builds on: the per-request context and DataLoader,
//! page/limit pagination, and the ID scalar's parsing. The schema itself is assembled
//! above the domains, in `crate::schema`.

pub mod context;
pub mod cost;
pub mod limits;
pub mod loaders;
pub mod page;
pub mod persisted;
pub mod scalars;

pub use context::{ApiContext, ClientAddress, FormEncoded, Loader, loader, state};
pub use scalars::parse_id;
