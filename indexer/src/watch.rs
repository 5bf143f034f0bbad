//! Watch mode: keep the index in step with folders while files are dropped in, changed or deleted.
//!
//! The watcher polls: every interval it lists the watched paths with each file's size and modification
//! time, and when that listing differs from the last one it runs an ordinary indexing run
//! ([`index_paths`]), which skips unchanged files by their hash, replaces changed ones and removes
//! deleted ones, and commits. A server with the index open sees the commit through its reader's reload
//! policy, so a new file is searchable about one interval (plus the time to read it) after it lands.
//! Polling, rather than inotify, works the same on network shares and mounted archives, where
//! ministries keep their files, and its cost — one `stat` per file per interval — is small next to
//! reading documents.
//!
//! A file still being copied is seen with a size that keeps changing; it is indexed when the listing
//! has been stable for one interval, so a half-written PDF is not reported as corrupt.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;

use crate::error::IndexerError;
use crate::extract::Format;
use crate::manifest::MANIFEST_FILE;
use crate::report::IndexReport;
use crate::run::{index_paths, IndexOptions};

/// How often the folders are listed when nothing else is said.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A command-line duration that is not a positive number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a positive number of seconds")]
pub struct InvalidSeconds;

/// A command-line duration in seconds ("1", "0.5"), which must be positive: the parser of
/// `--interval`, `--watch-interval` and `--file-timeout`.
pub fn parse_seconds(text: &str) -> Result<Duration, InvalidSeconds> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|duration| !duration.is_zero())
        .ok_or(InvalidSeconds)
}

/// One file as the watcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// Watches `options.paths` until `stop` is set, running an indexing run after every settled change (and
/// one at the start). `on_run` gets each run's result; a failed run (say, the index locked by another
/// writer) is retried at the next change or interval, it does not end the watch.
pub fn watch_paths(
    options: &IndexOptions,
    interval: Duration,
    stop: &AtomicBool,
    mut on_run: impl FnMut(Result<IndexReport, IndexerError>),
) {
    let mut indexed: Option<Vec<Stamp>> = None;
    let mut previous: Option<Vec<Stamp>> = None;
    while !stop.load(Ordering::Relaxed) {
        let current = listing(&options.paths);
        // The first run starts at once; later ones wait until the listing held still for one interval.
        let settled = indexed.is_none() || previous.as_ref() == Some(&current);
        if settled && indexed.as_ref() != Some(&current) {
            let result = index_paths(options);
            if result.is_ok() {
                indexed = Some(current.clone());
            }
            on_run(result);
        }
        previous = Some(current);
        sleep_unless_stopped(interval, stop);
    }
}

/// Every indexable file under `paths` with its size and modification time, sorted.
fn listing(paths: &[PathBuf]) -> Vec<Stamp> {
    let mut stamps: Vec<Stamp> = paths
        .iter()
        .flat_map(|root| WalkDir::new(root).into_iter().filter_map(Result::ok))
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| Format::from_path(entry.path()).is_some() || is_manifest(entry.path()))
        .filter_map(|entry| {
            let metadata = entry.metadata().ok()?;
            Some(Stamp { path: entry.path().to_owned(), len: metadata.len(), modified: metadata.modified().ok() })
        })
        .collect();
    stamps.sort_by(|a, b| a.path.cmp(&b.path));
    stamps
}

fn is_manifest(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == MANIFEST_FILE)
}

/// Sleeps for `interval` in short steps, so that a stop request is honoured quickly.
fn sleep_unless_stopped(interval: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < interval && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step.min(interval - slept));
        slept += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn seconds_are_positive_numbers() {
        assert_eq!(parse_seconds("1"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_seconds("0.001"), Ok(Duration::from_millis(1)));
        for bad in ["0", "-1", "soon", "", "inf"] {
            assert!(parse_seconds(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn listing_sees_new_changed_and_deleted_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = vec![dir.path().to_owned()];
        assert!(listing(&paths).is_empty());
        std::fs::write(dir.path().join("a.txt"), "một").expect("write");
        std::fs::write(dir.path().join("ignored.xyz"), "x").expect("write");
        let first = listing(&paths);
        assert_eq!(first.len(), 1);
        std::fs::write(dir.path().join("a.txt"), "một hai").expect("write");
        let second = listing(&paths);
        assert_ne!(first, second, "a size change is a change");
        std::fs::remove_file(dir.path().join("a.txt")).expect("remove");
        assert!(listing(&paths).is_empty());
    }

    #[test]
    fn watch_indexes_at_start_and_after_a_change_then_stops() {
        let dir = tempfile::tempdir().expect("temp dir");
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        std::fs::write(docs.join("a.txt"), "Hội thảo sản xuất sạch hơn tại Bến Tre").expect("write");
        let options = IndexOptions::new(dir.path().join("index"), vec![docs.clone()]);
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = std::sync::mpsc::channel();
        let watcher = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                watch_paths(&options, Duration::from_millis(100), &stop, |result| {
                    let _ = sender.send(result.map(|r| r.indexed));
                })
            })
        };
        let wait = || receiver.recv_timeout(Duration::from_secs(60)).expect("a run").expect("run succeeded");
        assert_eq!(wait(), 1, "the first run indexes what is there");
        std::fs::write(docs.join("b.txt"), "Nhà máy đường áp dụng sản xuất sạch hơn").expect("write");
        assert_eq!(wait(), 1, "the new file is indexed");
        stop.store(true, Ordering::Relaxed);
        watcher.join().expect("watcher stops");
    }
}
