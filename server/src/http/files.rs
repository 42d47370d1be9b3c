//! `/files/<token>`: downloads from the local file store through links the server signed
//! (see `storage::LinkKeys`). A wrong, altered or expired token is refused.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::AppState;

/// Serves the file a valid token names, as an attachment with its own name and type.
pub async fn download(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(store) = &state.local_files else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(file) = store.verify_link(&token) else {
        return (StatusCode::FORBIDDEN, "this link is invalid or has expired").into_response();
    };
    match store.read(&file.key).await {
        Ok(Some(bytes)) => {
            let disposition = crate::storage::content_disposition(&file.name);
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&file.content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, key = %file.key, "reading a stored file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
