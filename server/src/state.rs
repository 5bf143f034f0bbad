//! What every handler shares: the searcher, the completions for the search box, the web configuration,
//! the search threads and the answers kept for repeated searches.

use std::sync::Arc;

use anyhow::Context;
use kho_cluster::{ClusterError, ClusterSearcher, ClusterSpec};
use kho_core::index::KhoIndex;
use kho_core::search::{DocumentRecord, DocumentView, Export, Hit, KhoSearcher, SearchRequest, SearchResponse};
use kho_core::synonyms::SynonymSource;

use crate::admin::Admin;
use crate::complete::Completions;
use crate::config::WebConfig;
use crate::error::ApiError;
use crate::memory;
use crate::response_cache::{ResponseCache, DEFAULT_CACHE_ENTRIES};
use crate::search_pool::SearchPool;
use crate::telemetry;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub searcher: KhoSearcher,
    /// Completions for the search box, rebuilt when the index changes.
    pub completions: Completions,
    /// Who may call the API from other sites, and where original files may be downloaded from.
    pub web: Arc<WebConfig>,
    /// The threads searches run on, one per core (see [`crate::search_pool`]).
    search_pool: Arc<SearchPool>,
    /// Answers to repeated searches (see [`crate::response_cache`]).
    responses: Arc<ResponseCache>,
    /// The admin API, when a key is configured (see [`crate::admin`]).
    pub(crate) admin: Option<Arc<Admin>>,
    /// The search backend when it is a cluster (`--cluster`, docs/scale-out.md): searches and documents
    /// come from it, and `searcher` is an empty index in memory. `None`: the local index (the default).
    cluster: Option<ClusterSearcher>,
}

impl AppState {
    /// State over `index`, with the bundled synonym dictionary.
    pub fn new(index: KhoIndex) -> anyhow::Result<AppState> {
        AppState::with_synonyms(index, Arc::new(SynonymSource::builtin()))
    }

    /// State over `index` with this synonym dictionary.
    pub fn with_synonyms(index: KhoIndex, synonyms: Arc<SynonymSource>) -> anyhow::Result<AppState> {
        // mimalloc gives freed memory back at once; glibc's malloc (C libraries only) keeps two arenas
        // (see `memory`).
        memory::configure_allocators(2);
        let completions = Completions::start(&index).context("building the search suggestions")?;
        let searcher = KhoSearcher::new(index).context("opening an index reader")?.with_synonyms(synonyms);
        let search_pool = Arc::new(SearchPool::per_core().context("starting the search threads")?);
        let responses = Arc::new(ResponseCache::new(DEFAULT_CACHE_ENTRIES));
        Ok(AppState {
            searcher,
            completions,
            web: Arc::new(WebConfig::default()),
            search_pool,
            responses,
            admin: None,
            cluster: None,
        })
    }

    /// State over the cluster `spec` describes instead of a local index: the same API and pages, answered
    /// from the cluster (see `kho_cluster::search`), exports, citations, similar documents and the search
    /// box's suggestions (built from the cluster's documents) included. The admin API needs a local index
    /// and is not offered.
    pub fn on_cluster(spec: &ClusterSpec, synonyms: Arc<SynonymSource>) -> anyhow::Result<AppState> {
        let cluster =
            ClusterSearcher::new(spec).context("the cluster description")?.with_synonyms(Arc::clone(&synonyms));
        let empty = kho_core::index::create_in_ram().context("an empty index in memory")?;
        let mut state = AppState::with_synonyms(empty, synonyms)?;
        state.completions = Completions::start_on_cluster(cluster.clone());
        state.cluster = Some(cluster);
        Ok(state)
    }

