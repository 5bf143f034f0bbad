//! Query understanding on the sample corpus, over HTTP: abbreviations both ways, Telex and VNI, tone and
//! i/y variants, partly accented queries, "did you mean", exclusions, OR, filters, similar documents and
//! a synonym dictionary reloaded without a restart.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{corpus_dir, encode, hit_paths, TestServer};
use serde_json::Value;

const CA_MAU: &str = "news/ca-mau-che-bien-thuy-san-sxsh-2013.txt"; // "Uỷ ban nhân dân", never "UBND"
const DONG_NAI: &str = "news/dong-nai-nha-may-bia-sxsh-2015.html"; // "UBND", and TP.HCM
const TPHCM_REPORT: &str = "reports/bao-cao-hoi-thao-sxsh-thuoc-la-do-uong-tphcm-2013.txt";
const LIBRARY_BOOKS: &str = "news/quang-ngai-thu-vien-tiep-nhan-sach-huong-dan-2014.html";
const SUGAR_MILL: &str = "news/thanh-hoa-nha-may-duong-song-ma-sxsh-2012.html";
const SUGAR_REPORT: &str = "reports/bao-cao-tong-ket-hoi-thao-sxsh-nganh-mia-duong-2013.docx";

fn contains(response: &Value, path: &str) -> bool {
    hit_paths(response).iter().any(|p| p.ends_with(path))
}

fn path_set(response: &Value) -> BTreeSet<String> {
    hit_paths(response).into_iter().collect()
}

#[test]
fn query_features_on_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("index"), &corpus_dir());

    abbreviations_both_ways(&server);
    telex_and_vni(&server);
    tone_and_spelling_variants(&server);
    partly_accented(&server);
    did_you_mean(&server);
    exclusion_or_and_filters(&server);
    similar_documents(&server);
}

fn abbreviations_both_ways(server: &TestServer) {
    assert!(contains(&server.search("UBND"), CA_MAU), "UBND finds Uỷ ban nhân dân");
    assert!(contains(&server.search("Ủy ban nhân dân"), DONG_NAI), "Ủy ban nhân dân finds UBND");
    for q in ["TP.HCM", "TPHCM", "HCM", "Thành phố Hồ Chí Minh", "thanh pho ho chi minh"] {
        let response = server.search(q);
        assert!(contains(&response, TPHCM_REPORT), "{q}: {:?}", hit_paths(&response));
        assert!(contains(&response, DONG_NAI), "{q}: {:?}", hit_paths(&response));
    }
    // The abbreviation highlights the words it stands for.
    let sxsh = server.search("SXSH Bến Tre");
    assert!(sxsh["hits"][0]["snippet"].as_str().unwrap().contains("<mark>sạch</mark>"), "{sxsh}");
}

fn telex_and_vni(server: &TestServer) {
    let accented = server.search("hội thảo sản xuất");
    for typed in ["hooij thaor sanr xuaats", "ho65i tha3o sa3n xua6t1"] {
        let response = server.search(typed);
        assert_eq!(response["corrected_query"], "hội thảo sản xuất", "{typed}");
        assert_eq!(path_set(&response), path_set(&accented), "{typed}");
        let (_, page) = server.get(&format!("/?q={}", encode(typed)));
        assert!(page.contains("Kết quả cho: <strong>hội thảo sản xuất</strong>"), "{typed}");
    }
    // Real words are never "corrected".
    assert!(server.search("hoi thao")["corrected_query"].is_null());
}

fn tone_and_spelling_variants(server: &TestServer) {
    let pairs =
        [("hoà", "hòa"), ("thuỷ sản", "thủy sản"), ("uỷ ban", "ủy ban"), ("kĩ thuật", "kỹ thuật"), ("quí", "quý")];
    for (a, b) in pairs {
        let (ra, rb) = (server.search(a), server.search(b));
        assert!(ra["total"].as_u64().unwrap() > 0, "{a}");
        assert_eq!(path_set(&ra), path_set(&rb), "{a} vs {b}");
    }
}

