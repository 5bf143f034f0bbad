//! PPTX and ODT extraction on files LibreOffice made (`fixtures/workshop-slides.pptx` and
//! `fixtures/workshop-report.odt`, converted from the `.fodp`/`.fodt` beside them; see
//! `fixtures/README.md`), and refusal of zip bombs and corrupt packages with a reason.

use std::io::{Cursor, Write};

use kho_indexer::extract::{extract, ExtractError, Extracted, Format};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Parts larger than this are refused (the package reader's limit).
const PART_LIMIT: usize = 64 * 1024 * 1024;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{FIXTURES}/{name}");
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

fn paragraphs(extracted: &Extracted) -> Vec<&str> {
    extracted.body.split("\n\n").collect()
}

#[test]
fn formats_from_file_names() {
    let cases = [
        ("trinh-chieu.pptx", Some(Format::Pptx), "pptx"),
        ("HOI-THAO.PPTX", Some(Format::Pptx), "pptx"),
        ("bao-cao.odt", Some(Format::Odt), "odt"),
        ("bao-cao.Odt", Some(Format::Odt), "odt"),
        ("bao-cao.fodt", None, ""),
        ("trinh-chieu.ppt", None, ""),
    ];
    for (name, format, as_str) in cases {
        let got = Format::from_path(std::path::Path::new(name));
        assert_eq!(got, format, "{name}");
        assert_eq!(got.map_or("", Format::as_str), as_str, "{name}");
    }
}

#[test]
fn pptx_slides_come_in_order_with_their_notes() {
    let got = extract(Format::Pptx, &fixture("workshop-slides.pptx")).expect("readable PPTX");
    let want = [
        // Slide 1: title and subtitle, then its notes.
        "Hội thảo Sản xuất sạch hơn trong chế biến thủy sản",
        "Cần Thơ, ngày 21/5/2024",
        "Trung tâm Tư vấn Sản xuất sạch hơn vùng Đồng bằng sông Cửu Long",
        "Chào mừng đại biểu và nêu mục tiêu của hội thảo trong ba phút.",
        // Slide 2: title, the agenda table row by row, notes.
        "Chương trình buổi sáng",
        "Thời gian",
        "Nội dung",
        "Người trình bày",
        "08:00 – 08:30",
        "Đón tiếp đại biểu",
        "Ban tổ chức",
        "08:30 – 09:15",
        "Đánh giá nhanh tiêu thụ nước và điện",
        "Chuyên gia tư vấn",
        "09:15 – 10:00",
        "Thảo luận nhóm: giảm nước thải",
        "Các doanh nghiệp",
        "Nhắc đại biểu ký danh sách tham dự trước giờ giải lao.",
        // Slide 3: title, bullets, notes.
        "Kết quả mong đợi",
        "Mỗi doanh nghiệp chọn ba giải pháp ít tốn kém",
        "Giảm 15% lượng nước rửa nguyên liệu",
        "Thành lập nhóm SXSH tại từng nhà máy",
        "Nhấn mạnh: quản lý nội vi tốt hầu như không cần vốn đầu tư.",
    ];
    assert_eq!(paragraphs(&got), want);
    assert_eq!(got.title.as_deref(), Some("Hội thảo Sản xuất sạch hơn trong chế biến thủy sản"));
    assert_eq!(got.author.as_deref(), Some("Nguyễn Thị Hoà"));
    assert_eq!(got.date.as_deref(), Some("2024-05-14"));
}

#[test]
fn odt_text_in_reading_order_without_tracked_deletions() {
    let got = extract(Format::Odt, &fixture("workshop-report.odt")).expect("readable ODT");
    let want = [
        "Báo cáo tóm tắt hội thảo sản xuất sạch hơn",
        "Ngày 21/5/2024, hai mươi bảy doanh nghiệp chế biến thủy sản của Cần Thơ, Hậu Giang và Sóc Trăng đã \
         tham dự hội thảo.",
        "Mã hội thảo:\tSXSH-TS-05\nĐịa điểm:\tHội trường Sở Công Thương",
        // The text box follows the paragraph it is anchored to.
        "Các giải pháp được đề xuất:",
        "Ghi chú: mọi giải pháp đều do doanh nghiệp tự chọn.",
        "Thu gom phế phẩm đầu vỏ tôm để bán làm thức ăn chăn nuôi",
        "Lắp vòi xịt áp lực cao cho khâu rửa sàn",
        "Bảo ôn đường ống dẫn hơi của lò hơi",
        "Doanh nghiệp",
        "Giải pháp",
        "Nước tiết kiệm (m³/ngày)",
        "Công ty A",
        "Vòi xịt áp lực cao",
        "40",
        "Công ty B",
        "Tuần hoàn nước làm mát",
        "25",
        "Hội thảo kết thúc lúc 11 giờ 30.",
    ];
    assert_eq!(paragraphs(&got), want);
    // The deleted sentence is still in the file, among the tracked changes.
    assert!(!got.body.contains("Số liệu sơ bộ"), "{}", got.body);
    assert_eq!(got.title.as_deref(), Some("Báo cáo tóm tắt hội thảo SXSH ngành thủy sản"));
    assert_eq!(got.author.as_deref(), Some("Trần Văn Minh"));
    assert_eq!(got.date.as_deref(), Some("2024-05-22"));
}

/// A deflated zip of `parts`.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in parts {
        writer.start_file(*name, options).expect("start file");
        writer.write_all(content).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// Rewrites the uncompressed size that the zip's headers declare for every entry, as a zip bomb does
/// to slip past a check of declared sizes. Entries are found through the central directory.
fn declare_uncompressed_size(zip: &mut [u8], size: u32) {
    let end = zip.windows(4).rposition(|w| w == b"PK\x05\x06").expect("end of central directory");
    let field = |zip: &[u8], at: usize, len: usize| zip[at..at + len].iter().rev().fold(0, |n, b| n << 8 | *b as usize);
    let entries = field(zip, end + 10, 2);
    let mut central = field(zip, end + 16, 4);
    for _ in 0..entries {
        assert_eq!(&zip[central..central + 4], b"PK\x01\x02");
        let local = field(zip, central + 42, 4);
        assert_eq!(&zip[local..local + 4], b"PK\x03\x04");
        zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
        zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
        let name_and_extras = field(zip, central + 28, 2) + field(zip, central + 30, 2) + field(zip, central + 32, 2);
        central += 46 + name_and_extras;
    }
}

fn expect_refusal(format: Format, bytes: &[u8], want: &str, label: &str) {
    let reason = match (format, extract(format, bytes)) {
        (Format::Pptx, Err(err @ ExtractError::Pptx(_))) | (Format::Odt, Err(err @ ExtractError::Odt(_))) => {
            err.to_string()
        }
        (_, other) => panic!("{label}: expected a {} error, got {other:?}", format.as_str()),
    };
    assert!(reason.contains(want), "{label}: {reason:?} does not say {want:?}");
}

#[test]
fn zip_bombs_are_refused() {
    // 65 MiB of spaces deflate to about 64 KiB.
    let bomb = vec![b' '; PART_LIMIT + 1024 * 1024];
    let pptx = zip_of(&[("ppt/presentation.xml", &bomb)]);
    let odt = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", &bomb)]);
    assert!(pptx.len() < 1024 * 1024 && odt.len() < 1024 * 1024, "{} / {}", pptx.len(), odt.len());
    for (format, honest, part) in [(Format::Pptx, pptx, "ppt/presentation.xml"), (Format::Odt, odt, "content.xml")] {
        let want = format!("{part} is larger than 64 MiB");
        // Refused from the declared size, before inflating anything.
        expect_refusal(format, &honest, &want, "declared size");
        // Declared as 1 KiB: refused when the inflated bytes pass the limit.
        let mut lying = honest.clone();
        declare_uncompressed_size(&mut lying, 1024);
        let mut archive = zip::ZipArchive::new(Cursor::new(lying.as_slice())).expect("still a zip");
        assert_eq!(archive.by_name(part).expect("the part").size(), 1024);
        expect_refusal(format, &lying, &want, "lying size");
    }
}

#[test]
fn corrupt_packages_are_refused_with_a_reason() {
    let pptx = fixture("workshop-slides.pptx");
    let odt = fixture("workshop-report.odt");
    let garbage = b"PK\x03\x04\x14\x00garbage, not a zip".to_vec();
    // A flipped byte in the middle of the deflated content.xml: the zip's directory is intact.
    let mut damaged_odt = odt.clone();
    let content = damaged_odt.windows(11).position(|w| w == b"content.xml").expect("content.xml entry") + 11;
    for byte in &mut damaged_odt[content + 200..content + 400] {
        *byte ^= 0x5A;
    }
    let slide = "<p:sld xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"><p:cSld>";
    let presentation = "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" \
        xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
        <p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>";
    let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" \
        Target=\"slides/slide1.xml\"/></Relationships>";
    let broken_slide = zip_of(&[
        ("ppt/presentation.xml", presentation.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
        ("ppt/slides/slide1.xml", slide.as_bytes()),
    ]);
    let cases: Vec<(&str, Format, Vec<u8>, &str)> = vec![
        ("truncated pptx", Format::Pptx, pptx[..pptx.len() / 2].to_vec(), "not a valid PPTX: not a zip archive"),
        ("truncated odt", Format::Odt, odt[..odt.len() / 2].to_vec(), "not a valid ODT: not a zip archive"),
        ("garbage pptx", Format::Pptx, garbage.clone(), "not a zip archive"),
        ("garbage odt", Format::Odt, garbage, "not a zip archive"),
        ("damaged odt", Format::Odt, damaged_odt, "content.xml"),
        ("odt given as pptx", Format::Pptx, odt.clone(), "no ppt/presentation.xml in the package"),
        ("pptx given as odt", Format::Odt, pptx, "no content.xml in the package"),
        ("broken slide", Format::Pptx, broken_slide, "ppt/slides/slide1.xml: "),
    ];
    for (label, format, bytes, want) in cases {
        expect_refusal(format, &bytes, want, label);
    }
}
