//! Writing a run's documents into the index: what is there already (each document's hash, to skip what
//! did not change), folding near-duplicates into one document with every source listed, and replacing
//! documents by their key.
//!
//! Near-duplicates are folded within the run (the same article in two folders) and against the index
//! (the same article indexed by an earlier run, under another path): each new text's MinHash band keys
//! are looked up among the indexed documents' stored ones, and a candidate is confirmed on its stored
//! body. Nothing here commits; the caller commits once its work is written (see `run` and `jsonl`).

use std::collections::{HashMap, HashSet};

use kho_core::index::KhoIndex;
use kho_core::schema::KhoDocument;
use tantivy::collector::TopDocs;
use tantivy::query::TermSetQuery;
use tantivy::schema::{Field, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, TantivyError, Term};

use crate::dedup::{cluster, indexed_band_keys, signature, similarity, Signature, MIN_JACCARD};
use crate::report::IndexReport;

/// Memory for tantivy's indexing buffers.
const WRITER_HEAP_BYTES: usize = 128 * 1024 * 1024;
/// Indexed documents compared with a new one that shares a band key with it.
const MAX_DUPLICATE_CANDIDATES: usize = 20;

/// The index's writer (which locks the index against other writers until dropped).
pub(crate) fn open_writer(kho: &KhoIndex) -> Result<IndexWriter, TantivyError> {
    kho.index.writer(WRITER_HEAP_BYTES)
}

/// The stored hash of every live document, by its stored `key` field (`path` for files, `id` for
/// JSON Lines records).
pub(crate) fn existing_hashes(kho: &KhoIndex, key: Field) -> Result<HashMap<String, String>, TantivyError> {
    let reader = kho.index.reader()?;
    let searcher = reader.searcher();
    let mut map = HashMap::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let k = doc.get_first(key).and_then(|v| v.as_str());
            let v = doc.get_first(kho.fields.hash).and_then(|v| v.as_str());
            if let (Some(k), Some(v)) = (k, v) {
                map.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    Ok(map)
}

/// Writes `document` in place of the document whose `key` field is `value`, if there is one.
pub(crate) fn replace(
    writer: &IndexWriter,
    kho: &KhoIndex,
    key: Field,
    value: &str,
    document: &KhoDocument,
) -> Result<(), TantivyError> {
    writer.delete_term(Term::from_field_text(key, value));
    writer.add_document(document.to_tantivy(&kho.fields))?;
    Ok(())
}

/// What to write for one group of near-duplicate files of a run.
pub(crate) enum Write {
    /// A document of its own, listing its `duplicates` files among its sources.
    Document { document: KhoDocument, duplicates: usize },
    /// The group is the same article as a document already indexed: that document, with the group's
    /// files added to its sources.
    SourcesOf { original: KhoDocument, duplicates: usize },
    /// The group's files are already sources of an indexed document.
    AlreadyListed { duplicates: usize },
}

/// Groups the run's documents (each with its body's [`signature`]) by near-duplicate text, and each group
/// with an indexed document it duplicates (one that this run neither replaces nor removes).
pub(crate) fn fold_near_duplicates(
    pending: Vec<(KhoDocument, Option<Signature>)>,
    searcher: &Searcher,
    kho: &KhoIndex,
    replaced: &HashSet<String>,
) -> Result<Vec<Write>, TantivyError> {
    let (pending, signatures): (Vec<KhoDocument>, Vec<Option<Signature>>) = pending.into_iter().unzip();
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
) -> Result<Option<(KhoDocument, Signature)>, TantivyError> {
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

/// Writes the folded groups of a run (each in place of the document with its path), counting them
/// into `report`.
pub(crate) fn write_folded(
    writer: &IndexWriter,
    kho: &KhoIndex,
    writes: Vec<Write>,
    report: &mut IndexReport,
) -> Result<(), TantivyError> {
    for write in writes {
        match write {
            Write::Document { document, duplicates } => {
                report.duplicates += duplicates;
                replace(writer, kho, kho.fields.path, &document.path, &document)?;
                report.indexed += 1;
            }
            Write::SourcesOf { original, duplicates } => {
                report.duplicates += duplicates;
                replace(writer, kho, kho.fields.path, &original.path, &original)?;
            }
            Write::AlreadyListed { duplicates } => report.unchanged += duplicates,
        }
    }
    Ok(())
}
