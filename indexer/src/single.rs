//! One file at a time, for a server that takes uploads: [`index_file`] reads one file through the same
//! pipeline as a folder run (extraction isolated with a timeout, the same document assembly, near-duplicates
//! folded into the document they repeat) and commits; [`delete_document`] removes one document by its id.
//!
//! Unlike [`index_paths`](crate::index_paths), an unreadable file is the caller's error here
//! ([`IndexFileError::Unreadable`], with the reason a run's report would give), since there is no run to
//! go on with. Both take the index's one writer: while another writer holds it (a watcher's run, a
//! `kho-index` in a shell) they fail with an error whose [`IndexerError::is_index_locked`] is true, for
//! the caller to retry.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use kho_core::index::{open_or_create_index, KhoIndex};
use kho_core::schema::KhoDocument;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, TantivyError, Term};

use crate::dedup::signature;
use crate::document::document_id;
use crate::error::IndexerError;
use crate::extract::Format;
use crate::manifest::{kind_from_path, ManifestEntry};
use crate::report::IndexReport;
use crate::run::{read_file, IndexOptions};
use crate::walk::{key_of, SourceFile};
use crate::write::{fold_near_duplicates, open_writer, write_folded, Write};

/// What the uploader says of a file, over what the file says of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFacts {
    /// A built-in kind's name or any other label; by default the file's folder names say.
    pub kind: Option<String>,
    /// The title; by default the file's own metadata or first line.
    pub title: Option<String>,
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// A document of its own, with this id.
    Indexed { id: String },
    /// The file had been indexed with the same bytes already.
    Unchanged { id: String },
    /// The file repeats an indexed document (at least 80% of its word 3-shingles), which now lists it among
    /// its sources.
    DuplicateOf { id: String },
}

impl FileOutcome {
    /// The id of the document the file is (part of).
    pub fn id(&self) -> &str {
        match self {
            FileOutcome::Indexed { id } | FileOutcome::Unchanged { id } | FileOutcome::DuplicateOf { id } => id,
        }
    }
}

/// Why one file was not indexed.
#[derive(Debug, thiserror::Error)]
pub enum IndexFileError {
    /// The file cannot be read as a document: the reason a run's report would give.
    #[error("{reason}")]
    Unreadable { reason: String },
    /// The index could not be written.
    #[error(transparent)]
    Index(#[from] IndexerError),
}

impl From<TantivyError> for IndexFileError {
    fn from(error: TantivyError) -> IndexFileError {
        IndexFileError::Index(IndexerError::Write(error))
    }
}

/// A document removed by [`delete_document`]: the files it was made of, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedDocument {
    pub id: String,
    pub path: String,
    pub sources: Vec<String>,
}

/// Indexes the file at `path` into the index in `index_dir` and commits. The document's key is the path
/// as given (as `kho-index PATH` would store it), so a later run over its folder sees it as unchanged.
pub fn index_file(
    index_dir: &Path,
    path: &Path,
    facts: &FileFacts,
    timeout: Duration,
) -> Result<FileOutcome, IndexFileError> {
    let Some(format) = Format::from_path(path) else {
        return Err(IndexFileError::Unreadable {
            reason: "unsupported format (expected .html .htm .txt .pdf .docx .pptx .odt .doc .rtf .png .jpg .jpeg .tif .tiff)"
                .to_owned(),
        });
    };
    let kho = open_or_create_index(index_dir).map_err(IndexerError::from)?;
    let key = key_of(path);
    let manifest = (facts.kind.is_some() || facts.title.is_some()).then(|| ManifestEntry {
        path: key.clone(),
        kind: facts.kind.clone(),
        title: facts.title.clone(),
        date: None,
    });
    let file = SourceFile { path: path.to_owned(), kind_hint: kind_from_path(&key), key, format, manifest };
    // The writer first: it is the lock that keeps two writers from reading the same old state.
    let mut writer = open_writer(&kho)?;
    let searcher = kho.index.reader()?.searcher();
    let previous = stored_by(&searcher, &kho, kho.fields.path, &file.key)?;
    let previous_hash = previous.as_ref().map(|doc| doc.hash.clone());
    // Read as `kho-index` reads a file (scans through OCR with its defaults), within `timeout`.
    let options = IndexOptions { file_timeout: timeout, ..IndexOptions::new(index_dir, Vec::new()) };
    let document = match read_file(&file, previous_hash.as_ref(), &options) {
        Ok(Some(document)) => document,
        Ok(None) => return Ok(FileOutcome::Unchanged { id: document_id(&file.key) }),
        Err(error) => return Err(IndexFileError::Unreadable { reason: error.to_string() }),
    };
    let replaced: HashSet<String> = std::iter::once(file.key.clone()).collect();
    let signature = signature(&document.body);
    let writes = fold_near_duplicates(vec![(document, signature)], &searcher, &kho, &replaced)?;
    let outcome = match writes.first() {
        Some(Write::Document { document, .. }) => FileOutcome::Indexed { id: document.id.clone() },
        Some(Write::SourcesOf { original, .. }) => FileOutcome::DuplicateOf { id: original.id.clone() },
        Some(Write::AlreadyListed { .. }) | None => {
            let listing = stored_by(&searcher, &kho, kho.fields.source, &file.key)?;
            let id = listing.map_or_else(|| document_id(&file.key), |doc| doc.id);
            return Ok(FileOutcome::DuplicateOf { id });
        }
    };
    write_folded(&writer, &kho, writes, &mut IndexReport::default())?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(outcome)
}

