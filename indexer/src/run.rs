//! One indexing run: walk the given paths, extract what changed, write it, remove what was deleted.
//!
//! Re-running is idempotent: each document is keyed by its source path and carries the SHA-256 of its
//! bytes, so unchanged files are skipped, changed files replaced and files gone from a walked folder
//! removed. One unreadable file never stops the run; it is reported with its reason. Everything is
//! committed once at the end, so an interrupted run leaves the previous commit as it was.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use kho_core::analysis::normalize_text;
use kho_core::index::{open_or_create_index, KhoIndex};
use kho_core::metadata::{extract_metadata, Tag};
use kho_core::schema::KhoDocument;
use kho_core::{IndexError, Kind};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tantivy::collector::TopDocs;
use tantivy::query::TermSetQuery;
use tantivy::schema::Value;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};
use walkdir::WalkDir;

use crate::captions::find_captions;
use crate::date::{find_date, normalize_iso_date};
use crate::dedup::{cluster, indexed_band_keys, signature, similarity, Signature, MIN_JACCARD};
use crate::extract::{extract, Extracted, Format};
use crate::manifest::{kind_from_path, Manifest, ManifestEntry, ManifestError, MANIFEST_FILE};
use crate::wraps::repair_line_wraps;

/// Files larger than this are reported, not read.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Memory for tantivy's indexing buffers.
pub(crate) const WRITER_HEAP_BYTES: usize = 128 * 1024 * 1024;
/// Indexed documents compared with a new one that shares a band key with it.
const MAX_DUPLICATE_CANDIDATES: usize = 20;
/// Longest title derived from a document's first line.
const MAX_DERIVED_TITLE_CHARS: usize = 160;

/// How long one file's text extraction may take before the file is reported as timed out.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(120);

/// What to index, and where.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub index_dir: PathBuf,
    pub paths: Vec<PathBuf>,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
    /// Longest time to extract one file's text (see [`DEFAULT_FILE_TIMEOUT`]).
    pub file_timeout: Duration,
}

impl IndexOptions {
    /// Index `paths` into `index_dir`, no progress bar, the default per-file timeout.
    pub fn new(index_dir: impl Into<PathBuf>, paths: Vec<PathBuf>) -> IndexOptions {
        IndexOptions { index_dir: index_dir.into(), paths, progress: false, file_timeout: DEFAULT_FILE_TIMEOUT }
    }
}

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
}

/// A file found by the walk.
struct SourceFile {
    /// Where to read it.
    path: PathBuf,
    /// The key stored as `path` in the index: the path as the user named it, with `/` separators.
    key: String,
    format: Format,
    manifest: Option<ManifestEntry>,
    kind_hint: Kind,
}

