//! Legal documents and the provinces of 2025, end to end through the real indexer and server.
//!
//! - The shared law files (`../shared/data/docx`, and the PDFs of the same laws) are titled by their
//!   heading ("Luật An ninh mạng", not "QUỐC HỘI"), dated by their signing date, of kind `luật`, issued
//!   by the Quốc hội, and found by their number as typed and with `number:`.
//! - `province:vinh-long` on the bundled corpus finds the Bến Tre workshop article (Bến Tre is part of
//!   Vĩnh Long since 1 July 2025), the facet counts today's unit, and the document page says so.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus_dir, hit_paths, index, TestServer};
use kho_indexer::{index_paths, IndexOptions};
use serde_json::Value;

fn shared(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data").join(folder)
}

/// Each shared law file's stem and what its heading says (read from the files: the number line, the
/// place and date line, the type line "LUẬT" and the subject line under it).
const LAWS: [(&str, &str, &str, &str); 6] = [
    ("LUATANNINHMANG", "Luật An ninh mạng", "24/2018/QH14", "2018-06-12"),
    ("LUATANTOANTHONGTINMANG", "Luật An toàn thông tin mạng", "86/2015/QH13", "2015-11-19"),
    ("LUATCHUYENGIAOCONGNGHE", "Luật Chuyển giao công nghệ", "07/2017/QH14", "2017-06-19"),
    ("LUATCONGNGHETHONGTIN", "Luật Công nghệ thông tin", "67/2006/QH11", "2006-06-29"),
    ("LUATKHOAHOCCONGNGHE", "Luật Khoa học và công nghệ", "29/2013/QH13", "2013-06-18"),
    ("LUATTRITUENHANTAO", "Luật Trí tuệ nhân tạo", "134/2025/QH15", "2025-12-10"),
];

fn first_hit(server: &TestServer, q: &str) -> Value {
    let response = server.search(q);
    response["hits"][0].clone()
}

/// The law's document as the search for `q` finds it first, checked against the heading.
fn assert_law(server: &TestServer, q: &str, (stem, title, number, date): (&str, &str, &str, &str)) {
    let hit = first_hit(server, q);
    assert_eq!(hit["title"], title, "{q}: {hit}");
    assert_eq!(hit["number"], number, "{q}");
    assert_eq!(hit["issuer"], "Quốc hội", "{q}");
    assert_eq!(hit["kind"], "luật", "{q}");
    // The heading's signing date, not the files' properties (saved 2025-12-28..31).
    assert_eq!(hit["date"], date, "{q}");
    let (status, doc) = server.get_json(&format!("/api/documents/{}", hit["id"].as_str().expect("id")));
    assert_eq!(status, 200);
    assert_eq!((doc["number"].as_str(), doc["issuer"].as_str()), (Some(number), Some("Quốc hội")));
    let sources: Vec<&str> = doc["sources"].as_array().expect("sources").iter().filter_map(Value::as_str).collect();
    assert!(sources.iter().any(|s| s.contains(stem)), "{q}: {stem} among {sources:?}");
}

#[test]
fn shared_laws_are_titled_by_their_heading_and_found_by_their_number() {
    let work = tempfile::tempdir().expect("temp dir");
    let index_dir = work.path().join("index");
    let report = index_paths(&IndexOptions::new(&index_dir, vec![shared("docx"), shared("pdf")])).expect("run");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let server = TestServer::start(&index_dir, &shared("docx"));

    for law in LAWS {
        let (_, title, number, _) = law;
        // As typed, in lowercase and without the bar of Đ, and as a filter.
        assert_law(&server, number, law);
        assert_law(&server, &number.to_lowercase(), law);
        assert_law(&server, &format!("number:{number}"), law);
        let filtered = server.search(&format!("number:{}", number.to_lowercase()));
        assert_eq!(filtered["total"], 1, "number:{number} is one document (its PDF and DOCX folded)");
        // The title finds it too, and the issuer filter (without diacritics) keeps it.
        assert_law(&server, &format!("title:\"{title}\" issuer:\"quoc hoi\""), law);
    }
    // A number cited in a law's text finds the citing law, but a law's own number ranks it first:
    // Luật Công nghệ thông tin cites Nghị quyết 51/2001/QH10, which none of the files is.
    let cited = server.search("51/2001/QH10");
    assert!(cited["total"].as_u64().unwrap_or(0) >= 1, "{cited}");
    assert!(cited["hits"].as_array().expect("hits").iter().all(|h| h["number"] != "51/2001/QH10"));
    assert_eq!(server.search("number:51/2001/QH10")["total"], 0);

    // The issuer facet counts the six laws.
    let all = server.search("issuer:\"Quốc hội\"");
    assert_eq!(all["total"], 6, "{all}");
    let issuers = all["facets"]["issuer"].as_array().expect("issuer facet");
    assert_eq!((issuers[0]["value"].as_str(), issuers[0]["count"].as_u64()), (Some("Quốc hội"), Some(6)));

    // The document page shows the number and the issuer.
    let id = first_hit(&server, "24/2018/QH14")["id"].as_str().expect("id").to_owned();
    let (status, page) = server.get(&format!("/documents/{id}"));
    assert_eq!(status, 200);
    assert!(page.contains("<h1 id=\"document-title\">Luật An ninh mạng</h1>"), "{page}");
    assert!(page.contains("24/2018/QH14") && page.contains("Cơ quan ban hành"), "number and issuer shown");
}

