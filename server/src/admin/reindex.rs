//! `POST /api/reindex`: the corpus and archive roots indexed again, in the background; `GET /api/reindex`:
//! how that is going.
//!
//! Reindexing an archive can take minutes, longer than a request may (`--request-timeout`), so `POST`
//! starts an ordinary indexing run (the one `kho-index` does: unchanged files skipped by their hash,
//! changed ones replaced, deleted ones removed, one commit at the end) on a thread of its own and answers
//! 202 at once with the status, which `GET` answers again until `state` is `done` or `failed`. A `POST`
//! while a run is going answers 409 `reindex_running` with its status. The run writes as the server's only
//! writer (see [`super::Admin::write`]).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kho_indexer::{index_paths, IndexOptions, IndexReport};
use serde::Serialize;

use super::key::AdminAccess;
use super::WriteError;
use crate::error::ApiError;
use crate::state::AppState;

/// Where a reindexing run is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// None has run since the server started.
    #[default]
    Idle,
    Running,
    Done,
    Failed,
}

/// What `GET /api/reindex` answers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    pub state: RunState,
    /// Runs started since the server started.
    pub runs: u64,
    /// When the last run started and finished, in seconds since 1970.
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
    /// The folders indexed, relative to their archive roots.
    pub paths: Vec<String>,
    /// The last finished run's figures (failed files with their paths relative to their roots).
    pub report: Option<IndexReport>,
    /// Why the last run failed as a whole.
    pub error: Option<String>,
}

/// `GET /api/reindex`.
pub async fn status(_: AdminAccess, State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    let admin = state.admin.as_ref().ok_or_else(|| ApiError::not_found("not_found", "no such route"))?;
    Ok(Json(admin.reindex.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()))
}

/// `POST /api/reindex`.
pub async fn start(_: AdminAccess, State(state): State<AppState>) -> Result<Response, ApiError> {
    let admin = state.admin.clone().ok_or_else(|| ApiError::not_found("not_found", "no such route"))?;
    let paths: Vec<String> =
        admin.config.reindex_paths.iter().map(|p| state.web.archive.public_path(&p.to_string_lossy())).collect();
    let started = {
        let mut status = admin.reindex.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if status.state == RunState::Running {
            let body = serde_json::json!({
                "code": "reindex_running",
                "message": "Đang lập chỉ mục lại / a reindexing run is going on",
                "status": *status,
            });
            return Ok((StatusCode::CONFLICT, Json(body)).into_response());
        }
        *status = Status {
            state: RunState::Running,
            runs: status.runs + 1,
            started_at: Some(now()),
            finished_at: None,
            paths,
            report: None,
            error: None,
        };
        status.clone()
    };
    let reindex = Arc::clone(&admin.reindex);
    let searcher = state.searcher.clone();
    let archive = state.web.clone();
    let worker = Arc::clone(&admin);
    let spawned = std::thread::Builder::new().name("kho-reindex".to_owned()).spawn(move || {
        tracing::info!(paths = ?worker.config.reindex_paths, "reindexing");
        let options = IndexOptions::new(&worker.config.index_dir, worker.config.reindex_paths.clone());
        let result = worker.write(|| index_paths(&options), |e| e.is_index_locked());
        let _ = searcher.reload();
        let mut status = reindex.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        status.finished_at = Some(now());
        match result {
            Ok(mut report) => {
                crate::telemetry::indexed_files(report.indexed, report.unchanged, report.removed, report.failed.len());
                tracing::info!(summary = %report.summary(), "reindexed");
                for failed in &mut report.failed {
                    failed.path = archive.archive.public_path(&failed.path);
                }
                status.state = RunState::Done;
                status.report = Some(report);
            }
            Err(error) => {
                let reason = match error {
                    WriteError::Busy => "another writer held the index".to_owned(),
                    WriteError::Failed(error) => error.to_string(),
                };
                tracing::error!(error = %reason, "reindexing failed");
                status.state = RunState::Failed;
                status.error = Some(reason);
            }
        }
    });
    if let Err(error) = spawned {
        let mut status = admin.reindex.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        status.state = RunState::Failed;
        status.error = Some(error.to_string());
        return Err(ApiError::internal(&error));
    }
    let mut response = (StatusCode::ACCEPTED, Json(started)).into_response();
    response.headers_mut().insert(LOCATION, HeaderValue::from_static("/api/reindex"));
    Ok(response)
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
