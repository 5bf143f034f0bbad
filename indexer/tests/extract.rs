//! The extractors on real files: LibreOffice PDFs and Word DOCX files of six Vietnamese laws and a
//! news article (from the shared data set), and small fixtures for boilerplate and broken input.
//!
//! The strongest check is PDF against DOCX: the same law's text, extracted from both formats, must
//! agree word for word, which catches split or glued words and mis-decoded glyphs in the PDF path.

use std::collections::HashMap;

use kho_core::analysis::normalize::is_combining_mark;
use kho_core::analysis::normalize_text;
use kho_indexer::extract::{
    extract_docx_text, extract_html_text, extract_pdf_text, extract_plain_text, ExtractError, Extracted,
};

const SHARED_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The laws that exist as both PDF and DOCX.
const LAWS: &[&str] = &[
    "LUATANNINHMANG",
    "LUATANTOANTHONGTINMANG",
    "LUATCHUYENGIAOCONGNGHE",
    "LUATCONGNGHETHONGTIN",
    "LUATKHOAHOCCONGNGHE",
    "LUATTRITUENHANTAO",
];

/// Measured agreement is 1.0 for all six laws; the margin allows for an odd glyph without letting
/// a systematic fault (split words, missing spaces, a bad CMap) through.
const MIN_WORD_AGREEMENT: f64 = 0.99;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

fn shared(relative: &str) -> Vec<u8> {
    read(&format!("{SHARED_DATA}/{relative}"))
}

fn fixture(name: &str) -> Vec<u8> {
    read(&format!("{FIXTURES}/{name}"))
}

/// NFC, lowercase, whitespace collapsed: how text is compared here.
fn comparable(text: &str) -> String {
    let text = normalize_text(text).to_lowercase();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_contains(extracted: &Extracted, phrases: &[&str], label: &str) {
    let body = comparable(&extracted.body);
    for phrase in phrases {
        assert!(body.contains(&comparable(phrase)), "{label}: {phrase:?} not found");
    }
}

/// Word counts after NFC and lowercasing; a word is a run of letters, digits and combining marks.
fn word_counts(text: &str) -> HashMap<String, usize> {
    let text = normalize_text(text).to_lowercase();
    let mut counts = HashMap::new();
    let words = text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)));
    for word in words.filter(|w| !w.is_empty()) {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}

/// The share of `reference`'s words (as a multiset) that `candidate` also has.
fn word_agreement(reference: &str, candidate: &str) -> f64 {
    let reference = word_counts(reference);
    let candidate = word_counts(candidate);
    let total: usize = reference.values().sum();
    let found: usize = reference.iter().map(|(word, &n)| n.min(candidate.get(word).copied().unwrap_or(0))).sum();
    found as f64 / total.max(1) as f64
}

#[test]
fn seed_article_pdf() {
    let extracted = extract_pdf_text(&shared("pdf/seed-article.pdf")).expect("readable PDF");
    assert_contains(
        &extracted,
        &[
            "Hội thảo chia sẻ kinh nghiệm",
            "Bến Tre",
            "sản xuất sạch hơn",
            "Khách sạn Hùng Vương, TP Bến Tre",
            "Bà Trần Thị Liên",
            "giai đoạn 2009-2013",
        ],
        "seed-article.pdf",
    );
    assert!(extracted.body.contains("\n\n"), "paragraphs are separated");
    let date = extracted.date.expect("CreationDate");
    assert!(date.len() == 10 && date.as_bytes()[4] == b'-', "date {date}");
}

#[test]
fn law_pdfs_and_docx_agree_word_for_word() {
    for law in LAWS {
        let pdf = extract_pdf_text(&shared(&format!("pdf/{law}.pdf"))).expect("readable PDF");
        let docx = extract_docx_text(&shared(&format!("docx/{law}.docx"))).expect("readable DOCX");
        let agreement = word_agreement(&docx.body, &pdf.body);
        println!("{law}: {:.4} of the DOCX words are in the PDF text", agreement);
        assert!(agreement >= MIN_WORD_AGREEMENT, "{law}: agreement {agreement:.4}");
        // The other way round too: the PDF text has no words the DOCX lacks (page furniture aside).
        let reverse = word_agreement(&pdf.body, &docx.body);
        assert!(reverse >= MIN_WORD_AGREEMENT, "{law}: reverse agreement {reverse:.4}");
    }
}

