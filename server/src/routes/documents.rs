//! `GET /api/documents/{id}`: one stored document as JSON.

use axum::extract::{Path, State};
use axum::Json;
use kho_core::search::DocumentView;

use crate::error::ApiError;
use crate::AppState;

pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<DocumentView>, ApiError> {
    state.document(id).await.map(Json)
}
