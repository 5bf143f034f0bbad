//! Bulk import of JSON Lines, so an existing archive can be moved in:
//! `kho-index --index DIR --jsonl FILE` (FILE may be gzip-compressed).
//!
//! One object per line with `id` (or `_id`), `title`, `body` (or `text`), and optional `abstract` (put
//! before the body), `date`, `kind`, `url`, `source`. A document keeps its `id` everywhere in the API.
//! Near-duplicates within the file (the same article republished on several sites) are indexed once,
//! under the first one's id, with every source listed. Re-importing is idempotent: unchanged documents are
//! skipped, changed ones replaced. Work is committed every few thousand documents, so an interrupted
//! import keeps what was committed and the next run completes it without duplicates.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use kho_core::analysis::normalize_text;
use kho_core::index::open_or_create_index;
use kho_core::schema::KhoDocument;
use kho_core::Kind;
use serde::Deserialize;
use tantivy::{IndexWriter, Term};

use crate::captions::find_captions;
use crate::date::{find_date, normalize_iso_date};
use crate::dedup::{cluster, indexed_band_keys, signature, Signature};
use crate::run::{progress_bar, sha256_hex, stored_text_map, tag_metadata, IndexerError, WRITER_HEAP_BYTES};
use crate::{FailedFile, IndexReport};

/// Documents written between two commits.
const COMMIT_EVERY: usize = 5_000;

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct JsonlOptions {
    pub index_dir: PathBuf,
    pub file: PathBuf,
    pub progress: bool,
}

#[derive(Debug, Deserialize)]
struct Record {
    #[serde(alias = "_id")]
    id: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(default, alias = "text")]
    body: String,
    #[serde(default, rename = "abstract")]
    summary: Option<String>,
    date: Option<String>,
    kind: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

/// One record ready to index.
struct Entry {
    id: String,
    title: String,
    body: String,
    date: Option<String>,
    kind: Kind,
    source: String,
}

/// Imports `options.file` into `options.index_dir`.
pub fn index_jsonl(options: &JsonlOptions) -> Result<IndexReport, IndexerError> {
    let mut report = IndexReport::default();
    let entries = read_entries(&options.file, &mut report)?;
    let signatures = signatures(&entries);
    let groups = cluster(&signatures);

    let kho = open_or_create_index(&options.index_dir)?;
    let existing = stored_text_map(&kho, kho.fields.id, kho.fields.hash)?;
    let mut writer: IndexWriter = kho.index.writer(WRITER_HEAP_BYTES)?;
    let mut sources: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, &group) in groups.iter().enumerate() {
        sources.entry(group).or_default().push(entries[i].source.clone());
    }
    let progress = progress_bar(options.progress, entries.len());
    let mut since_commit = 0;
    for (i, entry) in entries.iter().enumerate() {
        progress.inc(1);
        if groups[i] != i {
            report.duplicates += 1;
            if existing.contains_key(&entry.id) {
                // Imported before as a document of its own: now it is a source of its original.
                writer.delete_term(Term::from_field_text(kho.fields.id, &entry.id));
                report.removed += 1;
            }
            continue;
        }
        let mut document = to_document(entry, sources.remove(&i).unwrap_or_default());
        document.dup_bands = signatures[i].as_ref().map(indexed_band_keys).unwrap_or_default();
        if existing.get(&entry.id) == Some(&document.hash) {
            report.unchanged += 1;
            continue;
        }
        writer.delete_term(Term::from_field_text(kho.fields.id, &entry.id));
        writer.add_document(document.to_tantivy(&kho.fields))?;
        report.indexed += 1;
        since_commit += 1;
        if since_commit >= COMMIT_EVERY {
            writer.commit()?;
            since_commit = 0;
        }
    }
    progress.finish_and_clear();
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(report)
}

fn read_entries(file: &Path, report: &mut IndexReport) -> Result<Vec<Entry>, IndexerError> {
    let open_err = |e: std::io::Error| IndexerError::Read { path: file.to_owned(), source: e };
    let reader = open_maybe_gzip(file).map_err(open_err)?;
    let file_key = file.to_string_lossy().into_owned();
    let mut entries = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(open_err)?;
        if line.trim().is_empty() {
            continue;
        }
        match parse_record(&line, &file_key) {
            Ok(entry) => entries.push(entry),
            Err(reason) => report.failed.push(FailedFile { path: format!("{file_key}:{}", number + 1), reason }),
        }
    }
    Ok(entries)
}

