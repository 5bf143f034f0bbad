//! The web side's configuration: which other sites may call the API, where original files may be
//! downloaded from, the limits, and the admin API.

use crate::archive::ArchiveRoots;
use crate::cors::AllowedOrigins;

/// What `kho-serve` is told about the web (`--cors-origin`, `--archive-root`, `--corpus`).
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Origins allowed to call `/api/` from a browser (the embedded widget); none by default.
    pub cors: AllowedOrigins,
    /// Folders whose files `/documents/{id}/original` may serve; none by default.
    pub archive: ArchiveRoots,
    /// Requests per minute each client may make to `/api/` (`--rate-limit`); 0, the default, for none.
    pub rate_limit: u32,
    /// Longest a request may take (`--request-timeout`); `None` for the default (see `limits`).
    pub request_timeout: Option<std::time::Duration>,
    /// The admin API, when a key is configured; `None` (the default): its routes do not exist.
    pub admin: Option<AdminConfig>,
}

/// The admin API (`--admin-key`): off unless a key is configured. See [`crate::admin`].
#[derive(Debug, Clone)]
pub struct AdminConfig {
    /// The key callers send as `Authorization: Bearer KEY`.
    pub key: crate::admin::AdminKey,
    /// The index the server reads, which uploads, deletions and reindexing write.
    pub index_dir: std::path::PathBuf,
    /// Where uploads are stored: `<corpus>/uploads/` for `kho-serve`, so that the corpus's watcher and
    /// reindexing see them as the archive's own files.
    pub upload_dir: std::path::PathBuf,
    /// The folders `POST /api/reindex` indexes again: the corpus and the archive roots.
    pub reindex_paths: Vec<std::path::PathBuf>,
    /// Largest upload accepted, in bytes (`--max-upload-mb`).
    pub max_upload_bytes: u64,
}
