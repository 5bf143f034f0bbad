//! Why a run could not be done at all. One unreadable file or bad JSON Lines record is not such a
//! failure: it goes into the run's report with its reason (see `run` and `jsonl`), and the run goes on.

use std::path::PathBuf;

use kho_core::IndexError;

use crate::manifest::ManifestError;

/// Why a run could not be done at all (single files' failures go into the report instead).
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("index write failed")]
    Write(#[from] tantivy::TantivyError),
    #[error("{}: no such file or folder", .0.display())]
    PathNotFound(PathBuf),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("cannot read {}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The import's temporary file (documents waiting for their near-duplicate groups) failed.
    #[error("cannot use the import's temporary file (TMPDIR)")]
    Spill {
        #[source]
        source: std::io::Error,
    },
}

impl IndexerError {
    /// True when another writer (a watcher's run, a `kho-index` in a shell) holds the index: worth
    /// retrying shortly.
    pub fn is_index_locked(&self) -> bool {
        matches!(
            self,
            IndexerError::Write(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _))
        )
    }
}
