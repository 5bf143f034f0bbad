//! `GET /api/suggest?q=…[&limit=…][&format=opensearch]`: completions for what the user is typing.
//!
//! The answer comes from the in-memory completion index (see [`crate::complete`]), without touching
//! the search index, so it takes microseconds. `format=opensearch` answers in the OpenSearch
//! suggestions format browsers use for their address bar: `["q", ["s1", "s2", …]]`.

use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kho_core::query::MAX_QUERY_CHARS;
use serde::{Deserialize, Serialize};

use crate::complete::Completion;
use crate::error::ApiError;
use crate::state::AppState;

/// Completions when the request does not say.
pub const DEFAULT_COMPLETIONS: usize = 8;
/// Most completions per request.
pub const MAX_COMPLETIONS: usize = 20;

/// The query string, taken as text so that malformed values get our own 400 message.
#[derive(Debug, Default, Deserialize)]
pub struct CompleteParams {
    pub q: Option<String>,
    pub limit: Option<String>,
    pub format: Option<String>,
}

/// The JSON answer.
#[derive(Debug, Serialize)]
pub struct CompleteResponse {
    pub query: String,
    pub took_ms: f64,
    #[serde(rename = "suggestions")]
    pub completions: Vec<Completion>,
}

pub async fn complete(
    State(state): State<AppState>,
    params: Result<Query<CompleteParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let q = params.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(
            "query_too_long",
            format!(
                "Câu tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự / the query is longer than {MAX_QUERY_CHARS} characters"
            ),
        ));
    }
    let limit = parse_limit(params.limit.as_deref())?;
    let opensearch = match params.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("opensearch") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "bad_format",
                "Tham số format phải là json hoặc opensearch / format must be json or opensearch",
            ))
        }
    };
    let started = Instant::now();
    let completions = state.completions.current().complete(&q, limit);
    let took_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    if opensearch {
        let texts: Vec<&str> = completions.iter().map(|s| s.text.as_str()).collect();
        let mut response = Json((q.as_str(), texts)).into_response();
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/x-suggestions+json"));
        return Ok(response);
    }
    Ok(Json(CompleteResponse { query: q, took_ms, completions }).into_response())
}

fn parse_limit(value: Option<&str>) -> Result<usize, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(DEFAULT_COMPLETIONS) };
    text.parse::<usize>().ok().filter(|n| (1..=MAX_COMPLETIONS).contains(n)).ok_or_else(|| {
        ApiError::bad_request(
            "bad_limit",
            format!("Tham số limit phải từ 1 đến {MAX_COMPLETIONS} / limit must be between 1 and {MAX_COMPLETIONS}"),
        )
    })
}
