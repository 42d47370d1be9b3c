//! Logging: every line of a request carries its request id. Traces over OTLP when
//! `CLIENTELE_OTLP_ENDPOINT` is set: a span per request, per resolver of an object field and
//! per SQL statement. Also the SQL statement counter that tests and benchmarks use to prove
//! a request's statement count.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use opentelemetry::{
    KeyValue,
    trace::{Span as _, SpanKind, Tracer as _, TracerProvider as _},
};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig as _};
use opentelemetry_sdk::{
    Resource,
    trace::{SdkTracerProvider, Tracer},
};
use tracing_subscriber::{
    EnvFilter, Layer, filter::Targets, layer::SubscriberExt, registry::LookupSpan,
    util::SubscriberInitExt,
};

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

/// Installs the global subscriber: log lines filtered by `RUST_LOG` (default `info`), text
/// or JSON; and, with an OTLP endpoint, the trace exporter. Keep what it returns until the
/// server stops, then [`Traces::shutdown`] it so the last spans go out.
pub fn init(config: &Config) -> Option<Traces> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx::query=warn,sqlx::postgres::notice=warn"));
    let logs = match config.log_format {
        // Colour only on a terminal: a log file or pipe gets plain text.
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .with_filter(filter)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_filter(filter)
            .boxed(),
    };
    let traces =
        config
            .otlp_endpoint
            .as_deref()
            .and_then(|endpoint| match Traces::start(endpoint) {
                Ok(traces) => Some(traces),
                Err(error) => {
                    eprintln!("traces are off: {error:#}");
                    None
                }
            });
    let result = tracing_subscriber::registry()
        .with(logs)
        .with(traces.as_ref().map(Traces::layer))
        .try_init();
    if let Err(error) = result {
        eprintln!("logging was already initialised: {error}");
    }
    if let Some(endpoint) = &config.otlp_endpoint {
        tracing::info!(%endpoint, "sending traces over OTLP");
    }
    traces
}

/// The OTLP trace pipeline: spans batched on a thread of their own and posted as protobuf
/// to `<endpoint>/v1/traces`.
pub struct Traces {
    provider: SdkTracerProvider,
}

impl Traces {
    /// Starts the exporter for a collector's base URL (`http://127.0.0.1:4318`).
    pub fn start(endpoint: &str) -> anyhow::Result<Self> {
        let url = format!("{}/v1/traces", endpoint.trim_end_matches('/'));
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(url)
            .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
            .with_timeout(Duration::from_secs(10))
            .with_headers(Default::default())
            .build()
            .context("building the OTLP exporter")?;
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(Resource::builder().with_service_name("clientele").build())
            .build();
        Ok(Self { provider })
    }

    /// The layers that turn spans into OpenTelemetry spans: requests (`tower_http` and ours),
    /// async-graphql's request and resolver spans, and, as spans of their own, sqlx's
    /// statement events, whatever `RUST_LOG` says about log lines.
    pub fn layer<S>(&self) -> impl Layer<S> + Send + Sync + use<S>
    where
        S: tracing::Subscriber + for<'span> LookupSpan<'span> + Send + Sync,
    {
        let tracer = self.provider.tracer("clientele");
        let spans = Targets::new()
            .with_target("clientele", tracing::Level::INFO)
            .with_target("async_graphql", tracing::Level::INFO)
            .with_target("tower_http", tracing::Level::INFO);
        let statements = Targets::new().with_target("sqlx::query", tracing::Level::DEBUG);
        tracing_opentelemetry::layer()
            .with_tracer(tracer.clone())
            .with_location(false)
            .with_threads(false)
            .with_filter(spans)
            .and_then(SqlSpans { tracer }.with_filter(statements))
    }

    /// Sends what is batched now (tests; shutdown does it too).
    pub fn flush(&self) -> anyhow::Result<()> {
        self.provider.force_flush().context("flushing traces")
    }

    /// Sends the last spans and stops the exporter.
    pub fn shutdown(self) {
        if let Err(error) = self.provider.shutdown() {
            eprintln!("traces: {error}");
        }
    }
}

/// Makes each SQL statement sqlx reports (its `sqlx::query` event, written when the
/// statement finished, with its duration) a client span under the span that ran it.
struct SqlSpans {
    tracer: Tracer,
}

impl<S: tracing::Subscriber> Layer<S> for SqlSpans {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut visitor = StatementVisitor::default();
        event.record(&mut visitor);
        let end = SystemTime::now();
        let took = Duration::try_from_secs_f64(visitor.elapsed_secs.unwrap_or_default())
            .unwrap_or_default();
        let summary = visitor.summary.unwrap_or_default();
        let text = visitor
            .statement
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| summary.clone());
        let mut attributes = vec![
            KeyValue::new("db.system.name", "postgresql"),
            KeyValue::new("db.query.text", text),
        ];
        if let Some(rows) = visitor.rows_returned {
            attributes.push(KeyValue::new(
                "db.response.returned_rows",
                i64::try_from(rows).unwrap_or(i64::MAX),
            ));
        }
        // tracing-opentelemetry makes the entered span's context the current one.
        let parent = opentelemetry::Context::current();
        let mut span = self
            .tracer
            .span_builder(summary.trim_end_matches(" …").to_owned())
            .with_kind(SpanKind::Client)
            .with_start_time(end.checked_sub(took).unwrap_or(end))
            .with_attributes(attributes)
            .start_with_context(&self.tracer, &parent);
        span.end_with_timestamp(end);
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

/// Picks the `summary`, `db.statement`, `elapsed_secs` and `rows_returned` fields out of
/// a sqlx query event.
#[derive(Default)]
struct StatementVisitor {
    summary: Option<String>,
    statement: Option<String>,
    elapsed_secs: Option<f64>,
    rows_returned: Option<u64>,
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

    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.elapsed_secs = Some(value);
        }
    }

    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "rows_returned" {
            self.rows_returned = Some(value);
        }
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
