//! The web side over HTTP, on the real server on a loopback port: untrusted text escaped in pages and
//! JSON, the Content-Security-Policy, CORS for the embedded widget, the OpenSearch description, search
//! suggestions (and their refresh after a new commit), the search and document pages, original-file
//! downloads and path traversal, and the OpenAPI description.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{corpus_dir, encode, TestServer};
use kho_server::archive::ArchiveRoots;
use kho_server::config::WebConfig;
use kho_server::cors::AllowedOrigins;
use serde_json::Value;

const ALLOWED_ORIGIN: &str = "http://widget-host.example:8081";
const SEED_TITLE_WORDS: &str = "hoi thao san xuat sach hon ben tre";

/// Files that get indexed, and the server over them.
struct Fixture {
    _dir: tempfile::TempDir,
    index_dir: PathBuf,
    archive: PathBuf,
    server: TestServer,
}

const EVIL_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<title>&lt;script&gt;alert(1)&lt;/script&gt; Hội thảo độc hại về sản xuất sạch hơn</title></head>
<body><article><h1>&lt;script&gt;alert(1)&lt;/script&gt; Hội thảo độc hại về sản xuất sạch hơn</h1>
<p>Ngày 2/3/2015, nội dung có đoạn &lt;script&gt;alert(1)&lt;/script&gt; và &lt;img src=x onerror=alert(2)&gt;
giữa bài viết về sản xuất sạch hơn tại nhà máy gạch.</p>
<script>alert(3)</script></article></body></html>"#;

const PLAIN_TEXT: &str = "<script>alert(1)</script> Báo cáo kiểm toán nước thải xưởng nhuộm\n\n\
Báo cáo về tiết kiệm nước và sản xuất sạch hơn tại xưởng nhuộm. Từ khoá riêng: quetxanhbiec.\n";

const SECRET: &str = "Tài liệu nội bộ ngoài kho. Mật khẩu: matkhaubimat123.\n\nKhông được tải về.\n";

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(archive.join("news")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(archive.join("news/evil.html"), EVIL_HTML).unwrap();
    std::fs::write(archive.join("news/plain.txt"), PLAIN_TEXT).unwrap();
    std::fs::write(outside.join("secret.txt"), SECRET).unwrap();
    std::fs::write(outside.join("linked-secret.txt"), SECRET.replace("matkhaubimat123", "lienketbimat456")).unwrap();

    let index_dir = dir.path().join("index");
    common::index(&index_dir, &corpus_dir());
    common::index(&index_dir, &archive);
    // A document whose stored path is outside the archive roots.
    common::index(&index_dir, &outside.join("secret.txt"));
    // A link inside the archive to a file outside it (indexed by its path inside the archive).
    #[cfg(unix)]
    {
        let link = archive.join("news/link.txt");
        std::os::unix::fs::symlink(outside.join("linked-secret.txt"), &link).unwrap();
        common::index(&index_dir, &link);
    }

    let web = WebConfig {
        cors: AllowedOrigins::parse(&[ALLOWED_ORIGIN]).unwrap(),
        archive: ArchiveRoots::new([corpus_dir(), archive.clone()]),
        ..WebConfig::default()
    };
    let server = TestServer::start_web(&index_dir, &corpus_dir(), web);
    Fixture { _dir: dir, index_dir, archive, server }
}

#[test]
fn web_side_over_http() {
    let fixture = fixture();
    let server = &fixture.server;

    untrusted_text_is_escaped(server);
    pages_have_a_content_security_policy(server);
    assets_are_served(server);
    cross_origin_requests(server, &fixture.index_dir);
    opensearch_description(server);
    suggestions(server);
    search_page(server);
    document_page(server);
    original_downloads(server, &fixture.index_dir, &fixture.archive);
    path_traversal(server);
    openapi_description(server);
    readiness_and_request_ids(server);
    metrics_move_with_requests(server);
    suggestions_follow_new_commits(server, &fixture.index_dir, &fixture.archive);
}

