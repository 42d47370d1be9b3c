//! Every query and mutation of the schema (taken from the SDL, so a new one cannot skip
//! this), called as an admin with random and boundary values for all of its arguments:
//! the answer is always JSON, never INTERNAL, never a 5xx. The server's own request time
//! limit is set to one second here, so an answer slower than that would be a 503 and fail.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, InputValueDefinition, Type, TypeKind, TypeSystemDefinition,
};
use clientele::auth::Role;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::TestApp;

/// Calls per operation.
const ROUNDS: usize = 25;

/// What the SDL says of each named type.
enum Named {
    Scalar,
    Enum(Vec<String>),
    Input(Vec<InputValueDefinition>),
    /// Objects, interfaces and unions: selected with `__typename`.
    Output,
}

struct Schema {
    types: HashMap<String, Named>,
    /// Ids of things that exist, so some calls get past NOT_FOUND.
    known_ids: Vec<String>,
    /// (query or mutation, field name, its arguments, whether it returns an object).
    roots: Vec<(&'static str, String, Vec<InputValueDefinition>, bool)>,
}

fn schema() -> Schema {
    let document =
        async_graphql::parser::parse_schema(clientele::schema::sdl()).expect("the SDL parses");
    let mut types = HashMap::new();
    let mut objects = Vec::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        let named = match &ty.node.kind {
            TypeKind::Scalar => Named::Scalar,
            TypeKind::Enum(e) => Named::Enum(
                e.values
                    .iter()
                    .map(|v| v.node.value.node.to_string())
                    .collect(),
            ),
            TypeKind::InputObject(input) => {
                Named::Input(input.fields.iter().map(|f| f.node.clone()).collect())
            }
            TypeKind::Object(object) => {
                objects.push((name.clone(), object.fields.clone()));
                Named::Output
            }
            _ => Named::Output,
        };
        types.insert(name, named);
    }
    for builtin in ["String", "Int", "Float", "Boolean", "ID"] {
        types.insert(builtin.to_owned(), Named::Scalar);
    }
    let mut roots = Vec::new();
    for (name, fields) in objects {
        let kind = match name.as_str() {
            "Query" => "query",
            "Mutation" => "mutation",
            _ => continue,
        };
        for field in fields {
            let returns = innermost(&field.node.ty.node);
            let object = matches!(types.get(returns), Some(Named::Output));
            roots.push((
                kind,
                field.node.name.node.to_string(),
                field
                    .node
                    .arguments
                    .iter()
                    .map(|a| a.node.clone())
                    .collect(),
                object,
            ));
        }
    }
    Schema {
        types,
        known_ids: Vec::new(),
        roots,
    }
}

fn innermost(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => innermost(inner),
    }
}

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

/// A random or boundary value of a scalar.
fn scalar(name: &str, known_ids: &[String], rng: &mut StdRng) -> Value {
    let text = || {
        vec![
            "",
            " ",
            "a",
            "Acme",
            "ü Ω 😀",
            "'; drop table clients; --",
            "<script>x</script>",
            "%_\\",
            "a\u{0}b",
            "2026-Q1",
            "2026-13",
            "https://acme.example",
            "ann@acme.example",
            "+1 555 010 9999",
        ]
    };
    match name {
        "Int" => json!(
            pick(
                rng,
                &[
                    "0",
                    "-1",
                    "1",
                    "20",
                    "100",
                    "101",
                    "2147483647",
                    "-2147483648"
                ]
            )
            .parse::<i64>()
            .unwrap_or(0)
        ),
        "Float" => json!(
            pick(rng, &["0", "-1.5", "1e300", "3.25"])
                .parse::<f64>()
                .unwrap_or(0.0)
        ),
        "Boolean" => json!(rng.random_bool(0.5)),
        "ID" if !known_ids.is_empty() && rng.random_bool(0.5) => {
            json!(known_ids[rng.random_range(0..known_ids.len())])
        }
        "ID" => json!(pick(
            rng,
            &[
                "",
                "not-an-id",
                "00000000-0000-0000-0000-000000000000",
                "f47ac10b-58cc-4372-a567-0e02b2c3d479",
                "' or 1=1 --"
            ]
        )),
        "Date" => json!(pick(
            rng,
            &[
                "2026-01-31",
                "2026-02-30",
                "0001-01-01",
                "9999-12-31",
                "yesterday",
                ""
            ]
        )),
        "DateTime" => json!(pick(
            rng,
            &[
                "2026-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "soon"
            ]
        )),
        "Upload" => Value::Null,
        _ => {
            if rng.random_bool(0.1) {
                json!("x".repeat(rng.random_range(250..5_000)))
            } else {
                json!(pick(rng, &text()))
            }
        }
    }
}

