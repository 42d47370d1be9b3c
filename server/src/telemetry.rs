//! Logging: every line of a request carries its request id. Also the SQL statement counter
//! that tests and benchmarks use to prove a request's statement count.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tracing_subscriber::{EnvFilter, Layer, layer::SubscriberExt, util::SubscriberInitExt};

use crate::config::{Config, LogFormat};

tokio::task_local! {
    /// The id of the HTTP request being served (from `x-request-id`).
    pub static REQUEST_ID: String;
}

/// The current request's id, or a fresh one outside a request (so an error can still be
/// matched with its log line).
pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string())
}

/// Installs the global subscriber: `RUST_LOG` filters (default `info`), text or JSON lines.
pub fn init(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx::query=warn,sqlx::postgres::notice=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match config.log_format {
        // Colour only on a terminal: a log file or pipe gets plain text.
        LogFormat::Text => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())),
            )
            .try_init(),
        LogFormat::Json => registry
            .with(tracing_subscriber::fmt::layer().json())
            .try_init(),
    };
    if let Err(error) = result {
        eprintln!("logging was already initialised: {error}");
    }
}

/// Counts the SQL statements sqlx runs (its `sqlx::query` events) while installed, and
/// keeps a one-line summary of each for messages.
#[derive(Debug, Clone, Default)]
pub struct SqlStatementCounter {
    count: Arc<AtomicUsize>,
    summaries: Arc<std::sync::Mutex<Vec<String>>>,
    statements: Arc<std::sync::Mutex<Vec<String>>>,
    only_thread: Arc<std::sync::Mutex<Option<std::thread::ThreadId>>>,
}

impl SqlStatementCounter {
    /// Statements seen so far.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// A short summary of each statement seen, in order.
    pub fn summaries(&self) -> Vec<String> {
        self.summaries.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The full text of each statement seen, in order.
    pub fn statements(&self) -> Vec<String> {
        self.statements
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Forgets what was counted and from now on counts only the statements issued on this
    /// thread: a test on a current-thread runtime, whose neighbours run their own.
    pub fn reset_on_this_thread(&self) {
        self.reset();
        if let Ok(mut only) = self.only_thread.lock() {
            *only = Some(std::thread::current().id());
        }
    }

    /// Forgets what was counted; counts statements of every thread.
    pub fn reset(&self) {
        if let Ok(mut only) = self.only_thread.lock() {
            *only = None;
        }
        self.count.store(0, Ordering::SeqCst);
        for seen in [&self.summaries, &self.statements] {
            if let Ok(mut seen) = seen.lock() {
                seen.clear();
            }
        }
    }

    /// A subscriber that only counts, to install with `tracing::subscriber::set_default`.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        tracing_subscriber::registry().with(self.clone())
    }
}

/// Picks the `summary` and `db.statement` fields out of a sqlx query event.
#[derive(Default)]
struct StatementVisitor {
    summary: Option<String>,
    statement: Option<String>,
}

impl StatementVisitor {
    fn keep(&mut self, field: &tracing::field::Field, value: String) {
        match field.name() {
            "summary" => self.summary = Some(value),
            "db.statement" => self.statement = Some(value.trim().to_owned()),
            _ => {}
        }
    }
}

impl tracing::field::Visit for StatementVisitor {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.keep(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.keep(field, format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> Layer<S> for SqlStatementCounter {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let elsewhere = self
            .only_thread
            .lock()
            .is_ok_and(|only| only.is_some_and(|id| id != std::thread::current().id()));
        if event.metadata().target() == "sqlx::query" && !elsewhere {
            self.count.fetch_add(1, Ordering::SeqCst);
            let mut visitor = StatementVisitor::default();
            event.record(&mut visitor);
            let summary = visitor.summary.unwrap_or_default();
            // sqlx leaves the text out when the summary is the whole statement.
            let statement = visitor
                .statement
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| summary.clone());
            if let Ok(mut summaries) = self.summaries.lock() {
                summaries.push(summary);
            }
            if let Ok(mut statements) = self.statements.lock() {
                statements.push(statement);
            }
        }
    }
}
