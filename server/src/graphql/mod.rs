//! The GraphQL schema: merged root objects, the per-request context, DataLoaders,
//! pagination and the depth and complexity limits analysts' queries must respect.

pub mod loaders;
pub mod page;

use std::sync::Arc;

use async_graphql::{
    EmptySubscription, MergedObject, Schema,
    dataloader::{DataLoader, HashMapCache},
};
use sqlx::PgPool;

use crate::{
    auth::{JwtKeys, Viewer},
    clients::graphql::{ClientsMutation, ClientsQuery},
    config::Config,
    contacts::graphql::ContactsMutation,
    telemetry,
    users::graphql::{UsersMutation, UsersQuery},
};

/// Every query root, merged.
#[derive(MergedObject, Default)]
pub struct Query(UsersQuery, ClientsQuery);

/// Every mutation root, merged.
#[derive(MergedObject, Default)]
pub struct Mutation(UsersMutation, ClientsMutation, ContactsMutation);

/// The executable schema.
pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// The per-request DataLoader. Its cache lives as long as the request, so a list resolver
/// can prime it with one batch per relation (see `clients::graphql`) and the item fields
/// then read from the cache, however the executor interleaves them.
pub type Loader = DataLoader<loaders::PgLoader, HashMapCache>;

/// What every resolver may reach: shared services, not per-request state.
pub struct ApiContext {
    /// The database.
    pub pool: PgPool,
    /// Session token keys.
    pub jwt: Arc<JwtKeys>,
    /// Configuration.
    pub config: Arc<Config>,
}

/// The shared services from a resolver's context.
pub fn state<'a>(ctx: &async_graphql::Context<'a>) -> &'a ApiContext {
    ctx.data_unchecked::<ApiContext>()
}

/// Builds the schema with its limits.
pub fn build_schema(pool: PgPool, jwt: Arc<JwtKeys>, config: &Arc<Config>) -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(ApiContext {
            pool,
            jwt,
            config: config.clone(),
        })
        .limit_depth(config.max_query_depth)
        .limit_complexity(config.max_query_complexity)
        .finish()
}

/// The schema as SDL, as published in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}

/// Runs one GraphQL request for a viewer: a fresh DataLoader, the request id on every task
/// it spawns, and every error given an `extensions.code`.
pub async fn execute(
    schema: &AppSchema,
    pool: &PgPool,
    viewer: Option<Viewer>,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let request_id = telemetry::current_request_id();
    let spawn_id = request_id.clone();
    let span = tracing::Span::current();
    let spawner = move |future| {
        use tracing::Instrument;
        tokio::spawn(
            telemetry::REQUEST_ID
                .scope(spawn_id.clone(), future)
                .instrument(span.clone()),
        )
    };
    let loader = DataLoader::with_cache(
        loaders::PgLoader::new(pool.clone()),
        spawner,
        HashMapCache::default(),
    );
    let mut request = request.data(loader);
    if let Some(viewer) = viewer {
        request = request.data(viewer);
    }
    let mut response = telemetry::REQUEST_ID
        .scope(request_id, schema.execute(request))
        .await;
    for error in &mut response.errors {
        label_request_error(error);
    }
    response
}

/// Errors async-graphql raises itself (syntax, unknown fields, bad argument values, depth
/// and complexity limits) carry no code: they are all the caller's input, so VALIDATION.
fn label_request_error(error: &mut async_graphql::ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some());
    if !has_code {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "VALIDATION");
    }
}
