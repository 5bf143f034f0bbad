//! Plain tantivy as `kho_baselines::plain_tantivy` sets it up: `id` STRING stored, `title` and `body`
//! TEXT stored with the default tokenizer, a 128 MB writer; queries through `QueryParser` over title and
//! body (OR, lenient), snippets from `SnippetGenerator` on the body.

use std::path::Path;

use anyhow::Result;
use kho_baselines::plain_tantivy::{PlainTantivy, Settings};

use super::{read_docs, IndexCounts, Searcher, TOP};
use crate::queries::BenchQuery;

const SETTINGS: Settings = Settings { writer_budget: 128 * 1024 * 1024, store_text: true, wait_merging: true };

pub fn index(file: &Path, index: &Path) -> Result<IndexCounts> {
    let indexed = PlainTantivy::create(index, SETTINGS, read_docs(file)?)?;
    Ok(IndexCounts { indexed, ..IndexCounts::default() })
}

/// A reader and query parser over a plain tantivy index.
pub struct TantivyBench {
    index: PlainTantivy,
}

impl TantivyBench {
    pub fn open(index: &Path) -> Result<TantivyBench> {
        Ok(TantivyBench { index: PlainTantivy::open(index)? })
    }
}

impl Searcher for TantivyBench {
    fn search(&self, query: &BenchQuery) -> Result<usize> {
        let hits = self.index.search(&query.text, TOP, true)?;
        std::hint::black_box(&hits);
        Ok(hits.len())
    }
}
