//! The GraphQL schema, assembled above the domains: their query and mutation roots merged,
//! the depth and complexity limits analysts' queries must respect, and the execution of one
//! request with its DataLoader and error codes.

use std::sync::Arc;

use async_graphql::{
    MergedObject, MergedSubscription, Schema,
    dataloader::{DataLoader, HashMapCache},
};
use sqlx::PgPool;

use crate::{
    analytics::graphql::AnalyticsMutation,
    audit::graphql::AuditQuery,
    auth::{JwtKeys, Viewer},
    bulk::graphql::BulkMutation,
    candidates::graphql::{CandidatesMutation, CandidatesQuery},
    clients::graphql::{ClientsMutation, ClientsQuery},
    communications::graphql::{
        CommunicationsMutation, CommunicationsQuery, CommunicationsSubscription,
    },
    config::Config,
    contacts::graphql::ContactsMutation,
    error::AppError,
    events::Events,
    feedback::graphql::FeedbackMutation,
    graphql::{
        ApiContext,
        cost::{Cost, CostBudget},
        loaders::PgLoader,
    },
    jobs::graphql::{JobsMutation, JobsQuery},
    reports::graphql::{ReportsMutation, ReportsQuery},
    service_tokens::graphql::{ServiceTokensMutation, ServiceTokensQuery},
    storage::Storage,
    tasks::graphql::{TasksMutation, TasksQuery},
    telemetry,
    users::graphql::{UsersMutation, UsersQuery},
};

/// Every query root, merged.
#[derive(MergedObject, Default)]
pub struct Query(
    UsersQuery,
    ClientsQuery,
    CommunicationsQuery,
    ReportsQuery,
    JobsQuery,
    CandidatesQuery,
    TasksQuery,
    AuditQuery,
    ServiceTokensQuery,
);

/// Every mutation root, merged.
#[derive(MergedObject, Default)]
pub struct Mutation(
    UsersMutation,
    ClientsMutation,
    ContactsMutation,
    CommunicationsMutation,
    FeedbackMutation,
    ReportsMutation,
    JobsMutation,
    CandidatesMutation,
    AnalyticsMutation,
    TasksMutation,
    BulkMutation,
    ServiceTokensMutation,
);

/// Every subscription root, merged.
#[derive(MergedSubscription, Default)]
pub struct Subscription(CommunicationsSubscription);

/// The executable schema.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Most directives one field may carry.
const MAX_DIRECTIVES: usize = 8;

/// Builds the schema with its limits.
pub fn build(
    pool: PgPool,
    jwt: Arc<JwtKeys>,
    storage: Storage,
    events: Events,
    config: &Arc<Config>,
) -> AppSchema {
    let builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    );
    // Resolver spans (object fields; scalars are left out) only when traces leave the server.
    let builder = if traces_resolvers(config) {
        builder.extension(async_graphql::extensions::Tracing)
    } else {
        builder
    };
    // The cost report and budget, unless turned off (`CLIENTELE_COST_PER_MINUTE=0`).
    let builder = if config.cost_per_minute > 0 {
        builder.extension(Cost)
    } else {
        builder
    };
    builder
        .data(ApiContext {
            pool,
            jwt,
            storage,
            events,
            config: config.clone(),
            cost: Arc::new(CostBudget::new(config.cost_per_minute)),
        })
        .limit_depth(config.max_query_depth)
        .limit_complexity(config.max_query_complexity)
        .limit_recursive_depth(crate::graphql::limits::MAX_NESTING)
        .limit_directives(MAX_DIRECTIVES)
        .finish()
}

/// Whether resolvers open spans: only when traces are exported (`CLIENTELE_OTLP_ENDPOINT`).
pub fn traces_resolvers(config: &Config) -> bool {
    config.otlp_endpoint.is_some()
}