    /// The number of documents searched (the cluster's, or the local index's).
    pub fn num_docs(&self) -> u64 {
        match &self.cluster {
            Some(cluster) => cluster.num_docs().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot count the cluster's documents");
                0
            }),
            None => self.searcher.num_docs(),
        }
    }

    /// The same state with this web configuration (CORS origins, archive roots, the admin API).
    pub fn with_web_config(mut self, web: WebConfig) -> AppState {
        self.admin = web.admin.clone().map(|config| Arc::new(Admin::new(config)));
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
    pub(crate) async fn search(&self, request: SearchRequest) -> Result<SearchResponse, ApiError> {
        if let Some(cluster) = &self.cluster {
            // No answers are kept: the cluster changes without this server seeing a commit.
            let mut response = self.run_on_cluster(cluster, move |cluster| cluster.search(&request)).await?;
            self.publish_paths(&mut response.hits);
            return Ok(response);
        }
        let started = std::time::Instant::now();
        let version = self.searcher.results_version();
        let kept = self.responses.get(version, &request);
        telemetry::search_cache(kept.is_some());
        if let Some(kept) = kept {
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
        let mut response = response?;
        self.publish_paths(&mut response.hits);
        if self.responses.keeps_answers() {
            self.responses.put(version, &request, Arc::new(response.clone()));
        }
        Ok(response)
    }

    /// Documents like the one with this id, off the async runtime.
    pub(crate) async fn similar(&self, id: String, limit: usize) -> Result<Vec<Hit>, ApiError> {
        let mut hits = match &self.cluster {
            Some(cluster) => {
                self.run_on_cluster(cluster, move |cluster| cluster.similar(&id, limit)).await?.ok_or_else(not_found)?
            }
            None => found(self.off_runtime(move |searcher| searcher.similar(&id, limit)).await?)?,
        };
        self.publish_paths(&mut hits);
        Ok(hits)
    }

    /// Finds every document `request` matches (its page size decides, as for the search, whether
    /// documents with only some of the words count), at most `limit`, off the async runtime. The
    /// documents are read later, one at a time (see [`Export::records`]).
    pub(crate) async fn export(&self, request: SearchRequest, limit: usize) -> Result<Export, ApiError> {
        if let Some(cluster) = &self.cluster {
            return self.run_on_cluster(cluster, move |cluster| cluster.export(&request, limit)).await;
        }
        Ok(self.off_runtime(move |searcher| searcher.export(&request, limit)).await??)
    }

    /// The record of one document (for citing it), with its stored path.
    pub(crate) async fn record(&self, id: String) -> Result<DocumentRecord, ApiError> {
        if let Some(cluster) = &self.cluster {
            return self.run_on_cluster(cluster, move |cluster| cluster.record(&id)).await?.ok_or_else(not_found);
        }
        found(self.off_runtime(move |searcher| searcher.record(&id)).await?)
    }

    /// Loads one document off the async runtime, as public responses show it (paths relative to their
    /// archive root).
    pub(crate) async fn document(&self, id: String) -> Result<DocumentView, ApiError> {
        Ok(self.publish_document(self.stored_document(id).await?))
    }

    /// A stored document with its paths as public responses show them.
    pub(crate) fn publish_document(&self, mut doc: DocumentView) -> DocumentView {
        doc.path = self.web.archive.public_path(&doc.path);
        for source in &mut doc.sources {
            *source = self.web.archive.public_path(source);
        }
        doc
    }

    /// Loads one document as stored, with the server's own paths (for serving its original file only).
    pub(crate) async fn stored_document(&self, id: String) -> Result<DocumentView, ApiError> {
        if let Some(cluster) = &self.cluster {
            return self.run_on_cluster(cluster, move |cluster| cluster.document(&id)).await?.ok_or_else(not_found);
        }
        found(self.off_runtime(move |searcher| searcher.document(&id)).await?)
    }

    /// Public responses never carry the server's absolute paths (see `ArchiveRoots::public_path`).
    fn publish_paths(&self, hits: &mut [Hit]) {
        for hit in hits {
            hit.path = self.web.archive.public_path(&hit.path);
        }
    }

    /// Runs `work` on the cluster from a search thread (the cluster's client blocks on its sockets).
    async fn run_on_cluster<T: Send + 'static>(
        &self,
        cluster: &ClusterSearcher,
        work: impl FnOnce(&ClusterSearcher) -> Result<T, ClusterError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let cluster = cluster.clone();
        Ok(self.search_pool.run(move || work(&cluster)).await.map_err(|e| ApiError::internal(&e))??)
    }

    /// Runs `lookup` on the searcher on tokio's blocking pool (reading the index is blocking work).
    async fn off_runtime<T: Send + 'static>(
        &self,
        lookup: impl FnOnce(&KhoSearcher) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let searcher = self.searcher.clone();
        Ok(tokio::task::spawn_blocking(move || lookup(&searcher)).await?)
    }
}

/// 404 `document_not_found`.
fn not_found() -> ApiError {
    ApiError::not_found("document_not_found", "Không tìm thấy tài liệu / no such document")
}

/// The answer of a lookup by document id: 404 `document_not_found` when there is no such document.
fn found<T, E: std::error::Error + 'static>(lookup: Result<Option<T>, E>) -> Result<T, ApiError> {
    match lookup {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found()),
        Err(e) => Err(ApiError::internal(&e)),
    }
}
