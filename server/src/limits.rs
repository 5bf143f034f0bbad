//! Limits on what one request may cost: its body's size and its time.
//!
//! Kho's API reads no request body today (every route is a GET), so any body over [`MAX_BODY_BYTES`] is
//! refused with 413 before it is read. A request that takes longer than the configured time
//! (`--request-timeout`, 30 s by default) is answered with 503 `timeout` and its work dropped, so a
//! pathological query cannot hold a connection for ever.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// Longest a request may take, unless configured otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The middleware.
pub async fn enforce(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    let declared = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|bytes| bytes > MAX_BODY_BYTES) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("Yêu cầu quá lớn (tối đa {MAX_BODY_BYTES} byte) / the request body is larger than {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    }
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
            .layer(axum::middleware::from_fn_with_state(timeout, enforce))
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