/// A value of `ty`: sometimes null where allowed, lists of 0–3 items, every field of an input.
fn value(schema: &Schema, ty: &Type, rng: &mut StdRng, depth: usize) -> Value {
    if ty.nullable && rng.random_bool(0.2) {
        return Value::Null;
    }
    match &ty.base {
        BaseType::List(inner) => {
            let n = rng.random_range(0..=3);
            Value::Array(
                (0..n)
                    .map(|_| value(schema, inner, rng, depth + 1))
                    .collect(),
            )
        }
        BaseType::Named(name) => match schema.types.get(name.as_str()) {
            Some(Named::Enum(values)) => {
                json!(values[rng.random_range(0..values.len())])
            }
            Some(Named::Input(fields)) if depth < 4 => Value::Object(
                fields
                    .iter()
                    .map(|f| {
                        (
                            f.name.node.to_string(),
                            value(schema, &f.ty.node, rng, depth + 1),
                        )
                    })
                    .collect(),
            ),
            Some(Named::Input(_)) => Value::Null,
            _ => scalar(name.as_str(), &schema.known_ids, rng),
        },
    }
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn every_operation_survives_random_and_boundary_arguments(pool: PgPool) {
    let app = TestApp::configured(pool, |config| {
        config.request_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    // Something to find: ids that exist.
    let client = app.create_named_client("Fuzz Target Ltd", vec![]).await;
    let job = app
        .new_job("Fuzz role", crate::helpers::JobStatus::Open, Some(&client))
        .await;
    let mut schema = schema();
    schema.known_ids = vec![client, job, app.users[&Role::Manager].to_string()];
    let mut rng = StdRng::seed_from_u64(7);
    let (mut calls, mut answered) = (0, 0);
    for (kind, field, arguments, object) in &schema.roots {
        for _ in 0..ROUNDS {
            let declared: Vec<String> = arguments
                .iter()
                .map(|a| format!("${}: {}", a.name.node, a.ty.node))
                .collect();
            let passed: Vec<String> = arguments
                .iter()
                .map(|a| format!("{0}: ${0}", a.name.node))
                .collect();
            let variables: serde_json::Map<String, Value> = arguments
                .iter()
                .map(|a| {
                    (
                        a.name.node.to_string(),
                        value(&schema, &a.ty.node, &mut rng, 0),
                    )
                })
                .collect();
            let query = format!(
                "{kind}{} {{ {field}{} {} }}",
                if declared.is_empty() {
                    String::new()
                } else {
                    format!("({})", declared.join(", "))
                },
                if passed.is_empty() {
                    String::new()
                } else {
                    format!("({})", passed.join(", "))
                },
                if *object { "{ __typename }" } else { "" },
            );
            let body = json!({ "query": query, "variables": variables });
            let (status, answer) = app
                .send(
                    Role::Admin,
                    "application/json",
                    body.to_string().into_bytes(),
                )
                .await;
            calls += 1;
            assert!(
                answer.get("raw").is_none(),
                "{field}: not JSON: {answer}\n{body}"
            );
            assert!(status.as_u16() < 500, "{field}: {status} {answer}\n{body}");
            let internal = answer["errors"]
                .as_array()
                .is_some_and(|errors| errors.iter().any(|e| e["extensions"]["code"] == "INTERNAL"));
            assert!(!internal, "{field}: INTERNAL for\n{body}\n{answer}");
            if answer.get("errors").is_none() {
                answered += 1;
            }
        }
    }
    assert!(
        schema.roots.len() >= 40,
        "{} operations",
        schema.roots.len()
    );
    assert_eq!(calls, schema.roots.len() * ROUNDS);
    // Not all refused at the door: a share gets through to do its work.
    assert!(
        answered * 10 >= calls,
        "only {answered} of {calls} calls succeeded"
    );
}
