//! Completions as you type (what `/api/suggest` answers): an in-memory index of titles and frequent
//! phrases ([`index`]), built from the stored documents ([`build`]) at startup and rebuilt when they
//! change: the local index's, or, on a server searching a cluster, the cluster's.
//!
//! Building reads every stored document (about a second per 10,000 news articles, four minutes for a
//! million synthetic ones), so it runs on a background thread: the server answers searches at once, and
//! completions are empty until the first build is done ([`Completions::wait_until_built`] waits for it).
//! The same thread then looks once a second whether the documents changed and rebuilds the completions
//! when they have. On a local index that is a new commit the index reader has loaded (the reader follows
//! commits by itself, shortly after they happen; once a minute it is also asked to reload, in case a
//! commit was missed: file-change notifications are not delivered on every file system). On a cluster it
//! is the cluster's document count or summed field lengths ([`ClusterSearcher::fingerprint`], asked of a
//! node at most every 10 s). Lookups never wait for a rebuild: they read the last complete index. The
//! thread ends by itself once the server's state is dropped.

mod build;
mod index;

use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use kho_cluster::ClusterSearcher;
use kho_core::index::KhoIndex;
use tantivy::{IndexReader, ReloadPolicy};

pub use index::{Completion, CompletionIndex};

/// How often the refresher looks for a new commit.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the refresher makes the reader reload, whatever it was told.
const RELOAD_EVERY: Duration = Duration::from_secs(60);
/// Documents asked of a cluster per query while building.
const CLUSTER_PAGE: usize = 500;

/// The current completion index, shared by every handler.
#[derive(Clone)]
pub struct Completions {
    shared: Arc<Shared>,
}

struct Shared {
    source: Source,
    current: RwLock<Built>,
}

/// Where the documents are read from.
enum Source {
    Local { index: KhoIndex, reader: IndexReader },
    Cluster(ClusterSearcher),
}

/// The segments of a searcher, each with the opstamp of its deletes.
type Segments = std::collections::BTreeMap<tantivy::index::SegmentId, Option<tantivy::Opstamp>>;

/// What a build was made from: a local searcher's segments (with their deletes), or a cluster's
/// fingerprint. Segments, not the reader's generation id: the reader makes a new generation whenever it
/// reloads, also when nothing changed (the periodic reload below, a file-watch event), and comparing ids
/// rebuilt the completions after every such reload (30 s of a core and 100 MB of memory at 45k articles).
#[derive(Clone, PartialEq)]
enum Version {
    Segments(Segments),
    Cluster(Vec<u64>),
}

/// A completion index and what it was built from; no version before the first build.
#[derive(Clone)]
struct Built {
    version: Option<Version>,
    completions: Arc<CompletionIndex>,
}

impl Completions {
    /// Starts the thread that builds the completions from `index` and keeps them current.
    pub fn start(index: &KhoIndex) -> tantivy::Result<Completions> {
        let reader: IndexReader =
            index.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(Completions::start_on(Source::Local { index: index.clone(), reader }))
    }

    /// Starts the thread that builds the completions from the documents of `cluster` and keeps them
    /// current.
    pub fn start_on_cluster(cluster: ClusterSearcher) -> Completions {
        Completions::start_on(Source::Cluster(cluster))
    }

    fn start_on(source: Source) -> Completions {
        let empty = Built { version: None, completions: Arc::new(CompletionIndex::default()) };
        let shared = Arc::new(Shared { source, current: RwLock::new(empty) });
        let weak = Arc::downgrade(&shared);
        if let Err(error) = std::thread::Builder::new().name("kho-suggest".into()).spawn(move || refresh_loop(weak)) {
            tracing::warn!(error = %error, "cannot start the suggestion thread: building once, here");
            if let Err(error) = shared.refresh_if_changed() {
                tracing::warn!(error = %error, "cannot build the suggestions");
            }
        }
        Completions { shared }
    }

    /// True once the first build is done.
    pub fn is_built(&self) -> bool {
        self.shared.with_version(|version| version.is_some())
    }

