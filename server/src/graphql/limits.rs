//! What a request must pass before it is parsed and run: a bounded query text with bounded
//! nesting (so neither the parser nor the complexity analysis ever sees a monster), and no
//! NUL character in any text value, inline or in the variables (PostgreSQL cannot store
//! one; the caller learns which field, instead of an internal error).

use async_graphql::{
    Name, Positioned, Value as ConstValue, Variables,
    parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet},
};

use crate::error::AppError;

/// Deepest nesting of `{`, `(` and `[` a query text may have. The depth limit of the
/// schema (15) plus arguments and input objects fits well inside; the parser recurses once
/// per level, so this also bounds its stack.
pub const MAX_NESTING: usize = 64;

/// Refuses a query text longer than `max_bytes` or nested deeper than [`MAX_NESTING`],
/// reading it once, before any parsing.
pub fn check_text(query: &str, max_bytes: usize) -> Result<(), AppError> {
    if query.len() > max_bytes {
        return Err(AppError::invalid(
            "query",
            format!(
                "is {} bytes long; at most {max_bytes} are accepted (split the query, or \
                 send large values as variables)",
                query.len()
            ),
        ));
    }
    if nesting(query) > MAX_NESTING {
        return Err(AppError::invalid(
            "query",
            format!("nests deeper than {MAX_NESTING} levels"),
        ));
    }
    Ok(())
}

/// The deepest nesting of brackets in a query text, outside strings and comments.
fn nesting(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0_usize, 0_usize, 0_usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Every argument or variable path (`filter.search`, `input.contacts[0].fullName`) whose
/// text holds a NUL character.
pub fn nul_fields(document: &ExecutableDocument, variables: &Variables) -> Vec<String> {
    let mut found = Vec::new();
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(operation) => vec![operation],
        DocumentOperations::Multiple(operations) => operations.values().collect(),
    };
    for operation in operations {
        in_selections(&operation.node.selection_set, &mut found);
    }
    for fragment in document.fragments.values() {
        in_selections(&fragment.node.selection_set, &mut found);
    }
    for (name, value) in variables.iter() {
        in_const(name.as_str(), value, &mut found);
    }
    found.sort();
    found.dedup();
    found
}

fn in_selections(selections: &Positioned<SelectionSet>, found: &mut Vec<String>) {
    for selection in &selections.node.items {
        match &selection.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    // Variables inside the literal are checked with the variables.
                    let Ok(literal) = value
                        .node
                        .clone()
                        .into_const_with(|_| Ok::<_, std::convert::Infallible>(ConstValue::Null));
                    in_const(name.node.as_str(), &literal, found);
                }
                in_selections(&field.node.selection_set, found);
            }
            Selection::InlineFragment(inline) => in_selections(&inline.node.selection_set, found),
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn in_const(path: &str, value: &ConstValue, found: &mut Vec<String>) {
    match value {
        ConstValue::String(text) if text.contains('\0') => found.push(path.to_owned()),
        ConstValue::List(items) => {
            for (i, item) in items.iter().enumerate() {
                in_const(&format!("{path}[{i}]"), item, found);
            }
        }
        ConstValue::Object(fields) => {
            for (name, item) in fields {
                in_const(&child(path, name), item, found);
            }
        }
        _ => {}
    }
}

fn child(path: &str, name: &Name) -> String {
    format!("{path}.{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting("{ a { b(x: [1]) } }"), 4);
        assert_eq!(nesting(r#"{ a(s: "{{{{(((") }"#), 2);
        assert_eq!(nesting("# {{{{{\n{ a }"), 1);
        assert_eq!(nesting(r#"{ a(s: """ {{{ \""" {{ """) }"#), 2);
        assert_eq!(nesting(&"{a".repeat(100)), 100);
    }

    #[test]
    fn long_or_deep_texts_are_refused_before_parsing() {
        assert!(check_text("{ clients { items { id } } }", 100).is_ok());
        assert!(check_text(&"{ a }".repeat(30), 100).is_err());
        let deep = format!(
            "{}{}",
            "{a".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert!(check_text(&deep, 1_000_000).is_err());
    }

    #[test]
    fn nul_characters_are_found_inline_and_in_variables() -> Result<(), Box<dyn std::error::Error>>
    {
        let document = async_graphql::parser::parse_query(
            r#"query($i: CreateClientInput!) { clients(filter: { search: "a\u0000b" }) { items { id } }
               ...F createClient(input: $i) { id } }
               fragment F on Query { client(id: "x\u0000") { id } }"#,
        )?;
        let variables = Variables::from_json(serde_json::json!({
            "i": { "name": "ok", "contacts": [{ "fullName": "bad\u{0}" }] }
        }));
        assert_eq!(
            nul_fields(&document, &variables),
            ["filter.search", "i.contacts[0].fullName", "id"]
        );
        Ok(())
    }
}
