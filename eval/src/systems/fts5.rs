//! SQLite FTS5 (rusqlite, bundled SQLite): `unicode61 remove_diacritics 2` folds every diacritic, and
//! results are ranked by `bm25(docs)`. FTS5 ANDs bare words, which returns almost nothing for a
//! natural-language question, so the question's words are each double-quoted (quoting keeps words
//! like `OR` or `NOT` from being read as operators) and joined with OR.

use anyhow::{Context, Result};
use kho_core::analysis::normalize::is_combining_mark;
use rusqlite::{params, Connection};
use tempfile::TempDir;

use super::{Outcome, Ranking, System, DEPTH};
use crate::beir::Document;

const CREATE: &str =
    "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')";
const INSERT: &str = "INSERT INTO docs (id, title, body) VALUES (?1, ?2, ?3)";
const SEARCH: &str = "SELECT id FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2";

/// An FTS5 table over one set, in a database file in a temporary directory.
pub struct Fts5 {
    connection: Connection,
    _dir: TempDir,
}

impl Fts5 {
    pub fn build(documents: &[Document]) -> Result<Fts5> {
        let dir = tempfile::tempdir().context("creating a temporary directory")?;
        let mut connection = Connection::open(dir.path().join("docs.sqlite"))?;
        connection.execute_batch(CREATE).context("creating the FTS5 table")?;
        let transaction = connection.transaction()?;
        {
            let mut insert = transaction.prepare(INSERT)?;
            for d in documents {
                insert.execute(params![d.id, d.title, d.text])?;
            }
        }
        transaction.commit()?;
        Ok(Fts5 { connection, _dir: dir })
    }
}

impl System for Fts5 {
    fn search(&self, query: &str) -> Result<Ranking> {
        let expression = match_expression(query);
        if expression.is_empty() {
            return Ok(Ranking { ids: Vec::new(), outcome: Outcome::Matched });
        }
        let mut statement = self.connection.prepare_cached(SEARCH)?;
        let ids = statement
            .query_map(params![expression, DEPTH as i64], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("FTS5 query {expression:?}"))?;
        Ok(Ranking { ids, outcome: Outcome::Matched })
    }
}

/// The question's words, each double-quoted, joined with OR. Words are split on characters that are
/// neither alphanumeric nor combining marks, so a question typed in NFD keeps its words whole.
pub fn match_expression(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_quotes_words_and_joins_with_or() {
        let cases = [
            ("Chuẩn đầu ra tiếng Pháp?", r#""Chuẩn" OR "đầu" OR "ra" OR "tiếng" OR "Pháp""#),
            ("Điều 5: NOT, OR \"và\" - gì?", r#""Điều" OR "5" OR "NOT" OR "OR" OR "và" OR "gì""#),
            ("Vie\u{0323}\u{0302}t Nam", "\"Vie\u{0323}\u{0302}t\" OR \"Nam\""),
            ("?!", ""),
        ];
        for (query, expected) in cases {
            assert_eq!(match_expression(query), expected, "query {query:?}");
        }
    }

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