    /// Waits at most `timeout` for the first build; true if it is done.
    pub fn wait_until_built(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.is_built() {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// The completion index as last built.
    pub fn current(&self) -> Arc<CompletionIndex> {
        match self.shared.current.read() {
            Ok(built) => Arc::clone(&built.completions),
            Err(poisoned) => Arc::clone(&poisoned.into_inner().completions),
        }
    }

    /// Rebuilds now if the documents changed since the last build.
    pub fn refresh_if_changed(&self) -> anyhow::Result<bool> {
        self.shared.refresh_if_changed()
    }
}

impl Shared {
    /// Reads the last build's version without copying it (polled every second, and every 10 ms while
    /// waiting for the first build).
    fn with_version<T>(&self, read: impl FnOnce(Option<&Version>) -> T) -> T {
        match self.current.read() {
            Ok(built) => read(built.version.as_ref()),
            Err(poisoned) => read(poisoned.into_inner().version.as_ref()),
        }
    }

    fn refresh_if_changed(&self) -> anyhow::Result<bool> {
        let started = Instant::now();
        let built = match &self.source {
            Source::Local { index, reader } => {
                let searcher = reader.searcher();
                let segments = searcher.generation().segments();
                if self.with_version(|built| matches!(built, Some(Version::Segments(s)) if s == segments)) {
                    return Ok(false);
                }
                let completions = build::build(&searcher, index)?;
                Built { version: Some(Version::Segments(segments.clone())), completions: Arc::new(completions) }
            }
            Source::Cluster(cluster) => {
                let fingerprint = cluster.fingerprint()?;
                if self.with_version(|built| matches!(built, Some(Version::Cluster(f)) if *f == fingerprint)) {
                    return Ok(false);
                }
                let completions = build::build_from_cluster(cluster, CLUSTER_PAGE)?;
                Built { version: Some(Version::Cluster(fingerprint)), completions: Arc::new(completions) }
            }
        };
        let (phrases, titles) = built.completions.len();
        match self.current.write() {
            Ok(mut current) => *current = built,
            Err(poisoned) => *poisoned.into_inner() = built,
        }
        tracing::info!(phrases, titles, ms = started.elapsed().as_millis() as u64, "suggestions built");
        // The build's counting tables are freed now; give their memory back.
        crate::memory::release_free_memory();
        Ok(true)
    }

    /// Makes a local index's reader reload (a cluster has nothing to reload).
    fn reload(&self) {
        if let Source::Local { reader, .. } = &self.source {
            if let Err(error) = reader.reload() {
                tracing::warn!(error = %error, "cannot reload the index reader for suggestions");
            }
        }
    }
}

fn refresh_loop(shared: Weak<Shared>) {
    let mut last_reload = Instant::now();
    let mut first = true;
    loop {
        if !std::mem::take(&mut first) {
            std::thread::sleep(CHECK_EVERY);
        }
        let Some(shared) = shared.upgrade() else { return };
        if last_reload.elapsed() >= RELOAD_EVERY {
            last_reload = Instant::now();
            shared.reload();
        }
        if let Err(error) = shared.refresh_if_changed() {
            tracing::warn!(error = %error, "cannot rebuild the suggestions; keeping the previous ones");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::schema::{KhoDocument, Kind};

    fn document(id: &str, title: &str) -> KhoDocument {
        KhoDocument {
            id: id.to_owned(),
            path: format!("{id}.txt"),
            title: title.to_owned(),
            body: format!("{title}. Hội thảo sản xuất sạch hơn tại Bến Tre."),
            kind: Kind::News.as_str().to_owned(),
            format: "txt".to_owned(),
            date: None,
            hash: id.to_owned(),
            provinces: Vec::new(),
            sectors: Vec::new(),
            organizations: Vec::new(),
            sources: Vec::new(),
            captions: Vec::new(),
            dup_bands: Vec::new(),
            author: None,
            ..KhoDocument::default()
        }
    }

    #[test]
    fn a_reload_without_a_commit_does_not_rebuild_but_a_commit_does() {
        let dir = tempfile::tempdir().unwrap();
        let index = kho_core::index::open_or_create_index(dir.path()).unwrap();
        let mut writer: tantivy::IndexWriter = index.index.writer(20_000_000).unwrap();
        writer.add_document(document("a", "Sản xuất sạch hơn ở Bến Tre").to_tantivy(&index.fields)).unwrap();
        writer.commit().unwrap();
        let completions = Completions::start(&index).unwrap();
        assert!(completions.wait_until_built(Duration::from_secs(60)));

        // The periodic reload makes a new reader generation with the same segments: nothing to rebuild.
        completions.shared.reload();
        assert!(!completions.refresh_if_changed().unwrap(), "rebuilt after a reload that changed nothing");

        writer.add_document(document("b", "Tiết kiệm năng lượng").to_tantivy(&index.fields)).unwrap();
        writer.commit().unwrap();
        completions.shared.reload();
        // The background thread may have rebuilt already; either way the new title is suggested.
        let _ = completions.refresh_if_changed().unwrap();
        let titles: Vec<String> = completions.current().complete("tiet kiem", 5).into_iter().map(|s| s.text).collect();
        assert!(titles.iter().any(|t| t.to_lowercase().contains("tiết kiệm")), "{titles:?}");
    }
}
