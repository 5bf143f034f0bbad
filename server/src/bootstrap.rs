//! Getting the index ready at startup: opening it, building it from the bundled corpus on first start
//! (and again when this version of Kho cannot read one it built), and watching the corpus folder while
//! serving. The only part of the server that runs the indexer.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use kho_core::index::{index_exists, open_index, KhoIndex};
use kho_core::synonyms::SynonymSource;
use kho_core::IndexError;
use kho_indexer::{index_paths, watch_paths, IndexOptions, IndexReport};

/// Parses `--watch-interval`: a positive number of seconds, as `kho-index --interval` takes it.
pub use kho_indexer::parse_seconds;

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
    log_failures(&report);
    tracing::info!(summary = %report.summary(), "index built");
    std::fs::write(index_dir.join(BUILT_FROM_FILE), corpus_dir.to_string_lossy().as_bytes())
        .with_context(|| format!("writing {}", index_dir.join(BUILT_FROM_FILE).display()))
}

/// Indexes `corpus` into `index` whenever its files change, on a thread of its own (indexing is
/// blocking work and must not hold up the async runtime). The server's reader sees each commit.
pub fn spawn_corpus_watcher(index: &Path, corpus: &Path, interval: Duration, stop: Arc<AtomicBool>) -> JoinHandle<()> {
    let options = IndexOptions::new(index, vec![corpus.to_owned()]);
    tracing::info!(folder = %corpus.display(), interval_secs = interval.as_secs_f64(), "watching for new and changed files");
    std::thread::spawn(move || {
        watch_paths(&options, interval, &stop, |result| match result {
            Ok(report) => {
                log_failures(&report);
                crate::telemetry::indexed_files(report.indexed, report.unchanged, report.removed, report.failed.len());
                if report.indexed + report.removed > 0 {
                    tracing::info!(summary = %report.summary(), "watched folder indexed");
                }
            }
            Err(error) => tracing::error!(error = %error, "watched folder could not be indexed"),
        })
    })
}

/// Logs every file an indexing run could not read, with its reason.
fn log_failures(report: &IndexReport) {
    for failed in &report.failed {
        tracing::warn!(path = %failed.path, reason = %failed.reason, "file not indexed");
    }
}
