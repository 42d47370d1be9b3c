//! The published contract: which changes to `schema.graphql` would break a client written
//! against the last released schema (`schema.released.graphql`, committed beside it).
//! A change breaks a client when it removes what the client may use (a type, a field, an
//! argument, an input field, an enum value, a union member) or narrows what it may rely on
//! or send: an output that may now be null, or a list that is no longer one; an argument or
//! input field that becomes required, or changes type. Removing something is fine once it
//! was deprecated in the released schema (`@deprecated`), so clients had warning. Anything
//! added, and output made stricter (nullable → non-null), breaks nobody.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, ConstDirective, FieldDefinition, InputValueDefinition, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Positioned, parser::parse_schema};

/// Every change from `released` to `current` that would break a client of `released`,
/// one line each (`Client.name: removed without being deprecated first`).
pub fn breaking_changes(released: &str, current: &str) -> anyhow::Result<Vec<String>> {
    let released = types(released)?;
    let current = types(current)?;
    let mut breaks = Vec::new();
    for (name, old) in &released {
        let Some(new) = current.get(name) else {
            breaks.push(format!("{name}: type removed"));
            continue;
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Scalar, TypeKind::Scalar) => {}
            (TypeKind::Object(a), TypeKind::Object(b)) => {
                compare_fields(name, &a.fields, &b.fields, &mut breaks);
            }
            (TypeKind::Interface(a), TypeKind::Interface(b)) => {
                compare_fields(name, &a.fields, &b.fields, &mut breaks);
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                for member in &a.members {
                    if !b.members.iter().any(|m| m.node == member.node) {
                        breaks.push(format!("{name}: member {} removed", member.node));
                    }
                }
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for value in &a.values {
                    let kept = b
                        .values
                        .iter()
                        .any(|v| v.node.value.node == value.node.value.node);
                    if !kept && !deprecated(&value.node.directives) {
                        breaks.push(format!(
                            "{name}.{}: enum value removed without being deprecated first",
                            value.node.value.node
                        ));
                    }
                }
            }
            (TypeKind::InputObject(a), TypeKind::InputObject(b)) => {
                compare_inputs(name, &a.fields, &b.fields, &mut breaks);
            }
            _ => breaks.push(format!("{name}: changed kind")),
        }
    }
    breaks.sort();
    Ok(breaks)
}

struct Definition {
    kind: TypeKind,
}

fn types(sdl: &str) -> anyhow::Result<HashMap<String, Definition>> {
    let document = parse_schema(sdl)?;
    Ok(document
        .definitions
        .into_iter()
        .filter_map(|definition| match definition {
            TypeSystemDefinition::Type(ty) => Some((
                ty.node.name.node.to_string(),
                Definition { kind: ty.node.kind },
            )),
            _ => None,
        })
        .collect())
}

fn deprecated(directives: &[Positioned<ConstDirective>]) -> bool {
    directives.iter().any(|d| d.node.name.node == "deprecated")
}

fn compare_fields(
    owner: &str,
    old: &[Positioned<FieldDefinition>],
    new: &[Positioned<FieldDefinition>],
    breaks: &mut Vec<String>,
) {
    for field in old {
        let field = &field.node;
        let path = format!("{owner}.{}", field.name.node);
        let Some(next) = new.iter().find(|f| f.node.name.node == field.name.node) else {
            if !deprecated(&field.directives) {
                breaks.push(format!("{path}: removed without being deprecated first"));
            }
            continue;
        };
        let next = &next.node;
        if !output_compatible(&field.ty.node, &next.ty.node) {
            breaks.push(format!(
                "{path}: type {} became {}",
                field.ty.node, next.ty.node
            ));
        }
        compare_arguments(&path, &field.arguments, &next.arguments, breaks);
    }
}

fn compare_arguments(
    path: &str,
    old: &[Positioned<InputValueDefinition>],
    new: &[Positioned<InputValueDefinition>],
    breaks: &mut Vec<String>,
) {
    for argument in old {
        let argument = &argument.node;
        let Some(next) = new.iter().find(|a| a.node.name.node == argument.name.node) else {
            breaks.push(format!("{path}({}): argument removed", argument.name.node));
            continue;
        };
        if !input_compatible(&argument.ty.node, &next.node.ty.node) {
            breaks.push(format!(
                "{path}({}): type {} became {}",
                argument.name.node, argument.ty.node, next.node.ty.node
            ));
        }
    }
    for argument in new {
        let known = old
            .iter()
            .any(|a| a.node.name.node == argument.node.name.node);
        if !known && required(&argument.node) {
            breaks.push(format!(
                "{path}({}): new required argument",
                argument.node.name.node
            ));
        }
    }
}

fn compare_inputs(
    owner: &str,
    old: &[Positioned<InputValueDefinition>],
    new: &[Positioned<InputValueDefinition>],
    breaks: &mut Vec<String>,
) {
    for field in old {
        let field = &field.node;
        let path = format!("{owner}.{}", field.name.node);
        match new.iter().find(|f| f.node.name.node == field.name.node) {
            None if !deprecated(&field.directives) => {
                breaks.push(format!("{path}: removed without being deprecated first"));
            }
            None => {}
            Some(next) if !input_compatible(&field.ty.node, &next.node.ty.node) => {
                breaks.push(format!(
                    "{path}: type {} became {}",
                    field.ty.node, next.node.ty.node
                ));
            }
            Some(_) => {}
        }
    }
    for field in new {
        let known = old.iter().any(|f| f.node.name.node == field.node.name.node);
        if !known && required(&field.node) {
            breaks.push(format!(
                "{owner}.{}: new required input field",
                field.node.name.node
            ));
        }
    }
}

