//! Loading a labelled set in the BEIR layout: `corpus.jsonl` (`_id, title, text`), `queries.jsonl`
//! (`_id, text`) and `qrels.tsv` (`query-id, corpus-id, score`, with a header line).
//!
//! Only queries with at least one positive judgment are kept: a query nobody labelled says nothing
//! about a system, and one whose ideal ranking is empty has no nDCG.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// Relevance judgments of one query: document id → graded gain (only positive gains are kept).
pub type Judgments = HashMap<String, f64>;

/// One document of a corpus.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Document {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
}

/// One question, with its judgments.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub id: String,
    pub text: String,
    pub judgments: Judgments,
    /// Whether the set marks this question for training (its `split` is `train`, or its id says
    /// `#train` or `train_`): `kho-eval train` learns the reranker's weights on these alone.
    pub training: bool,
}

#[derive(Deserialize)]
struct RawQuery {
    #[serde(rename = "_id")]
    id: String,
    text: String,
    #[serde(default)]
    split: Option<String>,
}

impl RawQuery {
    /// ALQAC's set2023 says the split in the id (`DS-1#train`), set102023 in `split`, uit-regwiki-qa in
    /// the id's first part (`train_reg/0/0/q0`).
    fn is_training(&self) -> bool {
        match &self.split {
            Some(split) => split == "train",
            None => self.id.ends_with("#train") || self.id.starts_with("train_"),
        }
    }
}

/// A labelled set: its documents and its judged queries.
#[derive(Debug, Clone)]
pub struct BeirSet {
    /// The set's folder relative to the data folder, e.g. `alqac2023/set2023`.
    pub name: String,
    pub documents: Vec<Document>,
    pub queries: Vec<Query>,
}

/// Loads the set in `data/name`.
pub fn load_set(data: &Path, name: &str) -> Result<BeirSet> {
    let dir = data.join(name);
    let documents: Vec<Document> = read_jsonl(&dir.join("corpus.jsonl"))?;
    let raw_queries: Vec<RawQuery> = read_jsonl(&dir.join("queries.jsonl"))?;
    let qrels_path = dir.join("qrels.tsv");
    let qrels = parse_qrels(
        &std::fs::read_to_string(&qrels_path).with_context(|| format!("reading {}", qrels_path.display()))?,
    )
    .with_context(|| format!("parsing {}", qrels_path.display()))?;
    let queries = judged_queries(raw_queries, qrels);
    if queries.is_empty() {
        bail!("{}: no query has a positive judgment", dir.display());
    }
    Ok(BeirSet { name: name.to_owned(), documents, queries })
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut items = Vec::new();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let item = serde_json::from_str(&line).with_context(|| format!("{}:{}", path.display(), number + 1))?;
        items.push(item);
    }
    Ok(items)
}

/// Parses qrels text into query id → judgments, skipping the header and non-positive scores.
pub fn parse_qrels(text: &str) -> Result<HashMap<String, Judgments>> {
    let mut qrels: HashMap<String, Judgments> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || (number == 0 && line.starts_with("query-id")) {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let [query, doc, score] = columns[..] else {
            bail!("line {}: expected 3 tab-separated columns, got {}", number + 1, columns.len());
        };
        let score: f64 = score.trim().parse().with_context(|| format!("line {}: bad score {score:?}", number + 1))?;
        if score > 0.0 {
            qrels.entry(query.to_owned()).or_default().insert(doc.to_owned(), score);
        }
    }
    Ok(qrels)
}

fn judged_queries(raw: Vec<RawQuery>, mut qrels: HashMap<String, Judgments>) -> Vec<Query> {
    raw.into_iter()
        .filter_map(|q| {
            let training = q.is_training();
            qrels.remove(&q.id).map(|judgments| Query { id: q.id, text: q.text, judgments, training })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qrels_skip_header_and_non_positive_scores() {
        let qrels = parse_qrels("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t2\nq2\td3\t0\n").unwrap();
        assert_eq!(qrels.len(), 1);
        assert_eq!(qrels["q1"], Judgments::from([("d1".into(), 1.0), ("d2".into(), 2.0)]));
    }

    #[test]
    fn qrels_reject_malformed_lines() {
        assert!(parse_qrels("query-id\tcorpus-id\tscore\nq1 d1 1\n").is_err());
        assert!(parse_qrels("q1\td1\tx\n").is_err());
    }

    #[test]
    fn only_judged_queries_are_kept() {
        let raw = vec![
            RawQuery { id: "q1".into(), text: "a".into(), split: None },
            RawQuery { id: "q2".into(), text: "b".into(), split: None },
        ];
        let qrels = HashMap::from([("q2".to_owned(), Judgments::from([("d".into(), 1.0)]))]);
        let queries = judged_queries(raw, qrels);
        assert_eq!(queries.len(), 1);
        assert_eq!(queries[0].id, "q2");
    }
}
