//! Word 97-2003 (`.doc`) and RTF files saved by LibreOffice 7.4 from one Vietnamese workshop report
//! (`fixtures/hoi-thao-sxsh-che-thai-nguyen.fodt`; see `fixtures/README.md`): text, table, footnote
//! and properties come out of both, and an indexing run finds them by a phrase from inside, as one
//! document with both files as its sources (they are the same report).

use std::path::Path;

use kho_core::index::open_index;
use kho_core::search::{KhoSearcher, SearchRequest};
use kho_indexer::extract::{extract, ExtractError, Extracted, Format};
use kho_indexer::{index_paths, IndexOptions};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const STEM: &str = "hoi-thao-sxsh-che-thai-nguyen";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{FIXTURES}/{name}");
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

fn paragraphs(extracted: &Extracted) -> Vec<&str> {
    extracted.body.split("\n\n").collect()
}

/// What both files must give: every paragraph of the report in order (the line break and the tab
/// kept), table cells as paragraphs, the footnote after the body (its anchor dropped), and the
/// properties.
fn check_report(format: Format, extracted: &Extracted) {
    let label = format.as_str();
    let want = [
        "Hội thảo sản xuất sạch hơn trong chế biến chè tại Thái Nguyên",
        "Ngày 16/10/2019, Sở Công Thương tỉnh Thái Nguyên phối hợp với Trung tâm Khuyến công tổ chức hội thảo \
         “Sản xuất sạch hơn trong chế biến chè” cho 42 cơ sở sao sấy chè của huyện Đại Từ và thành phố Thái Nguyên.",
        "Các đại biểu nghe giới thiệu kết quả đánh giá nhanh tại ba xưởng chè: lò sấy dùng củi được thay bằng lò \
         đốt viên nén trấu, tôn lót tôn quay được bảo ôn, nước rửa lá chè được lắng lọc rồi dùng lại để tưới \
         nương.\nMỗi xưởng giảm khoảng 18% chi phí nhiên liệu trong vụ chè thu.",
        "Ông Hoàng Văn Tuấn, chủ cơ sở chè Tân Cương, cho biết:\t“Búp chè sấy đều màu hơn, khói bụi trong xưởng \
         giảm hẳn.”",
        "Giải pháp",
        "Tiết kiệm mỗi năm",
        "Lò đốt viên nén trấu",
        "62 triệu đồng",
        "Hội thảo kết thúc bằng buổi tham quan thực tế tại hợp tác xã chè La Bằng.",
        "Số liệu do Trung tâm Khuyến công cung cấp.",
    ];
    assert_eq!(paragraphs(extracted), want, "{label}");
    assert!(!extracted.body.contains("HYPERLINK") && !extracted.body.contains("\\"), "{label}: {}", extracted.body);
    assert_eq!(
        extracted.title.as_deref(),
        Some("Báo cáo hội thảo sản xuất sạch hơn ngành chế biến chè Thái Nguyên"),
        "{label}"
    );
    assert_eq!(extracted.author.as_deref(), Some("Nguyễn Thị Hồng Nhung"), "{label}");
    assert_eq!(extracted.date.as_deref(), Some("2019-10-17"), "{label}");
}

#[test]
fn a_doc_saved_by_libreoffice_gives_its_text_and_properties() {
    let extracted = extract(Format::Doc, &fixture(&format!("{STEM}.doc"))).expect("readable");
    check_report(Format::Doc, &extracted);
}

#[test]
fn an_rtf_saved_by_libreoffice_gives_its_text_and_properties() {
    let extracted = extract(Format::Rtf, &fixture(&format!("{STEM}.rtf"))).expect("readable");
    check_report(Format::Rtf, &extracted);
}

#[test]
fn damaged_files_are_refused_with_a_reason() {
    let mut cut_doc = fixture(&format!("{STEM}.doc"));
    cut_doc.truncate(3000);
    let cases: Vec<(&str, Format, Vec<u8>, &str)> = vec![
        ("a cut .doc", Format::Doc, cut_doc, "not a valid DOC"),
        ("a .docx named .doc", Format::Doc, fixture("workshop-report.odt"), "not a valid DOC: not a compound file"),
        ("HTML named .rtf", Format::Rtf, b"<html><body>x</body></html>".to_vec(), "not a valid RTF: no {\\rtf header"),
    ];
    for (label, format, bytes, want) in cases {
        match extract(format, &bytes) {
            Err(err @ (ExtractError::Doc(_) | ExtractError::Rtf(_))) => {
                assert!(err.to_string().starts_with(want), "{label}: {err}")
            }
            other => panic!("{label}: {other:?}"),
        }
    }
}

#[test]
fn an_indexing_run_finds_both_by_an_inner_phrase() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("reports")).expect("folders");
    for ext in ["doc", "rtf"] {
        std::fs::write(archive.join(format!("reports/{STEM}.{ext}")), fixture(&format!("{STEM}.{ext}"))).expect("copy");
    }
    let index_dir = dir.path().join("index");
    let report = index_paths(&IndexOptions::new(index_dir.clone(), vec![archive.clone()])).expect("run");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!((report.indexed, report.duplicates), (1, 1), "the same report twice is one document: {report:?}");

    let searcher = KhoSearcher::new(open_index(Path::new(&index_dir)).expect("index")).expect("searcher");
    for query in ["\"lò đốt viên nén trấu\"", "búp chè sấy đều màu", "lo dot vien nen trau"] {
        let results = searcher.search(&SearchRequest::new(query)).expect("search");
        assert_eq!(results.total, 1, "{query}: {results:?}");
        let hit = &results.hits[0];
        assert_eq!(hit.title, "Báo cáo hội thảo sản xuất sạch hơn ngành chế biến chè Thái Nguyên", "{query}");
        assert!(hit.snippet.contains("<mark>"), "{query}: {}", hit.snippet);
        let document = searcher.document(&hit.id).expect("lookup").expect("stored");
        let mut sources: Vec<String> =
            document.sources.iter().map(|s| s.rsplit('/').next().unwrap_or(s).to_owned()).collect();
        sources.sort();
        assert_eq!(sources, [format!("{STEM}.doc"), format!("{STEM}.rtf")], "{query}");
        assert_eq!(document.author.as_deref(), Some("Nguyễn Thị Hồng Nhung"));
        assert_eq!(document.date.as_deref(), Some("2019-10-17"));
    }
}
