//! Running headers, footers and page numbers on a real PDF: `fixtures/workshop-proceedings.pdf`, which
//! LibreOffice made from `fixtures/workshop-proceedings.fodt` (five pages, each with the header
//! "Bộ Công Thương — Tài liệu hội thảo SXSH" and the footer "Trang N/5"; see `fixtures/README.md`).
//! The extracted body must have every paragraph of the document and none of the page furniture.

use kho_core::analysis::normalize_text;
use kho_indexer::extract::extract_pdf_text;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

const HEADER: &str = "Bộ Công Thương — Tài liệu hội thảo SXSH";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{FIXTURES}/{name}");
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

/// NFC, lowercase, whitespace collapsed: how text is compared here.
fn comparable(text: &str) -> String {
    let text = normalize_text(text).to_lowercase();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headings and paragraphs of the document body in the `.fodt` source, in order.
fn source_paragraphs() -> Vec<String> {
    let source = String::from_utf8(fixture("workshop-proceedings.fodt")).expect("UTF-8 source");
    let xml = roxmltree::Document::parse(&source).expect("well-formed source");
    let body = xml.descendants().find(|n| n.has_tag_name("text") && n.parent().is_some_and(|p| p.has_tag_name("body")));
    let body = body.expect("office:text");
    body.descendants()
        .filter(|n| n.has_tag_name("p") || n.has_tag_name("h"))
        // Soft hyphens mark where a word may break; the extracted text has the whole word.
        .map(|n| {
            n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect::<String>().replace('\u{AD}', "")
        })
        .collect()
}

/// "Trang 2/5" and the like: a page number with the page count.
fn is_page_of_count(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("Trang ") else {
        return false;
    };
    let Some((page, count)) = rest.split_once('/') else {
        return false;
    };
    [page, count].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn the_fixture_has_page_furniture() {
    // Read without this crate's extractor, to know the header and footers are there to be dropped.
    let document = lopdf::Document::load_mem(&fixture("workshop-proceedings.pdf")).expect("readable PDF");
    let pages = document.get_pages();
    assert_eq!(pages.len(), 5, "five pages");
    for (number, _) in pages {
        let text = document.extract_text(&[number]).expect("page text");
        let text = text.split_whitespace().collect::<String>();
        assert!(text.contains(&format!("Trang{number}/5")), "page {number} has its footer: {text:?}");
        assert!(text.contains("SXSH"), "page {number} has its header");
    }
}

#[test]
fn headers_and_footers_are_dropped_and_the_body_kept() {
    let extracted = extract_pdf_text(&fixture("workshop-proceedings.pdf")).expect("readable PDF");
    let body = comparable(&extracted.body);
    assert!(!body.contains(&comparable(HEADER)), "the running header is dropped:\n{}", extracted.body);
    assert!(!body.contains("tài liệu hội thảo sxsh"), "no part of the header is left:\n{}", extracted.body);
    for line in extracted.body.lines() {
        assert!(!is_page_of_count(line), "footer {line:?} is dropped");
    }
    assert!(!body.contains("trang 1/5") && !body.contains("trang 5/5"), "no footer text:\n{}", extracted.body);
    let paragraphs = source_paragraphs();
    assert!(paragraphs.len() >= 20, "the source has its paragraphs: {}", paragraphs.len());
    for paragraph in &paragraphs {
        assert!(body.contains(&comparable(paragraph)), "paragraph missing: {paragraph:?}\n{}", extracted.body);
    }
    // The body is nothing but those paragraphs, in their order.
    let expected = comparable(&paragraphs.join(" "));
    assert_eq!(body, expected, "the body is exactly the document's paragraphs");
}

#[test]
fn a_heading_repeated_mid_page_is_kept() {
    let extracted = extract_pdf_text(&fixture("workshop-proceedings.pdf")).expect("readable PDF");
    let repeated = extracted.body.split("\n\n").filter(|p| comparable(p) == comparable("Ý kiến thảo luận")).count();
    assert_eq!(repeated, 4, "one discussion heading per session:\n{}", extracted.body);
}

#[test]
fn paragraphs_stay_paragraphs() {
    let extracted = extract_pdf_text(&fixture("workshop-proceedings.pdf")).expect("readable PDF");
    let paragraphs: Vec<String> = extracted.body.split("\n\n").map(comparable).collect();
    for heading in
        ["Kỷ yếu hội thảo sản xuất sạch hơn ngành dệt nhuộm", "Phiên thứ ba: giải pháp kỹ thuật cho khâu nhuộm"]
    {
        assert!(paragraphs.contains(&comparable(heading)), "{heading:?} is its own paragraph:\n{}", extracted.body);
    }
    assert_eq!(extracted.title.as_deref(), Some("Kỷ yếu hội thảo sản xuất sạch hơn ngành dệt nhuộm"));
}

#[test]
fn a_word_hyphenated_at_a_line_end_is_joined() {
    // The English summary's soft hyphens let LibreOffice break "environ-" / "mental" across lines.
    let extracted = extract_pdf_text(&fixture("workshop-proceedings.pdf")).expect("readable PDF");
    assert!(!extracted.body.contains("environ-"), "the hyphen is undone:\n{}", extracted.body);
    assert!(extracted.body.contains("discussed environmental management"), "{}", extracted.body);
    // A real hyphen inside a line stays.
    assert!(extracted.body.contains("forty-two"), "{}", extracted.body);
}
