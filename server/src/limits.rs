//! Limits on what one request may cost: its body's size and its time.
//!
//! The public API reads no request body (every route is a GET), so any body over [`MAX_BODY_BYTES`] is
//! refused with 413 before it is read. The one exception is the admin API's upload (`POST
//! /api/documents`, only routed when an admin key is configured), whose body may reach the upload limit
//! (`--max-upload-mb`, 413 `upload_too_large` past it) and whose time limit is longer by the indexer's
//! per-file extraction limit, since it reads the file before answering. A request that takes longer than the configured time
//! (`--request-timeout`, 30 s by default) is answered with 503 `timeout` and its work dropped, so a
//! pathological query cannot hold a connection for ever.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::admin::{is_upload, UPLOAD_FORM_OVERHEAD};
use crate::error::ApiError;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// Longest a request may take, unless configured otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the middleware enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest a request may take.
    pub timeout: Duration,
    /// Largest upload, when the admin API is on.
    pub max_upload_bytes: Option<u64>,
}

/// The middleware.
pub async fn enforce(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let declared = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let mut timeout = limits.timeout;
    if let Some(max_upload) = limits.max_upload_bytes.filter(|_| is_upload(request.method(), request.uri().path())) {
        // The file plus the form around it; the file alone is measured as it streams in.
        if declared.is_some_and(|bytes| bytes > max_upload + UPLOAD_FORM_OVERHEAD) {
            return crate::admin::upload_too_large(max_upload).into_response();
        }
        timeout += kho_indexer::DEFAULT_FILE_TIMEOUT;
        return run_within(timeout, request, next).await;
    }
    if declared.is_some_and(|bytes| bytes > MAX_BODY_BYTES) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("Yêu cầu quá lớn (tối đa {MAX_BODY_BYTES} byte) / the request body is larger than {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    }
    run_within(timeout, request, next).await
}

/// The rest of the request, answered 503 `timeout` when it takes longer than `timeout`.
async fn run_within(timeout: Duration, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(path = %path, timeout_secs = timeout.as_secs_f64(), "request timed out");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Yêu cầu mất quá nhiều thời gian, xin thử lại / the request took too long, try again",
            )
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    fn router(timeout: Duration) -> Router {
        Router::new()
            .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
            .route("/fast", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(Limits { timeout, max_upload_bytes: None }, enforce))
    }

    async fn status(router: Router, request: Request) -> (StatusCode, String) {
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn slow_requests_time_out_and_large_bodies_are_refused() {
        let get = |path: &str| Request::builder().uri(path).body(Body::empty()).unwrap();
        let (code, body) = status(router(Duration::from_millis(50)), get("/slow")).await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains(r#""code":"timeout""#), "{body}");
        assert_eq!(status(router(Duration::from_millis(50)), get("/fast")).await.0, StatusCode::OK);
        let large = Request::builder()
            .uri("/fast")
            .header(CONTENT_LENGTH, MAX_BODY_BYTES + 1)
            .body(Body::from(vec![b'x'; MAX_BODY_BYTES as usize + 1]))
            .unwrap();
        let (code, body) = status(router(Duration::from_secs(1)), large).await;
        assert_eq!(code, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(body.contains("body_too_large"), "{body}");
    }
}