/// Indexes every supported file under `options.paths` into `options.index_dir`.
pub fn index_paths(options: &IndexOptions) -> Result<IndexReport, IndexerError> {
    let kho = open_or_create_index(&options.index_dir)?;
    let (files, walked_prefixes) = collect_files(&options.paths)?;
    let existing = existing_hashes(&kho)?;
    let mut writer: IndexWriter = kho.index.writer(WRITER_HEAP_BYTES)?;
    let mut report = IndexReport::default();
    let progress = progress_bar(options.progress, files.len());
    let mut seen: HashSet<String> = HashSet::with_capacity(files.len());

    // New and changed files are read first and written after near-duplicates are folded, so that an
    // article found in two folders of this run, or already in the index, is one document.
    let mut pending: Vec<KhoDocument> = Vec::new();
    for file in &files {
        progress.set_message(file.key.clone());
        seen.insert(file.key.clone());
        match read_file(file, existing.get(&file.key), options.file_timeout) {
            Ok(Some(document)) => pending.push(document),
            Ok(None) => report.unchanged += 1,
            Err(reason) => {
                tracing::warn!(path = %file.key, reason = %reason, "cannot index file");
                report.failed.push(FailedFile { path: file.key.clone(), reason });
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();

    let removed: HashSet<&String> = existing
        .keys()
        .filter(|key| walked_prefixes.iter().any(|prefix| key.starts_with(prefix.as_str())) && !seen.contains(*key))
        .collect();
    let mut replaced: HashSet<String> = pending.iter().map(|d| d.path.clone()).collect();
    replaced.extend(removed.iter().map(|k| (*k).clone()));
    let searcher = kho.index.reader()?.searcher();
    for write in fold_near_duplicates(pending, &searcher, &kho, &replaced)? {
        match write {
            Write::Document { document, duplicates } => {
                report.duplicates += duplicates;
                writer.delete_term(Term::from_field_text(kho.fields.path, &document.path));
                writer.add_document(document.to_tantivy(&kho.fields))?;
                report.indexed += 1;
            }
            Write::SourcesOf { original, duplicates } => {
                report.duplicates += duplicates;
                writer.delete_term(Term::from_field_text(kho.fields.path, &original.path));
                writer.add_document(original.to_tantivy(&kho.fields))?;
            }
            Write::AlreadyListed { duplicates } => report.unchanged += duplicates,
        }
    }
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

/// What to write for one group of near-duplicate files of a run.
enum Write {
    /// A document of its own, listing its `duplicates` files among its sources.
    Document { document: KhoDocument, duplicates: usize },
    /// The group is the same article as a document already indexed: that document, with the group's
    /// files added to its sources.
    SourcesOf { original: KhoDocument, duplicates: usize },
    /// The group's files are already sources of an indexed document.
    AlreadyListed { duplicates: usize },
}

/// Groups the run's documents by near-duplicate text, and each group with an indexed document it
/// duplicates (one that this run neither replaces nor removes).
fn fold_near_duplicates(
    pending: Vec<KhoDocument>,
    searcher: &Searcher,
    kho: &KhoIndex,
    replaced: &HashSet<String>,
) -> Result<Vec<Write>, tantivy::TantivyError> {
    let signatures: Vec<Option<Signature>> = pending.iter().map(|d| signature(&d.body)).collect();
    let groups = cluster(&signatures);
    let mut members: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, &group) in groups.iter().enumerate() {
        if group != i {
            members.entry(group).or_default().push(pending[i].path.clone());
        }
    }
    let mut writes = Vec::new();
    for (i, mut document) in pending.into_iter().enumerate() {
        if groups[i] != i {
            continue;
        }
        let folded = members.remove(&i).unwrap_or_default();
        let Some(signature) = &signatures[i] else {
            writes.push(Write::Document { document, duplicates: 0 });
            continue;
        };
        document.dup_bands = indexed_band_keys(signature);
        if let Some((mut original, original_signature)) =
            indexed_duplicate(searcher, kho, signature, &document.dup_bands, replaced)?
        {
            let group_size = 1 + folded.len();
            let new_sources: Vec<String> =
                std::iter::once(document.path).chain(folded).filter(|key| !original.sources.contains(key)).collect();
            if new_sources.is_empty() {
                writes.push(Write::AlreadyListed { duplicates: group_size });
                continue;
            }
            let duplicates = new_sources.len();
            original.sources.extend(new_sources);
            original.dup_bands = indexed_band_keys(&original_signature);
            writes.push(Write::SourcesOf { original, duplicates });
            continue;
        }
        let duplicates = folded.len();
        document.sources.extend(folded);
        writes.push(Write::Document { document, duplicates });
    }
    Ok(writes)
}

/// An indexed document (and its signature) whose body is a near-duplicate of the text with this signature, found through
/// the band keys and confirmed on its stored body.
fn indexed_duplicate(
    searcher: &Searcher,
    kho: &KhoIndex,
    wanted: &Signature,
    bands: &[u64],
    replaced: &HashSet<String>,
) -> Result<Option<(KhoDocument, Signature)>, tantivy::TantivyError> {
    let terms: Vec<Term> = bands.iter().map(|band| Term::from_field_u64(kho.fields.dup_band, *band)).collect();
    let query = TermSetQuery::new(terms);
    let candidates = searcher.search(&query, &TopDocs::with_limit(MAX_DUPLICATE_CANDIDATES).order_by_score())?;
    for (_, address) in candidates {
        let stored: TantivyDocument = searcher.doc(address)?;
        let candidate = KhoDocument::from_stored(&stored, &kho.fields);
        if replaced.contains(&candidate.path) {
            continue;
        }
        if let Some(other) = signature(&candidate.body).filter(|other| similarity(wanted, other) >= MIN_JACCARD) {
            return Ok(Some((candidate, other)));
        }
    }
    Ok(None)
}

/// The document of a new or changed file; `None` when the file is unchanged since the last run.
fn read_file(
    file: &SourceFile,
    previous_hash: Option<&String>,
    timeout: Duration,
) -> Result<Option<KhoDocument>, String> {
    let size = std::fs::metadata(&file.path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("file too large: {size} bytes (limit {MAX_FILE_BYTES})"));
    }
    let bytes = std::fs::read(&file.path).map_err(|e| e.to_string())?;
    let hash = sha256_hex(&bytes);
    if previous_hash == Some(&hash) {
        return Ok(None);
    }
    let extracted = extract_with_timeout(file.format, bytes, timeout)?;
    let document = build_document(file, extracted, hash);
    if document.body.trim().is_empty() {
        return Err("no text".to_owned());
    }
    Ok(Some(document))
}

/// A crafted or pathological file can keep a parser busy for hours; past `timeout` the file is reported
/// and the run goes on. Threads cannot be killed, so the abandoned parse finishes in the background
/// and its result is dropped.
fn extract_with_timeout(format: Format, bytes: Vec<u8>, timeout: Duration) -> Result<Extracted, String> {
    run_with_timeout(timeout, move || extract_catching_panics(format, &bytes))
        .unwrap_or_else(|| Err(format!("{} parser timed out after {} s", format.as_str(), timeout.as_secs_f64())))
}

/// `work`'s result, or `None` when it did not finish within `timeout`.
fn run_with_timeout<T: Send + 'static>(timeout: Duration, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("kho-extract".to_owned()).spawn(move || {
        // The receiver is gone when the wait timed out: nobody needs the result any more.
        let _ = sender.send(work());
    });
    if spawned.is_err() {
        return None;
    }
    receiver.recv_timeout(timeout).ok()
}

