//! Kho as the product runs it: the index opened by `open_or_create_index`, documents written with
//! `KhoDocument::to_tantivy`, and `KhoSearcher::search` with the user's text as the query and the
//! request's other settings as `SearchRequest::new` gives them. Nothing of
//! Kho's query logic is reimplemented here, so the figures are the product's.

use std::sync::Arc;

use anyhow::{Context, Result};
use kho_core::index::open_or_create_index;
use kho_core::query::Ranking as RankingFeatures;
use kho_core::schema::{KhoDocument, Kind};
use kho_core::search::rerank::Features;
use kho_core::search::{KhoSearcher, SearchError, SearchRequest};
use tantivy::IndexWriter;
use tempfile::TempDir;

use super::{Outcome, Ranking, System, DEPTH};
use crate::beir::Document;

/// Indexing memory budget (tantivy splits it between its threads; 2 cores here).
const WRITER_BUDGET: usize = 64 * 1024 * 1024;

/// A Kho index over one set, in a temporary directory.
pub struct Kho {
    searcher: KhoSearcher,
    _dir: Arc<TempDir>,
}

impl Kho {
    pub fn build(documents: &[Document]) -> Result<Kho> {
        let dir = tempfile::tempdir().context("creating a temporary directory")?;
        let index = open_or_create_index(dir.path())?;
        let mut writer: IndexWriter = index.index.writer(WRITER_BUDGET)?;
        for doc in documents {
            writer.add_document(kho_document(doc)?.to_tantivy(&index.fields))?;
        }
        writer.commit()?;
        let searcher = KhoSearcher::new(index)?;
        searcher.reload()?;
        Ok(Kho { searcher, _dir: Arc::new(dir) })
    }
}

impl Kho {
    /// The same index searched with these ranking features (the ablation switches one off at a time).
    /// The reranker's candidates of a query and their features (see `crate::train`); a query Kho refuses
    /// has none.
    pub fn candidate_features(&self, query: &str) -> Result<Vec<(String, Features)>> {
        match self.searcher.candidate_features(query) {
            Ok(candidates) => Ok(candidates),
            Err(SearchError::BadRequest(_)) => Ok(Vec::new()),
            Err(error) => Err(error).context("Kho candidate features"),
        }
    }

    pub fn with_ranking(&self, ranking: RankingFeatures) -> Kho {
        Kho { searcher: self.searcher.clone().with_ranking(ranking), _dir: Arc::clone(&self._dir) }
    }
}

/// The document as the indexer would write a plain-text file with this id. Built from its JSON form so
/// that fields kho-core adds later with `#[serde(default)]` (facets, sources) keep their defaults here.
fn kho_document(doc: &Document) -> Result<KhoDocument> {
    let json = serde_json::json!({
        "id": doc.id,
        "path": doc.id,
        "title": doc.title,
        "body": doc.text,
        "kind": Kind::Other,
        "format": "txt",
        "date": null,
        "hash": "",
    });
    serde_json::from_value(json).context("building a KhoDocument")
}

impl System for Kho {
    fn search(&self, query: &str) -> Result<Ranking> {
        let request = SearchRequest { size: DEPTH, ..SearchRequest::new(query) };
        match self.searcher.search(&request) {
            Ok(response) => Ok(Ranking {
                ids: response.hits.into_iter().map(|hit| hit.id).collect(),
                outcome: if response.relaxed { Outcome::Relaxed } else { Outcome::Matched },
            }),
            // The product answers such a query with an error and no results; so does the evaluation.
            Err(SearchError::BadRequest(error)) => {
                Ok(Ranking { ids: Vec::new(), outcome: Outcome::Rejected(error.code) })
            }
            Err(error) => Err(error).context("Kho search failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only what this adapter adds is checked here: ids in Kho's order, and a refused query as an empty
    /// ranking with its error code. How Kho ranks and relaxes is kho-core's to test.
    #[test]
    fn returns_kho_hits_and_refusals() {
        let documents = vec![
            Document {
                id: "clean".into(), title: "Sản xuất sạch hơn".into(), text: "Hội thảo ở Bến Tre".into()
            },
            Document { id: "book".into(), title: "Sách".into(), text: "Thư viện tỉnh".into() },
        ];
        let kho = Kho::build(&documents).unwrap();
        assert_eq!(kho.search("sạch hơn").unwrap().ids.first().map(String::as_str), Some("clean"));
        assert_eq!(kho.search("thu vien").unwrap().ids.first().map(String::as_str), Some("book"));
        assert_eq!(kho.search("   ").unwrap(), Ranking { ids: Vec::new(), outcome: Outcome::Rejected("empty_query") });
    }
}
