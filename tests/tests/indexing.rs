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
    fs::write(docs.join("nfc.txt"), &nfc).unwrap();
    fs::write(docs.join("nfd.txt"), &nfd).unwrap();
    let index_dir = work.path().join("index");
    assert_eq!(index(&index_dir, &docs).indexed, 2);

    let server = TestServer::start(&index_dir, &docs);
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
        let response = server.search(q);
        assert_eq!(response["total"], 2, "query {q:?}: {response}");
        let hits = response["hits"].as_array().unwrap();
        let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
        assert!((scores[0] - scores[1]).abs() < 1e-4, "same score for NFC and NFD, {q:?}: {scores:?}");
        for hit in hits {
            assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{q:?}: {hit}");
        }
    }
}
