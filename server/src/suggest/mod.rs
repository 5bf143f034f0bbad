//! Suggestions as you type: an in-memory index of titles and frequent phrases ([`index`]), built from
//! the stored documents ([`build`]) at startup and rebuilt when the index changes.
//!
//! Building reads every stored document (about a second per 10,000 news articles), so it runs on a
//! background thread: the server answers searches at once, and suggestions are empty until the first
//! build is done ([`Suggestions::wait_until_built`] waits for it). The same thread then looks once a second whether the index reader has loaded a new commit (the
//! reader follows commits by itself, shortly after they happen) and rebuilds the suggestions when it
//! has; once a minute it also asks the reader to reload, in case a commit was missed (file-change
//! notifications are not delivered on every file system). Lookups never wait for a rebuild: they read
//! the last complete index. The thread ends by itself once the server's state is dropped.

pub mod build;
pub mod fold;
pub mod index;

use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use kho_core::index::KhoIndex;
use tantivy::{IndexReader, ReloadPolicy};

pub use index::{Suggestion, SuggestionIndex, SuggestionKind};

/// How often the refresher looks for a new commit.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the refresher makes the reader reload, whatever it was told.
const RELOAD_EVERY: Duration = Duration::from_secs(60);

/// The current suggestion index, shared by every handler.
#[derive(Clone)]
pub struct Suggestions {
    shared: Arc<Shared>,
}

struct Shared {
    index: KhoIndex,
    reader: IndexReader,
    current: RwLock<Built>,
}

/// A suggestion index and the reader generation it was built from (none before the first build).
#[derive(Clone)]
struct Built {
    generation: Option<u64>,
    suggestions: Arc<SuggestionIndex>,
}

impl Suggestions {
    /// Starts the thread that builds the suggestions from `index` and keeps them current.
    pub fn start(index: &KhoIndex) -> tantivy::Result<Suggestions> {
        let reader: IndexReader =
            index.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let empty = Built { generation: None, suggestions: Arc::new(SuggestionIndex::default()) };
        let shared = Arc::new(Shared { index: index.clone(), reader, current: RwLock::new(empty) });
        let weak = Arc::downgrade(&shared);
        if let Err(error) = std::thread::Builder::new().name("kho-suggest".into()).spawn(move || refresh_loop(weak)) {
            tracing::warn!(error = %error, "cannot start the suggestion thread: building once, here");
            shared.refresh_if_changed()?;
        }
        Ok(Suggestions { shared })
    }

    /// True once the first build is done.
    pub fn is_built(&self) -> bool {
        self.shared.generation().is_some()
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

    /// The suggestion index as last built.
    pub fn current(&self) -> Arc<SuggestionIndex> {
        match self.shared.current.read() {
            Ok(built) => Arc::clone(&built.suggestions),
            Err(poisoned) => Arc::clone(&poisoned.into_inner().suggestions),
        }
    }

    /// Rebuilds now if the reader sees a commit the suggestions were not built from.
    pub fn refresh_if_changed(&self) -> tantivy::Result<bool> {
        self.shared.refresh_if_changed()
    }
}

impl Shared {
    fn generation(&self) -> Option<u64> {
        match self.current.read() {
            Ok(built) => built.generation,
            Err(poisoned) => poisoned.into_inner().generation,
        }
    }

    fn refresh_if_changed(&self) -> tantivy::Result<bool> {
        if Some(self.reader.searcher().generation().generation_id()) == self.generation() {
            return Ok(false);
        }
        let started = Instant::now();
        let built = build_from(&self.index, &self.reader)?;
        let (phrases, titles) = built.suggestions.len();
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
    let suggestions = build::build(&searcher, index)?;
    Ok(Built { generation: Some(searcher.generation().generation_id()), suggestions: Arc::new(suggestions) })
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
