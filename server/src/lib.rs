//! kho-server: the search server. [`app`] builds the router over an [`AppState`]; [`prepare_index`]
//! opens the index, building it from the bundled corpus on first start; [`serve`] runs the router
//! until a shutdown signal.
//!
//! The web side: [`render`] writes the HTML pages, [`complete`] keeps the completions for the search
//! box, [`query_filters`] turns facets into query tokens, [`cors`] lets configured sites call the API
//! (the embedded widget), [`archive`] decides which original files may be downloaded, and
//! [`security_headers`] sets the Content-Security-Policy of the pages.

pub mod archive;
pub mod complete;
pub mod config;
pub mod cors;
pub mod error;
pub mod memory;
pub mod query_filters;
pub mod render;
pub mod response_cache;
pub mod routes;
pub mod search_pool;
pub mod security_headers;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use kho_core::index::{index_exists, open_index, KhoIndex};
use kho_core::search::{DocumentView, Hit, KhoSearcher, SearchRequest, SearchResponse};
use kho_core::synonyms::SynonymSource;
use kho_core::IndexError;
use kho_indexer::{index_paths, watch_paths, IndexOptions};
use tokio::net::TcpListener;

use crate::complete::Completions;
use crate::config::WebConfig;
use crate::error::ApiError;
use crate::response_cache::{ResponseCache, DEFAULT_CACHE_ENTRIES};
use crate::search_pool::SearchPool;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub searcher: KhoSearcher,
    /// Completions for the search box, rebuilt when the index changes.
    pub completions: Completions,
    /// Who may call the API from other sites, and where original files may be downloaded from.
    pub web: Arc<WebConfig>,
    /// The threads searches run on, one per core (see [`search_pool`]).
    search_pool: Arc<SearchPool>,
    /// Answers to repeated searches (see [`response_cache`]).
    responses: Arc<ResponseCache>,
}

impl AppState {
    /// State over `index`, with the bundled synonym dictionary.
    pub fn new(index: KhoIndex) -> anyhow::Result<AppState> {
        AppState::with_synonyms(index, Arc::new(SynonymSource::builtin()))
    }

    /// State over `index` with this synonym dictionary.
    pub fn with_synonyms(index: KhoIndex, synonyms: Arc<SynonymSource>) -> anyhow::Result<AppState> {
        // Two arenas: the async workers, the search and completion threads share them instead of holding
        // one each (see `memory`).
        memory::limit_malloc_arenas(2);
        let completions = Completions::start(&index).context("building the search suggestions")?;
        let searcher = KhoSearcher::new(index).context("opening an index reader")?.with_synonyms(synonyms);
        let search_pool = Arc::new(SearchPool::per_core().context("starting the search threads")?);
        let responses = Arc::new(ResponseCache::new(DEFAULT_CACHE_ENTRIES));
        Ok(AppState { searcher, completions, web: Arc::new(WebConfig::default()), search_pool, responses })
    }

    /// The same state with this web configuration (CORS origins, archive roots).
    pub fn with_web_config(mut self, web: WebConfig) -> AppState {
        self.web = Arc::new(web);
        self
    }

    /// The same state keeping at most `entries` answers to repeated searches (0: none).
    pub fn with_cache_entries(mut self, entries: usize) -> AppState {
        self.responses = Arc::new(ResponseCache::new(entries));
        self
    }

    /// Runs a search off the async runtime (tantivy's search is blocking CPU work), or answers it from the
    /// answers kept for the same request and index.
    pub async fn search(&self, request: SearchRequest) -> Result<SearchResponse, ApiError> {
        let started = std::time::Instant::now();
        let version = self.searcher.results_version();
        if let Some(kept) = self.responses.get(version, &request) {
            let mut response = SearchResponse::clone(&kept);
            response.took_ms = started.elapsed().as_secs_f64() * 1e3;
            return Ok(response);
        }
        let searcher = self.searcher.clone();
        let (request, response) = self
            .search_pool
            .run(move || {
                let response = searcher.search(&request);
                (request, response)
            })
            .await
            .map_err(|e| ApiError::internal(&e))?;
        let response = response?;
        if self.responses.keeps_answers() {
            self.responses.put(version, &request, Arc::new(response.clone()));
        }
        Ok(response)
    }

    /// Documents like the one with this id, off the async runtime.
    pub async fn similar(&self, id: String, limit: usize) -> Result<Vec<Hit>, ApiError> {
        let searcher = self.searcher.clone();
        match tokio::task::spawn_blocking(move || searcher.similar(&id, limit)).await? {
            Ok(Some(hits)) => Ok(hits),
            Ok(None) => Err(ApiError::not_found("document_not_found", "Không tìm thấy tài liệu / no such document")),
            Err(e) => Err(ApiError::internal(&e)),
        }
    }

    /// Loads one document off the async runtime.
    pub async fn document(&self, id: String) -> Result<DocumentView, ApiError> {
        let searcher = self.searcher.clone();
        let found = tokio::task::spawn_blocking(move || searcher.document(&id)).await?;
        match found {
            Ok(Some(doc)) => Ok(doc),
            Ok(None) => Err(ApiError::not_found("document_not_found", "Không tìm thấy tài liệu / no such document")),
            Err(e) => Err(ApiError::internal(&e)),
        }
    }
}

