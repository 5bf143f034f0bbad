//! Kho on a cluster (issue 17, docs/scale-out.md): three real `searchd` nodes on loopback ports, each
//! with its own configuration and folder, three shards kept on two nodes each. The ALQAC 2023 law corpus
//! (../shared/data) is indexed locally, published to the cluster with the indexer's `--target cluster`
//! path (twice: the second run writes nothing), and 100 of its questions are asked of both: the cluster's
//! top 10 must be the local index's (mean overlap at least 0.9, printed). Then one node is killed and
//! every search is still answered, through the API of the real server running on the cluster.
//!
//! Needs Sphinx's searchd (Debian package `sphinxsearch`, installed by .ci/run): without it the test
//! fails and says what to install.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kho_cluster::local::{searchd_installed, LocalCluster};
use kho_cluster::ClusterSearcher;
use kho_core::search::{KhoSearcher, SearchRequest, SearchResponse};
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
    let again = publish_index(&local_dir, &cluster.spec).expect("published again");
    assert_eq!((again.written, again.unchanged as u64), (0, documents), "a re-run writes nothing: {again:?}");

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
        let scores = |r: &SearchResponse| r.hits.iter().map(|h| h.score).collect::<Vec<f32>>();
        let (want, got) = (scores(&expected), scores(&found));
        assert_eq!(want.len(), got.len(), "{q}");
        assert!(want.iter().zip(&got).all(|(a, b)| (a - b).abs() < 1e-3), "{q}: {want:?} vs {got:?}");
    }
    let mean = total / questions.len() as f64;
    println!("top-10 overlap, cluster vs local index, {} ALQAC questions: {mean:.3}", questions.len());
    assert!(mean >= MIN_OVERLAP, "mean top-10 overlap {mean:.3} < {MIN_OVERLAP}");

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
