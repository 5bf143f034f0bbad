//! The foundation, end to end: index the bundled corpus with the real indexer, start the real server on
//! a loopback port, and search it over HTTP with and without diacritics.

mod common;

use common::{corpus_dir, hit_paths, TestServer};

/// The seed article, as public responses show its path: relative to the corpus, never absolute.
const SEED: &str = "news/ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html";
const LIBRARY_BOOKS: &str = "news/quang-ngai-thu-vien-tiep-nhan-sach-huong-dan-2014.html";

/// One server over one index of the corpus for all the checks below (building it is the slow part).
fn server() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(&dir.path().join("index"), &corpus_dir());
    (dir, server)
}

#[test]
fn searches_the_corpus_over_http() {
    let (_dir, server) = server();

    let (status, health) = server.get_json("/healthz");
    assert_eq!(status, 200);
    assert!(health["documents"].as_u64().unwrap() >= 15, "{health}");

    seed_article_first_with_and_without_diacritics(&server);
    exact_diacritics_rank_first(&server);
    bad_requests_get_400(&server);
    documents_and_page(&server);
    seed_wraps_repaired_and_captions_kept(&server);
}

/// The seed article's source breaks "quá" across two lines ("q\nuá") and has five figure captions.
fn seed_wraps_repaired_and_captions_kept(server: &TestServer) {
    let response = server.search("\"kết quả quá trình triển khai\"");
    assert!(hit_paths(&response).first().is_some_and(|p| p.ends_with(SEED)), "repaired wrap: {response}");
    let id = response["hits"][0]["id"].as_str().unwrap().to_owned();
    let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
    let body = doc["body"].as_str().unwrap();
    assert!(body.contains("kết quả quá trình") && !body.contains(" q uá"), "{body}");
    let captions: Vec<&str> = doc["captions"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
    assert_eq!(captions.len(), 5, "{captions:?}");
    assert_eq!(captions[0], "Hình 1. Bà Trần Thị Liên phát biểu chia sẻ kinh nghiệm");
    assert!(captions[4].starts_with("Hình 5. Hệ thống xử lý khí thải"), "{captions:?}");

    // caption: finds the words in a caption, not in the body text around it.
    let in_caption = server.search("caption:\"Tham quan nhà máy thuốc lá\"");
    assert_eq!(hit_paths(&in_caption).len(), 1, "{in_caption}");
    assert!(hit_paths(&in_caption)[0].ends_with(SEED));
    let unaccented = server.search("caption:\"xu ly khi thai\"");
    assert!(hit_paths(&unaccented).first().is_some_and(|p| p.ends_with(SEED)), "{unaccented}");
    assert!(hit_paths(&server.search("\"Khách sạn Hùng Vương\"")).iter().any(|p| p.ends_with(SEED)));
    let body_only = server.search("caption:\"Khách sạn Hùng Vương\"");
    assert_eq!(hit_paths(&body_only).len(), 0, "{body_only}");

    let (status, page) = server.get(&format!("/documents/{id}"));
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<p class="caption">Hình 2. Tham quan nhà máy mía đường Bến Tre</p>"#),
        "caption paragraph"
    );
    assert!(page.contains("Chú thích ảnh"));
}

fn seed_article_first_with_and_without_diacritics(server: &TestServer) {
    for q in ["hội thảo sản xuất sạch hơn Bến Tre", "hoi thao san xuat sach hon ben tre"] {
        let response = server.search(q);
        let first = &response["hits"][0];
        assert_eq!(first["path"], SEED, "query {q:?}: {response}");
        assert_eq!(first["kind"], "news");
        assert_eq!(first["date"], "2011-04-14");
        let snippet = first["snippet"].as_str().unwrap();
        // The original accented words are highlighted, whatever the user typed.
        let marked: Vec<&str> = snippet.split("<mark>").skip(1).filter_map(|s| s.split("</mark>").next()).collect();
        assert!(!marked.is_empty(), "no highlight in {snippet}");
        assert!(
            marked.iter().any(|w| ["hội", "Hội", "thảo", "sản", "xuất", "sạch", "hơn", "Bến"].contains(w)),
            "accented words highlighted for {q:?}: {marked:?}"
        );
        assert!(!snippet.contains("<script"), "snippet is escaped: {snippet}");
        assert!(response["total"].as_u64().unwrap() >= 1);
        assert!(response["took_ms"].as_f64().is_some());
    }
}

