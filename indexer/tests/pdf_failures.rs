//! PDFs that cannot be indexed, made by real tools from the seed article (see `fixtures/README.md`):
//! one encrypted with a user password (qpdf), one scanned page with no text layer (pdftoppm + img2pdf).
//! Each is refused with its own reason, and an indexing run over a folder with both and good documents
//! reports the two with their paths and reasons and still indexes the rest.

use std::path::Path;

use kho_core::index::open_index;
use kho_core::search::{KhoSearcher, SearchRequest};
use kho_indexer::extract::{extract, ExtractError, Format};
use kho_indexer::{index_paths, IndexOptions};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const SHARED_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data");

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{FIXTURES}/{name}");
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

#[test]
fn a_pdf_with_a_user_password_is_encrypted() {
    match extract(Format::Pdf, &fixture("encrypted-user-password.pdf")) {
        Err(err @ ExtractError::PdfEncrypted) => assert_eq!(err.to_string(), "PDF is encrypted"),
        other => panic!("expected PdfEncrypted, got {other:?}"),
    }
}

#[test]
fn a_pdf_with_only_an_owner_password_opens() {
    // Encrypted against editing only (empty user password): any viewer opens it, so does Kho.
    let extracted = extract(Format::Pdf, &fixture("encrypted-owner-password.pdf")).expect("opens without a password");
    let seed = std::fs::read(format!("{SHARED_DATA}/pdf/seed-article.pdf")).expect("the shared seed article");
    let plain = extract(Format::Pdf, &seed).expect("readable");
    assert_eq!(extracted.body, plain.body);
}

#[test]
fn a_scanned_pdf_has_no_text() {
    match extract(Format::Pdf, &fixture("scanned-no-text.pdf")) {
        Err(err @ ExtractError::PdfNoText) => assert_eq!(err.to_string(), "PDF has no text layer (a scan?)"),
        other => panic!("expected PdfNoText, got {other:?}"),
    }
}

#[test]
fn an_indexing_run_reports_both_and_indexes_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("toolkit")).expect("folders");
    for (from, to) in [
        ("encrypted-user-password.pdf", "toolkit/bao-cao-mat.pdf"),
        ("scanned-no-text.pdf", "toolkit/ban-scan.pdf"),
        ("workshop-slides.pptx", "toolkit/hoi-thao.pptx"),
        ("workshop-report.odt", "toolkit/bao-cao.odt"),
    ] {
        std::fs::write(archive.join(to), fixture(from)).expect("copy fixture");
    }
    let index_dir = dir.path().join("index");
    // OCR off: what a scan without it is reported as (`tests/ocr.rs` reads scans).
    let options = IndexOptions { ocr: None, ..IndexOptions::new(index_dir.clone(), vec![archive.clone()]) };
    let report = index_paths(&options).expect("the run itself succeeds");

    assert_eq!(report.indexed, 2, "{report:?}");
    assert!(!report.all_failed());
    let root = archive.to_string_lossy().replace('\\', "/");
    let mut failed: Vec<(&str, &str)> = report.failed.iter().map(|f| (f.path.as_str(), f.reason.as_str())).collect();
    failed.sort();
    let (scan, encrypted) = (format!("{root}/toolkit/ban-scan.pdf"), format!("{root}/toolkit/bao-cao-mat.pdf"));
    assert_eq!(
        failed,
        [(scan.as_str(), "PDF has no text layer (a scan?)"), (encrypted.as_str(), "PDF is encrypted")],
        "{report:?}"
    );
    assert!(report.summary().ends_with("failed 2"), "{}", report.summary());

    let searcher = KhoSearcher::new(open_index(Path::new(&index_dir)).expect("index")).expect("searcher");
    assert_eq!(searcher.num_docs(), 2);
    for (query, path, format) in
        [("nội vi vốn đầu tư", "toolkit/hoi-thao.pptx", "pptx"), ("vòi xịt áp lực cao", "toolkit/bao-cao.odt", "odt")]
    {
        let results = searcher.search(&SearchRequest::new(query)).expect("search");
        let hit = results.hits.first().unwrap_or_else(|| panic!("{query}: no hit"));
        assert_eq!((hit.path.as_str(), hit.format.as_str()), (format!("{root}/{path}").as_str(), format), "{query}");
    }
}
