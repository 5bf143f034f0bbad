//! `GET /healthz`: 200 once the index is open (the router only exists then).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "status": "ok", "documents": state.searcher.num_docs() }))
}