fn exact_diacritics_rank_first(server: &TestServer) {
    // "sách" (book): the library article is about books, and ranks first.
    let books = server.search("sách hướng dẫn thư viện");
    assert!(hit_paths(&books)[0].ends_with(LIBRARY_BOOKS), "{books}");

    // "sạch" (clean): the same article matches only after folding, so every document that really says
    // "sạch" ranks above it.
    real_sach_ranks_above_the_book(server, "sạch", &[]);
}

/// Every hit that says "sạch" (and has `also` in its text) ranks above the book article.
fn real_sach_ranks_above_the_book(server: &TestServer, query: &str, also: &[&str]) {
    let clean = server.search(query);
    let paths = hit_paths(&clean);
    let library_rank = paths.iter().position(|p| p.ends_with(LIBRARY_BOOKS));
    let has_also = |id: &str| {
        let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
        let text = format!("{} {}", doc["title"].as_str().unwrap_or(""), doc["body"].as_str().unwrap_or(""));
        also.iter().all(|words| text.contains(words))
    };
    let exact_ranks: Vec<usize> = clean["hits"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, hit)| hit["snippet"].as_str().unwrap_or("").contains("<mark>sạch</mark>"))
        .filter(|(_, hit)| has_also(hit["id"].as_str().unwrap_or("")))
        .map(|(rank, _)| rank)
        .collect();
    assert!(!exact_ranks.is_empty(), "{clean}");
    if let Some(library_rank) = library_rank {
        assert!(exact_ranks.iter().all(|&r| r < library_rank), "{query}: sạch ranks above sách: {paths:?}");
    }
}

fn bad_requests_get_400(server: &TestServer) {
    let cases = [
        ("/api/search?q=", "empty_query"),
        ("/api/search", "empty_query"),
        ("/api/search?q=%22s%E1%BA%A1ch", "unbalanced_quote"),
        ("/api/search?q=s%E1%BA%A1ch&size=0", "bad_page_size"),
        ("/api/search?q=s%E1%BA%A1ch&size=101", "bad_page_size"),
        ("/api/search?q=s%E1%BA%A1ch&page=0", "page_out_of_range"),
        ("/api/search?q=s%E1%BA%A1ch&page=99999", "page_out_of_range"),
        ("/api/search?q=s%E1%BA%A1ch&page=abc", "bad_page"),
    ];
    for (path, code) in cases {
        let (status, json) = server.get_json(path);
        assert_eq!(status, 400, "{path}: {json}");
        assert_eq!(json["code"], code, "{path}: {json}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()), "{path}: {json}");
    }
    let long = "a".repeat(1100);
    let (status, json) = server.get_json(&format!("/api/search?q={long}"));
    assert_eq!((status, json["code"].as_str()), (400, Some("query_too_long")));
}

fn documents_and_page(server: &TestServer) {
    let response = server.search("Bến Tre");
    let id = response["hits"][0]["id"].as_str().unwrap().to_owned();
    let (status, doc) = server.get_json(&format!("/api/documents/{id}"));
    assert_eq!(status, 200);
    assert!(doc["body"].as_str().unwrap().contains("Bến Tre"));
    assert_eq!(doc["id"], id.as_str());

    let (status, missing) = server.get_json("/api/documents/nope");
    assert_eq!((status, missing["code"].as_str()), (404, Some("document_not_found")));

    // The web page works without JavaScript: a GET form and server-rendered results.
    let (status, page) = server.get("/?q=hoi+thao+san+xuat+sach+hon+ben+tre");
    assert_eq!(status, 200);
    assert!(page.contains(r#"<form class="search" action="/" method="get""#));
    assert!(page.contains("<mark>"), "highlighted results on the page");
    assert!(page.contains(&format!("/documents/{id}")) || page.contains("/documents/"));
    let (status, page) = server.get("/?q=%22unclosed");
    assert_eq!(status, 400);
    assert!(page.contains("ngoặc kép"));
    let (status, doc_page) = server.get(&format!("/documents/{id}"));
    assert_eq!(status, 200);
    assert!(doc_page.contains("Bến Tre"));
}