/// Removes the document with this id from the index in `index_dir` and commits; `None` when there is
/// no such document.
pub fn delete_document(index_dir: &Path, id: &str) -> Result<Option<DeletedDocument>, IndexerError> {
    let kho = open_or_create_index(index_dir)?;
    let mut writer = open_writer(&kho)?;
    let searcher = kho.index.reader()?.searcher();
    let Some(stored) = stored_by(&searcher, &kho, kho.fields.id, id)? else {
        return Ok(None);
    };
    writer.delete_term(Term::from_field_text(kho.fields.id, id));
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(Some(DeletedDocument { id: stored.id, path: stored.path, sources: stored.sources }))
}

/// The live document whose `field` (an untokenized one: id, path, source) holds `value`.
fn stored_by(
    searcher: &tantivy::Searcher,
    kho: &KhoIndex,
    field: Field,
    value: &str,
) -> Result<Option<KhoDocument>, TantivyError> {
    let query = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.into_iter().next() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    // Only the fields a caller reads are checked: a document without an id is not one of ours.
    if doc.get_first(kho.fields.id).and_then(|v| v.as_str()).is_none() {
        return Ok(None);
    }
    Ok(Some(KhoDocument::from_stored(&doc, &kho.fields)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Hội thảo về tiết kiệm năng lượng tại nhà máy giấy Bãi Bằng\n\n\
        Ngày 5/6/2014, các chuyên gia đã trao đổi về tiết kiệm năng lượng, giảm nước thải và thu hồi \
        bột giấy tại nhà máy giấy, với các giải pháp sản xuất sạch hơn cho ngành giấy và bột giấy.\n";

    #[test]
    fn one_file_is_indexed_unchanged_duplicated_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let first = dir.path().join("uploads/giay.txt");
        std::fs::create_dir_all(first.parent().unwrap()).unwrap();
        std::fs::write(&first, ARTICLE).unwrap();
        let facts = FileFacts { kind: Some("report".to_owned()), title: Some("Giấy Bãi Bằng".to_owned()) };

        let outcome = index_file(&index, &first, &facts, Duration::from_secs(30)).unwrap();
        let FileOutcome::Indexed { id } = outcome.clone() else { panic!("{outcome:?}") };
        assert_eq!(id, document_id(&key_of(&first)));
        let again = index_file(&index, &first, &facts, Duration::from_secs(30)).unwrap();
        assert_eq!(again, FileOutcome::Unchanged { id: id.clone() });

        let copy = dir.path().join("uploads/giay-2.txt");
        std::fs::write(&copy, ARTICLE).unwrap();
        let duplicate = index_file(&index, &copy, &FileFacts::default(), Duration::from_secs(30)).unwrap();
        assert_eq!(duplicate, FileOutcome::DuplicateOf { id: id.clone() });

        let kho = kho_core::index::open_index(&index).unwrap();
        let searcher = kho.index.reader().unwrap().searcher();
        let stored = stored_by(&searcher, &kho, kho.fields.id, &id).unwrap().unwrap();
        assert_eq!(stored.title, "Giấy Bãi Bằng");
        assert_eq!(stored.kind, "report");
        assert_eq!(stored.sources, vec![key_of(&first), key_of(&copy)]);

        let deleted = delete_document(&index, &id).unwrap().unwrap();
        assert_eq!(deleted.path, key_of(&first));
        assert_eq!(delete_document(&index, &id).unwrap(), None);
        let searcher = kho.index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 0);
    }

    #[test]
    fn unreadable_files_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let cases =
            [("broken.docx", b"not a zip at all".as_slice(), "zip"), ("x.exe", b"MZ".as_slice(), "unsupported")];
        for (name, bytes, reason) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let error = index_file(&index, &path, &FileFacts::default(), Duration::from_secs(30)).unwrap_err();
            let IndexFileError::Unreadable { reason: given } = &error else { panic!("{error:?}") };
            assert!(given.to_lowercase().contains(reason), "{name}: {given}");
        }
    }

    #[test]
    fn a_second_writer_is_told_the_index_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let kho = open_or_create_index(&index).unwrap();
        let _held = open_writer(&kho).unwrap();
        let error = delete_document(&index, "0123456789abcdef").unwrap_err();
        assert!(error.is_index_locked(), "{error:?}");
    }
}
