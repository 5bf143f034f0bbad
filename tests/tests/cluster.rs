//! Kho on a cluster (issue 17, docs/scale-out.md): three real `searchd` nodes on loopback ports, each
//! with its own configuration and folder, three shards kept on two nodes each. The ALQAC 2023 law corpus
//! (../shared/data) is indexed locally, published to the cluster with the indexer's `--target cluster`
//! path (twice: the second run writes nothing), and 100 of its questions are asked of both: the cluster's
//! top 10 must be the local index's (mean overlap at least 0.9, printed). The facets and totals of common
//! queries (far more matches than candidates), with filters, years, dates and exclusions, are the local
//! index's exactly; queries typed wholly in Telex are corrected and answered as locally. A document
//! deleted from the staging index is deleted from every replica by the next publication. Then one node
//! is killed and every search is still answered, through the API of the real server on the cluster.
//!
//! Needs Sphinx's searchd (Debian package `sphinxsearch`, installed by .ci/run): without it the test
//! fails and says what to install.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kho_cluster::local::{searchd_installed, LocalCluster};
use kho_cluster::spec::{shard_index, sphinx_id};
use kho_cluster::sphinxql::Connection;
use kho_cluster::ClusterSearcher;
use kho_core::search::{KhoSearcher, SearchRequest, SearchResponse, MAX_EXPORT_ROWS};
use kho_indexer::{index_jsonl, publish_index, JsonlOptions};
use serde_json::Value;

const QUERIES: usize = 100;
const MIN_OVERLAP: f64 = 0.9;

fn alqac() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/alqac2023/set2023")
}

/// The first `n` questions of the set that Kho's query language accepts as they are.
fn questions(local: &KhoSearcher, n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(alqac().join("queries.jsonl")).expect("ALQAC queries in ../shared/data");
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|q| q["text"].as_str().map(str::to_owned))
        .filter(|q| local.search(&SearchRequest::new(q.as_str())).is_ok())
        .take(n)
        .collect()
}

fn top_ids(response: &SearchResponse) -> Vec<String> {
    response.hits.iter().map(|hit| hit.id.clone()).collect()
}

/// The share of the local top 10 that the cluster's top 10 has (1 when both are empty).
/// The same scores rank by rank (Kho's scores, from the whole cluster's statistics).
fn assert_same_scores(q: &str, expected: &SearchResponse, found: &SearchResponse) {
    let scores = |r: &SearchResponse| r.hits.iter().map(|h| h.score).collect::<Vec<f32>>();
    let (want, got) = (scores(expected), scores(found));
    assert_eq!(want.len(), got.len(), "{q}");
    assert!(want.iter().zip(&got).all(|(a, b)| (a - b).abs() < 1e-3), "{q}: {want:?} vs {got:?}");
}

fn overlap(local: &[String], cluster: &[String]) -> f64 {
    if local.is_empty() {
        return if cluster.is_empty() { 1.0 } else { 0.0 };
    }
    let cluster: HashSet<&String> = cluster.iter().collect();
    local.iter().filter(|id| cluster.contains(id)).count() as f64 / local.len() as f64
}

