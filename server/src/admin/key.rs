//! The admin key and the check of a request's `Authorization: Bearer KEY` header.
//!
//! The comparison must not tell an attacker, by its time, how many leading bytes of a guess were right.
//! Both sides are hashed (SHA-256) and the digests compared with every byte visited whatever the
//! differences, so the time depends neither on where the first difference is nor on the key's length.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Shortest key accepted: a short key could be guessed over the network.
pub const MIN_KEY_CHARS: usize = 16;

/// The admin key. Its `Debug` shows nothing of it, so it cannot leak into a log line.
#[derive(Clone)]
pub struct AdminKey {
    digest: [u8; 32],
}

/// A key that is too short to configure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the admin key must be at least {MIN_KEY_CHARS} characters (it has {0})")]
pub struct WeakKey(pub usize);

impl AdminKey {
    /// The key, if it is long enough.
    pub fn new(key: &str) -> Result<AdminKey, WeakKey> {
        let chars = key.trim().chars().count();
        if chars < MIN_KEY_CHARS {
            return Err(WeakKey(chars));
        }
        Ok(AdminKey { digest: Sha256::digest(key.trim().as_bytes()).into() })
    }

    /// Whether `given` is the key, in time independent of how much of it is right.
    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        constant_time_eq(&self.digest, &given)
    }
}

impl std::fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminKey(…)")
    }
}

/// Byte-wise equality of two digests that visits every byte: the differences are OR-ed together and
/// looked at once, at the end.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut difference = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        difference |= x ^ y;
    }
    // Keeps the compiler from turning the loop into an early-exit comparison.
    std::hint::black_box(difference) == 0
}

/// The bearer token of an `Authorization` header value, if it is one.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|token| !token.is_empty())
}

/// Proof that the request carries the admin key; a handler that takes it runs only for the admin.
/// Without a configured key the admin routes are not in the router at all (404), so this rejects with
/// 404 too if ever reached.
pub struct AdminAccess;

impl FromRequestParts<AppState> for AdminAccess {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<AdminAccess, Response> {
        let Some(admin) = state.admin.as_ref() else {
            return Err(ApiError::not_found("not_found", "Không có trang này / no such route").into_response());
        };
        let token = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer);
        if token.is_some_and(|token| admin.config.key.matches(token)) {
            return Ok(AdminAccess);
        }
        tracing::warn!(path = %parts.uri.path(), given = token.is_some(), "admin request without the right key");
        let mut response = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Cần khoá quản trị (Authorization: Bearer …) / the admin key is missing or wrong",
        )
        .into_response();
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"kho-admin\""));
        Err(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_exactly() {
        let key = AdminKey::new("correct horse battery staple").unwrap();
        let cases = [
            ("correct horse battery staple", true),
            ("correct horse battery stapl", false),
            ("correct horse battery staple ", false),
            ("Correct horse battery staple", false),
            ("", false),
            ("correct horse battery staple and more", false),
        ];
        for (given, want) in cases {
            assert_eq!(key.matches(given), want, "{given:?}");
        }
        assert_eq!(format!("{key:?}"), "AdminKey(…)");
    }

    #[test]
    fn short_keys_are_refused() {
        assert_eq!(AdminKey::new("short").unwrap_err(), WeakKey(5));
        assert_eq!(AdminKey::new("   fifteen chars   ").unwrap_err(), WeakKey(13));
        assert!(AdminKey::new("sixteen chars!!!").is_ok());
    }

    #[test]
    fn digests_compare_on_every_byte() {
        let a = [7u8; 32];
        for position in [0, 15, 31] {
            let mut b = a;
            b[position] ^= 1;
            assert!(!constant_time_eq(&a, &b), "difference at {position}");
        }
        assert!(constant_time_eq(&a, &a));
    }

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        let cases = [
            ("Bearer abc", Some("abc")),
            ("bearer   abc ", Some("abc")),
            ("Basic abc", None),
            ("Bearer", None),
            ("Bearer ", None),
            ("abc", None),
        ];
        for (header, want) in cases {
            assert_eq!(bearer(header), want, "{header:?}");
        }
    }
}