#[test]
fn shared_law_pdfs_alone_are_titled_by_their_heading() {
    let work = tempfile::tempdir().expect("temp dir");
    let index_dir = work.path().join("index");
    let report = index_paths(&IndexOptions::new(&index_dir, vec![shared("pdf")])).expect("run");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let server = TestServer::start(&index_dir, &shared("pdf"));
    for law in LAWS {
        assert_law(&server, &format!("number:{}", law.2), law);
    }
    // The one PDF that is not a legal document keeps a title of its own and no number.
    let seed = server.search("Bến Tre");
    let hit = &seed["hits"][0];
    assert!(hit["path"].as_str().unwrap_or_default().contains("seed-article"), "{seed}");
    assert!(hit["number"].is_null() && hit["issuer"].is_null(), "{hit}");
    assert_ne!(hit["kind"], "luật");
}

const BEN_TRE_WORKSHOP: &str = "news/ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html";

#[test]
fn provinces_of_today_match_the_provinces_they_absorbed() {
    let work = tempfile::tempdir().expect("temp dir");
    let index_dir = work.path().join("index");
    let report = index(&index_dir, &corpus_dir());
    assert!(report.indexed > 10, "{report:?}");
    let server = TestServer::start(&index_dir, &corpus_dir());

    // Bến Tre has been part of Vĩnh Long since 1 July 2025.
    for q in ["province:vinh-long", "province:\"Vĩnh Long\"", "hội thảo province:vinh-long"] {
        let response = server.search(q);
        assert!(hit_paths(&response).iter().any(|p| p == BEN_TRE_WORKSHOP), "{q}: {response}");
    }
    let vinh_long = server.search("province:vinh-long");
    let ben_tre = server.search("province:ben-tre");
    let total = |r: &Value| r["total"].as_u64().expect("total");
    assert!(total(&ben_tre) >= 1 && total(&ben_tre) < total(&vinh_long), "Bến Tre alone stays narrow");
    // The bundled Vĩnh Long brick-kiln article is found as before.
    assert!(hit_paths(&vinh_long).iter().any(|p| p.contains("vinh-long-lo-gach")), "{vinh_long}");
    // Every document of the unit counts once under it: the facet's count is the filter's total.
    let provinces = vinh_long["facets"]["province"].as_array().expect("province facet");
    let unit = provinces.iter().find(|v| v["value"] == "vinh-long").expect("vinh-long counted");
    assert_eq!((unit["name"].as_str(), unit["count"].as_u64()), (Some("Vĩnh Long"), Some(total(&vinh_long))));
    assert!(provinces.iter().all(|v| v["value"] != "ben-tre"), "former provinces are counted as today's units");

    // The document names Bến Tre with its province of today.
    let id = server.search("province:ben-tre hội thảo chia sẻ kinh nghiệm")["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["path"] == BEN_TRE_WORKSHOP)
        .and_then(|h| h["id"].as_str())
        .expect("the workshop article")
        .to_owned();
    let (_, doc) = server.get_json(&format!("/api/documents/{id}"));
    let names: Vec<&str> =
        doc["provinces"].as_array().expect("provinces").iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(names.contains(&"Bến Tre (nay thuộc Vĩnh Long)"), "{names:?}");
    let (status, page) = server.get(&format!("/documents/{id}"));
    assert_eq!(status, 200);
    assert!(page.contains("Bến Tre (nay thuộc Vĩnh Long)"), "document page");
}
