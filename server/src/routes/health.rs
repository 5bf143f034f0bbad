//! `GET /healthz`: alive, 200 once the index is open (the router only exists then).
//! `GET /readyz`: ready to serve users, 200 once the search box's completions are built too (they are
//! built in the background at start: a load balancer should send traffic only then); 503 before.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "status": "ok", "documents": state.num_docs() }))
}

pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    if !state.completions.is_built() {
        return Err(ApiError::unavailable(
            "not_ready",
            "Máy chủ đang khởi động, chưa sẵn sàng / the server is starting and not ready yet",
        ));
    }
    Ok(Json(json!({ "status": "ready", "documents": state.num_docs() })))
}
