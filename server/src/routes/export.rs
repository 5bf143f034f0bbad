//! `GET /api/search?…&format=csv|jsonl`: every document the search counts, streamed.
//!
//! The documents are found first (their addresses only, off the async runtime), so the response's
//! headers can say how many there are; then a blocking task reads them one at a time and sends the
//! rows through a small channel in chunks of about [`CHUNK_BYTES`], which the body streams out. The
//! whole export is never held in memory, and a client that goes away stops the reading (the channel's
//! other end is dropped).
//!
//! At most [`MAX_EXPORT_ROWS`] documents are exported, in the search's order. The headers say what
//! was cut: `X-Total-Count` (documents matching), `X-Export-Rows` (rows in this file) and
//! `X-Export-Truncated: true` when the first is larger.

use axum::body::{Body, Bytes};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use kho_core::search::{SearchRequest, MAX_EXPORT_ROWS};

use crate::error::ApiError;
use crate::export::{file_name, ExportFormat, ExportRow};
use crate::state::AppState;

/// Rows are sent in chunks of about this many bytes.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks waiting to be sent, at most: the reading waits for a slow client instead of piling up.
const CHUNKS_IN_FLIGHT: usize = 4;

pub const TOTAL_COUNT: HeaderName = HeaderName::from_static("x-total-count");
pub const EXPORT_ROWS: HeaderName = HeaderName::from_static("x-export-rows");
pub const EXPORT_TRUNCATED: HeaderName = HeaderName::from_static("x-export-truncated");

/// The export of `request`'s results in `format`.
pub async fn export(state: &AppState, request: SearchRequest, format: ExportFormat) -> Result<Response, ApiError> {
    let download = file_name(&request.q, format);
    let found = state.export(request, MAX_EXPORT_ROWS).await?;
    let (total, rows, truncated) = (found.total, found.len(), found.is_truncated());
    tracing::info!(total, rows, format = format.extension(), "export");

    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_IN_FLIGHT);
    let web = state.web.clone();
    tokio::task::spawn_blocking(move || {
        let mut chunk = format.preamble();
        for record in found.records() {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    // The headers are sent: the client learns of the failure from a body that breaks off.
                    tracing::error!(error = %error, "export stopped: a document could not be read");
                    let _ = sender.blocking_send(Err(std::io::Error::other("a document could not be read")));
                    return;
                }
            };
            format.write_row(&mut chunk, &ExportRow::new(record, &web.archive));
            if chunk.len() >= CHUNK_BYTES && sender.blocking_send(Ok(Bytes::from(std::mem::take(&mut chunk)))).is_err()
            {
                // The client went away.
                return;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.blocking_send(Ok(Bytes::from(chunk)));
        }
    });
    let chunks = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let body = Body::from_stream(chunks);

    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{download}\"")) {
        headers.insert(CONTENT_DISPOSITION, disposition);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(TOTAL_COUNT, HeaderValue::from(total));
    headers.insert(EXPORT_ROWS, HeaderValue::from(rows));
    headers.insert(EXPORT_TRUNCATED, HeaderValue::from_static(if truncated { "true" } else { "false" }));
    Ok(response)
}
