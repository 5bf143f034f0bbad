//! SQLite FTS5 as `kho_baselines::fts5` sets it up: `fts5(id UNINDEXED, title, body, tokenize =
//! 'unicode61 remove_diacritics 2')` filled in one transaction; queries with each word double-quoted and
//! joined with OR, ranked by `bm25`, with `snippet()` on the body.

use std::path::Path;

use anyhow::Result;
use kho_baselines::fts5;

use super::{read_docs, IndexCounts, Searcher, TOP};
use crate::queries::BenchQuery;

pub fn index(file: &Path, index: &Path) -> Result<IndexCounts> {
    let (_fts, indexed) = fts5::Fts5::create(index, read_docs(file)?)?;
    Ok(IndexCounts { indexed, ..IndexCounts::default() })
}

/// A connection to an FTS5 database.
pub struct Fts5Bench {
    fts: fts5::Fts5,
}

impl Fts5Bench {
    pub fn open(index: &Path) -> Result<Fts5Bench> {
        Ok(Fts5Bench { fts: fts5::Fts5::open(index)? })
    }
}

impl Searcher for Fts5Bench {
    fn search(&self, query: &BenchQuery) -> Result<usize> {
        Ok(self.fts.search(&query.text, TOP, true)?.len())
    }
}
