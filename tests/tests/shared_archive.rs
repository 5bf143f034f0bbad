//! The shared real-world files: every PDF (exported by LibreOffice) and DOCX law in `../shared/data` is
//! indexed with its text, and a phrase from the middle of each is found by search, with that file among
//! the sources of the hit. A law's PDF and DOCX are the same text, so each pair is one document listing
//! both files.

mod common;

use std::path::{Path, PathBuf};

use common::{encode, TestServer};
use kho_indexer::extract::{extract, Format};
use kho_indexer::{index_paths, IndexOptions};

fn shared(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data").join(folder)
}

/// Eight words from the middle of a file's text, as a quoted phrase.
fn phrase_from_middle(path: &Path) -> String {
    let format = Format::from_path(path).expect("a known format");
    let extracted = extract(format, &std::fs::read(path).expect("read")).expect("extract");
    let words: Vec<&str> = extracted.body.split_whitespace().collect();
    assert!(words.len() > 100, "{}: only {} words", path.display(), words.len());
    // The first run of eight plain words (no punctuation) from the middle on: contiguous in the text.
    let plain = |w: &&str| w.chars().all(char::is_alphabetic);
    let start = (words.len() / 2..words.len() - 8)
        .find(|&i| words[i..i + 8].iter().all(plain))
        .unwrap_or_else(|| panic!("{}: no eight plain words in a row", path.display()));
    format!("\"{}\"", words[start..start + 8].join(" "))
}

#[test]
fn every_shared_pdf_and_docx_is_indexed_and_found_by_a_phrase_from_inside() {
    let files: Vec<PathBuf> = ["pdf", "docx"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(shared(folder)).expect("shared data beside the checkout"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| Format::from_path(path).is_some())
        .collect();
    assert_eq!(files.len(), 13, "7 PDFs and 6 DOCX files: {files:?}");

    let work = tempfile::tempdir().expect("temp dir");
    let index_dir = work.path().join("index");
    let report = index_paths(&IndexOptions::new(&index_dir, vec![shared("pdf"), shared("docx")])).expect("run");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.indexed + report.duplicates, 13, "{report:?}");
    assert_eq!(report.duplicates, 6, "each law's PDF folds into its DOCX or the other way: {report:?}");

    let server = TestServer::start(&index_dir, &shared("pdf"));
    for file in &files {
        let phrase = phrase_from_middle(file);
        let (status, response) = server.get_json(&format!("/api/search?q={}", encode(&phrase)));
        assert_eq!(status, 200);
        let id = response["hits"][0]["id"].as_str().unwrap_or_else(|| panic!("{phrase} found nothing: {response}"));
        let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let sources: Vec<&str> = doc["sources"].as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
        assert!(sources.iter().any(|s| s.ends_with(&name)), "{phrase}: {name} not among {sources:?}");
        assert!(response["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"), "{phrase}");
    }
}