/// The schema as SDL, as published in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
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
    // A batch runs under the span of the resolver that started it (with traces on, its
    // SQL spans sit under that resolver), else under the request's.
    let spawner = move |future| {
        use tracing::Instrument;
        tokio::spawn(
            telemetry::REQUEST_ID
                .scope(spawn_id.clone(), future)
                .instrument(tracing::Span::current()),
        )
    };
    let loader = DataLoader::with_cache(
        PgLoader::new(pool.clone()),
        spawner,
        HashMapCache::default(),
    );
    let mut request = request.data(loader);
    keep_only_the_named_operation(&mut request);
    let variables = request.variables.clone();
    if let Ok(document) = request.parsed_query() {
        let fields = crate::graphql::limits::nul_fields(document, &variables);
        if !fields.is_empty() {
            let error = AppError::Validation(
                fields
                    .into_iter()
                    // An `input` argument is the form itself: its fields are named without
                    // it, as in every other VALIDATION error.
                    .map(|field| match field.strip_prefix("input.") {
                        Some(inside) => inside.to_owned(),
                        None => field,
                    })
                    .map(|field| {
                        (
                            field,
                            "must not contain a NUL character (U+0000)".to_owned(),
                        )
                    })
                    .collect(),
            );
            return async_graphql::Response::from_errors(vec![request_error(error)]);
        }
    }
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

/// The DataLoader of a WebSocket connection. Its cache lives as long as the connection: a
/// staff member or contact renamed while a timeline is open shows under the old name in
/// that connection's later events (the communication itself is always read fresh).
pub fn connection_loader(pool: &PgPool) -> crate::graphql::Loader {
    DataLoader::with_cache(
        PgLoader::new(pool.clone()),
        tokio::spawn,
        HashMapCache::default(),
    )
}

/// A document may hold many operations (the app's `.graphql` files, an analyst's GraphiQL
/// tab); only the one `operationName` names runs, so only it is checked and costed.
/// async-graphql would otherwise add up the complexity of every operation and demand the
/// required variables of all of them.
fn keep_only_the_named_operation(request: &mut async_graphql::Request) {
    use std::collections::{HashMap, HashSet};

    use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};

    let Some(name) = request.operation_name.clone() else {
        return;
    };
    // A syntax error is left for execution to report.
    let Ok(document) = request.parsed_query() else {
        return;
    };
    let DocumentOperations::Multiple(operations) = &document.operations else {
        return;
    };
    let Some((name, operation)) = operations.get_key_value(name.as_str()) else {
        return;
    };
    if operations.len() == 1 {
        return;
    }
    let mut used = HashSet::new();
    collect_fragments(
        &operation.node.selection_set.node,
        &document.fragments,
        &mut used,
    );
    let kept = ExecutableDocument {
        operations: DocumentOperations::Multiple(HashMap::from([(
            name.clone(),
            operation.clone(),
        )])),
        fragments: document
            .fragments
            .iter()
            .filter(|(fragment, _)| used.contains(*fragment))
            .map(|(fragment, definition)| (fragment.clone(), definition.clone()))
            .collect(),
    };
    request.set_parsed_query(kept);
}

/// The fragments a selection set spreads, directly or through other fragments.
fn collect_fragments(
    selections: &async_graphql::parser::types::SelectionSet,
    fragments: &std::collections::HashMap<
        async_graphql::Name,
        async_graphql::Positioned<async_graphql::parser::types::FragmentDefinition>,
    >,
    used: &mut std::collections::HashSet<async_graphql::Name>,
) {
    use async_graphql::parser::types::Selection;
    for selection in &selections.items {
        match &selection.node {
            Selection::Field(field) => {
                collect_fragments(&field.node.selection_set.node, fragments, used);
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if used.insert(name.clone())
                    && let Some(fragment) = fragments.get(name)
                {
                    collect_fragments(&fragment.node.selection_set.node, fragments, used);
                }
            }
            Selection::InlineFragment(inline) => {
                collect_fragments(&inline.node.selection_set.node, fragments, used);
            }
        }
    }
}

/// A request-level error: about the request, not a place in its query text.
pub fn request_error(error: AppError) -> async_graphql::ServerError {
    let error: async_graphql::Error = error.into();
    let mut server_error = async_graphql::ServerError::new(error.message, None);
    server_error.extensions = error.extensions;
    server_error
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
