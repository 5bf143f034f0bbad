//! Plain tantivy as `kho_baselines::plain_tantivy` sets it up (default tokenizer, which keeps diacritics,
//! so "sach" does not find "sạch"; `QueryParser` over title and body, OR, lenient), only the id stored, in
//! a temporary directory.

use anyhow::{Context, Result};
use kho_baselines::plain_tantivy::{self, Settings};
use kho_baselines::Doc;
use tempfile::TempDir;

use super::{Outcome, Ranking, System, DEPTH};
use crate::beir::Document;

const SETTINGS: Settings = Settings { writer_budget: 64 * 1024 * 1024, store_text: false, wait_merging: false };

/// A default tantivy index over one set, in a temporary directory.
pub struct PlainTantivy {
    index: plain_tantivy::PlainTantivy,
    _dir: TempDir,
}

impl PlainTantivy {
    pub fn build(documents: &[Document]) -> Result<PlainTantivy> {
        let dir = tempfile::tempdir().context("creating a temporary directory")?;
        let docs = documents.iter().map(|d| Ok(Doc::borrowed(&d.id, &d.title, &d.text)));
        plain_tantivy::PlainTantivy::create(dir.path(), SETTINGS, docs)?;
        Ok(PlainTantivy { index: plain_tantivy::PlainTantivy::open(dir.path())?, _dir: dir })
    }
}

impl System for PlainTantivy {
    fn search(&self, query: &str) -> Result<Ranking> {
        let hits = self.index.search(query, DEPTH, false)?;
        Ok(Ranking { ids: hits.into_iter().map(|hit| hit.id).collect(), outcome: Outcome::Matched })
    }
}
