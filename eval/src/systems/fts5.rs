//! SQLite FTS5 as `kho_baselines::fts5` sets it up (`unicode61 remove_diacritics 2`, BM25, the
//! question's words each double-quoted and joined with OR), in a database file in a temporary directory.

use anyhow::{Context, Result};
use kho_baselines::fts5;
use kho_baselines::Doc;
use tempfile::TempDir;

use super::{Outcome, Ranking, System, DEPTH};
use crate::beir::Document;

/// An FTS5 table over one set, in a database file in a temporary directory.
pub struct Fts5 {
    fts: fts5::Fts5,
    _dir: TempDir,
}

impl Fts5 {
    pub fn build(documents: &[Document]) -> Result<Fts5> {
        let dir = tempfile::tempdir().context("creating a temporary directory")?;
        let docs = documents.iter().map(|d| Ok(Doc::borrowed(&d.id, &d.title, &d.text)));
        let (fts, _count) = fts5::Fts5::create(&dir.path().join("docs.sqlite"), docs)?;
        Ok(Fts5 { fts, _dir: dir })
    }
}

impl System for Fts5 {
    fn search(&self, query: &str) -> Result<Ranking> {
        let hits = self.fts.search(query, DEPTH, false)?;
        Ok(Ranking { ids: hits.into_iter().map(|hit| hit.id).collect(), outcome: Outcome::Matched })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_with_folded_diacritics() {
        let documents = vec![
            Document {
                id: "clean".into(), title: "Sản xuất sạch hơn".into(), text: "Hội thảo ở Bến Tre".into()
            },
            Document { id: "book".into(), title: "Sách".into(), text: "Thư viện".into() },
        ];
        let fts = Fts5::build(&documents).unwrap();
        assert_eq!(fts.search("san xuat?").unwrap().ids, ["clean"]);
        assert_eq!(fts.search("thư viện ở đâu").unwrap().ids, ["book", "clean"]);
        assert!(fts.search("...").unwrap().ids.is_empty());
    }
}