/// With `--rate-limit 5`, a client's sixth API request within the minute gets 429 with `Retry-After`;
/// pages are not limited.
#[test]
fn api_requests_are_rate_limited_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let web = WebConfig { rate_limit: 5, ..WebConfig::default() };
    let server = TestServer::start_web(&dir.path().join("index"), &corpus_dir(), web);
    for _ in 0..5 {
        assert_eq!(server.fetch("GET", "/api/search?q=ben+tre", &[]).status, 200);
    }
    let limited = server.fetch("GET", "/api/search?q=ben+tre", &[]);
    assert_eq!(limited.status, 429);
    let seconds: u64 = limited.header("retry-after").and_then(|s| s.parse().ok()).expect("Retry-After");
    assert!((1..=12).contains(&seconds), "{seconds}");
    let body: Value = serde_json::from_slice(&limited.body).unwrap();
    assert_eq!(body["code"], "rate_limited", "{body}");
    assert_eq!(server.fetch("GET", "/?q=ben+tre", &[]).status, 200, "pages are not limited");
}

/// A request body over the limit is refused (413) before it is read (the time limit is tested in
/// `server/src/limits.rs`, with a handler slow on purpose).
#[test]
fn large_bodies_are_refused_unread() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_web(&dir.path().join("index"), &corpus_dir(), WebConfig::default());
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    // The body is announced and never sent: the answer must not wait for it.
    write!(stream, "POST /api/search HTTP/1.1\r\nHost: kho\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n")
        .unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("body_too_large"), "{answer}");
}

/// One scrape of `/metrics`, parsed by a Prometheus text-format parser.
fn scrape(server: &TestServer) -> prometheus_parse::Scrape {
    let answer = server.fetch("GET", "/metrics", &[]);
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
    let text = String::from_utf8(answer.body).expect("UTF-8");
    prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format")
}

/// The value of a counter or gauge with these labels (0 when absent), or a histogram's sample count.
fn sample(scrape: &prometheus_parse::Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match &s.value {
            prometheus_parse::Value::Counter(v) | prometheus_parse::Value::Gauge(v) => *v,
            prometheus_parse::Value::Untyped(v) => *v,
            prometheus_parse::Value::Histogram(buckets) => buckets.iter().map(|b| b.count).fold(0.0, f64::max),
            prometheus_parse::Value::Summary(_) => 0.0,
        })
        .sum()
}

/// `/metrics` counts requests by route template and status, times them, and reports the index.
fn metrics_move_with_requests(server: &TestServer) {
    let before = scrape(server);
    let searches = [("route", "/api/search"), ("status", "200")];
    let missing = [("route", "/api/documents/:id"), ("status", "404")];
    for q in ["ben+tre", "mia+duong", "ben+tre"] {
        assert_eq!(server.fetch("GET", &format!("/api/search?q={q}"), &[]).status, 200);
    }
    assert_eq!(server.fetch("GET", "/api/documents/nope", &[]).status, 404);
    let after = scrape(server);
    let moved =
        |metric: &str, labels: &[(&str, &str)]| sample(&after, metric, labels) - sample(&before, metric, labels);
    assert_eq!(moved("kho_http_requests_total", &searches), 3.0);
    assert_eq!(moved("kho_http_requests_total", &missing), 1.0, "routes by template, not by id");
    assert!(moved("kho_http_request_duration_seconds", &[("route", "/api/search")]) >= 3.0);
    assert!(moved("kho_search_cache_total", &[("result", "hit")]) >= 1.0, "the repeated search is a hit");
    assert!(sample(&after, "kho_documents", &[]) > 0.0);
    assert!(sample(&after, "kho_index_segments", &[]) >= 1.0);
    assert!(sample(&after, "kho_index_last_commit_opstamp", &[]) > 0.0);
}

/// `/readyz` once the completions are built (the fixture waits for them); every response carries a
/// request id, the caller's own when it is a short token.
fn readiness_and_request_ids(server: &TestServer) {
    let (status, ready) = server.get_json("/readyz");
    assert_eq!((status, ready["status"].as_str()), (200, Some("ready")), "{ready}");
    assert!(ready["documents"].as_u64().unwrap_or(0) > 0, "{ready}");

    let first = server.fetch("GET", "/api/search?q=h%E1%BB%99i+th%E1%BA%A3o", &[]);
    let second = server.fetch("GET", "/nope", &[]);
    let (a, b) = (first.header("x-request-id").unwrap_or(""), second.header("x-request-id").unwrap_or(""));
    assert!(!a.is_empty() && !b.is_empty() && a != b, "fresh ids on every response, errors too: {a:?} {b:?}");
    let echoed = server.fetch("GET", "/healthz", &[("x-request-id", "proxy-42.a_b")]);
    assert_eq!(echoed.header("x-request-id"), Some("proxy-42.a_b"));
    let replaced = server.fetch("GET", "/healthz", &[("x-request-id", "<script>")]);
    assert_ne!(replaced.header("x-request-id"), Some("<script>"));
}

