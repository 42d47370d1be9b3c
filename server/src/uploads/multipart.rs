//! GraphQL multipart requests (the "GraphQL multipart request" spec: `operations`, `map`,
//! then the files), read with the file limit of the operation enforced while the body
//! streams in: a 50 MB logo is refused after 2 MB have arrived, not after 50.

use async_graphql::UploadValue;
use bytes::{Bytes, BytesMut};

use crate::error::AppError;

/// The most bytes a file may have, by what it is for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A communication's attachment.
    pub attachment: u64,
    /// A client's logo.
    pub logo: u64,
}

/// The largest `operations` part accepted.
const MAX_OPERATIONS_BYTES: u64 = 1024 * 1024;
/// The largest `map` part accepted.
const MAX_MAP_BYTES: u64 = 16 * 1024;
/// Files per request: every upload operation takes one.
const MAX_FILES: usize = 1;

/// Reads a multipart body into a GraphQL request with its file set on its variable.
pub async fn read(
    content_type: &str,
    body: axum::body::Body,
    limits: Limits,
) -> Result<async_graphql::Request, AppError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| AppError::invalid("body", "a multipart body needs a boundary"))?;
    // multer reads ahead greedily; its limits bound what it buffers however fast the body
    // comes. The logo limit, smaller, is checked chunk by chunk below.
    let largest = limits.attachment.max(limits.logo);
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(largest + MAX_OPERATIONS_BYTES + MAX_MAP_BYTES + 64 * 1024)
            .per_field(largest)
            .for_field("operations", MAX_OPERATIONS_BYTES)
            .for_field("map", MAX_MAP_BYTES),
    );
    let mut parts =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);

    let operations = next_part(&mut parts, "operations").await?;
    let operations = read_all(operations, MAX_OPERATIONS_BYTES).await?;
    let mut request: async_graphql::Request = serde_json::from_slice(&operations)
        .map_err(|e| AppError::invalid("operations", format!("is not one GraphQL request: {e}")))?;

    let map = next_part(&mut parts, "map").await?;
    let map: std::collections::HashMap<String, Vec<String>> =
        serde_json::from_slice(&read_all(map, MAX_MAP_BYTES).await?)
            .map_err(|e| AppError::invalid("map", format!("is not a map of files: {e}")))?;
    if map.len() > MAX_FILES {
        return Err(AppError::invalid(
            "map",
            format!("at most {MAX_FILES} file per request"),
        ));
    }
    let limit = if runs_field(&request, "uploadClientLogo") {
        limits.logo
    } else {
        limits.attachment
    };

    while let Some(part) = parts.next_field().await.map_err(malformed)? {
        let Some(paths) = part.name().and_then(|name| map.get(name)).cloned() else {
            return Err(AppError::invalid(
                "body",
                "a file part that the map does not name",
            ));
        };
        let filename = part.file_name().unwrap_or_default().to_owned();
        let content_type = part.content_type().map(ToString::to_string);
        let content = read_file(part, limit).await?;
        for path in &paths {
            request.set_upload(
                path,
                UploadValue {
                    filename: filename.clone(),
                    content_type: content_type.clone(),
                    content: content.clone(),
                },
            );
        }
    }
    Ok(request)
}

fn malformed(error: multer::Error) -> AppError {
    match error {
        multer::Error::StreamSizeExceeded { limit }
        | multer::Error::FieldSizeExceeded { limit, .. } => {
            AppError::PayloadTooLarge(super::too_large(limit))
        }
        other => AppError::invalid("body", format!("is not a valid multipart body: {other}")),
    }
}

async fn next_part<'a>(
    parts: &mut multer::Multipart<'a>,
    name: &str,
) -> Result<multer::Field<'a>, AppError> {
    match parts.next_field().await.map_err(malformed)? {
        Some(part) if part.name() == Some(name) => Ok(part),
        _ => Err(AppError::invalid(
            "body",
            format!("the multipart body must continue with its `{name}` part"),
        )),
    }
}

async fn read_all(mut part: multer::Field<'_>, max: u64) -> Result<Bytes, AppError> {
    let mut buffer = BytesMut::new();
    while let Some(chunk) = part.chunk().await.map_err(malformed)? {
        if (buffer.len() + chunk.len()) as u64 > max {
            return Err(AppError::PayloadTooLarge(format!(
                "the `{}` part is larger than {max} bytes",
                part.name().unwrap_or("?")
            )));
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(buffer.freeze())
}

/// A file's bytes, refused as soon as they pass `limit`.
async fn read_file(part: multer::Field<'_>, limit: u64) -> Result<Bytes, AppError> {
    read_all(part, limit).await.map_err(|error| match error {
        AppError::PayloadTooLarge(_) => AppError::PayloadTooLarge(super::too_large(limit)),
        other => other,
    })
}

/// Whether the operation the request runs has `field` among its root fields.
fn runs_field(request: &async_graphql::Request, field: &str) -> bool {
    use async_graphql::parser::types::{DocumentOperations, Selection};
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let operation = match (&document.operations, &request.operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name.as_str()),
        (DocumentOperations::Multiple(operations), None) => operations.values().next(),
    };
    operation.is_some_and(|operation| {
        operation.node.selection_set.node.items.iter().any(
            |selection| matches!(&selection.node, Selection::Field(f) if f.node.name.node == field),
        )
    })
}
