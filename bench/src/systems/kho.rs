//! Kho: indexing through `kho_indexer::index_jsonl` (the real bulk import: normalization, dedup,
//! metadata tagging, two analyzers per field), searching through `KhoSearcher::search` (query parsing,
//! spelling and input-method checks, synonyms, top-10, snippets, facet counts).

use std::path::Path;

use anyhow::{Context, Result};
use kho_core::index::open_index;
use kho_core::search::{KhoSearcher, SearchRequest};
use kho_indexer::{index_jsonl, JsonlOptions};

use super::{IndexCounts, Searcher};
use crate::queries::BenchQuery;

pub fn index(file: &Path, index: &Path) -> Result<IndexCounts> {
    let options = JsonlOptions { index_dir: index.to_owned(), file: file.to_owned(), progress: false };
    let report = index_jsonl(&options).with_context(|| format!("importing {}", file.display()))?;
    Ok(IndexCounts {
        indexed: report.indexed as u64,
        unchanged: report.unchanged as u64,
        duplicates: report.duplicates as u64,
        failed: report.failed.len() as u64,
    })
}

/// Kho's searcher, with or without facet counts.
pub struct KhoBench {
    pub searcher: KhoSearcher,
    facets: bool,
}

impl KhoBench {
    pub fn open(index: &Path, facets: bool) -> Result<KhoBench> {
        let kho = open_index(index).with_context(|| format!("opening {}", index.display()))?;
        Ok(KhoBench { searcher: KhoSearcher::new(kho)?, facets })
    }

    /// The most frequent year among documents matching `q`, from the facet counts.
    pub fn top_year(&self, q: &str) -> Result<Option<u64>> {
        let response = self.searcher.search(&SearchRequest::new(q))?;
        Ok(response.facets.get("year").and_then(|years| years.iter().max_by_key(|c| c.count)?.value.parse().ok()))
    }
}

impl Searcher for KhoBench {
    fn search(&self, query: &BenchQuery) -> Result<usize> {
        let mut request = SearchRequest::new(query.kho());
        request.facets = self.facets;
        let response = self.searcher.search(&request).with_context(|| format!("Kho query {:?}", query.kho()))?;
        Ok(response.hits.len())
    }
}
