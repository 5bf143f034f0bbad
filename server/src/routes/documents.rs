//! `GET /api/documents/{id}`: one stored document as JSON.

use axum::extract::{Path, State};
use axum::Json;
use kho_core::search::{DocumentView, Hit};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<DocumentView>, ApiError> {
    state.document(id).await.map(Json)
}

/// How many similar documents `/api/documents/{id}/similar` returns.
pub const SIMILAR_LIMIT: usize = 5;

/// The answer of `/api/documents/{id}/similar`.
#[derive(Debug, Serialize)]
pub struct SimilarResponse {
    pub id: String,
    pub hits: Vec<Hit>,
}

pub async fn similar(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<SimilarResponse>, ApiError> {
    let hits = state.similar(id.clone(), SIMILAR_LIMIT).await?;
    Ok(Json(SimilarResponse { id, hits }))
}
