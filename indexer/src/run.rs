//! One indexing run: walk the given paths, extract what changed, write it, remove what was deleted.
//!
//! Re-running is idempotent: each document is keyed by its source path and carries the SHA-256 of its
//! bytes, so unchanged files are skipped, changed files replaced and files gone from a walked folder
//! removed. One unreadable file never stops the run; it is reported with its reason. Everything is
//! committed once at the end, so an interrupted run leaves the previous commit as it was.
//!
//! This module is the pipeline only; its steps are [`walk`](crate::walk) (which files),
//! [`isolate`](crate::isolate) (one file's extraction, with a timeout), [`document`](crate::document)
//! (the document of a file) and [`write`](crate::write) (near-duplicates folded, documents written).

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use kho_core::index::open_or_create_index;
use kho_core::schema::KhoDocument;
use tantivy::Term;

use crate::dedup::{signature, Signature};
use crate::document::{file_document, sha256_hex};
use crate::error::IndexerError;
use crate::extract::{without_ocr, Content, ExtractError};
use crate::isolate::{extract_isolated, IsolationError};
use crate::ocr::{read_scanned, OcrError, OcrOptions};
use crate::pipeline::map_ordered;
use crate::report::{progress_bar, FailedFile, IndexReport};
use crate::walk::{collect_files, SourceFile};
use crate::write::{existing_hashes, fold_near_duplicates, open_writer, write_folded};

/// Files handed to a worker at a time: few, as one file can take long to read.
const FILES_PER_BATCH: usize = 2;

/// Files larger than this are reported, not read.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// How long one file's text extraction may take before the file is reported as timed out.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(120);

/// What to index, and where.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub index_dir: PathBuf,
    pub paths: Vec<PathBuf>,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
    /// Longest time to extract one file's text (see [`DEFAULT_FILE_TIMEOUT`]); OCR has its own limit.
    pub file_timeout: Duration,
    /// How scans are read; `None` reads no scan: a PDF's scanned pages are left out, an image file or a
    /// PDF of scans only is reported.
    pub ocr: Option<OcrOptions>,
}

impl IndexOptions {
    /// Index `paths` into `index_dir`, no progress bar, the default per-file timeout, OCR with its
    /// defaults.
    pub fn new(index_dir: impl Into<PathBuf>, paths: Vec<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_dir: index_dir.into(),
            paths,
            progress: false,
            file_timeout: DEFAULT_FILE_TIMEOUT,
            ocr: Some(OcrOptions::default()),
        }
    }
}

/// Why one file was not indexed. Its message is the reason the report gives next to the file's path.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("file too large: {size} bytes (limit {MAX_FILE_BYTES})")]
    TooLarge { size: u64 },
    #[error(transparent)]
    Extraction(#[from] IsolationError),
    #[error(transparent)]
    Unread(#[from] ExtractError),
    #[error(transparent)]
    Ocr(#[from] OcrError),
    #[error("no text")]
    NoText,
}

/// Indexes every supported file under `options.paths` into `options.index_dir`.
pub fn index_paths(options: &IndexOptions) -> Result<IndexReport, IndexerError> {
    let kho = open_or_create_index(&options.index_dir)?;
    let walked = collect_files(&options.paths)?;
    let existing = existing_hashes(&kho, kho.fields.path)?;
    let mut writer = open_writer(&kho)?;
    let mut report = IndexReport::default();

    // New and changed files are read first (on all cores, in walk order) and written after near-duplicates
    // are folded, so that an article found in two folders of this run, or already in the index, is one
    // document.
    let progress = progress_bar(options.progress, walked.files.len());
    let mut pending: Vec<(KhoDocument, Option<Signature>)> = Vec::new();
    let read = |file| read_with_signature(file, existing.get(&file.key), options);
    let collected: Result<(), std::convert::Infallible> =
        map_ordered(walked.files.iter(), FILES_PER_BATCH, read, |(file, result)| {
            progress.set_message(file.key.clone());
            match result {
                Ok(Some((signature, document))) => pending.push((document, signature)),
                Ok(None) => report.unchanged += 1,
                Err(error) => {
                    let reason = error.to_string();
                    tracing::warn!(path = %file.key, reason = %reason, "cannot index file");
                    report.failed.push(FailedFile { path: file.key.clone(), reason });
                }
            }
            progress.inc(1);
            Ok(())
        });
    if let Err(never) = collected {
        match never {}
    }
    progress.finish_and_clear();

    let seen: HashSet<&str> = walked.files.iter().map(|file| file.key.as_str()).collect();
    let removed: HashSet<&String> =
        existing.keys().filter(|key| walked.covers(key) && !seen.contains(key.as_str())).collect();
    let mut replaced: HashSet<String> = pending.iter().map(|(d, _)| d.path.clone()).collect();
    replaced.extend(removed.iter().map(|k| (*k).clone()));
    let searcher = kho.index.reader()?.searcher();
    let writes = fold_near_duplicates(pending, &searcher, &kho, &replaced)?;
    write_folded(&writer, &kho, writes, &mut report)?;
    for key in removed {
        writer.delete_term(Term::from_field_text(kho.fields.path, key));
        report.removed += 1;
    }
    if report.indexed > 0 || report.removed > 0 || report.duplicates > 0 {
        writer.commit()?;
    }
    writer.wait_merging_threads()?;
    Ok(report)
}

/// The file and [`read_file`]'s answer, with the document's signature computed on the same thread, right
/// after its metadata tags: one analysis of the body.
#[allow(clippy::type_complexity)]
fn read_with_signature<'a>(
    file: &'a SourceFile,
    previous_hash: Option<&String>,
    options: &IndexOptions,
) -> (&'a SourceFile, Result<Option<(Option<Signature>, KhoDocument)>, FileError>) {
    let document = read_file(file, previous_hash, options);
    (file, document.map(|found| found.map(|d| (signature(&d.body), d))))
}

/// The document of a new or changed file; `None` when the file is unchanged since the last run.
pub(crate) fn read_file(
    file: &SourceFile,
    previous_hash: Option<&String>,
    options: &IndexOptions,
) -> Result<Option<KhoDocument>, FileError> {
    let size = std::fs::metadata(&file.path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(FileError::TooLarge { size });
    }
    let bytes = std::fs::read(&file.path)?;
    let hash = sha256_hex(&bytes);
    if previous_hash == Some(&hash) {
        return Ok(None);
    }
    let extracted = match (extract_isolated(file.format, bytes, options.file_timeout)?, &options.ocr) {
        (Content::Text(extracted), _) => extracted,
        (scanned, Some(ocr)) => read_scanned(scanned, &file.path, ocr)?,
        (scanned, None) => without_ocr(file.format, scanned)?,
    };
    let document = file_document(file, extracted, hash);
    if document.body.trim().is_empty() {
        return Err(FileError::NoText);
    }
    Ok(Some(document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_before() {
        let missing = std::fs::metadata("/no/such/file").map(|_| ()).unwrap_err();
        let cases = [
            (FileError::TooLarge { size: 209_715_201 }, "file too large: 209715201 bytes (limit 209715200)"),
            (FileError::NoText, "no text"),
            (FileError::Io(missing), "No such file or directory (os error 2)"),
        ];
        for (error, reason) in cases {
            assert_eq!(error.to_string(), reason);
        }
    }
}
