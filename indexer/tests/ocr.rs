//! OCR of real scans (made from LibreOffice pages by pdftoppm, img2pdf and ImageMagick; see
//! `fixtures/README.md`) through the Tesseract that `.ci/run` installs: an image-only PDF, a page
//! saved as PNG and as JPEG, a two-page TIFF and a PDF mixing a text page with a scanned one are read
//! in order, marked as OCR with their pages and confidence, and found by phrases from inside. Without
//! Tesseract (a program path that does not exist) or with OCR off, the files are reported with their
//! reasons and the run goes on.
//!
//! These tests need `tesseract` with its Vietnamese model: they fail, saying so, when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kho_core::index::open_index;
use kho_core::schema::KhoDocument;
use kho_core::search::{KhoSearcher, SearchRequest};
use kho_indexer::extract::{read_content, Content, Format, Page};
use kho_indexer::{index_paths, read_scanned, IndexOptions, IndexReport, OcrOptions};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture_path(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Fails the test, clearly, when Tesseract or its Vietnamese model is missing.
fn require_tesseract() {
    let listed = Command::new("tesseract").arg("--list-langs").output();
    let languages = match listed {
        Ok(output) => String::from_utf8_lossy(&output.stdout).into_owned(),
        Err(err) => panic!(
            "these tests need Tesseract ({err}): apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils \
             (.ci/run installs them)"
        ),
    };
    assert!(
        languages.lines().any(|l| l.trim() == "vie"),
        "these tests need Tesseract's Vietnamese model: apt-get install tesseract-ocr-vie; installed: {languages}"
    );
    assert!(
        Command::new("pdftoppm").arg("-v").output().is_ok(),
        "these tests need pdftoppm: apt-get install poppler-utils"
    );
}

/// Reads a fixture with OCR.
fn ocr_read(name: &str) -> kho_indexer::extract::Extracted {
    let format = Format::from_path(Path::new(name)).expect("a format");
    let content = read_content(format, &fixture(name)).expect("parses");
    read_scanned(content, &fixture_path(name), &OcrOptions::default()).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// Text with runs of whitespace made single spaces, for comparing OCR text across line breaks.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// Phrases Tesseract 5.3 reads right in these scans; it does misread a few syllables elsewhere ("kỵ" as
// "ky", "tinh bột" as "tỉnh bột", "KẾT QUẢ" as "KẾT QUÁ"), which is what OCR text is like: the search's
// diacritic-insensitive matching still finds "ky khi" or "tinh bot".
const REPORT_PAGE_1: [&str; 3] = [
    "Sở Công Thương tỉnh Quảng Trị đã tổ chức hội thảo giới thiệu sản xuất sạch hơn",
    "thu hồi khí sinh học từ hầm ủ",
    "thay thế than đá cho lò sấy",
];
const REPORT_PAGE_2: [&str; 2] =
    ["bã sắn được ép khô để bán làm thức ăn chăn nuôi", "nhân rộng mô hình hầm biogas phủ bạt"];
const NOTICE: [&str; 2] =
    ["tận dụng nước ót để sản xuất thạch cao", "làm muối và chế biến hải sản khô ven biển Ninh Hải"];

#[test]
fn an_image_only_pdf_is_read_page_by_page() {
    require_tesseract();
    let content = read_content(Format::Pdf, &fixture("scanned-report.pdf")).expect("parses");
    assert!(
        matches!(&content, Content::Pages { pages, .. } if pages == &[Page::Scanned, Page::Scanned]),
        "{content:?}"
    );
    let got = ocr_read("scanned-report.pdf");
    let body = &got.body;
    let (page_1, page_2) = (body.find("[Trang 1 – OCR]"), body.find("[Trang 2 – OCR]"));
    assert!(matches!((page_1, page_2), (Some(0), Some(_))), "page markers: {body}");
    let page_2_at = page_2.unwrap_or(0);
    for phrase in REPORT_PAGE_1 {
        let at = flat(&body[..page_2_at]).find(phrase);
        assert!(at.is_some(), "{phrase:?} on page 1 of {body}");
    }
    for phrase in REPORT_PAGE_2 {
        assert!(flat(&body[page_2_at..]).contains(phrase), "{phrase:?} on page 2 of {body}");
    }
    let title = got.title.as_deref().unwrap_or_default();
    assert!(title.starts_with("BÁO CÁO") && title.ends_with("HỘI THẢO SẢN XUẤT SẠCH HƠN"), "the first line: {title}");
    let ocr = got.ocr.expect("marked as OCR");
    assert_eq!(ocr.pages, vec![1, 2]);
    assert!((80.0..=100.0).contains(&ocr.confidence), "a clean 300 dpi scan reads confidently: {}", ocr.confidence);
}

#[test]
fn image_files_are_read_png_jpeg_and_every_page_of_a_tiff() {
    require_tesseract();
    for name in ["thong-bao-tap-huan.png", "thong-bao-tap-huan.jpg"] {
        let got = ocr_read(name);
        for phrase in NOTICE {
            assert!(flat(&got.body).contains(phrase), "{name}: {phrase:?} in {}", got.body);
        }
        assert!(!got.body.contains("[Trang"), "{name}: one page, no marker");
        assert_eq!(got.title.as_deref(), Some("THÔNG BÁO TẬP HUẤN SẢN XUẤT SẠCH HƠN"), "{name}");
        assert_eq!(got.ocr.map(|o| o.pages), Some(vec![1]), "{name}");
    }
    let tiff = ocr_read("scanned-report.tif");
    assert_eq!(tiff.ocr.as_ref().map(|o| o.pages.clone()), Some(vec![1, 2]));
    let page_2_at = tiff.body.find("[Trang 2 – OCR]").unwrap_or_else(|| panic!("page 2 marker: {}", tiff.body));
    assert!(flat(&tiff.body[..page_2_at]).contains(REPORT_PAGE_1[1]), "{}", tiff.body);
    assert!(flat(&tiff.body[page_2_at..]).contains(REPORT_PAGE_2[0]), "{}", tiff.body);
}

#[test]
fn a_pdf_mixing_text_and_a_scan_keeps_its_page_order() {
    require_tesseract();
    let content = read_content(Format::Pdf, &fixture("mixed-text-and-scan.pdf")).expect("parses");
    assert!(
        matches!(&content, Content::Pages { pages, .. } if matches!(pages.as_slice(), [Page::Text(_), Page::Scanned]))
    );
    let got = ocr_read("mixed-text-and-scan.pdf");
    let body = &got.body;
    assert!(body.starts_with("[Trang 1]\n\nBÁO CÁO KẾT QUẢ HỘI THẢO"), "{body}");
    let page_2_at = body.find("[Trang 2 – OCR]").unwrap_or_else(|| panic!("page 2 marker: {body}"));
    assert!(flat(&body[..page_2_at]).contains(REPORT_PAGE_1[1]), "{body}");
    assert!(flat(&body[page_2_at..]).contains(REPORT_PAGE_2[1]), "{body}");
    assert_eq!(got.ocr.map(|o| o.pages), Some(vec![2]), "only the scanned page is OCR");
}

/// The stored document with this id.
fn stored(index_dir: &Path, id: &str) -> KhoDocument {
    let kho = open_index(index_dir).expect("index");
    let searcher = kho.index.reader().expect("reader").searcher();
    let query = TermQuery::new(Term::from_field_text(kho.fields.id, id), IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).expect("search");
    let (_, address) = top.first().copied().unwrap_or_else(|| panic!("no document {id}"));
    let doc: TantivyDocument = searcher.doc(address).expect("stored");
    KhoDocument::from_stored(&doc, &kho.fields)
}

/// A folder with the scanned report, the PNG notice and the LibreOffice RTF.
fn archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    std::fs::create_dir_all(archive.join("reports")).expect("folders");
    for (from, to) in [
        ("scanned-report.pdf", "reports/bao-cao-quang-tri-scan.pdf"),
        ("thong-bao-tap-huan.png", "reports/thong-bao-ninh-thuan.png"),
        ("hoi-thao-sxsh-che-thai-nguyen.rtf", "reports/hoi-thao-thai-nguyen.rtf"),
    ] {
        std::fs::write(archive.join(to), fixture(from)).expect("copy");
    }
    archive
}

fn failures(report: &IndexReport) -> Vec<(String, String)> {
    let mut failed: Vec<(String, String)> = report
        .failed
        .iter()
        .map(|f| (f.path.rsplit('/').next().unwrap_or(&f.path).to_owned(), f.reason.clone()))
        .collect();
    failed.sort();
    failed
}

#[test]
fn scans_are_indexed_marked_and_found_by_a_phrase_inside() {
    require_tesseract();
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = archive(dir.path());
    let index_dir = dir.path().join("index");
    let report = index_paths(&IndexOptions::new(index_dir.clone(), vec![archive])).expect("run");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.indexed, 3, "{report:?}");

    let searcher = KhoSearcher::new(open_index(&index_dir).expect("index")).expect("searcher");
    let cases = [
        ("\"thu hồi khí sinh học\"", "bao-cao-quang-tri-scan.pdf", "pdf", vec![1, 2]),
        ("bã sắn được ép khô", "bao-cao-quang-tri-scan.pdf", "pdf", vec![1, 2]),
        ("\"nước ót\" thạch cao", "thong-bao-ninh-thuan.png", "png", vec![1]),
        ("lo dot vien nen trau", "hoi-thao-thai-nguyen.rtf", "rtf", vec![]),
    ];
    for (query, file, format, ocr_pages) in cases {
        let results = searcher.search(&SearchRequest::new(query)).expect("search");
        let hit = results.hits.first().unwrap_or_else(|| panic!("{query}: nothing found"));
        assert!(hit.path.ends_with(file) && hit.format == format, "{query}: {hit:?}");
        assert!(hit.snippet.contains("<mark>"), "{query}: {}", hit.snippet);
        let document = stored(&index_dir, &hit.id);
        assert_eq!(document.ocr_pages, ocr_pages, "{query}");
        match document.ocr_confidence {
            Some(confidence) => {
                assert!(!ocr_pages.is_empty() && (80..=100).contains(&confidence), "{query}: {confidence}")
            }
            None => assert!(ocr_pages.is_empty(), "{query}: OCR text without a confidence"),
        }
    }
}

