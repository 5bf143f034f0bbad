//! Cross-origin access to the JSON API, for the search widget embedded on other sites.
//!
//! Only `/api/` answers other origins, and only the configured ones (none by default; `*` allows
//! any). A request from an allowed origin gets `Access-Control-Allow-Origin`; a preflight
//! (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is answered here with 204,
//! from any other origin with 403 and the usual `{code, message}` body. Requests without `Origin`
//! (same-origin pages, curl) are untouched.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Methods the API answers.
const ALLOWED_METHODS: &str = "GET, HEAD, OPTIONS";
/// Request headers a cross-origin caller may send.
const ALLOWED_HEADERS: &str = "accept, accept-language, content-language, content-type";
/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "600";

/// A configured origin that is not `scheme://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an origin: {0:?} (expected scheme://host[:port], e.g. https://sotnmt.example.gov.vn, or *)")]
pub struct InvalidOrigin(pub String);

/// The origins allowed to call the API from a browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedOrigins {
    any: bool,
    origins: Vec<String>,
}

impl AllowedOrigins {
    /// No other origin may call the API.
    pub fn none() -> AllowedOrigins {
        AllowedOrigins::default()
    }

    /// These origins (`scheme://host[:port]`, compared case-insensitively; a trailing `/` is ignored),
    /// or every origin if one of them is `*`. Empty entries are skipped.
    pub fn parse<S: AsRef<str>>(origins: &[S]) -> Result<AllowedOrigins, InvalidOrigin> {
        let mut allowed = AllowedOrigins::none();
        for origin in origins.iter().map(|o| o.as_ref().trim()).filter(|o| !o.is_empty()) {
            if origin == "*" {
                allowed.any = true;
                continue;
            }
            let normalized = normalize_origin(origin).ok_or_else(|| InvalidOrigin(origin.to_owned()))?;
            if !allowed.origins.contains(&normalized) {
                allowed.origins.push(normalized);
            }
        }
        Ok(allowed)
    }

    /// True when no other origin may call the API.
    pub fn is_empty(&self) -> bool {
        !self.any && self.origins.is_empty()
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, if it is allowed.
    fn allow(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        if self.any {
            return Some(HeaderValue::from_static("*"));
        }
        let text = origin.to_str().ok()?;
        let normalized = normalize_origin(text)?;
        self.origins.contains(&normalized).then(|| origin.clone())
    }
}

/// `scheme://host[:port]` in lowercase, or `None` when `text` is not an origin.
fn normalize_origin(text: &str) -> Option<String> {
    let lower = text.trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return None;
    }
    let (host_ok, port) = match rest.strip_prefix('[') {
        Some(bracketed) => {
            let (inner, tail) = bracketed.split_once(']')?;
            let port = if tail.is_empty() { None } else { Some(tail.strip_prefix(':')?) };
            (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.'), port)
        }
        None => {
            let (host, port) = match rest.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            };
            (!host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'), port)
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    (host_ok && port_ok).then_some(lower)
}

/// The middleware: answers preflights and adds the CORS headers to `/api/` responses.
pub async fn handle(State(allowed): State<Arc<AllowedOrigins>>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(origin) = request.headers().get(ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let allow = allowed.allow(&origin);
    if is_preflight(request.method(), request.headers()) {
        return preflight(allow);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.append(VARY, HeaderValue::from_static("origin"));
    if let Some(value) = allow {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    response
}

fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

fn preflight(allow: Option<HeaderValue>) -> Response {
    let Some(value) = allow else {
        let mut response = ApiError {
            status: StatusCode::FORBIDDEN,
            code: "origin_not_allowed",
            message: "Trang này không được phép gọi Kho / this origin may not call the API".to_owned(),
        }
        .into_response();
        response.headers_mut().append(VARY, HeaderValue::from_static("origin"));
        return response;
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOWED_METHODS));
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOWED_HEADERS));
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(PREFLIGHT_MAX_AGE));
    headers.append(
        VARY,
        HeaderValue::from_static("origin, access-control-request-method, access-control-request-headers"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        let allowed = AllowedOrigins::parse(&["https://Sotnmt.Example.gov.vn/", "http://127.0.0.1:8081", ""]).unwrap();
        let allows = |o: &str| allowed.allow(&HeaderValue::from_str(o).unwrap()).is_some();
        assert!(allows("https://sotnmt.example.gov.vn"));
        assert!(allows("http://127.0.0.1:8081"));
        assert!(!allows("http://127.0.0.1:8082"));
        assert!(!allows("https://evil.example"));
        assert!(!allows("null"));
        assert!(AllowedOrigins::none().is_empty());
        assert!(AllowedOrigins::parse(&["*"]).unwrap().allow(&HeaderValue::from_static("https://x.y")).is_some());
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        for bad in
            ["example.org", "ftp://example.org", "https://example.org/path", "https://", "https://a b", "http://h:port"]
        {
            assert!(AllowedOrigins::parse(&[bad]).is_err(), "{bad}");
        }
        assert!(AllowedOrigins::parse(&["http://[::1]:8080"]).is_ok());
    }
}