#[test]
fn a_three_node_cluster_answers_as_the_local_index_and_survives_a_node() {
    if let Err(e) = searchd_installed() {
        panic!("{e}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let local_dir = dir.path().join("local");
    let corpus = alqac().join("corpus.jsonl");
    let imported = index_jsonl(&JsonlOptions { index_dir: local_dir.clone(), file: corpus, progress: false })
        .expect("ALQAC corpus indexed locally");
    let local_index = kho_core::open_index(&local_dir).expect("local index");
    let local = KhoSearcher::new(local_index).expect("local searcher");
    let documents = local.num_docs();
    assert!(documents > 2000, "ALQAC has 2,131 articles: {documents} indexed ({imported:?})");

    let fields = kho_cluster::terms::searched_field_names().expect("searched fields");
    let mut cluster = LocalCluster::start(&dir.path().join("cluster"), 3, 3, 2, &fields).expect("3 searchd nodes");

    let first = publish_index(&local_dir, &cluster.spec).expect("published to the cluster");
    assert_eq!(first.written as u64, documents, "every document written: {first:?}");
    assert!(first.words.words > 1000 && first.words.written == first.words.words, "the vocabulary: {first:?}");
    let again = publish_index(&local_dir, &cluster.spec).expect("published again");
    assert_eq!(
        (again.written, again.unchanged as u64, again.deleted),
        (0, documents, 0),
        "a re-run writes nothing: {again:?}"
    );
    assert_eq!((again.words.written, again.words.deleted), (0, 0), "nor words: {again:?}");
    println!("published {} documents and {} words; again: {again:?}", first.written, first.words.words);

    let searcher = ClusterSearcher::new(&cluster.spec).expect("cluster searcher");
    assert_eq!(searcher.num_docs().expect("cluster count"), documents, "each document once, not twice");

    let questions = questions(&local, QUERIES);
    assert_eq!(questions.len(), QUERIES);
    let mut total = 0.0;
    let mut before_kill = Vec::new();
    for q in &questions {
        let request = SearchRequest::new(q.as_str());
        let expected = top_ids(&local.search(&request).expect("local search"));
        let found = top_ids(&searcher.search(&request).expect("cluster search"));
        let share = overlap(&expected, &found);
        if share < 1.0 {
            println!("overlap {share:.1} for {q:?}");
        }
        total += share;
        before_kill.push(found);
    }
    // Short queries, some of whose matches outnumber the candidates (the count is then Sphinx's): the same
    // count, and the same scores.
    for q in ["môi trường", "ma túy", "hôn nhân và gia đình", "tạm trú", "hop dong lu hanh", "Điều 5"] {
        let request = SearchRequest::new(q);
        let (expected, found) = (local.search(&request).expect("local"), searcher.search(&request).expect("cluster"));
        assert_eq!((found.total, found.relaxed), (expected.total, expected.relaxed), "{q}");
        // The same scores rank by rank: Kho's scores, from the whole cluster's statistics (documents of
        // equal score may come in another order).
        assert_same_scores(q, &expected, &found);
    }
    let mean = total / questions.len() as f64;
    println!("top-10 overlap, cluster vs local index, {} ALQAC questions: {mean:.3}", questions.len());
    assert!(mean >= MIN_OVERLAP, "mean top-10 overlap {mean:.3} < {MIN_OVERLAP}");

    same_facets_as_local(&local, &searcher);
    telex_as_local(&local, &searcher);
    suggestions_as_local(&local, &searcher);

    // The API of the real server, on the cluster: the same hits as the cluster searcher.
    let spec_file = dir.path().join("cluster.json");
    cluster.write_spec(&spec_file).expect("cluster description");
    let server = common::TestServer::start_cluster(&spec_file);
    let (status, response) = server.get_json(&format!("/api/search?size=10&q={}", common::encode(&questions[0])));
    assert_eq!(status, 200, "{response}");
    let api_ids: Vec<String> =
        response["hits"].as_array().expect("hits").iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect();
    assert_eq!(api_ids, before_kill[0], "the API answers what the cluster searcher does");
    assert!(response["hits"][0]["snippet"].as_str().is_some_and(|s| s.contains("<mark>")), "{response}");
    assert!(response["facets"]["kind"].is_array(), "facets are counted: {response}");
    let first = common::encode(&api_ids[0]);
    let (status, document) = server.get_json(&format!("/api/documents/{first}"));
    assert_eq!((status, document["id"].as_str()), (200, Some(api_ids[0].as_str())), "{document}");
    let (status, page) = server.get(&format!("/?q={}", common::encode(&questions[0])));
    assert_eq!(status, 200);
    assert!(page.contains("<mark>"), "the page shows the cluster's highlighted hits");
    let (status, _) = server.get(&format!("/documents/{first}"));
    assert_eq!(status, 200, "a document's page, from the cluster");

    // The search box's suggestions, built from the cluster's documents: the local index's, as typed.
    search_box_as_local(&server, &local_dir);

    // Exports and citations, from the cluster: every match of the search, as the local index exports them.
    for q in ["ma túy", "quy định", "hoon nhaan vaf gia ddinhf"] {
        let local_export = local.export(&SearchRequest::new(q), MAX_EXPORT_ROWS).expect("local export");
        let expected: Vec<String> =
            local_export.records().map(|r| r.expect("a local record").id).collect::<Vec<String>>();
        let fetched = server.fetch("GET", &format!("/api/search?q={}&format=jsonl", common::encode(q)), &[]);
        assert_eq!(fetched.status, 200, "{}", fetched.text());
        let rows: Vec<String> = fetched
            .text()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|row| row["id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(fetched.header("x-total-count"), Some(expected.len().to_string().as_str()), "{q}");
        assert_eq!(rows.len(), expected.len(), "{q}: one row per match");
        let (want, got): (HashSet<&String>, HashSet<&String>) = (expected.iter().collect(), rows.iter().collect());
        assert_eq!(want, got, "{q}: the same documents");
        let in_order = expected.iter().zip(&rows).filter(|(a, b)| a == b).count();
        println!("export {q:?}: {} rows, the local index's; {in_order} at the same rank", rows.len());
        // Kho's order, on the cluster's statistics: documents of equal score may come in another order.
        assert!(in_order * 10 >= rows.len() * 7, "{q}: {in_order} of {} rows at the local rank", rows.len());
    }
    let (status, citation) = server.get(&format!("/api/documents/{first}/citation?format=ris"));
    assert_eq!(status, 200, "a citation from the cluster: {citation}");

    // Similar documents, from the cluster: the documents the local index finds like each of ten hits,
    // their telling words weighed with the whole cluster's counts.
    let mut similar_overlap = 0.0;
    let mut compared = 0;
    for id in before_kill.iter().flatten().take(10) {
        let expected: Vec<String> =
            local.similar(id, 5).expect("local similar").expect("a local document").into_iter().map(|h| h.id).collect();
        let (status, similar) = server.get_json(&format!("/api/documents/{}/similar", common::encode(id)));
        assert_eq!(status, 200, "similar to {id} from the cluster: {similar}");
        let found: Vec<String> = similar["hits"]
            .as_array()
            .expect("similar hits")
            .iter()
            .filter_map(|h| h["id"].as_str().map(str::to_owned))
            .collect();
        assert!(!found.contains(id), "{id} is not similar to itself");
        if !expected.is_empty() {
            similar_overlap += overlap(&expected, &found);
            compared += 1;
        }
    }
    let similar_overlap = similar_overlap / compared.max(1) as f64;
    println!("similar documents, cluster vs local index, {compared} documents: overlap {similar_overlap:.3}");
    assert!(compared >= 5 && similar_overlap >= MIN_OVERLAP, "similar overlap {similar_overlap:.3} over {compared}");
    let (status, _) = server.get_json("/api/documents/no-such-document/similar");
    assert_eq!(status, 404, "similar to a document the cluster does not have");

    // A file of the archive is deleted: the indexer removes its document from the staging index, and the
    // next publication removes it from every replica of its shard (and writes nothing else).
    let gone = api_ids[0].clone();
    kho_indexer::delete_document(&local_dir, &gone).expect("deleted from the staging index").expect("it was there");
    let after = publish_index(&local_dir, &cluster.spec).expect("published after a deletion");
    assert_eq!((after.written, after.deleted, after.unchanged as u64), (0, 1, documents - 1), "{after:?}");
    let id = sphinx_id(&gone);
    let shard = cluster.spec.shard_of(id);
    for node in cluster.spec.replicas_of(shard) {
        let mut connection =
            Connection::open(&cluster.spec.nodes[node].sql, std::time::Duration::from_secs(10)).expect("a replica");
        let held = connection
            .query(&format!("SELECT id FROM {} WHERE id = {id}", shard_index(shard)))
            .expect("the replica answers");
        assert!(held.rows.is_empty(), "node {node} still holds {gone}");
    }
    assert!(searcher.document(&gone).expect("cluster document").is_none(), "{gone} is gone from the cluster");
    // (A new searcher: a searcher keeps the collection's counts for 10 s.)
    let counted = ClusterSearcher::new(&cluster.spec).expect("cluster searcher").num_docs().expect("cluster count");
    assert_eq!(counted, documents - 1);
    let rerun = publish_index(&local_dir, &cluster.spec).expect("published once more");
    assert_eq!((rerun.written, rerun.deleted, rerun.unchanged as u64), (0, 0, documents - 1), "{rerun:?}");
    assert_eq!((rerun.words.written, rerun.words.deleted), (0, 0), "{rerun:?}");
    println!("after the deletion: {after:?}; the re-run: {rerun:?}");
    let (status, _) = server.get_json(&format!("/api/documents/{}", common::encode(&gone)));
    assert_eq!(status, 404, "the server no longer finds {gone}");
    println!("deleted {gone}: gone from the {} replicas of shard {shard}; the re-run wrote 0", cluster.spec.replicas);
    // The answers with every node up, after the deletion: what a node's death must not change.
    let before_kill: Vec<Vec<String>> = questions
        .iter()
        .take(30)
        .map(|q| top_ids(&searcher.search(&SearchRequest::new(q.as_str())).expect("cluster search")))
        .collect();
    assert!(before_kill.iter().flatten().all(|id| *id != gone), "no answer has {gone}");

    // A node dies: every shard still has a live replica, and every search is answered, by the server
    // (which may have been talking to the dead node) as by the searcher.
    cluster.stop_node(1);
    let mut answered = 0;
    let mut same = 0.0;
    for (q, expected) in questions.iter().zip(&before_kill).take(30) {
        let found = top_ids(&searcher.search(&SearchRequest::new(q.as_str())).expect("search with a node down"));
        same += overlap(expected, &found);
        let (status, body) = server.get_json(&format!("/api/search?q={}", common::encode(q)));
        assert_eq!(status, 200, "{body}");
        answered += 1;
    }
    println!("with node 1 killed: {answered}/30 searches answered, top-10 overlap with before {:.3}", same / 30.0);
    assert_eq!(same / 30.0, 1.0, "with one node down, the answers are the same");
}

/// Totals and facets (every list and the timeline) of queries matching up to the whole collection, with
/// and without filters, must be the local index's exactly: Sphinx counts them over every match, not over
/// the candidates.
fn same_facets_as_local(local: &KhoSearcher, searcher: &ClusterSearcher) {
    let queries = [
        "quy định",
        "luật",
        "người",
        "cơ quan nhà nước",
        "trách nhiệm của cá nhân tổ chức",
        "hop dong",
        "môi trường",
        "quy định organization:bo-tnmt",
        "quy định year:2015..2020",
        "người date:2018..2021",
        "date:2010..2024-06",
        "year:1000..2100",
        "cơ quan -người",
        "-người date:2015..2024",
        "kind:other -người",
        "ma túy page:2",
    ];
    let mut beyond_candidates = 0;
    for q in queries {
        let request = match q.strip_suffix(" page:2") {
            Some(q) => SearchRequest { page: 2, ..SearchRequest::new(q) },
            None => SearchRequest::new(q),
        };
        let (expected, found) = (local.search(&request).expect("local"), searcher.search(&request).expect("cluster"));
        assert_eq!(found.total, expected.total, "{q}: total");
        assert_eq!(found.relaxed, expected.relaxed, "{q}: relaxed");
        assert_eq!(found.facets, expected.facets, "{q}: facets");
        assert_eq!(found.timeline, expected.timeline, "{q}: timeline");
        assert!(!expected.facets.is_empty(), "{q}: the local index counts facets");
        if expected.total > kho_cluster::search::CANDIDATE_DEPTH {
            beyond_candidates += 1;
        }
        let values: usize = expected.facets.values().map(Vec::len).sum();
        println!("facets as local: {q:?}: {} matches, {values} facet values", expected.total);
    }
    assert!(beyond_candidates >= 5, "common queries match more than the candidates: {beyond_candidates}");
}

/// Queries typed wholly in Telex with the input method off: the cluster corrects them against its whole
/// collection, as the local index does against its own, and answers the same.
fn telex_as_local(local: &KhoSearcher, searcher: &ClusterSearcher) {
    let queries = ["hoon nhaan vaf gia ddinhf", "mooi truowngf", "cai nghieenj mas tuys", "tamj trus", "ddaats ddai"];
    for q in queries {
        let request = SearchRequest::new(q);
        let (expected, found) = (local.search(&request).expect("local"), searcher.search(&request).expect("cluster"));
        assert!(expected.corrected_query.is_some(), "{q}: the local index corrects it");
        assert_eq!(found.corrected_query, expected.corrected_query, "{q}: the same correction");
        assert_eq!(found.total, expected.total, "{q}: total");
        assert_same_scores(q, &expected, &found);
        let share = overlap(&top_ids(&expected), &top_ids(&found));
        println!(
            "telex {q:?} -> {:?}: {} matches, top-10 overlap {share:.1}",
            expected.corrected_query, expected.total
        );
        assert_eq!(share, 1.0, "{q}: the same top 10");
    }
}

/// "Did you mean": a word no document has is replaced by the closest word of the whole collection's
/// vocabulary (not of the candidates'), as on the local index.
fn suggestions_as_local(local: &KhoSearcher, searcher: &ClusterSearcher) {
    let queries = [
        "hon nhan va gia dinhh",
        "moi truongg",
        "trach nhiem hinh suu",
        "quyen so huuu",
        "truongg",
        "cai nghienn",
        "doanh nghiepp",
        "nghiepp",
        "phap luatt",
        "hinh suu",
    ];
    let mut suggested = 0;
    for q in queries {
        let request = SearchRequest::new(q);
        let (expected, found) = (local.search(&request).expect("local"), searcher.search(&request).expect("cluster"));
        println!("did you mean {q:?}: local {:?}, cluster {:?}", expected.suggestion, found.suggestion);
        assert_eq!(found.suggestion, expected.suggestion, "{q}");
        suggested += usize::from(expected.suggestion.is_some());
    }
    assert_eq!(suggested, queries.len(), "the local index suggests a word for each");
}

/// What the search box suggests for partly typed queries (titles and frequent phrases) on the server
/// searching the cluster: the same completions as built from the local index, once the server is ready
/// (`/readyz` waits for the first build).
fn search_box_as_local(server: &common::TestServer, local_dir: &std::path::Path) {
    let started = std::time::Instant::now();
    while server.get("/readyz").0 != 200 {
        assert!(started.elapsed().as_secs() < 120, "the cluster's suggestions were not built in 120 s");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let local = kho_server::Completions::start(&kho_core::open_index(local_dir).expect("local index"))
        .expect("local suggestions");
    assert!(local.wait_until_built(std::time::Duration::from_secs(60)), "local suggestions built");
    let mut answered = 0;
    for typed in ["luật", "hôn nh", "ma t", "quy đ", "bao ve", "trach nhiem", "Điều", "nghị định", "xử ph"]
    {
        let expected = serde_json::to_value(local.current().complete(typed, 8)).expect("as JSON");
        let (status, body) = server.get_json(&format!("/api/suggest?limit=8&q={}", common::encode(typed)));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["suggestions"], expected, "{typed:?}: the cluster suggests what the local index does");
        answered += usize::from(expected.as_array().is_some_and(|a| !a.is_empty()));
    }
    println!("search box: 9 prefixes, {answered} with completions, each as the local index's");
    assert!(answered >= 7, "the prefixes have completions: {answered}");
}