#[test]
fn law_texts_have_their_structure() {
    let pdf = extract_pdf_text(&shared("pdf/LUATCHUYENGIAOCONGNGHE.pdf")).expect("readable PDF");
    let docx = extract_docx_text(&shared("docx/LUATCHUYENGIAOCONGNGHE.docx")).expect("readable DOCX");
    for (label, extracted) in [("pdf", &pdf), ("docx", &docx)] {
        assert_contains(
            extracted,
            &[
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Luật số: 07/2017/QH14",
                "Điều 1. Phạm vi điều chỉnh",
                "Bí quyết bao gồm bí quyết kỹ thuật",
            ],
            label,
        );
        let paragraphs: Vec<&str> = extracted.body.split("\n\n").collect();
        assert!(
            paragraphs.iter().any(|p| comparable(p) == comparable("Điều 1. Phạm vi điều chỉnh")),
            "{label}: article heading is its own paragraph"
        );
    }
    // The field code of the hyperlink around "Hiến pháp" is not text.
    assert!(!docx.body.contains("HYPERLINK"), "field instructions leak into the DOCX text");
    assert_eq!(docx.date.as_deref(), Some("2025-12-31"));
}

#[test]
fn every_law_docx_reads() {
    for law in LAWS {
        let docx = extract_docx_text(&shared(&format!("docx/{law}.docx"))).expect("readable DOCX");
        assert_contains(&docx, &["QUỐC HỘI", "Điều 1."], law);
        assert!(docx.date.is_some(), "{law}: dcterms:created");
    }
}

#[test]
fn html_page_loses_its_boilerplate() {
    let extracted = extract_html_text(&fixture("boilerplate.html")).expect("has text");
    assert_eq!(extracted.title.as_deref(), Some("Hội thảo sản xuất sạch hơn tại Bến Tre | Cổng thông tin"));
    assert_eq!(extracted.date.as_deref(), Some("2011-04-14"));
    assert_contains(
        &extracted,
        &[
            "Hội thảo chia sẻ kinh nghiệm về sản xuất sạch hơn",
            // Entities decoded, the source line breaks inside the paragraph collapsed.
            "Ngày 14/4/2011, tại Khách sạn Hùng Vương, TP Bến Tre, Sở Công Thương Bến Tre tổ chức \
             “Hội thảo chia sẻ kinh nghiệm về hoạt động sản xuất sạch hơn”.",
            // &nbsp; is a plain space.
            "Đến tham dự hội thảo có đại diện",
            "Hình 1. Bà Trần Thị Liên phát biểu",
            "Giảm 10% điện năng",
        ],
        "boilerplate.html",
    );
    assert!(!extracted.body.contains('\u{A0}'), "no-break spaces are plain spaces");
    let boilerplate = [
        "Trang chủ",
        "Tìm kiếm",
        "Cổng thông tin Sở Công Thương",
        "Tin liên quan",
        "Địa chỉ",
        "dataLayer",
        "track()",
        "font-family",
        "JavaScript",
    ];
    for phrase in boilerplate {
        assert!(!extracted.body.contains(phrase), "boilerplate {phrase:?} in the body");
    }
    let paragraphs: Vec<&str> = extracted.body.split("\n\n").collect();
    assert_eq!(paragraphs.first(), Some(&"Hội thảo chia sẻ kinh nghiệm về sản xuất sạch hơn"));
    assert!(paragraphs.contains(&"và 16 Sở Công Thương các tỉnh phía Nam."), "<br> breaks");
}

#[test]
fn corrupt_pdf_is_an_error() {
    match extract_pdf_text(&fixture("corrupt.pdf")) {
        Err(ExtractError::Pdf(reason)) => assert!(!reason.is_empty()),
        other => panic!("expected ExtractError::Pdf, got {other:?}"),
    }
}

#[test]
fn zip_that_is_not_a_docx_is_an_error() {
    match extract_docx_text(&fixture("not-a-docx.docx")) {
        Err(ExtractError::Docx(reason)) => assert!(reason.contains("word/document.xml"), "{reason}"),
        other => panic!("expected ExtractError::Docx, got {other:?}"),
    }
    // Nor is a PDF.
    assert!(matches!(extract_docx_text(&shared("pdf/seed-article.pdf")), Err(ExtractError::Docx(_))));
}

#[test]
fn text_with_invalid_utf8_is_an_error() {
    let bytes = fixture("invalid-utf8.txt");
    let expected = std::str::from_utf8(&bytes).map_err(|e| e.valid_up_to()).err();
    assert_eq!(expected, Some(45), "the fixture's first bad byte");
    match extract_plain_text(&bytes) {
        Err(ExtractError::InvalidUtf8 { offset }) => assert_eq!(offset, 45),
        other => panic!("expected ExtractError::InvalidUtf8, got {other:?}"),
    }
}

#[test]
fn text_with_bom_and_crlf_reads() {
    let extracted = extract_plain_text(&fixture("bom-crlf.txt")).expect("valid UTF-8");
    assert_eq!(extracted.body, "Quốc hội ban hành Luật Khoa học và Công nghệ.\n\nChương I\n");
    assert_eq!(extracted.title, None);
}
