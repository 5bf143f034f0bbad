//! Bulk import of JSON Lines (plain and gzip) through the real indexer and server: ids kept, near-duplicates
//! indexed once with every source listed, re-imports idempotent, bad lines reported.

mod common;

use std::io::Write;

use common::TestServer;
use kho_indexer::{index_jsonl, JsonlOptions};

const ARTICLE: &str =
    "Ngày 14/4/2011, tại Khách sạn Hùng Vương, TP Bến Tre, Sở Công Thương Bến Tre tổ chức hội thảo chia \
sẻ kinh nghiệm về hoạt động sản xuất sạch hơn trong công nghiệp trên địa bàn tỉnh. Đến tham dự hội thảo có đại diện \
lãnh đạo Văn phòng SXSH Bộ Công Thương, đại diện Sở Công Thương Bến Tre cùng 16 Sở Công Thương và Trung tâm Khuyến \
công các tỉnh phía Nam. Phó Giám đốc Trung tâm Khuyến công báo cáo kết quả triển khai các hoạt động SXSH.";

fn line(id: &str, title: &str, body: &str, url: &str) -> String {
    serde_json::json!({"id": id, "title": title, "body": body, "url": url}).to_string()
}

fn write_gzip(path: &std::path::Path, lines: &[String]) {
    let file = std::fs::File::create(path).unwrap();
    let mut gz = flate2_writer(file);
    for l in lines {
        writeln!(gz, "{l}").unwrap();
    }
}

/// A gzip writer from the same crate the importer reads with, through the indexer's dependency tree.
fn flate2_writer(file: std::fs::File) -> impl Write {
    flate2::write::GzEncoder::new(file, flate2::Compression::default())
}

#[test]
fn imports_jsonl_with_duplicates_folded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive.jsonl.gz");
    let mut lines = vec![
        line("bt-2011", "Hội thảo SXSH Bến Tre", ARTICLE, "https://sct.bentre.gov.vn/a"),
        line(
            "copy-1",
            "Bến Tre: hội thảo SXSH",
            &format!("{ARTICLE} Nguồn: Sở Công Thương Bến Tre."),
            "https://moit.gov.vn/b",
        ),
        line(
            "mill-7",
            "Nhà máy đường",
            "Nhà máy đường Sông Mã giảm 38% lượng than tiêu thụ mỗi vụ ép mía.",
            "https://x/c",
        ),
        "{\"id\": \"\", \"body\": \"no id\"}".to_owned(),
        "this is not json".to_owned(),
    ];
    write_gzip(&file, &lines);
    let index_dir = dir.path().join("index");
    let options = JsonlOptions { index_dir: index_dir.clone(), file: file.clone(), progress: false };

    let report = index_jsonl(&options).unwrap();
    assert_eq!((report.indexed, report.duplicates, report.failed.len()), (2, 1, 2), "{report:?}");
    assert!(report.failed[0].path.ends_with(":4") && report.failed[1].path.ends_with(":5"), "{report:?}");

    let again = index_jsonl(&options).unwrap();
    assert_eq!((again.indexed, again.unchanged, again.duplicates), (0, 2, 1), "{again:?}");

    lines[2] = line("mill-7", "Nhà máy đường", "Nhà máy đường Sông Mã giảm 40% lượng than.", "https://x/c");
    write_gzip(&file, &lines);
    let changed = index_jsonl(&options).unwrap();
    assert_eq!((changed.indexed, changed.unchanged), (1, 1), "{changed:?}");

    let server = TestServer::start(&index_dir, dir.path());
    let (_, health) = server.get_json("/healthz");
    assert_eq!(health["documents"], 2);
    let found = server.search("hoi thao san xuat sach hon ben tre");
    assert_eq!(found["hits"][0]["id"], "bt-2011", "ids are kept: {found}");
    assert_eq!(found["hits"][0]["date"], "2011-04-14");
    let (_, doc) = server.get_json("/api/documents/bt-2011");
    let sources: Vec<&str> = doc["sources"].as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
    assert_eq!(sources, ["https://sct.bentre.gov.vn/a", "https://moit.gov.vn/b"]);
    assert_eq!(server.search("40%")["hits"][0]["id"], "mill-7");
}

/// Kinds are an open vocabulary: an archive of laws and decisions imports as it labels itself, and the
/// labels are faceted, filtered on and shown as given.
#[test]
fn imports_any_kind_and_filters_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laws.jsonl");
    let record = |id: &str, title: &str, body: &str, kind: &str| {
        serde_json::json!({"id": id, "title": title, "body": body, "kind": kind}).to_string()
    };
    let lines = [
        record(
            "luat-24-2018",
            "Luật An ninh mạng",
            "Luật này quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.",
            "law",
        ),
        record(
            "qd-1419",
            "Quyết định 1419/QĐ-TTg",
            "Phê duyệt Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020, bảo đảm an toàn môi trường.",
            "quyết định",
        ),
        record("bt-2011", "Hội thảo SXSH Bến Tre", ARTICLE, "News"),
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let index_dir = dir.path().join("index");
    let options = JsonlOptions { index_dir: index_dir.clone(), file, progress: false };
    let report = index_jsonl(&options).unwrap();
    assert_eq!((report.indexed, report.failed.len()), (3, 0), "{report:?}");

    let server = TestServer::start(&index_dir, dir.path());
    let laws = server.search("an toàn kind:law");
    let ids: Vec<&str> = laws["hits"].as_array().unwrap().iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["luat-24-2018"], "{laws}");
    assert_eq!(laws["hits"][0]["kind"], "law");
    let decisions = server.search(r#"kind:"quyết định""#);
    assert_eq!(decisions["hits"][0]["id"], "qd-1419", "{decisions}");
    assert_eq!(server.search("hội thảo kind:news")["hits"][0]["id"], "bt-2011", "built-in names in any case");

    let all = server.search("luật quyết hội");
    let kinds = all["facets"]["kind"].as_array().unwrap();
    let law = kinds.iter().find(|k| k["value"] == "law").unwrap_or_else(|| panic!("{all}"));
    assert_eq!((law["name"].as_str(), law["count"].as_u64()), (Some("law"), Some(1)));
    let (status, page) = server.get(&format!("/?q={}", common::encode("luật quyết hội")));
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-facet="kind:&quot;quyết định&quot;""#), "a facet link for a label with a space");
}
