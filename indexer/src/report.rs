//! What a run tells its user: the figures and failed files at the end ([`IndexReport`], printed by
//! `kho-index` as a summary line or as JSON), and a progress bar on the way. File indexing and the JSON
//! Lines import report the same way, so that the command line prints both alike.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// A file that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedFile {
    pub path: String,
    pub reason: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexReport {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Near-duplicates folded into another document (listed among its sources).
    pub duplicates: usize,
    pub failed: Vec<FailedFile>,
}

impl IndexReport {
    /// The one-line summary printed at the end of a run.
    pub fn summary(&self) -> String {
        format!(
            "indexed {} / unchanged {} / removed {} / duplicate {} / failed {}",
            self.indexed,
            self.unchanged,
            self.removed,
            self.duplicates,
            self.failed.len()
        )
    }

    /// Adds another run's figures to this one.
    pub fn merge(&mut self, other: IndexReport) {
        self.indexed += other.indexed;
        self.unchanged += other.unchanged;
        self.removed += other.removed;
        self.duplicates += other.duplicates;
        self.failed.extend(other.failed);
    }

    /// True when files failed and none succeeded: the run as a whole failed.
    pub fn all_failed(&self) -> bool {
        !self.failed.is_empty() && self.indexed == 0 && self.unchanged == 0
    }
}

/// A progress bar over `len` files, or a hidden one when not `enabled`.
pub(crate) fn progress_bar(enabled: bool, len: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    // indicatif draws only on a terminal, so piped output stays clean.
    let bar = ProgressBar::new(len as u64);
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} files ({per_sec}, eta {eta}) {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
