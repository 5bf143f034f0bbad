//! `GET /documents/{id}/original`: the document's original file, as a download.
//!
//! The file is the one at the document's stored path, and only if that path stays inside the configured
//! archive roots (see [`crate::archive`]); the id itself is only ever looked up in the index, never
//! used as a path. The file is sent as an attachment with a sandboxing policy, so an original HTML page
//! can never run as part of this site.

use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;

use crate::archive::OriginalError;
use crate::error::ApiError;
use crate::render::file_name;
use crate::state::AppState;

/// Bytes read from the file per chunk of the response.
const CHUNK_BYTES: usize = 64 * 1024;

/// The file to serve for a document stored at `stored_path`, checked off the async runtime.
pub async fn locate_original(state: &AppState, stored_path: &str) -> Result<PathBuf, OriginalError> {
    let web = state.web.clone();
    let stored = stored_path.to_owned();
    tokio::task::spawn_blocking(move || web.archive.resolve(&stored)).await.unwrap_or(Err(OriginalError::Missing))
}

pub async fn original(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let doc = state.stored_document(id).await?;
    let path = locate_original(&state, &doc.path).await.map_err(|error| match error {
        OriginalError::OutsideArchive => {
            tracing::warn!(id = %doc.id, path = %doc.path, "refused an original outside the archive roots");
            ApiError {
                status: StatusCode::FORBIDDEN,
                code: "original_outside_archive",
                message: "Tệp gốc nằm ngoài kho lưu trữ / the original file is outside the archive".to_owned(),
            }
        }
        OriginalError::Missing | OriginalError::NotLocal => {
            ApiError::not_found("original_not_found", "Không có tệp gốc của tài liệu này / no original file")
        }
    })?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|_| ApiError::not_found("original_not_found", "Không mở được tệp gốc / cannot open the original"))?;
    let length = file.metadata().await.ok().map(|m| m.len());
    let chunks = futures_util::stream::unfold(file, |mut file| async move {
        let mut buffer = vec![0; CHUNK_BYTES];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buffer)), file))
            }
            Err(error) => Some((Err(error), file)),
        }
    });
    let mut response = (StatusCode::OK, Body::from_stream(chunks)).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&doc.format)));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    if let Ok(disposition) = HeaderValue::from_str(&attachment(file_name(&doc.path))) {
        headers.insert(CONTENT_DISPOSITION, disposition);
    }
    if let Some(length) = length {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}

fn content_type(format: &str) -> &'static str {
    match format {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "html" => "text/html",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// `Content-Disposition` for a download named `name`: an ASCII fallback and the UTF-8 name (RFC 6266).
fn attachment(name: &str) -> String {
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => encoded.push(byte as char),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_downloads_in_ascii_and_utf8() {
        assert_eq!(
            attachment("báo cáo \"1\".pdf"),
            "attachment; filename=\"b_o_c_o__1_.pdf\"; filename*=UTF-8''b%C3%A1o%20c%C3%A1o%20%221%22.pdf"
        );
    }
}
