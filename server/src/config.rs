//! The web side's configuration: which other sites may call the API, and where original files may be
//! downloaded from.

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
}