fn partly_accented(server: &TestServer) {
    let response = server.search("san xuat sạch hơn Bến Tre");
    assert!(hit_paths(&response)[0].ends_with("news/ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html"));
}

fn did_you_mean(server: &TestServer) {
    assert_eq!(server.search("doanh nghiepp")["suggestion"], "doanh nghiep");
    // A tone the user typed is kept: "sạchh" suggests "sạch", never "sách".
    assert_eq!(server.search("sạchh")["suggestion"], "sạch");
    assert_eq!(server.search("sáchh")["suggestion"], "sách");
    assert!(server.search("doanh nghiệp")["suggestion"].is_null());
}

fn exclusion_or_and_filters(server: &TestServer) {
    let with = server.search("hướng dẫn");
    let without = server.search("hướng dẫn -sách");
    assert!(contains(&with, LIBRARY_BOOKS) && !contains(&without, LIBRARY_BOOKS));
    assert!(without["total"].as_u64().unwrap() > 0, "an accented exclusion keeps documents with sạch");

    let (mia, dua) = (server.search("mía")["total"].as_u64().unwrap(), server.search("dừa")["total"].as_u64().unwrap());
    let either = server.search("mía OR dừa")["total"].as_u64().unwrap();
    assert!(either >= mia.max(dua) && either <= mia + dua, "{mia} {dua} {either}");

    let toolkit = server.search("hội thảo kind:toolkit");
    assert!(toolkit["total"].as_u64().unwrap() > 0);
    assert!(toolkit["hits"].as_array().unwrap().iter().all(|h| h["kind"] == "toolkit"), "{toolkit}");
    // The response carries the filters it applied, each with the query that removes it.
    let filters = &toolkit["filters"];
    assert_eq!(filters.as_array().map(Vec::len), Some(1), "{toolkit}");
    assert_eq!(
        (&filters[0]["field"], &filters[0]["value"], &filters[0]["query_without"]),
        (&serde_json::json!("kind"), &serde_json::json!("toolkit"), &serde_json::json!("hội thảo"))
    );
    let year = server.search("sản xuất sạch hơn year:2012..2013");
    assert!(year["total"].as_u64().unwrap() > 0);
    for hit in year["hits"].as_array().unwrap() {
        let date = hit["date"].as_str().unwrap();
        assert!(date.starts_with("2012") || date.starts_with("2013"), "{date}");
    }
}

fn similar_documents(server: &TestServer) {
    let mill = server.search("nhà máy đường Sông Mã");
    let id = mill["hits"][0]["id"].as_str().unwrap();
    assert!(hit_paths(&mill)[0].ends_with(SUGAR_MILL));
    let (status, similar) = server.get_json(&format!("/api/documents/{id}/similar"));
    assert_eq!(status, 200);
    let paths = hit_paths(&similar);
    assert!(!paths.iter().any(|p| p.ends_with(SUGAR_MILL)), "not itself");
    assert!(
        paths.iter().take(3).any(|p| p.ends_with(SUGAR_REPORT)),
        "the sugar report is among the closest: {paths:?}"
    );
    let (status, _) = server.get_json("/api/documents/nope/similar");
    assert_eq!(status, 404);
}

#[test]
fn synonyms_reload_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let synonyms = dir.path().join("synonyms.txt");
    std::fs::write(&synonyms, "SXSH = sản xuất sạch hơn\n").unwrap();
    let server = TestServer::start_with_synonyms(&dir.path().join("index"), &corpus_dir(), &synonyms);
    assert_eq!(server.search("NMĐ")["total"], 0);

    std::fs::write(&synonyms, "SXSH = sản xuất sạch hơn\nNMĐ = nhà máy đường\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let response = server.search("NMĐ");
        if contains(&response, SUGAR_MILL) {
            break;
        }
        assert!(Instant::now() < deadline, "the edited dictionary was not picked up: {response}");
        std::thread::sleep(Duration::from_millis(300));
    }
}