/// The router: JSON API, health check, web pages, widget and OpenSearch description.
pub fn app(state: AppState) -> Router {
    let cors = Arc::new(state.web.cors.clone());
    Router::new()
        .route("/", get(routes::page::search_page))
        .route("/documents/{id}", get(routes::page::document_page))
        .route("/documents/{id}/original", get(routes::original::original))
        .route("/assets/{name}", get(routes::assets::asset_file))
        .route("/widget.js", get(routes::assets::widget_script))
        .route("/opensearch.xml", get(routes::opensearch::description))
        .route("/api/search", get(routes::search::search))
        .route("/api/suggest", get(routes::complete::complete))
        .route("/api/documents/{id}", get(routes::documents::document))
        .route("/api/documents/{id}/similar", get(routes::documents::similar))
        .route("/api/openapi.json", get(routes::openapi::openapi))
        .route("/healthz", get(routes::health::healthz))
        .fallback(not_found)
        .layer(middleware::from_fn(security_headers::add))
        .layer(middleware::from_fn_with_state(cors, cors::handle))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "Không có trang này / no such route")
}

/// The bundled sample corpus: `corpus/` under the working directory, else the one beside this crate's
/// sources (when running from a checkout elsewhere).
pub fn default_corpus_dir() -> PathBuf {
    let local = PathBuf::from("corpus");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("corpus")
}

/// The synonym dictionary: `path` if given, else `config/synonyms.txt` under the working directory when it
/// exists (reloaded when edited), else the bundled copy.
pub fn synonym_source(path: Option<&Path>) -> anyhow::Result<SynonymSource> {
    let default = Path::new("config").join("synonyms.txt");
    let chosen = match path {
        Some(path) => path,
        None if default.is_file() => default.as_path(),
        None => return Ok(SynonymSource::builtin()),
    };
    SynonymSource::from_file(chosen).with_context(|| format!("loading synonyms from {}", chosen.display()))
}

/// Opens the index in `index_dir`; when there is none yet, builds it from `corpus_dir` first.
pub fn prepare_index(index_dir: &Path, corpus_dir: &Path) -> anyhow::Result<KhoIndex> {
    prepare_index_with(index_dir, corpus_dir, false)
}

/// [`prepare_index`] for the server's own default index (`data/index`, which only `kho-serve` writes
/// unless told otherwise): rebuilt from the corpus whenever this version of Kho cannot read it, also
/// when an older Kho built it without leaving its mark.
pub fn prepare_default_index(index_dir: &Path, corpus_dir: &Path) -> anyhow::Result<KhoIndex> {
    prepare_index_with(index_dir, corpus_dir, true)
}

fn prepare_index_with(index_dir: &Path, corpus_dir: &Path, owned: bool) -> anyhow::Result<KhoIndex> {
    if !index_exists(index_dir) {
        tracing::info!(index = %index_dir.display(), corpus = %corpus_dir.display(), "no index yet: building it from the corpus");
        build_from_corpus(index_dir, corpus_dir)?;
    }
    match open_index(index_dir) {
        // An index this server built from a folder is rebuilt when a new version of Kho cannot read
        // it; an index someone built by hand is theirs to rebuild, and the error says how.
        Err(error @ (IndexError::SchemaMismatch { .. } | IndexError::StaleAnalysis { .. }))
            if owned || index_dir.join(BUILT_FROM_FILE).is_file() =>
        {
            tracing::warn!(index = %index_dir.display(), reason = %error, "rebuilding the index from the corpus");
            let fresh = index_dir.with_extension("rebuilding");
            let _ = std::fs::remove_dir_all(&fresh);
            build_from_corpus(&fresh, corpus_dir)?;
            let old = index_dir.with_extension("old");
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(index_dir, &old).with_context(|| format!("moving {} aside", index_dir.display()))?;
            std::fs::rename(&fresh, index_dir)
                .with_context(|| format!("moving the rebuilt index to {}", index_dir.display()))?;
            let _ = std::fs::remove_dir_all(&old);
            open_index(index_dir).with_context(|| format!("opening the index at {}", index_dir.display()))
        }
        result => result.with_context(|| format!("opening the index at {}", index_dir.display())),
    }
}

/// The file in an index directory that says the server built it from a corpus folder (and may rebuild it).
const BUILT_FROM_FILE: &str = "kho-built-from-corpus";

fn build_from_corpus(index_dir: &Path, corpus_dir: &Path) -> anyhow::Result<()> {
    let options = IndexOptions::new(index_dir, vec![corpus_dir.to_owned()]);
    let report = index_paths(&options).with_context(|| format!("building the index from {}", corpus_dir.display()))?;
    for failed in &report.failed {
        tracing::warn!(path = %failed.path, reason = %failed.reason, "file not indexed");
    }
    tracing::info!(summary = %report.summary(), "index built");
    std::fs::write(index_dir.join(BUILT_FROM_FILE), corpus_dir.to_string_lossy().as_bytes())
        .with_context(|| format!("writing {}", index_dir.join(BUILT_FROM_FILE).display()))
}

/// Indexes `corpus` into `index` whenever its files change, on a thread of its own (indexing is
/// blocking work and must not hold up the async runtime). The server's reader sees each commit.
pub fn spawn_corpus_watcher(
    index: &Path,
    corpus: &Path,
    interval: std::time::Duration,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<()> {
    let options = IndexOptions::new(index, vec![corpus.to_owned()]);
    tracing::info!(folder = %corpus.display(), interval_secs = interval.as_secs_f64(), "watching for new and changed files");
    std::thread::spawn(move || {
        watch_paths(&options, interval, &stop, |result| match result {
            Ok(report) => {
                for failed in &report.failed {
                    tracing::warn!(path = %failed.path, reason = %failed.reason, "file not indexed");
                }
                if report.indexed + report.removed > 0 {
                    tracing::info!(summary = %report.summary(), "watched folder indexed");
                }
            }
            Err(error) => tracing::error!(error = %error, "watched folder could not be indexed"),
        })
    })
}

/// Serves `router` on `listener` until `shutdown` completes, finishing requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for sigterm");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
