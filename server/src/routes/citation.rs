//! `GET /api/documents/{id}/citation?format=ris|bibtex`: one document as a reference to import into a
//! reference manager (see [`crate::citation`]), as a download.
//!
//! The reference's URL is the web address the document came from, or else its page on this server,
//! built from the request's `Host` (and `X-Forwarded-Proto`, behind a TLS proxy).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::citation::{file_name, Citation, CitationFormat};
use crate::error::ApiError;
use crate::export::web_address;
use crate::render::url_encode;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct CitationParams {
    pub format: Option<String>,
}

pub async fn citation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Result<Query<CitationParams>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let format = CitationFormat::parse(params.format.as_deref())
        .map_err(|message| ApiError::bad_request("bad_format", message))?;
    let record = state.record(id).await?;
    let path = state.web.archive.public_path(&record.path);
    let url = match web_address(&path) {
        Some(address) => Some(address.to_owned()),
        None => page_url(&headers, &record.id),
    };
    let text = format.write(&Citation { record: record.clone(), path, url });
    let mut response = text.into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file_name(&record.id, format)))
    {
        response_headers.insert(CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

/// The document's page on this server, when the request says which host it was sent to.
fn page_url(headers: &HeaderMap, id: &str) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?;
    // A host header is a name or address and a port; anything else is not put into a citation.
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) {
        return None;
    }
    let scheme = match headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    // In a path a space is %20 (`url_encode` writes `+`, and a real `+` as %2B).
    Some(format!("{scheme}://{host}/documents/{}", url_encode(id).replace('+', "%20")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_page_url_from_the_host() {
        let mut headers = HeaderMap::new();
        assert_eq!(page_url(&headers, "a"), None);
        headers.insert(HOST, HeaderValue::from_static("kho.example.gov.vn:8080"));
        assert_eq!(page_url(&headers, "a b+").as_deref(), Some("http://kho.example.gov.vn:8080/documents/a%20b%2B"));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(page_url(&headers, "x").as_deref(), Some("https://kho.example.gov.vn:8080/documents/x"));
        headers.insert(HOST, HeaderValue::from_static("evil\"host"));
        assert_eq!(page_url(&headers, "x"), None);
    }
}
