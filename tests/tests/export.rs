//! Taking results away, over the real server on a loopback port: the CSV and JSON Lines exports parsed
//! back (every document the search counts, in its order, quoted as RFC 4180 says), a document's RIS and
//! BibTeX citation, and the results page's timeline (one linked bar per year, each link filtering to
//! exactly the year's count) with its download links.
//!
//! The archive: the bundled corpus and a JSON Lines file of 150 distinct articles spread over 2005-2019
//! (a tenth undated), with titles that need quoting and one crafted as a spreadsheet formula.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use common::{corpus_dir, encode, Fetched, TestServer};
use kho_core::search::{KhoSearcher, SearchRequest, Sort};
use kho_indexer::{index_jsonl, JsonlOptions};
use serde_json::Value;

const ARTICLES: usize = 150;
const COLUMNS: [&str; 8] = ["id", "title", "kind", "date", "number", "provinces", "path", "url"];

struct Fixture {
    _dir: tempfile::TempDir,
    index_dir: PathBuf,
    server: TestServer,
}

fn article(i: usize) -> Value {
    // Words of their own, so that no two articles are near-duplicates (which would be folded into one).
    let own: Vec<String> = (0..40).map(|k| format!("m{i}k{k}")).collect();
    let rare = if i % 50 == 3 { " quetxanhbiec" } else { "" };
    let title = match i {
        7 => "=HYPERLINK(\"http://evil.example\") sạch hơn".to_owned(),
        _ if i.is_multiple_of(3) => format!("Bản tin số {i}: sản xuất sạch hơn, tiết kiệm \"nước\""),
        _ => format!("Báo cáo {i} về sản xuất sạch hơn tại Bến Tre"),
    };
    let kind = ["news", "report", "law"][i % 3];
    let mut record = serde_json::json!({
        "id": format!("a-{i:03}"),
        "title": title,
        "body": format!("Tài liệu số {i} về sản xuất sạch hơn ở tỉnh Bến Tre và Vĩnh Long.{rare} {}", own.join(" ")),
        "kind": kind,
    });
    if i % 10 != 9 {
        record["date"] = Value::from(format!("{}-0{}-1{}", 2005 + i % 15, 1 + i % 9, i % 10));
    }
    if i.is_multiple_of(4) {
        record["url"] = Value::from(format!("https://sct.bentre.gov.vn/tin/{i}"));
    }
    record
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let index_dir = dir.path().join("index");
    common::index(&index_dir, &corpus_dir());
    let file = dir.path().join("bantin.jsonl");
    let lines: Vec<String> = (0..ARTICLES).map(|i| article(i).to_string()).collect();
    std::fs::write(&file, lines.join("\n")).expect("write jsonl");
    let report = index_jsonl(&JsonlOptions { index_dir: index_dir.clone(), file, progress: false }).expect("import");
    assert_eq!((report.indexed, report.failed.len()), (ARTICLES, 0), "{report:?}");
    let server = TestServer::start(&index_dir, &corpus_dir());
    Fixture { _dir: dir, index_dir, server }
}

#[test]
fn export_citation_and_timeline_over_http() {
    let fixture = fixture();
    let server = &fixture.server;

    csv_export_has_every_result(server);
    jsonl_export_matches_csv(server);
    exports_follow_the_search_in_every_mode(server);
    bad_exports_are_explained(server);
    citations(server);
    timeline_bars_filter_by_year(server);
    page_links_to_exports_and_citations(server);
    the_export_limit_cuts_and_says_so(&fixture);
}

fn search(server: &TestServer, query: &str) -> Value {
    let (status, json) = server.get_json(&format!("/api/search?{query}"));
    assert_eq!(status, 200, "{query}: {json}");
    json
}

fn export(server: &TestServer, query: &str) -> Fetched {
    let fetched = server.fetch("GET", &format!("/api/search?{query}"), &[]);
    assert_eq!(fetched.status, 200, "{query}: {}", fetched.text());
    fetched
}