fn first_hit(server: &TestServer, q: &str) -> Value {
    let response = server.search(q);
    response["hits"][0].clone()
}

fn id_of(server: &TestServer, q: &str) -> String {
    first_hit(server, q)["id"].as_str().unwrap_or_else(|| panic!("no hit for {q}")).to_owned()
}

fn untrusted_text_is_escaped(server: &TestServer) {
    let response = server.search("hội thảo độc hại");
    let hit = &response["hits"][0];
    assert!(hit["title"].as_str().unwrap().contains("<script>alert(1)</script>"), "the title is stored as text: {hit}");
    for field in ["title_html", "snippet"] {
        let html = hit[field].as_str().unwrap();
        assert!(!html.contains("<script") && !html.contains("<img"), "{field} escaped: {html}");
    }
    assert!(hit["title_html"].as_str().unwrap().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{hit}");
    assert!(hit["snippet"].as_str().unwrap().contains("&lt;script&gt;"), "{hit}");

    let plain = first_hit(server, "quetxanhbiec");
    assert!(plain["title_html"].as_str().unwrap().starts_with("&lt;script&gt;alert(1)"), "{plain}");

    for page_path in [
        format!("/?q={}", encode("hội thảo độc hại")),
        format!("/?q={}", encode("alert")),
        format!("/documents/{}?q=alert", hit["id"].as_str().unwrap()),
        format!("/documents/{}", plain["id"].as_str().unwrap()),
    ] {
        let (status, page) = server.get(&page_path);
        assert_eq!(status, 200, "{page_path}");
        // (The query's words may be marked inside the escaped text: `&lt;script&gt;<mark>alert</mark>(1)`.)
        assert!(
            page.contains("&lt;script&gt;") && page.contains("&lt;/script&gt;"),
            "{page_path} shows the text: {page}"
        );
        assert!(!page.contains("<script>alert") && !page.contains("<img src=x"), "{page_path}: {page}");
        assert_only_external_scripts(&page, &page_path);
    }
    // The page's title element and the search box's value escape the query too.
    let (_, page) = server.get(&format!("/?q={}", encode(r#"<script>alert("q")</script>"#)));
    assert!(page.contains("&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;"), "{page}");
    assert_only_external_scripts(&page, "query echo");
}

/// Every `<script` is `<script src=…>` and there is no `<style`: what the CSP allows.
fn assert_only_external_scripts(page: &str, what: &str) {
    for (at, _) in page.match_indices("<script") {
        assert!(page[at..].starts_with("<script src=\"/assets/"), "{what}: inline script at {at}");
    }
    assert!(!page.contains("<style"), "{what}: inline style");
    assert!(!page.contains(" style="), "{what}: style attribute");
}

fn pages_have_a_content_security_policy(server: &TestServer) {
    let id = id_of(server, SEED_TITLE_WORDS);
    for path in
        ["/".to_owned(), "/?q=s%E1%BA%A1ch".to_owned(), format!("/documents/{id}"), "/documents/nope".to_owned()]
    {
        let page = server.fetch("GET", &path, &[]);
        assert!(page.header("content-type").unwrap_or("").starts_with("text/html"), "{path}");
        let policy = page.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("style-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{path}: {policy}");
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    assert_eq!(server.fetch("GET", "/documents/nope", &[]).status, 404);
}

fn assets_are_served(server: &TestServer) {
    let cases = [
        ("/assets/kho.css", "text/css"),
        ("/assets/kho.js", "text/javascript"),
        ("/assets/widget.css", "text/css"),
        ("/widget.js", "text/javascript"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ];
    for (path, content_type) in cases {
        let asset = server.fetch("GET", path, &[]);
        assert_eq!(asset.status, 200, "{path}");
        assert!(asset.header("content-type").unwrap().starts_with(content_type), "{path}");
        assert!(asset.body.len() > 100, "{path}");
    }
    let missing = server.fetch("GET", "/assets/..%2Fsrc%2Flib.rs", &[]);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");
}

fn cross_origin_requests(server: &TestServer, index_dir: &Path) {
    let api = "/api/search?q=sach";
    let allowed = server.fetch("GET", api, &[("Origin", ALLOWED_ORIGIN)]);
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    assert!(allowed.header_values("vary").to_lowercase().contains("origin"), "{:?}", allowed.headers);

    let other = server.fetch("GET", api, &[("Origin", "http://evil.example")]);
    assert_eq!(other.status, 200, "the request is answered; the browser withholds it");
    assert_eq!(other.header("access-control-allow-origin"), None);
    let same_host_other_port = server.fetch("GET", api, &[("Origin", "http://widget-host.example:8082")]);
    assert_eq!(same_host_other_port.header("access-control-allow-origin"), None);

    let preflight = server.fetch(
        "OPTIONS",
        api,
        &[
            ("Origin", ALLOWED_ORIGIN),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "accept"),
        ],
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("GET"));
    assert!(preflight.header("access-control-allow-headers").unwrap().contains("accept"));

    let refused =
        server.fetch("OPTIONS", api, &[("Origin", "http://evil.example"), ("Access-Control-Request-Method", "GET")]);
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("access-control-allow-origin"), None);
    assert_eq!(refused.json()["code"], "origin_not_allowed");

    // Pages are not for other origins, and without Origin nothing changes.
    assert_eq!(server.fetch("GET", "/", &[("Origin", ALLOWED_ORIGIN)]).header("access-control-allow-origin"), None);
    assert_eq!(server.fetch("GET", api, &[]).header("access-control-allow-origin"), None);

    // By default no origin is allowed.
    let default_server = TestServer::start(index_dir, &corpus_dir());
    let answer = default_server.fetch("GET", api, &[("Origin", ALLOWED_ORIGIN)]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let preflight =
        default_server.fetch("OPTIONS", api, &[("Origin", ALLOWED_ORIGIN), ("Access-Control-Request-Method", "GET")]);
    assert_eq!(preflight.status, 403);
}

fn opensearch_description(server: &TestServer) {
    let answer = server.fetch("GET", "/opensearch.xml", &[]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/opensearchdescription+xml"));
    let xml = answer.text();
    let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let root = document.root_element();
    const NS: &str = "http://a9.com/-/spec/opensearch/1.1/";
    assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(NS), "OpenSearchDescription"));
    let child_text = |name: &str| {
        root.children().find(|n| n.has_tag_name((NS, name))).and_then(|n| n.text()).unwrap_or_default().to_owned()
    };
    let short_name = child_text("ShortName");
    assert!(!short_name.is_empty() && short_name.chars().count() <= 16, "{short_name}");
    assert!(child_text("Description").chars().count() <= 1024);
    assert_eq!(child_text("InputEncoding"), "UTF-8");
    let template = |kind: &str| {
        root.children()
            .find(|n| n.has_tag_name((NS, "Url")) && n.attribute("type") == Some(kind))
            .and_then(|n| n.attribute("template"))
            .unwrap_or_else(|| panic!("no Url of type {kind}"))
            .to_owned()
    };
    let base = format!("http://{}", server.addr);
    assert_eq!(template("text/html"), format!("{base}/?q={{searchTerms}}"));
    let suggest = template("application/x-suggestions+json");
    assert_eq!(suggest, format!("{base}/api/suggest?q={{searchTerms}}&format=opensearch"));

    // The suggestions URL, filled in as a browser does, answers ["q", [...]].
    let url = suggest.replace("{searchTerms}", &encode("hoi th"));
    let path = url.strip_prefix(&base).unwrap();
    let answer = server.fetch("GET", path, &[]);
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").unwrap().starts_with("application/x-suggestions+json"));
    let json = answer.json();
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 2, "{json}");
    assert_eq!(array[0], "hoi th");
    let texts: Vec<&str> = array[1].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(texts.contains(&"hội thảo"), "{texts:?}");

    // Every page tells the browser where the description is.
    let (_, page) = server.get("/");
    assert!(
        page.contains(
            r#"<link rel="search" type="application/opensearchdescription+xml" title="Kho" href="/opensearch.xml">"#
        ),
        "{page}"
    );
}

fn suggest(server: &TestServer, q: &str) -> Value {
    let (status, json) = server.get_json(&format!("/api/suggest?q={}", encode(q)));
    assert_eq!(status, 200, "{q}: {json}");
    json
}

fn suggestion_texts(json: &Value) -> Vec<String> {
    json["suggestions"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_owned()).collect()
}

fn suggestions(server: &TestServer) {
    // Accent-insensitive: typed with or without diacritics, the same suggestions.
    let plain = suggest(server, "hoi th");
    assert_eq!(suggestion_texts(&plain), suggestion_texts(&suggest(server, "hội th")));
    assert_eq!(suggestion_texts(&plain), suggestion_texts(&suggest(server, "HỘI TH")));
    assert!(suggestion_texts(&plain).contains(&"hội thảo".to_owned()), "{plain}");
    assert!(plain["took_ms"].as_f64().unwrap() < 5.0, "answered from memory: {plain}");

    // Titles are found by any of their words, and lead to their document.
    let ben_tre = suggest(server, "ben tre");
    let title = ben_tre["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "title" && s["text"].as_str().unwrap().contains("Bến Tre"))
        .unwrap_or_else(|| panic!("a title with Bến Tre: {ben_tre}"));
    let (status, doc) = server.get_json(&format!("/api/documents/{}", title["id"].as_str().unwrap()));
    assert_eq!(status, 200);
    assert_eq!(doc["title"], title["text"]);

    // Frequent phrases complete the words being typed.
    assert!(suggestion_texts(&suggest(server, "san xuat s")).iter().any(|s| s == "sản xuất sạch hơn"));

    // Round trip over loopback, in milliseconds.
    let started = Instant::now();
    for _ in 0..20 {
        suggest(server, "tiet kiem n");
    }
    let each = started.elapsed() / 20;
    assert!(each < Duration::from_millis(50), "suggest took {each:?} per request");

    assert!(suggest(server, "").as_object().unwrap()["suggestions"].as_array().unwrap().is_empty());
    assert!(suggest(server, "zzqqxxyy")["suggestions"].as_array().unwrap().is_empty());
    let limited = server.get_json("/api/suggest?q=s&limit=3").1;
    assert_eq!(limited["suggestions"].as_array().unwrap().len(), 3, "{limited}");
    for (path, code) in [
        ("/api/suggest?q=a&limit=0", "bad_limit"),
        ("/api/suggest?q=a&limit=x", "bad_limit"),
        ("/api/suggest?q=a&format=xml", "bad_format"),
    ] {
        let (status, json) = server.get_json(path);
        assert_eq!((status, json["code"].as_str()), (400, Some(code)), "{path}");
    }
    let too_long = "a".repeat(kho_core::query::MAX_QUERY_CHARS + 1);
    let (status, json) = server.get_json(&format!("/api/suggest?q={too_long}"));
    assert_eq!((status, json["code"].as_str()), (400, Some("query_too_long")));
}

fn search_page(server: &TestServer) {
    // Results: count and time, kind and date, highlighted snippet, links carrying the query.
    let (status, page) = server.get("/?q=hoi+thao+san+xuat+sach+hon+ben+tre");
    assert_eq!(status, 200);
    assert!(page.contains(r#"<p class="count" role="status">"#), "{page}");
    assert!(page.contains(" ms)"));
    assert!(page.contains("<mark>"));
    assert!(page.contains("14/04/2011"), "dates as Vietnamese write them");
    assert!(page.contains("?q=hoi+thao+san+xuat+sach+hon+ben+tre#first-match"), "{page}");

    // A facet narrows; the active filter is shown and removable.
    assert!(page.contains(r#"data-facet="kind:news""#), "{page}");
    let (status, narrowed) = server.get("/?q=hoi+thao+kind%3Anews");
    assert_eq!(status, 200);
    assert!(narrowed.contains(r#"<a class="chip" href="/?q=hoi+thao""#), "{narrowed}");
    assert!(narrowed.contains("Loại tài liệu: Tin tức"));
    assert!(!narrowed.contains(r#"class="kind kind-report""#), "only news: {narrowed}");

    // Empty state: remove a filter, search without diacritics.
    let (status, empty) = server.get(&format!("/?q={}", encode("hội thảo kind:toolkit year:2001")));
    assert_eq!(status, 200);
    assert!(empty.contains("Không tìm thấy tài liệu nào"), "{empty}");
    assert!(empty.contains(&format!(r#"href="/?q={}""#, encode_plus("hội thảo year:2001"))), "{empty}");
    assert!(empty.contains(&format!(r#"href="/?q={}""#, encode_plus("hoi thao kind:toolkit year:2001"))), "{empty}");

    // Corrections and suggestions from the core are shown.
    let (_, corrected) = server.get("/?q=hooij+thaor");
    assert!(corrected.contains("Kết quả cho: <strong>hội thảo</strong>"), "{corrected}");
    let (_, did_you_mean) = server.get("/?q=doanh+nghiepp");
    assert!(
        did_you_mean.contains(r#"Có phải bạn muốn tìm: <a href="/?q=doanh+nghiep">doanh nghiep</a>"#),
        "{did_you_mean}"
    );

    // Pages: numbered links, the current one marked.
    let (_, first) = server.get("/?q=san+xuat&size=2");
    assert!(first.contains(r#"aria-current="page">1</span>"#), "{first}");
    assert!(first.contains(r#"href="/?q=san+xuat&amp;page=2&amp;size=2" rel="next""#), "{first}");
    let (_, second) = server.get("/?q=san+xuat&size=2&page=2");
    assert!(second.contains(r#"rel="prev""#));

    // Bad requests explain themselves in Vietnamese, with a 400.
    let (status, bad) = server.get("/?q=%22unclosed");
    assert_eq!(status, 400);
    assert!(bad.contains("ngoặc kép") && !bad.contains("missing its closing quote"), "{bad}");
}

/// As the page encodes query links (space as `+`).
fn encode_plus(text: &str) -> String {
    encode(text).replace("%20", "+")
}

fn document_page(server: &TestServer) {
    let id = id_of(server, SEED_TITLE_WORDS);
    let (status, page) = server.get(&format!("/documents/{id}?q=hoi+thao+san+xuat"));
    assert_eq!(status, 200);
    assert!(page.contains(r#"<mark id="first-match">"#), "{page}");
    assert!(page.contains(r##"<a href="#first-match">"##), "{page}");
    assert_eq!(page.matches(r#"id="first-match""#).count(), 1);
    assert!(page.contains("<mark>sản</mark>") || page.contains("<mark>Sản</mark>"), "accented words marked");
    assert!(page.contains(r#"<p class="back"><a href="/?q=hoi+thao+san+xuat">"#), "back to the results");
    assert!(page.contains("Tài liệu tương tự"), "similar documents: {page}");
    assert!(page.contains(&format!(r#"href="/documents/{id}/original""#)), "download link");
    assert!(page.contains("14/04/2011"));

    // Without a query: no marks, no match link.
    let (_, plain) = server.get(&format!("/documents/{id}"));
    assert!(!plain.contains("<mark") && !plain.contains("first-match"));
}

fn original_downloads(server: &TestServer, index_dir: &Path, archive: &Path) {
    let plain_id = id_of(server, "quetxanhbiec");
    let download = server.fetch("GET", &format!("/documents/{plain_id}/original"), &[]);
    assert_eq!(download.status, 200);
    assert_eq!(download.body, std::fs::read(archive.join("news/plain.txt")).unwrap());
    assert_eq!(download.header("content-type"), Some("text/plain"));
    assert!(download.header("content-disposition").unwrap().starts_with("attachment;"), "{:?}", download.headers);
    assert!(download.header("content-security-policy").unwrap().contains("sandbox"));

    // An HTML original never renders as a page of this site.
    let evil_id = id_of(server, "hội thảo độc hại");
    let evil = server.fetch("GET", &format!("/documents/{evil_id}/original"), &[]);
    assert_eq!(evil.status, 200);
    assert!(evil.header("content-disposition").unwrap().contains("evil.html"));
    assert!(evil.header("content-security-policy").unwrap().starts_with("sandbox"));

    // The bundled corpus is a root too.
    let seed = server.fetch("GET", &format!("/documents/{}/original", id_of(server, SEED_TITLE_WORDS)), &[]);
    assert_eq!(seed.status, 200);

    let (_, page) = server.get(&format!("/documents/{plain_id}"));
    assert!(page.contains("Tải bản gốc (TXT)"), "{page}");

    // A server without archive roots serves no original, and says so on the page.
    let closed = TestServer::start(index_dir, &corpus_dir());
    let refused = closed.fetch("GET", &format!("/documents/{plain_id}/original"), &[]);
    assert_eq!(refused.status, 403);
    let (_, page) = closed.get(&format!("/documents/{plain_id}"));
    assert!(page.contains("Bản gốc không có trên máy chủ này"), "{page}");
}

fn path_traversal(server: &TestServer) {
    // A document whose stored path is outside the archive roots.
    let secret_id = id_of(server, "matkhaubimat123");
    let refused = server.fetch("GET", &format!("/documents/{secret_id}/original"), &[]);
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert_eq!(refused.json()["code"], "original_outside_archive");
    assert!(!refused.text().contains("matkhaubimat123"));
    let (_, page) = server.get(&format!("/documents/{secret_id}"));
    assert!(page.contains("Bản gốc không có trên máy chủ này") && !page.contains("/original\""), "{page}");

    // A link inside the archive to a file outside it.
    #[cfg(unix)]
    {
        let linked_id = id_of(server, "lienketbimat456");
        let refused = server.fetch("GET", &format!("/documents/{linked_id}/original"), &[]);
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert!(!refused.text().contains("lienketbimat456"));
    }

    // Ids are looked up in the index, never used as paths: encoded dots and slashes find nothing.
    for raw in [
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd/original",
        "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/original",
        "/documents/%2E%2E/original",
        "/documents/..%5C..%5Cwindows%5Cwin.ini/original",
        "/documents/%252e%252e%252fetc%252fpasswd/original",
        "/documents/../../../etc/passwd",
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, body) = raw_get(server, raw);
        assert_eq!(status, 404, "{raw}: {body}");
        assert!(!body.contains("root:"), "{raw}: {body}");
    }
}

/// A GET sent byte for byte as written (HTTP clients normalize `..` and `%2e%2e` away).
fn raw_get(server: &TestServer, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.addr).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("answer");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

fn openapi_description(server: &TestServer) {
    let answer = server.fetch("GET", "/api/openapi.json", &[]);
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").unwrap().starts_with("application/json"));
    let spec = answer.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/search", "/api/suggest", "/api/documents/{id}", "/api/documents/{id}/similar", "/healthz"] {
        assert!(spec["paths"][path]["get"].is_object(), "{path} described");
    }
    assert_eq!(spec["components"]["schemas"]["Error"]["required"], serde_json::json!(["code", "message"]));
    // What the description says about errors is what the server does.
    for path in ["/api/search?q=%22x", "/api/suggest?q=a&limit=0", "/api/documents/nope", "/nowhere"] {
        let json = server.fetch("GET", path, &[]).json();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "message"], "{path}: {json}");
    }
}

fn suggestions_follow_new_commits(server: &TestServer, index_dir: &Path, archive: &Path) {
    let q = "bat trang gom";
    assert!(suggest(server, q)["suggestions"].as_array().unwrap().is_empty());
    let added = archive.join("added");
    std::fs::create_dir_all(&added).unwrap();
    std::fs::write(
        added.join("gom.txt"),
        "Bát Tràng gốm sứ: lò nung tiết kiệm năng lượng\n\nCác xưởng gốm ở Bát Tràng áp dụng sản xuất sạch hơn.\n",
    )
    .unwrap();
    common::index(index_dir, &added);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let texts = suggestion_texts(&suggest(server, q));
        if texts.iter().any(|t| t.starts_with("Bát Tràng gốm sứ")) {
            break;
        }
        assert!(Instant::now() < deadline, "suggestions not refreshed after a commit: {texts:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
