//! The three systems: Kho through its real bulk import and searcher, plain tantivy with its default
//! tokenizer, and SQLite FTS5. Each indexes the same JSON Lines file and answers the same queries with a
//! top-10 and snippets.

pub mod fts5;
pub mod kho;
pub mod plain_tantivy;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::corpus::Article;
use crate::queries::BenchQuery;

/// Top results per query.
pub const TOP: usize = 10;

/// A system under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemName {
    Kho,
    Tantivy,
    Fts5,
}

impl SystemName {
    pub const ALL: [SystemName; 3] = [SystemName::Kho, SystemName::Tantivy, SystemName::Fts5];

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            SystemName::Kho => "Kho",
            SystemName::Tantivy => "plain tantivy",
            SystemName::Fts5 => "SQLite FTS5",
        }
    }

    /// Where its index lives under a work directory.
    pub fn index_path(self, dir: &Path) -> std::path::PathBuf {
        match self {
            SystemName::Kho => dir.join("kho-index"),
            SystemName::Tantivy => dir.join("tantivy-index"),
            SystemName::Fts5 => dir.join("fts5.sqlite"),
        }
    }
}

/// What one indexing run did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexCounts {
    pub indexed: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    pub failed: u64,
}

/// Indexes `file` with `system` into `index`.
pub fn index(system: SystemName, file: &Path, index: &Path) -> Result<IndexCounts> {
    match system {
        SystemName::Kho => kho::index(file, index),
        SystemName::Tantivy => plain_tantivy::index(file, index),
        SystemName::Fts5 => fts5::index(file, index),
    }
}

/// A system ready to answer queries.
pub trait Searcher {
    /// Runs one query: top-10 with snippets; returns the number of hits returned.
    fn search(&self, query: &BenchQuery) -> Result<usize>;
}

/// Opens `system`'s index.
pub fn open(system: SystemName, index: &Path) -> Result<Box<dyn Searcher>> {
    Ok(match system {
        SystemName::Kho => Box::new(kho::KhoBench::open(index, true)?),
        SystemName::Tantivy => Box::new(plain_tantivy::TantivyBench::open(index)?),
        SystemName::Fts5 => Box::new(fts5::Fts5Bench::open(index)?),
    })
}

/// Reads the articles of a JSON Lines file (the baselines parse the same file Kho imports).
pub fn read_jsonl(file: &Path) -> Result<impl Iterator<Item = Result<Article>>> {
    let handle = File::open(file).with_context(|| format!("opening {}", file.display()))?;
    Ok(BufReader::new(handle).lines().map(|line| Ok(serde_json::from_str::<Article>(&line?)?)))
}