fn csv_rows(fetched: &Fetched) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(fetched.body.as_slice());
    let headers: Vec<String> = reader.headers().expect("header row").iter().map(str::to_owned).collect();
    assert_eq!(headers, COLUMNS, "the BOM is skipped and the columns are in order");
    reader.records().map(|r| r.expect("a valid CSV record")).collect()
}

fn jsonl_rows(fetched: &Fetched) -> Vec<Value> {
    fetched
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

fn header_number(fetched: &Fetched, name: &str) -> usize {
    fetched.header(name).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name}: {:?}", fetched.headers))
}

fn csv_export_has_every_result(server: &TestServer) {
    let q = encode("sạch hơn");
    let page = search(server, &format!("q={q}"));
    let total = page["total"].as_u64().expect("total") as usize;
    assert!(total > ARTICLES, "the corpus and the articles match: {total}");
    assert_eq!(page["hits"].as_array().unwrap().len(), 10, "one page is only ten");

    let fetched = export(server, &format!("q={q}&format=csv"));
    assert_eq!(fetched.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
    assert_eq!(fetched.header("content-disposition"), Some(r#"attachment; filename="kho-sach-hon.csv""#));
    assert!(fetched.header("content-length").is_none(), "streamed: {:?}", fetched.headers);
    assert!(fetched.body.starts_with("\u{feff}id,title,".as_bytes()), "UTF-8 with a BOM, for Excel");
    assert!(fetched.text().contains("\r\n"), "CRLF line ends");
    assert_eq!((header_number(&fetched, "x-total-count"), header_number(&fetched, "x-export-rows")), (total, total));
    assert_eq!(fetched.header("x-export-truncated"), Some("false"));

    let rows = csv_rows(&fetched);
    assert_eq!(rows.len(), total, "one row per result the search counts");
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), total, "no document twice");
    let first_page: Vec<&str> = page["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids[..10], first_page[..], "in the search's order");

    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap_or_else(|| panic!("{id} exported"));
    let quoted = row("a-003");
    assert_eq!(&quoted[1], "Bản tin số 3: sản xuất sạch hơn, tiết kiệm \"nước\"", "commas and quotes survive");
    assert_eq!((&quoted[2], &quoted[3], &quoted[4]), ("news", "2008-04-13", ""));
    assert!(quoted[5].contains("Bến Tre") && quoted[5].contains("; "), "province names: {:?}", &quoted[5]);
    assert_eq!(&row("a-007")[1], "'=HYPERLINK(\"http://evil.example\") sạch hơn", "a formula is shown, not run");
    assert_eq!(&row("a-009")[3], "", "undated");
    let from_web = row("a-004");
    assert_eq!((&from_web[6], &from_web[7]), ("https://sct.bentre.gov.vn/tin/4", "https://sct.bentre.gov.vn/tin/4"));
    let from_file = row("a-005");
    assert_eq!((&from_file[6], &from_file[7]), ("bantin.jsonl#a-005", ""), "a public path, no server folder");
    let seed = rows.iter().find(|r| r[6].starts_with("news/ben-tre-hoi-thao")).expect("the seed article");
    assert_eq!((&seed[2], &seed[3]), ("news", "2011-04-14"));
    assert!(!seed[6].starts_with('/'), "relative to the archive root: {}", &seed[6]);
}

fn jsonl_export_matches_csv(server: &TestServer) {
    let q = encode("sạch hơn");
    let total = search(server, &format!("q={q}"))["total"].as_u64().unwrap() as usize;
    let fetched = export(server, &format!("q={q}&format=jsonl"));
    assert_eq!(fetched.header("content-type"), Some("application/jsonl; charset=utf-8"));
    assert_eq!(fetched.header("content-disposition"), Some(r#"attachment; filename="kho-sach-hon.jsonl""#));
    let rows = jsonl_rows(&fetched);
    assert_eq!(rows.len(), total);
    for row in &rows {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), COLUMNS.len(), "{row}");
        assert!(COLUMNS.iter().all(|c| keys.contains(c)), "{row}");
    }
    let csv_ids: Vec<String> =
        csv_rows(&export(server, &format!("q={q}&format=csv"))).iter().map(|r| r[0].to_owned()).collect();
    let jsonl_ids: Vec<String> = rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(csv_ids, jsonl_ids, "the same documents in the same order");
    let quoted = rows.iter().find(|r| r["id"] == "a-003").unwrap();
    assert_eq!(quoted["title"], "Bản tin số 3: sản xuất sạch hơn, tiết kiệm \"nước\"");
    assert_eq!(quoted["provinces"][0]["value"], "ben-tre", "{quoted}");
    assert!(rows.iter().find(|r| r["id"] == "a-009").unwrap()["date"].is_null());
}

/// Filters, date order, a query relaxed to some of its words and a long query: the export holds what
/// the search counts each time.
fn exports_follow_the_search_in_every_mode(server: &TestServer) {
    let cases = [
        ("sạch hơn kind:law year:2008..2012", ""),
        ("sạch hơn", "&sort=date"),
        ("quetxanhbiec sạch", ""),
        ("quetxanhbiec sạch", "&size=2"),
        ("tài liệu sản xuất sạch hơn tỉnh Bến Tre", ""),
        ("province:vinh-long", "&sort=date"),
        ("khongcotrongkho", ""),
    ];
    for (q, extra) in cases {
        let query = format!("q={}{extra}", encode(q));
        let page = search(server, &query);
        let total = page["total"].as_u64().unwrap() as usize;
        let rows = jsonl_rows(&export(server, &format!("{query}&format=jsonl")));
        assert_eq!(rows.len(), total, "{q} {extra}: {page}");
        let csv = csv_rows(&export(server, &format!("{query}&format=csv")));
        assert_eq!(csv.len(), total, "{q} {extra}");
        if extra.contains("sort=date") {
            let dates: Vec<&str> = csv.iter().map(|r| &r[3]).filter(|d| !d.is_empty()).collect();
            assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
        }
        if q.contains("kind:law") {
            assert!(
                total > 0 && csv.iter().all(|r| &r[2] == "law" && r[3].get(..4).is_some_and(|y| y >= "2008")),
                "{q}"
            );
        }
    }
    let relaxed = search(server, &format!("q={}", encode("quetxanhbiec sạch")));
    assert_eq!(relaxed["relaxed"], true, "the relaxed case is exercised: {relaxed}");
}

fn bad_exports_are_explained(server: &TestServer) {
    for (query, code) in [
        ("q=s%E1%BA%A1ch&format=xlsx", "bad_format"),
        ("q=&format=csv", "empty_query"),
        ("q=%22s%E1%BA%A1ch&format=jsonl", "unbalanced_quote"),
        ("q=s%E1%BA%A1ch&format=csv&size=500", "bad_page_size"),
    ] {
        let (status, json) = server.get_json(&format!("/api/search?{query}"));
        assert_eq!((status, json["code"].as_str()), (400, Some(code)), "{query}: {json}");
    }
}

fn citation(server: &TestServer, id: &str, format: &str) -> Fetched {
    server.fetch("GET", &format!("/api/documents/{}/citation?format={format}", encode(id)), &[])
}

fn citations(server: &TestServer) {
    let seed = search(server, &format!("q={}", encode("hội thảo chia sẻ kinh nghiệm Bến Tre")));
    let seed = &seed["hits"][0];
    let id = seed["id"].as_str().unwrap();
    let title = seed["title"].as_str().unwrap();
    assert!(title.contains("Bến Tre"), "{seed}");

    let ris = citation(server, id, "ris");
    assert_eq!(ris.status, 200, "{}", ris.text());
    assert_eq!(ris.header("content-type"), Some("application/x-research-info-systems; charset=utf-8"));
    assert_eq!(ris.header("content-disposition"), Some(format!(r#"attachment; filename="kho-{id}.ris""#).as_str()));
    let text = ris.text();
    assert!(text.starts_with("TY  - NEWS\r\n"), "{text}");
    assert!(text.contains(&format!("\r\nTI  - {title}\r\n")), "the title, Vietnamese letters as they are: {text}");
    assert!(text.contains("\r\nPY  - 2011\r\n") && text.contains("\r\nDA  - 2011/04/14/\r\n"), "{text}");
    assert!(text.contains(&format!("\r\nUR  - http://{}/documents/{id}\r\n", server.addr)), "{text}");
    assert!(text.contains("\r\nN1  - Tệp: news/ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html\r\n"), "{text}");
    assert!(text.ends_with("\r\nER  - \r\n"), "{text}");
    assert!(text.lines().all(|l| l.len() >= 6 && &l[2..6] == "  - "), "every line is TAG  - value: {text}");

    let bib = citation(server, id, "bibtex");
    assert_eq!(bib.status, 200);
    assert_eq!(bib.header("content-type"), Some("application/x-bibtex; charset=utf-8"));
    assert_eq!(bib.header("content-disposition"), Some(format!(r#"attachment; filename="kho-{id}.bib""#).as_str()));
    let text = bib.text();
    assert!(text.starts_with(&format!("@article{{kho-{id},\n")), "{text}");
    assert!(text.contains(&format!("  title = {{{{{title}}}}},\n")), "{text}");
    assert!(text.contains("  year = {2011},\n") && text.contains("  date = {2011-04-14},\n"), "{text}");
    assert!(text.trim_end().ends_with('}'), "{text}");

    // A law taken from the web: its URL, its type, a title that needs BibTeX escaping.
    let law = citation(server, "a-008", "bibtex").text();
    assert!(law.starts_with("@misc{kho-a-008,\n"), "{law}");
    assert!(law.contains("  url = {https://sct.bentre.gov.vn/tin/8},\n") && law.contains("  type = {law},\n"), "{law}");
    assert!(!law.contains("note ="), "the URL is the only place: {law}");
    let formula = citation(server, "a-007", "bibtex").text();
    assert!(formula.contains(r#"title = {{=HYPERLINK("http://evil.example") sạch hơn}}"#), "{formula}");
    let law = citation(server, "a-002", "ris").text();
    assert!(law.starts_with("TY  - STAT\r\n") && law.contains("\r\nN1  - Tệp: bantin.jsonl#a-002\r\n"), "{law}");

    let missing = citation(server, "khong-co", "ris");
    assert_eq!((missing.status, missing.json()["code"].as_str()), (404, Some("document_not_found")));
    let bad = citation(server, id, "endnote");
    assert_eq!((bad.status, bad.json()["code"].as_str()), (400, Some("bad_format")));
}

/// Every `href="…"` of `html` whose value contains `needle`, unescaped.
fn links(html: &str, needle: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains(needle))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

fn timeline_bars_filter_by_year(server: &TestServer) {
    // One word: a filtered search of several words may fall back to documents with some of them, which
    // a bar of the unfiltered search does not count.
    let q = "sạch";
    let api = search(server, &format!("q={}", encode(q)));
    let years: Vec<(String, u64)> = api["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|y| (y["value"].as_str().unwrap().to_owned(), y["count"].as_u64().unwrap()))
        .collect();
    assert!(years.len() > 12, "more years than the facet shows: {years:?}");
    assert!(years.windows(2).all(|w| w[0].0 < w[1].0), "oldest first");
    let dated: u64 = years.iter().map(|y| y.1).sum();
    assert!(dated < api["total"].as_u64().unwrap(), "some results are undated");

    let (status, page) = server.get(&format!("/?q={}", encode(q)));
    assert_eq!(status, 200);
    let start = page.find(r#"<svg class="timeline-chart""#).expect("the timeline's SVG");
    let svg = &page[start..start + page[start..].find("</svg>").expect("closed") + 6];
    assert_eq!(svg.matches(r#"<a class="bar""#).count(), years.len(), "one bar per year with results");
    for (year, count) in &years {
        assert!(svg.contains(&format!("<title>{year}: {count} kết quả</title>")), "{year}: {svg}");
    }
    assert!(page.contains("không rõ năm"), "the undated results are counted");
    let bar_links = links(svg, "year%3A");
    assert_eq!(bar_links.len(), years.len());
    // Each bar's link narrows the search to its year: as many results as the bar says.
    for (year, count) in years.iter().step_by(4) {
        let href = bar_links.iter().find(|h| h.ends_with(&format!("year%3A{year}"))).expect("a bar link");
        let filtered = search(server, href.trim_start_matches("/?"));
        assert_eq!(filtered["total"].as_u64(), Some(*count), "{href}");
        let (status, html) = server.get(href);
        assert_eq!(status, 200);
        assert!(html.contains(&format!(r#"<p class="count" role="status"><strong>{count}</strong>"#)), "{href}");
        // The chart keeps every year, the chosen one marked, so another can be picked.
        assert_eq!(html.matches(r#"<a class="bar"#).count(), years.len(), "{href}");
        assert!(html.contains(r#"<a class="bar current" href="#), "{href}");
        assert!(html.contains(&format!(r#"data-year="{year}" aria-current="true""#)), "{href}");
    }
}

fn page_links_to_exports_and_citations(server: &TestServer) {
    let q = "sạch hơn province:ben-tre";
    let (_, page) = server.get(&format!("/?q={}&sort=date", encode(q)));
    let csv = links(&page, "format=csv");
    let jsonl = links(&page, "format=jsonl");
    assert_eq!((csv.len(), jsonl.len()), (1, 1), "Tải CSV and Tải JSONL");
    assert!(page.contains(">Tải CSV</a>") && page.contains(">Tải JSONL</a>"));
    assert!(csv[0].contains("province%3Aben-tre") && csv[0].contains("sort=date"), "{}", csv[0]);
    let total = search(server, &format!("q={}", encode(q)))["total"].as_u64().unwrap() as usize;
    let fetched = server.fetch("GET", &csv[0], &[]);
    assert_eq!(csv_rows(&fetched).len(), total, "the page's link exports the page's results");
    assert_eq!(jsonl_rows(&server.fetch("GET", &jsonl[0], &[])).len(), total);

    let (_, document) = server.get("/documents/a-004");
    let cites = links(&document, "/citation?format=");
    assert_eq!(cites, ["/api/documents/a-004/citation?format=ris", "/api/documents/a-004/citation?format=bibtex"]);
    for link in cites {
        assert_eq!(server.fetch("GET", &link, &[]).status, 200, "{link}");
    }
}

/// The limit is the searcher's: with a small one, the export stops there, in order, and says how many
/// matched.
fn the_export_limit_cuts_and_says_so(fixture: &Fixture) {
    let index = kho_core::open_index(&fixture.index_dir).expect("open");
    let searcher = KhoSearcher::new(index).expect("searcher");
    let request = SearchRequest { sort: Sort::Date, ..SearchRequest::new("sạch hơn") };
    let all = searcher.export(&request, 10_000).expect("export");
    let total = all.total;
    assert!(!all.is_truncated());
    let all: Vec<String> = all.records().map(|r| r.expect("record").id).collect();
    let cut = searcher.export(&request, 25).expect("export");
    assert_eq!((cut.total, cut.len(), cut.is_truncated()), (total, 25, true));
    let cut: Vec<String> = cut.records().map(|r| r.expect("record").id).collect();
    assert_eq!(cut[..], all[..25]);
}