/// Non-null without a default: a client that does not know it cannot send it.
fn required(value: &InputValueDefinition) -> bool {
    !value.ty.node.nullable && value.default_value.is_none()
}

/// What a client reads may become stricter (never null), not looser.
fn output_compatible(old: &Type, new: &Type) -> bool {
    // Never null before, maybe null now.
    if !old.nullable && new.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => output_compatible(a, b),
        _ => false,
    }
}

/// What a client sends may become looser (null allowed), not stricter.
fn input_compatible(old: &Type, new: &Type) -> bool {
    // Null allowed before, required now.
    if old.nullable && !new.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => input_compatible(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
        type Query { client(id: ID!, full: Boolean): Client, clients(limit: Int = 20): [Client!]! }
        type Client { id: ID! name: String! industry: String old: String @deprecated(reason: "x") }
        input Filter { search: String status: Status legacy: String @deprecated }
        enum Status { ACTIVE INACTIVE GONE @deprecated }
        union Thing = Client | Other
        type Other { id: ID! }
    "#;

    fn breaks(current: &str) -> Vec<String> {
        breaking_changes(BASE, current).unwrap_or_else(|e| vec![format!("parse: {e}")])
    }

    fn changed(from: &str, to: &str) -> Vec<String> {
        breaks(&BASE.replace(from, to))
    }

    #[test]
    fn the_schema_breaks_no_client_of_the_released_one() -> anyhow::Result<()> {
        let released = include_str!("../../schema.released.graphql");
        let breaks = breaking_changes(released, &crate::schema::sdl())?;
        assert!(
            breaks.is_empty(),
            "changes that would break clients of schema.released.graphql (deprecate first; \
             remove in a later release):\n{}",
            breaks.join("\n")
        );
        Ok(())
    }

    #[test]
    fn the_same_schema_or_additions_break_nothing() {
        assert!(breaks(BASE).is_empty());
        let added = BASE
            .replace("industry: String", "industry: String website: String")
            .replace(
                "(limit: Int = 20)",
                "(limit: Int = 20, page: Int, sort: String = \"x\")",
            )
            .replace(
                "legacy: String @deprecated",
                "legacy: String @deprecated, city: String",
            )
            .replace("GONE @deprecated", "GONE @deprecated ON_HOLD")
            + "type Extra { id: ID }";
        assert_eq!(breaks(&added), Vec::<String>::new());
    }

    #[test]
    fn removing_what_was_not_deprecated_breaks_and_deprecated_may_go() {
        assert_eq!(
            changed("industry: String ", ""),
            ["Client.industry: removed without being deprecated first"]
        );
        assert!(changed("old: String @deprecated(reason: \"x\")", "").is_empty());
        assert!(changed("legacy: String @deprecated", "").is_empty());
        assert!(changed("GONE @deprecated", "").is_empty());
        assert_eq!(
            changed("ACTIVE INACTIVE", "ACTIVE"),
            ["Status.INACTIVE: enum value removed without being deprecated first"]
        );
        assert_eq!(
            changed(", full: Boolean", ""),
            ["Query.client(full): argument removed"]
        );
        assert_eq!(
            changed("Client | Other", "Client"),
            ["Thing: member Other removed"]
        );
        assert_eq!(
            changed("type Other { id: ID! }", ""),
            ["Other: type removed"]
        );
    }

    #[test]
    fn outputs_may_tighten_and_inputs_may_loosen_but_not_the_other_way() {
        assert!(changed("industry: String", "industry: String!").is_empty());
        assert_eq!(
            changed("name: String!", "name: String"),
            ["Client.name: type String! became String"]
        );
        assert_eq!(
            changed("[Client!]!", "[Client]!"),
            ["Query.clients: type [Client!]! became [Client]!"]
        );
        assert_eq!(
            changed("name: String!", "name: [String!]!"),
            ["Client.name: type String! became [String!]!"]
        );
        assert!(changed("client(id: ID!", "client(id: ID").is_empty());
        assert_eq!(
            changed("full: Boolean", "full: Boolean!"),
            ["Query.client(full): type Boolean became Boolean!"]
        );
        assert_eq!(
            changed("search: String", "search: String!"),
            ["Filter.search: type String became String!"]
        );
        assert_eq!(
            changed("status: Status", "status: String"),
            ["Filter.status: type Status became String"]
        );
        assert_eq!(
            changed("(limit: Int = 20)", "(limit: Int = 20, page: Int!)"),
            ["Query.clients(page): new required argument"]
        );
        assert_eq!(
            changed("search: String", "search: String, tenant: ID!"),
            ["Filter.tenant: new required input field"]
        );
        assert_eq!(
            changed("type Other", "interface Other"),
            ["Other: changed kind"]
        );
    }
}
