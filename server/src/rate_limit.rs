//! A per-client rate limit on `/api/` (`--rate-limit N` requests per minute; off by default): a public
//! search box must not let one client take the server's two cores from everyone else.
//!
//! Each client address has a token bucket holding up to N tokens, refilled at N a minute; a request
//! takes one. A request that finds the bucket empty gets 429 `rate_limited` with `Retry-After`: the
//! seconds until a token is back. Pages and assets are not limited: a page's own searches come
//! through `/api/`. Requests without a peer address (in-process tests) pass.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Clients remembered before idle (full) buckets are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// The buckets of every client, shared by the router's clones.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// A limiter of `per_minute` requests per client; `None` for 0 (no limit).
    pub fn new(per_minute: u32) -> Option<Arc<RateLimiter>> {
        (per_minute > 0).then(|| Arc::new(RateLimiter { per_minute, buckets: Mutex::new(HashMap::new()) }))
    }

    /// Takes a token of `client`'s bucket at `now`, or says how long until one is back.
    fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            buckets.retain(|_, b| b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < capacity);
        }
        let bucket = buckets.entry(client).or_insert(Bucket { tokens: capacity, updated: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
    }
}

/// The middleware (installed only when a limit is configured).
pub async fn limit(State(limiter): State<Arc<RateLimiter>>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let (Some(client), true) = (client, request.uri().path().starts_with("/api/")) else {
        return next.run(request).await;
    };
    match limiter.take(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            tracing::debug!(client = %client, "rate limited");
            let error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Quá nhiều yêu cầu, xin thử lại sau ít giây / too many requests, try again in a few seconds",
            );
            let mut response = error.into_response();
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_empty_and_refill_per_client() {
        let limiter = RateLimiter::new(60).unwrap();
        let (a, b): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "127.0.0.2".parse().unwrap());
        let start = Instant::now();
        for _ in 0..60 {
            assert!(limiter.take(a, start).is_ok());
        }
        let wait = limiter.take(a, start).unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.take(b, start).is_ok(), "another client has its own bucket");
        assert!(limiter.take(a, start + Duration::from_secs(1)).is_ok(), "a token a second comes back");
        assert!(limiter.take(a, start + Duration::from_secs(1)).is_err());
        assert!(RateLimiter::new(0).is_none());
    }
}
