//! Traces over OTLP (`CLIENTELE_OTLP_ENDPOINT`): a collector of our own, on its own thread,
//! receives the protobuf export and the test reads the spans the way a tracing backend
//! would: the request, the resolvers of object fields and each SQL statement, in one trace.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{Router, body::Bytes, routing::post};
use clientele::{auth::Role, telemetry::Traces};
use opentelemetry_proto::tonic::{
    collector::trace::v1::ExportTraceServiceRequest,
    common::v1::any_value::Value as AnyValue,
    trace::v1::{Span, span::SpanKind},
};
use prost::Message;
use serde_json::json;
use sqlx::PgPool;
use tracing_subscriber::layer::SubscriberExt;

use crate::helpers::{TestApp, contact};

/// An OTLP/HTTP collector on 127.0.0.1: its base URL and what it received.
fn collector() -> (String, Arc<Mutex<Vec<Span>>>) {
    let spans = Arc::new(Mutex::new(Vec::new()));
    let kept = spans.clone();
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("collector runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("collector port");
            address_tx
                .send(listener.local_addr().expect("address"))
                .expect("address sent");
            let receive = move |body: Bytes| {
                let kept = kept.clone();
                async move {
                    let export = ExportTraceServiceRequest::decode(body).expect("OTLP protobuf");
                    let mut kept = kept.lock().expect("spans");
                    for resource in export.resource_spans {
                        for scope in resource.scope_spans {
                            kept.extend(scope.spans);
                        }
                    }
                    ([("content-type", "application/x-protobuf")], Vec::new())
                }
            };
            let app = Router::new().route("/v1/traces", post(receive));
            axum::serve(listener, app).await.expect("collector");
        });
    });
    let address = address_rx.recv().expect("collector address");
    (format!("http://{address}"), spans)
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|a| a.key == key)
        .and_then(|a| a.value.as_ref()?.value.as_ref())
        .map(|value| match value {
            AnyValue::StringValue(s) => s.clone(),
            AnyValue::IntValue(i) => i.to_string(),
            other => format!("{other:?}"),
        })
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn requests_resolvers_and_statements_go_out_as_one_trace(pool: PgPool) {
    let (endpoint, received) = collector();
    let app =
        TestApp::configured(pool, |config| config.otlp_endpoint = Some(endpoint.clone())).await;
    app.create_named_client(
        "Traced Logistics",
        vec![contact("Ada Tracer", "ada@traced.test", true)],
    )
    .await;

    let traces = Traces::start(&endpoint).expect("exporter");
    let subscriber = tracing_subscriber::registry().with(traces.layer());
    // With a single registered dispatcher, tracing computes the interest of a callsite
    // first hit on another thread (another test's, with no subscriber) from that thread's
    // default alone, and caches "never" for everyone. A second registered dispatcher makes
    // it ask every one of them. (A server has one global subscriber: no such problem.)
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let guard = tracing::subscriber::set_default(subscriber);
    let answer = app
        .post(
            Role::Analyst,
            &json!({ "query": "query Traced { clients(limit: 5) { items { name contacts { fullName } } } }" }),
        )
        .await;
    drop(guard);
    assert_eq!(
        answer["data"]["clients"]["items"][0]["contacts"][0]["fullName"], "Ada Tracer",
        "{answer}"
    );
    traces.flush().expect("flushed");

    let spans = received.lock().expect("spans").clone();
    let by_id: HashMap<Vec<u8>, &Span> = spans.iter().map(|s| (s.span_id.clone(), s)).collect();
    let ancestors = |span: &Span| {
        let mut names = Vec::new();
        let mut parent = span.parent_span_id.clone();
        while let Some(up) = by_id.get(&parent) {
            names.push(up.name.clone());
            parent = up.parent_span_id.clone();
        }
        names
    };
    let http = spans
        .iter()
        .find(|s| s.name == "request" && attribute(s, "path").as_deref() == Some("/graphql"))
        .unwrap_or_else(|| panic!("no HTTP request span in {:?}", names(&spans)));
    let field = |path: &str| {
        spans
            .iter()
            .find(|s| s.name == "field" && attribute(s, "path").as_deref() == Some(path))
            .unwrap_or_else(|| panic!("no resolver span for {path} in {:?}", names(&spans)))
    };
    let clients = field("clients");
    let contacts = field("clients.items.0.contacts");
    let scalar = spans.iter().any(|s| {
        s.name == "field" && attribute(s, "path").as_deref() == Some("clients.items.0.name")
    });
    assert!(!scalar, "scalar fields get no span");
    let statements: Vec<&Span> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Client as i32)
        .collect();
    assert!(
        !statements.is_empty(),
        "no SQL spans in {:?}",
        names(&spans)
    );
    for statement in &statements {
        assert_eq!(
            attribute(statement, "db.system.name").as_deref(),
            Some("postgresql")
        );
        assert!(statement.end_time_unix_nano >= statement.start_time_unix_nano);
        assert!(attribute(statement, "db.query.text").is_some_and(|t| !t.is_empty()));
    }
    // The page of clients is read under the `clients` resolver, the contacts under theirs
    // (the DataLoader's batch), all in the HTTP request's trace.
    let under = |resolver: &Span, table: &str| {
        statements.iter().any(|s| {
            s.trace_id == resolver.trace_id
                && attribute(s, "db.query.text").is_some_and(|t| t.contains(table))
                && ancestors(s).contains(&"field".to_owned())
        })
    };
    assert!(under(clients, "clients"), "{:?}", names(&spans));
    assert!(under(contacts, "client_contacts"), "{:?}", names(&spans));
    for span in [clients, contacts] {
        assert_eq!(span.trace_id, http.trace_id);
        assert!(ancestors(span).contains(&"request".to_owned()));
    }
    traces.shutdown();
}

fn names(spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .map(|s| format!("{}:{}", s.name, attribute(s, "path").unwrap_or_default()))
        .collect()
}

#[test]
fn no_endpoint_means_no_traces() {
    let lookup = |value: &'static str| {
        move |name: &str| (name == "CLIENTELE_OTLP_ENDPOINT").then(|| value.to_owned())
    };
    let config = clientele::config::Config::from_lookup(|_| None).expect("config");
    assert_eq!(config.otlp_endpoint, None);
    let empty = clientele::config::Config::from_lookup(lookup("")).expect("config");
    assert_eq!(empty.otlp_endpoint, None);
    let set =
        clientele::config::Config::from_lookup(lookup("http://127.0.0.1:4318")).expect("config");
    assert_eq!(set.otlp_endpoint.as_deref(), Some("http://127.0.0.1:4318"));
    // Without one the schema has no tracing extension: a resolver opens no span.
    assert!(!clientele::schema::traces_resolvers(&config));
    assert!(clientele::schema::traces_resolvers(&set));
}
