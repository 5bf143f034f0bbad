//! kho-dump: what a Kho index holds, in a form two builds can be compared by (`cmp` or `diff`), whatever
//! the segments, their order or the document addresses: the import-speed check of issue #14.
//!
//! - `kho-dump docs INDEX OUT`: every live stored document as one JSON line (fields in schema order,
//!   every value), sorted;
//! - `kho-dump terms INDEX OUT`: for every indexed field, how many distinct terms and postings it has and
//!   a digest of every posting — the term, the document's stored `id`, the term frequency and the
//!   positions — summed over the postings so that it does not depend on document order; then each
//!   term's document frequency over live documents, one line per term (`field<TAB>term<TAB>df`).
//!
//! Two indexes whose `docs` and `terms` dumps are identical store the same documents and match every
//! query on the same documents with the same frequencies and positions.
//!
//! ```sh
//! cargo build --release -p kho-bench && target/release/kho-dump docs IDX /tmp/docs.txt
//! ```

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use kho_core::index::open_index;
use tantivy::postings::Postings;
use tantivy::schema::{FieldType, IndexRecordOption, OwnedValue, Value};
use tantivy::{DocSet, TantivyDocument, TERMINATED};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-dump: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, index, out] = args.as_slice() else { bail!("usage: kho-dump docs|terms INDEX OUT") };
    let mut out = std::io::BufWriter::new(std::fs::File::create(out).with_context(|| format!("creating {out}"))?);
    match mode.as_str() {
        "docs" => dump_docs(Path::new(index), &mut out)?,
        "terms" => dump_terms(Path::new(index), &mut out)?,
        other => bail!("unknown mode {other:?}: docs or terms"),
    }
    out.flush()?;
    Ok(())
}

fn dump_docs(index: &Path, out: &mut impl Write) -> Result<()> {
    let kho = open_index(index)?;
    let schema = kho.index.schema();
    let searcher = kho.index.reader()?.searcher();
    let mut lines = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let mut fields = serde_json::Map::new();
            for (field, entry) in schema.fields() {
                let values: Vec<serde_json::Value> =
                    doc.get_all(field).map(|v| json_of(&OwnedValue::from(v))).collect();
                if !values.is_empty() {
                    fields.insert(entry.name().to_owned(), serde_json::Value::Array(values));
                }
            }
            lines.push(serde_json::Value::Object(fields).to_string());
        }
    }
    lines.sort_unstable();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn json_of(value: &OwnedValue) -> serde_json::Value {
    match value {
        OwnedValue::Str(s) => serde_json::Value::String(s.clone()),
        OwnedValue::U64(n) => serde_json::Value::from(*n),
        OwnedValue::I64(n) => serde_json::Value::from(*n),
        other => serde_json::Value::String(format!("{other:?}")),
    }
}

/// Per field: (terms, postings, digest); per (field, term): live document frequency.
fn dump_terms(index: &Path, out: &mut impl Write) -> Result<()> {
    let kho = open_index(index)?;
    let schema = kho.index.schema();
    let searcher = kho.index.reader()?.searcher();
    let mut summary: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut frequencies: BTreeMap<(String, Vec<u8>), u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        let mut ids: HashMap<u32, String> = HashMap::new();
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let id = doc.get_first(kho.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            ids.insert(doc_id, id);
        }
        for (field, entry) in schema.fields() {
            let record = match entry.field_type() {
                FieldType::Str(options) => match options.get_indexing_options() {
                    Some(indexing) => indexing.index_option(),
                    None => continue,
                },
                other if other.is_indexed() => IndexRecordOption::Basic,
                _ => continue,
            };
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream()?;
            let (postings_seen, digest) = summary.entry(entry.name().to_owned()).or_default();
            let mut positions = Vec::new();
            while terms.advance() {
                let term = terms.key().to_vec();
                let mut postings = inverted.read_postings_from_terminfo(terms.value(), record)?;
                let mut live = 0;
                while postings.doc() != TERMINATED {
                    if let Some(id) = ids.get(&postings.doc()) {
                        live += 1;
                        positions.clear();
                        if record.has_positions() {
                            postings.positions(&mut positions);
                        }
                        let mut hasher = DefaultHasher::new();
                        (&term, id, if record.has_freq() { postings.term_freq() } else { 0 }, &positions)
                            .hash(&mut hasher);
                        *digest = digest.wrapping_add(hasher.finish());
                        *postings_seen += 1;
                    }
                    postings.advance();
                }
                if live > 0 {
                    *frequencies.entry((entry.name().to_owned(), term)).or_default() += live;
                }
            }
        }
    }
    for (field, (postings, digest)) in &summary {
        let terms = frequencies.keys().filter(|(f, _)| f == field).count();
        writeln!(out, "# {field}: {terms} terms, {postings} postings, digest {digest:016x}")?;
    }
    for ((field, term), df) in &frequencies {
        writeln!(out, "{field}\t{}\t{df}", String::from_utf8_lossy(term).escape_debug())?;
    }
    Ok(())
}
