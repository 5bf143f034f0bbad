//! The systems: Kho through its real bulk import and searcher, plain tantivy with its default tokenizer
//! and SQLite FTS5 (both from `kho-baselines`), in this process; and Xapian, a peer engine run as its own
//! program (see [`xapian`]). Each indexes the same JSON Lines file and answers the same queries with a
//! top-10 and snippets.

pub mod fts5;
pub mod kho;
pub mod plain_tantivy;
pub mod xapian;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{bail, Context, Result};
use kho_baselines::Doc;
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
    Xapian,
}

impl SystemName {
    pub const ALL: [SystemName; 4] = [SystemName::Kho, SystemName::Tantivy, SystemName::Fts5, SystemName::Xapian];

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            SystemName::Kho => "Kho",
            SystemName::Tantivy => "plain tantivy",
            SystemName::Fts5 => "SQLite FTS5",
            SystemName::Xapian => "Xapian",
        }
    }

    /// Whether it runs inside kho-bench (the others run as their own program).
    pub fn in_process(self) -> bool {
        self != SystemName::Xapian
    }

    /// Where its index lives under a work directory.
    pub fn index_path(self, dir: &Path) -> std::path::PathBuf {
        match self {
            SystemName::Kho => dir.join("kho-index"),
            SystemName::Tantivy => dir.join("tantivy-index"),
            SystemName::Fts5 => dir.join("fts5.sqlite"),
            SystemName::Xapian => dir.join("xapian-index"),
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

/// Indexes `file` with `system` (one that runs in process) into `index`.
pub fn index(system: SystemName, file: &Path, index: &Path) -> Result<IndexCounts> {
    match system {
        SystemName::Kho => kho::index(file, index),
        SystemName::Tantivy => plain_tantivy::index(file, index),
        SystemName::Fts5 => fts5::index(file, index),
        SystemName::Xapian => bail!("Xapian is indexed by its own program, not in kho-bench"),
    }
}

/// A system ready to answer queries.
pub trait Searcher {
    /// Runs one query: top-10 with snippets; returns the number of hits returned.
    fn search(&self, query: &BenchQuery) -> Result<usize>;
}

/// Opens the index of `system` (one that runs in process).
pub fn open(system: SystemName, index: &Path) -> Result<Box<dyn Searcher>> {
    Ok(match system {
        SystemName::Kho => Box::new(kho::KhoBench::open(index, true)?),
        SystemName::Tantivy => Box::new(plain_tantivy::TantivyBench::open(index)?),
        SystemName::Fts5 => Box::new(fts5::Fts5Bench::open(index)?),
        SystemName::Xapian => bail!("Xapian is searched by its own program, not in kho-bench"),
    })
}

/// The documents of a JSON Lines file as the baselines index them (the same file Kho imports): id,
/// title, and the abstract before the body as the body.
pub fn read_docs(file: &Path) -> Result<impl Iterator<Item = Result<Doc<'static>>>> {
    let handle = File::open(file).with_context(|| format!("opening {}", file.display()))?;
    Ok(BufReader::new(handle).lines().map(|line| {
        let article = serde_json::from_str::<Article>(&line?)?;
        let body = article.full_body();
        Ok(Doc::owned(article.id, article.title, body))
    }))
}