#[test]
fn without_tesseract_scans_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = archive(dir.path());
    let missing = OcrOptions { tesseract: PathBuf::from("/nonexistent/bin/tesseract"), ..OcrOptions::default() };
    let options = IndexOptions { ocr: Some(missing), ..IndexOptions::new(dir.path().join("index"), vec![archive]) };
    let report = index_paths(&options).expect("the run itself succeeds");
    let reason = "needs OCR: tesseract not installed (Debian package tesseract-ocr)";
    assert_eq!(
        failures(&report),
        [
            ("bao-cao-quang-tri-scan.pdf".to_owned(), reason.to_owned()),
            ("thong-bao-ninh-thuan.png".to_owned(), reason.to_owned())
        ]
    );
    assert_eq!(report.indexed, 1, "the RTF is indexed: {report:?}");
}

#[test]
fn with_ocr_off_scans_are_reported_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = archive(dir.path());
    std::fs::write(archive.join("reports/mixed.pdf"), fixture("mixed-text-and-scan.pdf")).expect("copy");
    let options = IndexOptions { ocr: None, ..IndexOptions::new(dir.path().join("index"), vec![archive]) };
    let report = index_paths(&options).expect("run");
    assert_eq!(
        failures(&report),
        [
            ("bao-cao-quang-tri-scan.pdf".to_owned(), "PDF has no text layer (a scan?)".to_owned()),
            ("thong-bao-ninh-thuan.png".to_owned(), "png image: needs OCR (OCR is off)".to_owned()),
        ]
    );
    assert_eq!(report.indexed, 2, "the RTF, and the mixed PDF's text page: {report:?}");
}

#[test]
fn ocr_past_its_time_limit_is_killed_and_reported() {
    require_tesseract();
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = archive(dir.path());
    let hurried = OcrOptions { timeout: Duration::ZERO, ..OcrOptions::default() };
    let options = IndexOptions { ocr: Some(hurried), ..IndexOptions::new(dir.path().join("index"), vec![archive]) };
    let report = index_paths(&options).expect("run");
    assert_eq!(
        failures(&report),
        [
            ("bao-cao-quang-tri-scan.pdf".to_owned(), "OCR timed out after 0 s (on page 1)".to_owned()),
            ("thong-bao-ninh-thuan.png".to_owned(), "OCR timed out after 0 s (on page 1)".to_owned()),
        ]
    );
    assert_eq!(report.indexed, 1);
}