fn open_maybe_gzip(file: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut handle = std::fs::File::open(file)?;
    let mut magic = [0u8; 2];
    let read = handle.read(&mut magic)?;
    let handle = std::fs::File::open(file)?;
    if read == 2 && magic == [0x1f, 0x8b] {
        return Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(handle))));
    }
    Ok(Box::new(BufReader::new(handle)))
}

fn parse_record(line: &str, file_key: &str) -> Result<Entry, String> {
    let record: Record = serde_json::from_str(line).map_err(|e| format!("not a JSON object with id and body: {e}"))?;
    let id = match &record.id {
        serde_json::Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("`id` must be a non-empty string or a number".to_owned()),
    };
    let body = match record.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(summary) => format!("{summary}\n\n{}", record.body),
        None => record.body,
    };
    let body = normalize_text(&body).into_owned();
    if body.trim().is_empty() {
        return Err(format!("document {id} has no body"));
    }
    let kind = match record.kind.as_deref() {
        Some(text) => {
            Kind::parse(text).ok_or_else(|| format!("unknown kind {text:?} (news, report, toolkit, other)"))?
        }
        None => Kind::Other,
    };
    let date = record.date.as_deref().and_then(normalize_iso_date).or_else(|| find_date(&body));
    let source = record.url.or(record.source).unwrap_or_else(|| format!("{file_key}#{id}"));
    Ok(Entry { title: normalize_text(record.title.trim()).into_owned(), body, date, kind, source, id })
}

/// MinHash signatures of every body, computed on all cores.
fn signatures(entries: &[Entry]) -> Vec<Option<Signature>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    let chunk = entries.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|e| signature(&e.body)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn to_document(entry: &Entry, sources: Vec<String>) -> KhoDocument {
    let fingerprint = format!(
        "{}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{}",
        entry.title,
        entry.body,
        sources.join("\u{2}"),
        entry.date,
        entry.kind.as_str()
    );
    let metadata = tag_metadata(&entry.title, &entry.body);
    KhoDocument {
        id: entry.id.clone(),
        path: entry.source.clone(),
        title: entry.title.clone(),
        body: entry.body.clone(),
        kind: entry.kind,
        format: "jsonl".to_owned(),
        date: entry.date.clone(),
        hash: sha256_hex(fingerprint.as_bytes()),
        provinces: metadata.provinces,
        sectors: metadata.sectors,
        organizations: metadata.organizations,
        captions: find_captions(&entry.body),
        dup_bands: Vec::new(),
        author: None,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records() {
        let cases = [
            (r#"{"id": "a1", "title": "Tiêu đề", "body": "Nội dung ngày 14/4/2011"}"#, Ok(("a1", Some("2011-04-14")))),
            (r#"{"_id": "luat@1", "title": "Luật", "text": "Điều 1"}"#, Ok(("luat@1", None))),
            (r#"{"id": 7, "body": "x", "date": "2012-05-20"}"#, Ok(("7", Some("2012-05-20")))),
            (r#"{"id": "", "body": "x"}"#, Err(())),
            (r#"{"id": "b", "body": "  "}"#, Err(())),
            (r#"{"id": "c", "body": "x", "kind": "poem"}"#, Err(())),
            (r#"not json"#, Err(())),
        ];
        for (line, expected) in cases {
            let parsed = parse_record(line, "f.jsonl").map(|e| (e.id, e.date)).map_err(|_| ());
            let expected = expected.map(|(id, date)| (id.to_owned(), date.map(str::to_owned)));
            assert_eq!(parsed, expected, "line {line}");
        }
    }

    #[test]
    fn abstract_goes_before_the_body_and_sources_default_to_the_file() {
        let entry = parse_record(r#"{"id": "n1", "abstract": "Tóm tắt.", "body": "Thân bài."}"#, "news.jsonl").unwrap();
        assert_eq!(entry.body, "Tóm tắt.\n\nThân bài.");
        assert_eq!(entry.source, "news.jsonl#n1");
    }
}
