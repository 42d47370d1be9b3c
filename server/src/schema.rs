//! The GraphQL schema, assembled above the domains: their query and mutation roots merged,
//! the depth and complexity limits analysts' queries must respect, and the execution of one
//! request with its DataLoader and error codes.

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
    graphql::{ApiContext, loaders::PgLoader},
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

/// Builds the schema with its limits.
pub fn build(pool: PgPool, jwt: Arc<JwtKeys>, config: &Arc<Config>) -> AppSchema {
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
        PgLoader::new(pool.clone()),
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
