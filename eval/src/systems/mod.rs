//! The systems under comparison, each built in its own temporary directory over the same documents and
//! asked the same questions:
//!
//! - [`kho`]: Kho's index and `KhoSearcher`, exactly as the product uses them;
//! - [`plain_tantivy`]: tantivy with its default tokenizer and query parser, the baseline "what you get
//!   without Vietnamese analysis";
//! - [`fts5`]: SQLite FTS5 with `unicode61 remove_diacritics 2` and BM25, a common off-the-shelf choice
//!   that folds diacritics everywhere.

pub mod fts5;
pub mod kho;
pub mod plain_tantivy;

use anyhow::Result;

use crate::beir::Document;

/// How many results each system returns per query (enough for Recall@100).
pub const DEPTH: usize = 100;

/// What happened to a query, beyond its ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Searched normally (for Kho: every result has every word).
    Matched,
    /// Kho's response was `relaxed`: some results lack some of the words.
    Relaxed,
    /// Kho refused the query with this error code (e.g. `too_many_terms`); the ranking is empty.
    Rejected(&'static str),
}

/// The ranked document ids of one query, and how they came about.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub ids: Vec<String>,
    pub outcome: Outcome,
}

/// A search system over one set's documents.
pub trait System {
    /// At most [`DEPTH`] document ids, best first.
    fn search(&self, query: &str) -> Result<Ranking>;
}

/// The systems, in the order of the report's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemKind {
    Kho,
    PlainTantivy,
    Fts5,
}

impl SystemKind {
    pub const ALL: [SystemKind; 3] = [SystemKind::Kho, SystemKind::PlainTantivy, SystemKind::Fts5];

    /// The name in the report.
    pub fn label(self) -> &'static str {
        match self {
            SystemKind::Kho => "Kho",
            SystemKind::PlainTantivy => "tantivy-default",
            SystemKind::Fts5 => "SQLite FTS5",
        }
    }

    /// Indexes `documents` in a new temporary directory, owned by the returned system.
    pub fn build(self, documents: &[Document]) -> Result<Box<dyn System>> {
        Ok(match self {
            SystemKind::Kho => Box::new(kho::Kho::build(documents)?),
            SystemKind::PlainTantivy => Box::new(plain_tantivy::PlainTantivy::build(documents)?),
            SystemKind::Fts5 => Box::new(fts5::Fts5::build(documents)?),
        })
    }
}
