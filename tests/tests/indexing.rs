//! The indexer on real files: idempotent re-runs, broken files reported, NFD and NFC alike.

mod common;

use std::fs;

use common::{corpus_dir, index, TestServer};
use unicode_normalization::UnicodeNormalization;

#[test]
fn reruns_skip_replace_and_remove() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    fs::create_dir_all(docs.join("news")).unwrap();
    fs::write(docs.join("news/a.txt"), "Hội thảo sản xuất sạch hơn tại Cần Thơ\n\nNội dung ngày 20/5/2012.").unwrap();
    fs::write(docs.join("news/b.txt"), "Nhà máy đường Sóc Trăng tiết kiệm điện").unwrap();
    fs::write(docs.join("bad.txt"), b"ok then \xff\xfe broken").unwrap();
    let index_dir = work.path().join("index");

    let first = index(&index_dir, &docs);
    assert_eq!((first.indexed, first.unchanged, first.removed), (2, 0, 0));
    assert_eq!(first.failed.len(), 1);
    assert!(first.failed[0].path.ends_with("bad.txt"));
    assert!(first.failed[0].reason.contains("UTF-8"), "{:?}", first.failed);

    let second = index(&index_dir, &docs);
    assert_eq!((second.indexed, second.unchanged, second.removed), (0, 2, 0));

    fs::write(docs.join("news/b.txt"), "Nhà máy đường Sóc Trăng tiết kiệm nước").unwrap();
    fs::remove_file(docs.join("news/a.txt")).unwrap();
    let third = index(&index_dir, &docs);
    assert_eq!((third.indexed, third.unchanged, third.removed), (1, 0, 1));

    let server = TestServer::start(&index_dir, &docs);
    let (_, health) = server.get_json("/healthz");
    assert_eq!(health["documents"], 1, "one document left, no duplicates");
    let found = server.search("tiet kiem nuoc");
    assert_eq!(found["total"], 1);
    let gone = server.search("Cần Thơ");
    assert_eq!(gone["total"], 0);
}

#[test]
fn corpus_broken_file_is_reported_and_the_rest_indexed() {
    let work = tempfile::tempdir().unwrap();
    let report = index(&work.path().join("index"), &corpus_dir());
    let failed: Vec<&str> = report.failed.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(failed.len(), 1, "only the deliberately broken file fails: {:?}", report.failed);
    assert!(failed[0].ends_with("broken/bao-cao-hong.pdf"));
    assert!(!report.failed[0].reason.is_empty());
    assert!(report.indexed >= 19, "{report:?}");
}

#[test]
fn nfd_and_nfc_documents_answer_the_same_queries() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    let text = "Hội thảo chia sẻ kinh nghiệm về hoạt động sản xuất sạch hơn trong công nghiệp \
                trên địa bàn tỉnh Bến Tre. Đại diện Sở Công Thương, Trung tâm Khuyến công và \
                Công ty Đường báo cáo hiệu quả áp dụng SXSH; nhà máy thuỷ sản tiết kiệm nước.";
    let nfc: String = text.nfc().collect();
    let nfd: String = text.nfd().collect();
    assert_ne!(nfc, nfd);
    // One index per form: in one index the two files are one article, folded as near-duplicates.
    let (nfc_dir, nfd_dir) = (docs.join("nfc"), docs.join("nfd"));
    fs::create_dir_all(&nfc_dir).unwrap();
    fs::create_dir_all(&nfd_dir).unwrap();
    fs::write(nfc_dir.join("nfc.txt"), &nfc).unwrap();
    fs::write(nfd_dir.join("nfd.txt"), &nfd).unwrap();
    let both = index(&work.path().join("both"), &docs);
    assert_eq!((both.indexed, both.duplicates), (1, 1), "the NFD copy is the same article: {both:?}");
    let (nfc_index, nfd_index) = (work.path().join("nfc-index"), work.path().join("nfd-index"));
    assert_eq!(index(&nfc_index, &nfc_dir).indexed, 1);
    assert_eq!(index(&nfd_index, &nfd_dir).indexed, 1);

    let nfc_server = TestServer::start(&nfc_index, &nfc_dir);
    let nfd_server = TestServer::start(&nfd_index, &nfd_dir);
    let queries = [
        "sản xuất sạch hơn",
        "san xuat sach hon",
        "Bến Tre",
        "khuyến công",
        "Đường",
        "duong",
        "thủy sản",
        "\"hội thảo chia sẻ\"",
        // the query itself in NFD
        &"Công Thương".nfd().collect::<String>(),
    ];
    for q in queries {
        let mut scores = Vec::new();
        for server in [&nfc_server, &nfd_server] {
            let response = server.search(q);
            assert_eq!(response["total"], 1, "query {q:?}: {response}");
            let hit = &response["hits"][0];
            assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{q:?}: {hit}");
            scores.push(hit["score"].as_f64().unwrap());
        }
        assert!((scores[0] - scores[1]).abs() < 1e-4, "same score for NFC and NFD, {q:?}: {scores:?}");
    }
}

