//! The admin API: adding a document by upload, deleting one, reindexing the archive — off unless a key
//! is configured (`--admin-key` / `KHO_ADMIN_KEY`).
//!
//! Without a key its routes are not in the router: they answer 404 like any unknown route, so a public
//! server does not even reveal that it has them. With a key, every admin request must carry it as
//! `Authorization: Bearer KEY` (`key`: compared in constant time), else 401 `unauthorized`.
//!
//! - `POST /api/documents` (`upload`): a multipart upload stored under `<corpus>/uploads/`, indexed by
//!   the indexer's own pipeline for one file, committed, and answered 201 with its id.
//! - `DELETE /api/documents/{id}` (`delete`): the document out of the index, and its stored upload off the
//!   disk if it was one.
//! - `POST /api/reindex`, `GET /api/reindex` (`reindex`): indexing the corpus and archive roots again in
//!   the background (202), and its status to poll.
//! - `GET /admin` (`page`): a page with the upload form, for a browser with the key.
//!
//! Every write goes through [`Admin::write`]: one at a time within the server, and retried while another
//! writer (the corpus watcher, a `kho-index` in a shell) holds the index; the searcher sees the commit at
//! once afterwards.

mod delete;
mod key;
mod page;
mod reindex;
mod upload;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete as delete_route, get, post};
use axum::Router;
use kho_indexer::IndexerError;

pub use key::{AdminKey, WeakKey, MIN_KEY_CHARS};
pub use upload::{
    sanitize_file_name, too_large as upload_too_large, FORM_OVERHEAD_BYTES as UPLOAD_FORM_OVERHEAD, UPLOAD_FOLDER,
};

use crate::config::AdminConfig;
use crate::error::ApiError;
use crate::state::AppState;

/// Default largest upload (`--max-upload-mb`), in MiB.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 50;

/// How long a write waits for another writer to let go of the index before it gives up (503).
const LOCK_PATIENCE: Duration = Duration::from_secs(60);

/// The admin API's shared state: its configuration, the server's one writer at a time, and the
/// background reindexing's status.
pub struct Admin {
    pub config: AdminConfig,
    writes: Mutex<()>,
    reindex: Arc<Mutex<reindex::Status>>,
}

impl Admin {
    pub fn new(config: AdminConfig) -> Admin {
        Admin { config, writes: Mutex::new(()), reindex: Arc::new(Mutex::new(reindex::Status::default())) }
    }

    /// Runs `work` (blocking: call it off the async runtime) as the server's only writer, again while the
    /// index is locked by a writer outside the server, for up to [`LOCK_PATIENCE`].
    fn write<T, E>(
        &self,
        mut work: impl FnMut() -> Result<T, E>,
        locked: impl Fn(&E) -> bool,
    ) -> Result<T, WriteError<E>> {
        let _only_writer = self.writes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let started = Instant::now();
        loop {
            match work() {
                Err(error) if locked(&error) => {
                    if started.elapsed() > LOCK_PATIENCE {
                        return Err(WriteError::Busy);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(error) => return Err(WriteError::Failed(error)),
                Ok(done) => return Ok(done),
            }
        }
    }
}

/// Why a write did not happen.
enum WriteError<E> {
    /// Another writer held the index for longer than [`LOCK_PATIENCE`].
    Busy,
    Failed(E),
}

impl WriteError<IndexerError> {
    fn into_api_error(self) -> ApiError {
        match self {
            WriteError::Busy => index_busy(),
            WriteError::Failed(error) => ApiError::internal(&error),
        }
    }
}

/// 503: another writer holds the index.
fn index_busy() -> ApiError {
    ApiError::unavailable(
        "index_busy",
        "Chỉ mục đang được ghi bởi tiến trình khác, xin thử lại / another writer holds the index, try again",
    )
}

/// The admin routes added to `router`, when `state` has a key configured; `router` as it is otherwise.
pub fn add_routes(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    let Some(admin) = state.admin.as_ref() else {
        // The path has a GET route: without this a DELETE would be 405, telling that something is there.
        return router.route("/api/documents/{id}", delete_route(absent));
    };
    // The multipart extractor's own limit sits above the upload limit (the form's other fields and its
    // boundaries); the file itself is measured against the limit as it streams in.
    let body_limit = usize::try_from(admin.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(upload::FORM_OVERHEAD_BYTES as usize);
    router
        .route("/api/documents", post(upload::upload).layer(DefaultBodyLimit::max(body_limit)))
        .route("/api/documents/{id}", delete_route(delete::delete))
        .route("/api/reindex", post(reindex::start).get(reindex::status))
        .route("/admin", get(page::admin_page))
}

/// What the admin routes answer when no key is configured: what any unknown route answers.
async fn absent() -> ApiError {
    ApiError::not_found("not_found", "Không có trang này / no such route")
}

/// Whether a request is an upload, whose body may be larger than the public API's limit.
pub fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && path == "/api/documents"
}
