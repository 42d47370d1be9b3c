//! The shared services every resolver reaches, and the per-request DataLoader.

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use sqlx::PgPool;

use super::loaders::PgLoader;
use crate::{auth::JwtKeys, config::Config, events::Events, storage::Storage};

/// The per-request DataLoader. Its cache lives as long as the request, so a list resolver
/// can prime it with one batch per relation (see `clients::graphql`) and the item fields
/// then read from the cache, however the executor interleaves them.
pub type Loader = DataLoader<PgLoader, HashMapCache>;

/// What every resolver may reach: shared services, not per-request state.
pub struct ApiContext {
    /// The database.
    pub pool: PgPool,
    /// Session token keys.
    pub jwt: Arc<JwtKeys>,
    /// Where uploaded files are kept.
    pub storage: Storage,
    /// Events heard from every replica.
    pub events: Events,
    /// Configuration.
    pub config: Arc<Config>,
    /// Each caller's budget of complexity points.
    pub cost: Arc<super::cost::CostBudget>,
}

/// The shared services from a resolver's context.
pub fn state<'a>(ctx: &async_graphql::Context<'a>) -> &'a ApiContext {
    ctx.data_unchecked::<ApiContext>()
}

/// The request's DataLoader.
pub fn loader<'a>(ctx: &async_graphql::Context<'a>) -> &'a Loader {
    ctx.data_unchecked::<Loader>()
}

/// Whether the request's body is of a type an HTML form on another site could send
/// without a CORS preflight; such a request may not start a cookie session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormEncoded(pub bool);

/// Where a request comes from: the peer's IP address, or the first `X-Forwarded-For`
/// address when the server is configured to trust its proxy (`CLIENTELE_TRUST_PROXY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);
