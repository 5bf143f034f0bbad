//! Scans through the real server: a scanned report (an image-only PDF made by pdftoppm and img2pdf from a
//! LibreOffice page; `indexer/tests/fixtures/README.md`) indexed with OCR is found by a phrase that exists
//! only as pixels, `/api/documents/{id}` says which pages OCR read and how confidently, its body marks
//! the pages, and the document page shows the OCR row. Needs Tesseract with its Vietnamese model
//! (`.ci/run` installs it); fails saying so without it.

mod common;

use std::path::Path;

use common::{index, TestServer};

#[test]
fn a_scanned_report_is_found_and_its_ocr_shown() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../indexer/tests/fixtures");
    let work = tempfile::tempdir().expect("temp dir");
    let archive = work.path().join("archive");
    std::fs::create_dir_all(archive.join("reports")).expect("folders");
    std::fs::copy(fixtures.join("scanned-report.pdf"), archive.join("reports/bao-cao-quang-tri.pdf")).expect("copy");
    let index_dir = work.path().join("index");
    let report = index(&index_dir, &archive);
    assert!(
        report.failed.is_empty(),
        "OCR needs tesseract-ocr, tesseract-ocr-vie and poppler-utils (.ci/run installs them): {:?}",
        report.failed
    );

    let server = TestServer::start(&index_dir, &archive);
    let results = server.search("\"bã sắn được ép khô\"");
    assert_eq!(results["total"], 1, "{results}");
    let hit = &results["hits"][0];
    assert_eq!(hit["format"], "pdf");
    assert!(hit["snippet"].as_str().unwrap_or_default().contains("<mark>"), "{hit}");
    let id = hit["id"].as_str().expect("an id");

    let (status, doc) = server.get_json(&format!("/api/documents/{id}"));
    assert_eq!(status, 200);
    assert_eq!(doc["ocr"]["pages"], serde_json::json!([1, 2]), "{doc}");
    let confidence = doc["ocr"]["confidence"].as_u64().expect("a confidence");
    assert!((80..=100).contains(&confidence), "{confidence}");
    let body = doc["body"].as_str().expect("a body");
    assert!(body.starts_with("[Trang 1 – OCR]") && body.contains("[Trang 2 – OCR]"), "{body}");

    let (status, page) = server.get(&format!("/documents/{id}"));
    assert_eq!(status, 200);
    assert!(page.contains("Nhận dạng chữ (OCR)") && page.contains("trang 1, 2"), "{page}");
}
