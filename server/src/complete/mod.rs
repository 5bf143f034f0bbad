//! Completions as you type (what `/api/suggest` answers): an in-memory index of titles and frequent
//! phrases ([`index`]), built from the stored documents ([`build`]) at startup and rebuilt when the index
//! changes.
//!
//! Building reads every stored document (about a second per 10,000 news articles), so it runs on a
//! background thread: the server answers searches at once, and completions are empty until the first
//! build is done ([`Completions::wait_until_built`] waits for it). The same thread then looks once a second whether the index reader has loaded a new commit (the
//! reader follows commits by itself, shortly after they happen) and rebuilds the completions when it
//! has; once a minute it also asks the reader to reload, in case a commit was missed (file-change
//! notifications are not delivered on every file system). Lookups never wait for a rebuild: they read
//! the last complete index. The thread ends by itself once the server's state is dropped.

mod build;
mod index;

use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use kho_core::index::KhoIndex;
use tantivy::{IndexReader, ReloadPolicy};

pub use index::{Completion, CompletionIndex};

/// How often the refresher looks for a new commit.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the refresher makes the reader reload, whatever it was told.
const RELOAD_EVERY: Duration = Duration::from_secs(60);

/// The current completion index, shared by every handler.
#[derive(Clone)]
pub struct Completions {
    shared: Arc<Shared>,
}

struct Shared {
    index: KhoIndex,
    reader: IndexReader,
    current: RwLock<Built>,
}

/// The segments of a searcher, each with the opstamp of its deletes.
type Segments = std::collections::BTreeMap<tantivy::index::SegmentId, Option<tantivy::Opstamp>>;

/// A completion index and the segments (with their deletes) it was built from; none before the first build.
/// Segments, not the reader's generation id: the reader makes a new generation whenever it reloads, also
/// when nothing changed (the periodic reload below, a file-watch event), and comparing ids rebuilt the
/// completions after every such reload (30 s of a core and 100 MB of memory at 45k articles).
#[derive(Clone)]
struct Built {
    segments: Option<Segments>,
    completions: Arc<CompletionIndex>,
}

impl Completions {
    /// Starts the thread that builds the completions from `index` and keeps them current.
    pub fn start(index: &KhoIndex) -> tantivy::Result<Completions> {
        let reader: IndexReader =
            index.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let empty = Built { segments: None, completions: Arc::new(CompletionIndex::default()) };
        let shared = Arc::new(Shared { index: index.clone(), reader, current: RwLock::new(empty) });
        let weak = Arc::downgrade(&shared);
        if let Err(error) = std::thread::Builder::new().name("kho-suggest".into()).spawn(move || refresh_loop(weak)) {
            tracing::warn!(error = %error, "cannot start the suggestion thread: building once, here");
            shared.refresh_if_changed()?;
        }
        Ok(Completions { shared })
    }

    /// True once the first build is done.
    pub fn is_built(&self) -> bool {
        self.shared.with_segments(|segments| segments.is_some())
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

    /// Rebuilds now if the reader sees a commit the completions were not built from.
    pub fn refresh_if_changed(&self) -> tantivy::Result<bool> {
        self.shared.refresh_if_changed()
    }
}

impl Shared {
    /// Reads the last build's segments without copying them (polled every second, and every 10 ms while
    /// waiting for the first build).
    fn with_segments<T>(&self, read: impl FnOnce(Option<&Segments>) -> T) -> T {
        match self.current.read() {
            Ok(built) => read(built.segments.as_ref()),
            Err(poisoned) => read(poisoned.into_inner().segments.as_ref()),
        }
    }

    fn refresh_if_changed(&self) -> tantivy::Result<bool> {
        let searcher = self.reader.searcher();
        if self.with_segments(|built| built == Some(searcher.generation().segments())) {
            return Ok(false);
        }
        let started = Instant::now();
        let built = build_from(&self.index, &self.reader)?;
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
}

fn build_from(index: &KhoIndex, reader: &IndexReader) -> tantivy::Result<Built> {
    let searcher = reader.searcher();
    let completions = build::build(&searcher, index)?;
    Ok(Built { segments: Some(searcher.generation().segments().clone()), completions: Arc::new(completions) })
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
            if let Err(error) = shared.reader.reload() {
                tracing::warn!(error = %error, "cannot reload the index reader for suggestions");
            }
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
        completions.shared.reader.reload().unwrap();
        assert!(!completions.refresh_if_changed().unwrap(), "rebuilt after a reload that changed nothing");

        writer.add_document(document("b", "Tiết kiệm năng lượng").to_tantivy(&index.fields)).unwrap();
        writer.commit().unwrap();
        completions.shared.reader.reload().unwrap();
        // The background thread may have rebuilt already; either way the new title is suggested.
        let _ = completions.refresh_if_changed().unwrap();
        let titles: Vec<String> = completions.current().complete("tiet kiem", 5).into_iter().map(|s| s.text).collect();
        assert!(titles.iter().any(|t| t.to_lowercase().contains("tiết kiệm")), "{titles:?}");
    }
}