/// Parsers of untrusted files can panic on input their authors did not foresee; that is one bad file,
/// not a failed run.
fn extract_catching_panics(format: Format, bytes: &[u8]) -> Result<Extracted, String> {
    match std::panic::catch_unwind(|| extract(format, bytes)) {
        Ok(Ok(extracted)) => Ok(extracted),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(format!("{} parser failed: {message}", format.as_str()))
        }
    }
}

fn build_document(file: &SourceFile, extracted: Extracted, hash: String) -> KhoDocument {
    // NFC first, so that everything derived from the text (title, date) is the same for NFD input.
    // Then words split by hard line wraps are joined, before anything reads the text.
    let extracted = Extracted {
        title: extracted.title.map(|t| normalize_text(&t).into_owned()),
        body: repair_line_wraps(&normalize_text(&extracted.body)).into_owned(),
        ..extracted
    };
    let manifest = file.manifest.as_ref();
    let title = manifest
        .and_then(|m| m.title.clone())
        .or(extracted.title.filter(|t| !t.trim().is_empty()))
        .or_else(|| first_line(&extracted.body))
        .unwrap_or_else(|| file_stem(&file.path));
    let date = manifest
        .and_then(|m| m.date.as_deref())
        .and_then(normalize_iso_date)
        .or(extracted.date.as_deref().and_then(normalize_iso_date))
        .or_else(|| find_date(&extracted.body));
    let metadata = tag_metadata(&title, &extracted.body);
    let captions = find_captions(&extracted.body);
    KhoDocument {
        id: document_id(&file.key),
        path: file.key.clone(),
        title: title.trim().to_owned(),
        body: extracted.body,
        kind: manifest.and_then(|m| m.kind).unwrap_or(file.kind_hint),
        format: file.format.as_str().to_owned(),
        date,
        hash,
        provinces: metadata.provinces,
        sectors: metadata.sectors,
        organizations: metadata.organizations,
        sources: vec![file.key.clone()],
        captions,
        dup_bands: Vec::new(),
        author: extracted.author.map(|a| normalize_text(a.trim()).into_owned()).filter(|a| !a.is_empty()),
    }
}

/// Facet slugs of the provinces, sectors and organizations a text mentions.
pub(crate) struct MetadataSlugs {
    pub provinces: Vec<String>,
    pub sectors: Vec<String>,
    pub organizations: Vec<String>,
}

pub(crate) fn tag_metadata(title: &str, body: &str) -> MetadataSlugs {
    let found = extract_metadata(title, body);
    let slugs = |tags: Vec<Tag>| tags.into_iter().map(|t| t.slug).collect();
    MetadataSlugs {
        provinces: slugs(found.provinces),
        sectors: slugs(found.sectors),
        organizations: slugs(found.organizations),
    }
}

