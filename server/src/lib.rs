//! Clientele: the client-management service of a recruiting agency, served as GraphQL.
//!
//! `app` builds the whole HTTP application from an [`AppState`]; `serve` runs it until a
//! shutdown signal. Modules, one line each:

/// Client dashboards and analytics, and the nightly aggregation behind them.
pub mod analytics;
/// The audit trail of sensitive changes.
pub mod audit;
/// Who may do what: JWT sessions, password hashes, roles and the resolver guard.
pub mod auth;
/// Bulk operations on clients: up to 50 at once, dry run, all or nothing.
pub mod bulk;
/// Candidates and their applications: the pipeline of the host system's jobs.
pub mod candidates;
/// Client companies: codes, duplicates, the list, deactivation.
pub mod clients;
/// Calls, emails, meetings and notes with clients, and their follow-ups.
pub mod communications;
/// Typed configuration from `CLIENTELE_*` environment variables.
pub mod config;
/// Contact persons of a client and the one-primary rule.
pub mod contacts;
/// The published contract: changes that would break clients of the released schema.
pub mod contract;
/// Connection pool and migrations.
pub mod db;
/// Idempotent demo data for `cargo xtask run`, tests and benchmarks.
pub mod demo;
/// Email: the outbox, its delivery through the log or SES, welcome and reminder emails.
pub mod email;
/// The one error type and its mapping to `extensions.code`.
pub mod error;
/// Events announced with NOTIFY and heard by every replica (live timelines).
pub mod events;
/// Client feedback: ratings per period, finalization, averages and trends.
pub mod feedback;
/// What the domains' GraphQL layers build on: request context, DataLoaders, pages, IDs.
pub mod graphql;
/// HTTP routes: GraphQL, GraphiQL, health, readiness and the web app.
pub mod http;
/// Jobs of the host system: created, moved through their statuses, linked to clients.
pub mod jobs;
/// Prometheus metrics: requests, errors, pool, queue, email, reports, uploads.
pub mod metrics;
/// Clients' performance reports: gathered in SQL, rendered as PDFs with typst, stored.
pub mod reports;
/// The GraphQL schema: the domains' roots merged, limits, and request execution.
pub mod schema;
/// Service tokens: how internal services call the graph with a role.
pub mod service_tokens;
/// Where uploaded files live: the local store and its signed links, or S3.
pub mod storage;
/// The background queue on PostgreSQL: tasks, retries, workers.
pub mod tasks;
/// Logging with request ids, and the SQL statement counter used by tests and benchmarks.
pub mod telemetry;
/// Uploaded files: limits while streaming, type by content, safe names, storing atomically.
pub mod uploads;
/// Staff accounts of the host system.
pub mod users;

use std::sync::Arc;

use anyhow::Context;

pub use http::app;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database, the one source of truth.
    pub pool: sqlx::PgPool,
    /// The configuration the server started with.
    pub config: Arc<config::Config>,
    /// Keys that sign and check session tokens.
    pub jwt: Arc<auth::JwtKeys>,
    /// The executable GraphQL schema.
    pub schema: schema::AppSchema,
    /// Where uploaded files are kept.
    pub storage: storage::Storage,
    /// The local store, when files are kept on disk: `/files/<token>` serves from it.
    pub local_files: Option<Arc<storage::LocalStore>>,
    /// Permits for GraphQL requests in flight (`max_in_flight`).
    pub in_flight: Arc<tokio::sync::Semaphore>,
    /// How email leaves (tests put a faulty transport here).
    pub mailer: email::Mailer,
    /// Query texts of automatic persisted queries, by hash.
    pub persisted: Arc<graphql::persisted::PersistedQueries>,
}

impl AppState {
    /// Builds the state from a configuration and a pool; reads or creates the JWT secret.
    /// Files go where the configuration says: under the data directory, or to S3.
    pub fn new(config: config::Config, pool: sqlx::PgPool) -> anyhow::Result<Self> {
        if let config::StorageBackend::S3(settings) = &config.storage {
            let store = Arc::new(storage::S3Store::new(settings));
            return Self::with_storage(config, pool, store);
        }
        let secret = config.jwt_secret().context("loading the JWT secret")?;
        let local = Arc::new(storage::LocalStore::new(
            config.data_dir.join("files"),
            storage::LinkKeys::new(&secret),
        ));
        let mut state = Self::with_storage(config, pool, local.clone())?;
        state.local_files = Some(local);
        Ok(state)
    }

    /// Builds the state with the given file store (tests put a faulty one here).
    pub fn with_storage(
        config: config::Config,
        pool: sqlx::PgPool,
        storage: storage::Storage,
    ) -> anyhow::Result<Self> {
        let secret = config.jwt_secret().context("loading the JWT secret")?;
        // Metrics are recorded only where someone can read them.
        if config.serves_metrics() {
            crate::metrics::handle();
        }
        let jwt = Arc::new(auth::JwtKeys::new(&secret, config.token_ttl));
        let config = Arc::new(config);
        let events = events::Events::listen(pool.clone());
        let schema = schema::build(
            pool.clone(),
            jwt.clone(),
            storage.clone(),
            events.clone(),
            &config,
        );
        Ok(Self {
            pool,
            in_flight: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight)),
            mailer: email::mailer(&config.email),
            persisted: Arc::default(),
            config,
            jwt,
            schema,
            storage,
            local_files: None,
        })
    }
}

/// Connects, migrates and serves on the configured address until Ctrl-C or SIGTERM.
pub async fn serve(config: config::Config) -> anyhow::Result<()> {
    let pool = db::connect(&config).await?;
    db::migrate(&pool).await?;
    let addr = config.bind_addr;
    let state = AppState::new(config, pool)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let workers = tasks::spawn_workers(tasks::TaskContext::from(&state), state.config.task_workers);
    let schedules = if state.config.task_workers > 0 {
        vec![
            analytics::spawn_schedule(state.pool.clone(), state.config.time_zone),
            email::spawn_reminders(state.pool.clone(), state.config.time_zone),
        ]
    } else {
        Vec::new()
    };
    if let Some(metrics_addr) = state.config.metrics_bind {
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("binding {metrics_addr} for metrics"))?;
        let router = http::metrics::only(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
        tracing::info!(%metrics_addr, "metrics on http://{metrics_addr}/metrics");
    }
    tracing::info!(%addr, "Clientele listening on http://{addr}");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")?;
    for schedule in schedules {
        schedule.abort();
    }
    workers.stop().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing in-flight requests");
}
