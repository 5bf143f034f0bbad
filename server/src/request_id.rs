//! A request id on every response (`x-request-id`) and on every log line written while serving it.
//!
//! A caller's own id (a proxy's, say) is kept when it is a short token of letters, digits, `-`, `_` and
//! `.`, so a request can be followed across the proxy's and Kho's logs; otherwise Kho makes one. The
//! request runs inside a tracing span carrying the id, and its end is logged (at debug level: a busy
//! public search box would otherwise log every keystroke's search).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries the id, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest caller id kept.
const MAX_ID_LEN: usize = 64;

/// The middleware.
pub async fn tag(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| is_token(id))
        .map_or_else(new_id, str::to_owned);
    let Ok(value) = HeaderValue::from_str(&id) else { return next.run(request).await };
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::debug!(status = response.status().as_u16(), ms = started.elapsed().as_secs_f64() * 1e3, "served");
    });
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

fn is_token(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A new id: this process's start time and a counter, in hex (unique per server run and ordered).
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start =
        *START.get_or_init(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() & 0xff_ffff_ffff));
    format!("{start:x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_ids_are_kept_only_when_they_are_short_tokens() {
        assert!(is_token("a1b2-c3_d4.e5"));
        assert!(!is_token(""));
        assert!(!is_token("has space"));
        assert!(!is_token("<script>"));
        assert!(!is_token(&"x".repeat(MAX_ID_LEN + 1)));
    }

    #[test]
    fn new_ids_differ() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(is_token(&a) && is_token(&b));
    }
}