/// An article republished by two provincial sites, as an HTML page and as a text file with a credit line.
const ARTICLE: &str = "Ngày 14/4/2011, tại Khách sạn Hùng Vương, TP Bến Tre, Sở Công Thương Bến Tre tổ chức hội thảo chia sẻ \
kinh nghiệm về hoạt động sản xuất sạch hơn trong công nghiệp trên địa bàn tỉnh. Đến tham dự hội thảo có đại diện lãnh đạo \
Văn phòng SXSH Bộ Công Thương, đại diện Sở Công Thương Bến Tre cùng 16 Sở Công Thương và Trung tâm Khuyến công các tỉnh \
phía Nam. Phó Giám đốc Trung tâm Khuyến công báo cáo kết quả triển khai các hoạt động SXSH tại Bến Tre thời gian qua.";

#[test]
fn near_duplicates_across_folders_and_runs_are_one_document_with_every_source() {
    let work = tempfile::tempdir().unwrap();
    let site_a = work.path().join("archive/ben-tre");
    let site_b = work.path().join("archive/vinh-long");
    let site_c = work.path().join("later");
    for dir in [&site_a, &site_b, &site_c] {
        fs::create_dir_all(dir).unwrap();
    }
    fs::write(site_a.join("hoi-thao.html"), format!("<html><body><article><p>{ARTICLE}</p></article></body></html>"))
        .unwrap();
    fs::write(site_b.join("hoi-thao-sxsh.txt"), format!("{ARTICLE}\n\nNguồn: Sở Công Thương Bến Tre.")).unwrap();
    fs::write(site_b.join("khac.txt"), "Nhà máy gạch Vĩnh Long chuyển sang lò tuynel").unwrap();
    let index_dir = work.path().join("index");

    let first = index(&index_dir, &work.path().join("archive"));
    assert_eq!((first.indexed, first.duplicates), (2, 1), "{first:?}");
    // Re-running changes nothing: the copy is already a source.
    let second = index(&index_dir, &work.path().join("archive"));
    assert_eq!((second.indexed, second.duplicates, second.unchanged), (0, 0, 3), "{second:?}");
    // A third copy, indexed by a later run over another folder, joins the indexed document.
    fs::write(site_c.join("bai-dang-lai.txt"), format!("Đăng lại: {ARTICLE}")).unwrap();
    let third = index(&index_dir, &site_c);
    assert_eq!((third.indexed, third.duplicates), (0, 1), "{third:?}");

    // Served with the whole work folder as its archive root, so every source shows its folders.
    let server = TestServer::start(&index_dir, work.path());
    let found = server.search("\"Khách sạn Hùng Vương\"");
    assert_eq!(found["total"], 1, "one document: {found}");
    let id = found["hits"][0]["id"].as_str().unwrap();
    let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
    let sources: Vec<&str> = doc["sources"].as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    for name in ["archive/ben-tre/hoi-thao.html", "archive/vinh-long/hoi-thao-sxsh.txt", "later/bai-dang-lai.txt"] {
        assert!(sources.contains(&name), "{name} in {sources:?}: relative to the archive root");
    }
    let (_, health) = server.get_json("/healthz");
    assert_eq!(health["documents"], 2);
}

#[test]
fn an_index_the_server_built_is_rebuilt_when_kho_cannot_read_it_any_more() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("a.txt"), "Hội thảo sản xuất sạch hơn tại Cần Thơ").unwrap();
    let built = work.path().join("built");
    kho_server::prepare_index(&built, &docs).expect("built from the folder");
    // As if an older Kho had written it: another analysis version.
    fs::write(built.join("kho-analysis-version"), "2").unwrap();
    let reopened = kho_server::prepare_index(&built, &docs).expect("rebuilt");
    let searcher = kho_core::search::KhoSearcher::new(reopened).unwrap();
    assert_eq!(searcher.num_docs(), 1);
    assert_eq!(
        fs::read_to_string(built.join("kho-analysis-version")).unwrap(),
        kho_core::index::ANALYSIS_VERSION.to_string()
    );

    // An index built by hand is not the server's to throw away: a clear error instead.
    let by_hand = work.path().join("by-hand");
    index(&by_hand, &docs);
    fs::write(by_hand.join("kho-analysis-version"), "2").unwrap();
    let error = format!("{:#}", kho_server::prepare_index(&by_hand, &docs).err().expect("refused"));
    assert!(error.contains("analysis") || error.contains("rebuild"), "{error}");
}

#[test]
fn office_files_keep_their_title_author_and_date() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("toolkit");
    fs::create_dir_all(&docs).unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../indexer/tests/fixtures");
    for name in ["workshop-slides.pptx", "workshop-report.odt"] {
        fs::copy(fixtures.join(name), docs.join(name)).unwrap();
    }
    let server = TestServer::start(&work.path().join("index"), &docs);
    // Words from a slide's speaker notes are searchable, unaccented too.
    let found = server.search("\"quan ly noi vi\" khong can von");
    assert!(common::hit_paths(&found)[0].ends_with("workshop-slides.pptx"), "{found}");
    let id = found["hits"][0]["id"].as_str().unwrap();
    let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
    assert_eq!(doc["title"], "Hội thảo Sản xuất sạch hơn trong chế biến thủy sản");
    assert_eq!(doc["author"], "Nguyễn Thị Hoà");
    assert_eq!(doc["date"], "2024-05-14");
    assert_eq!(doc["format"], "pptx");
    let (_, page) = server.get(&format!("/documents/{id}"));
    assert!(page.contains("<dt>Tác giả</dt><dd>Nguyễn Thị Hoà</dd>"), "author on the page");
}
