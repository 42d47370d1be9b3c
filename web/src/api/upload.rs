//! File uploads by the GraphQL multipart request spec, sent with XMLHttpRequest so the page
//! can show real progress (fetch cannot report upload progress).

use graphql_client::GraphQLQuery;
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

use super::ApiError;
use crate::session::Session;

/// Runs an operation whose `file` variable is `file`, calling `progress` with the share sent
/// (0 to 1) as the upload goes.
pub async fn upload<Q>(
    session: Session,
    variables: Q::Variables,
    file: web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> Result<Q::ResponseData, ApiError>
where
    Q: GraphQLQuery,
    Q::Variables: Serialize,
    Q::ResponseData: DeserializeOwned,
{
    let operations =
        serde_json::to_string(&Q::build_query(variables)).map_err(ApiError::network)?;
    let form = web_sys::FormData::new().map_err(js_error)?;
    form.append_with_str("operations", &operations)
        .map_err(js_error)?;
    form.append_with_str("map", r#"{"0":["variables.file"]}"#)
        .map_err(js_error)?;
    form.append_with_blob_and_filename("0", &file, &file.name())
        .map_err(js_error)?;

    let xhr = web_sys::XmlHttpRequest::new().map_err(js_error)?;
    xhr.open("POST", "/graphql").map_err(js_error)?;
    if let Some(csrf) = crate::session::csrf_token() {
        xhr.set_request_header("x-csrf-token", &csrf)
            .map_err(js_error)?;
    }
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress(event.loaded() / event.total());
            }
        });
    xhr.upload()
        .map_err(js_error)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    xhr.send_with_opt_form_data(Some(&form)).map_err(js_error)?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(|_| ApiError::network("the upload was interrupted"))?;
    // The handler must live until the upload is over.
    drop(on_progress);

    let text = xhr.response_text().map_err(js_error)?.unwrap_or_default();
    let parsed: graphql_client::Response<Q::ResponseData> =
        serde_json::from_str(&text).map_err(|_| {
            ApiError::network(format!(
                "the server answered HTTP {}",
                xhr.status().unwrap_or(0)
            ))
        })?;
    if let Some(error) = parsed.errors.as_ref().and_then(|e| e.first()) {
        let error = ApiError::from_graphql(error);
        if error.code == "UNAUTHENTICATED" {
            session.expire();
        }
        return Err(error);
    }
    parsed
        .data
        .ok_or_else(|| ApiError::network("empty response"))
}

fn js_error(error: JsValue) -> ApiError {
    ApiError::network(format!("{error:?}"))
}
