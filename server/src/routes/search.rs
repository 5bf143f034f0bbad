//! `GET /api/search?q=…&page=…&size=…`: one page of results as JSON; with `&format=csv` or
//! `&format=jsonl`, every result as a file (see [`super::export`]).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kho_core::search::{SearchRequest, SearchResponse, Sort, DEFAULT_PAGE_SIZE};
use serde::Deserialize;

use crate::error::ApiError;
use crate::export::ExportFormat;
use crate::state::AppState;

/// The query string, taken as text so that every malformed value gets our own 400 message.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub page: Option<String>,
    pub size: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
    /// `json` (default), or `csv` / `jsonl` for every result as a file.
    pub format: Option<String>,
}

impl SearchParams {
    /// The search request these parameters ask for, or the reason they are wrong.
    pub fn to_request(&self) -> Result<SearchRequest, ApiError> {
        let q = self.q.clone().unwrap_or_default();
        let page = parse_number(self.page.as_deref(), 1, "bad_page", "page")?;
        let size = parse_number(self.size.as_deref(), DEFAULT_PAGE_SIZE, "bad_page_size", "size")?;
        let sort = Sort::parse(self.sort.as_deref().unwrap_or("").trim()).ok_or_else(|| {
            ApiError::bad_request(
                "bad_sort",
                "Tham số sort phải là relevance hoặc date / sort must be relevance or date",
            )
        })?;
        Ok(SearchRequest { q, page, size, sort, facets: true })
    }
}

fn parse_number(value: Option<&str>, default: usize, code: &'static str, name: &str) -> Result<usize, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(default) };
    text.parse::<usize>().map_err(|_| {
        ApiError::bad_request(
            code,
            format!("Tham số {name} phải là số nguyên dương / {name} must be a positive integer"),
        )
    })
}

pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let format = ExportFormat::parse(params.format.as_deref())
        .map_err(|message| ApiError::bad_request("bad_format", message))?;
    let request = params.to_request()?;
    match format {
        None => Ok(Json::<SearchResponse>(state.search(request).await?).into_response()),
        Some(format) => super::export::export(&state, request, format).await,
    }
}