/// A stable id from the source key: the same file keeps its id across runs.
pub fn document_id(key: &str) -> String {
    sha256_hex(key.as_bytes())[..16].to_owned()
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn first_line(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.chars().take(MAX_DERIVED_TITLE_CHARS).collect())
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The path as the user wrote it, with "." and ".." resolved lexically, no trailing separator, and
/// `/` separators: "./corpus/" and "tests/../corpus" are both "corpus".
fn key_of(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let absolute = text.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Every supported file under `paths`, sorted, and the key prefixes of the walked folders (documents
/// under them that the walk did not see have been deleted).
fn collect_files(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<String>), IndexerError> {
    let mut files = Vec::new();
    let mut prefixes = Vec::new();
    for root in paths {
        if root.is_file() {
            if let Some(format) = Format::from_path(root) {
                let key = key_of(root);
                prefixes.push(key.clone());
                files.push(SourceFile {
                    path: root.clone(),
                    kind_hint: kind_from_path(&key),
                    key,
                    format,
                    manifest: None,
                });
            }
            continue;
        }
        if !root.is_dir() {
            return Err(IndexerError::PathNotFound(root.clone()));
        }
        let manifest = Manifest::load(root)?;
        let root_key = key_of(root);
        prefixes.push(format!("{root_key}/"));
        let walk = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e.file_name()));
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot walk");
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.file_name() == MANIFEST_FILE {
                continue;
            }
            let Some(format) = Format::from_path(entry.path()) else { continue };
            let relative = key_of(entry.path().strip_prefix(root).unwrap_or(entry.path()));
            files.push(SourceFile {
                path: entry.path().to_owned(),
                key: format!("{root_key}/{relative}"),
                format,
                manifest: manifest.get(&relative).cloned(),
                kind_hint: kind_from_path(&relative),
            });
        }
    }
    Ok((files, prefixes))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n.len() > 1 && n != "..")
}

/// The hash of every document in the index, by source key.
fn existing_hashes(kho: &KhoIndex) -> Result<HashMap<String, String>, tantivy::TantivyError> {
    stored_text_map(kho, kho.fields.path, kho.fields.hash)
}

/// The stored `value` text of every live document, by its stored `key` text.
pub(crate) fn stored_text_map(
    kho: &KhoIndex,
    key: tantivy::schema::Field,
    value: tantivy::schema::Field,
) -> Result<HashMap<String, String>, tantivy::TantivyError> {
    let reader = kho.index.reader()?;
    let searcher = reader.searcher();
    let mut map = HashMap::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let k = doc.get_first(key).and_then(|v| v.as_str());
            let v = doc.get_first(value).and_then(|v| v.as_str());
            if let (Some(k), Some(v)) = (k, v) {
                map.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    Ok(map)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_paths_as_named() {
        let cases = [
            ("corpus", "corpus"),
            ("./corpus/", "corpus"),
            ("corpus/news/a.html", "corpus/news/a.html"),
            ("/srv/kho/corpus", "/srv/kho/corpus"),
            ("/srv/kho/tests/../corpus", "/srv/kho/corpus"),
            ("../shared/data", "../shared/data"),
            (".", "."),
        ];
        for (path, key) in cases {
            assert_eq!(key_of(Path::new(path)), key, "path {path}");
        }
    }

    #[test]
    fn ids_are_stable_and_short() {
        assert_eq!(document_id("corpus/news/a.html"), document_id("corpus/news/a.html"));
        assert_ne!(document_id("corpus/news/a.html"), document_id("corpus/news/b.html"));
        assert_eq!(document_id("x").len(), 16);
    }

    #[test]
    fn slow_work_times_out_and_fast_work_does_not() {
        assert_eq!(run_with_timeout(Duration::from_secs(30), || 7), Some(7));
        let slow = run_with_timeout(Duration::from_millis(20), || std::thread::sleep(Duration::from_secs(2)));
        assert_eq!(slow, None);
    }

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(first_line("\n\n  Hội thảo SXSH  \nnội dung").as_deref(), Some("Hội thảo SXSH"));
        assert_eq!(first_line("  \n "), None);
    }
}
