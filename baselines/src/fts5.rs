//! SQLite FTS5 (rusqlite, bundled SQLite): `fts5(id UNINDEXED, title, body, tokenize = 'unicode61
//! remove_diacritics 2')`, which folds every diacritic, filled in one transaction; results ranked by
//! `bm25(docs)`, snippets from `snippet()` on the body.
//!
//! FTS5 ANDs bare words, which returns almost nothing for a natural-language question, so the query's
//! words are each double-quoted (quoting keeps words like `OR` or `NOT` from being read as operators) and
//! joined with OR.

use std::path::Path;

use anyhow::{Context, Result};
use kho_core::analysis::normalize::is_combining_mark;
use rusqlite::{params, Connection};

use crate::{Doc, Hit};

const CREATE: &str =
    "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')";
const INSERT: &str = "INSERT INTO docs (id, title, body) VALUES (?1, ?2, ?3)";
const SEARCH: &str = "SELECT id FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2";
const SEARCH_WITH_SNIPPETS: &str = "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs \
                                    WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2";

/// A connection to an FTS5 database file.
pub struct Fts5 {
    connection: Connection,
}

impl Fts5 {
    /// Creates the table in a new database file at `path` and inserts `documents` in one transaction;
    /// returns the database and how many documents it holds.
    pub fn create<'a>(path: &Path, documents: impl IntoIterator<Item = Result<Doc<'a>>>) -> Result<(Fts5, u64)> {
        let mut connection = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        connection.execute_batch(CREATE).context("creating the FTS5 table")?;
        let transaction = connection.transaction()?;
        let mut count = 0;
        {
            let mut insert = transaction.prepare(INSERT)?;
            for doc in documents {
                let doc = doc?;
                insert.execute(params![doc.id, doc.title, doc.body])?;
                count += 1;
            }
        }
        transaction.commit()?;
        Ok((Fts5 { connection }, count))
    }

    /// Opens an existing database file.
    pub fn open(path: &Path) -> Result<Fts5> {
        Ok(Fts5 { connection: Connection::open(path).with_context(|| format!("opening {}", path.display()))? })
    }

    /// The best `limit` ids for `query` (see [`match_expression`]), with snippets when `snippets` is set.
    /// A query without words finds nothing.
    pub fn search(&self, query: &str, limit: usize, snippets: bool) -> Result<Vec<Hit>> {
        let expression = match_expression(query);
        if expression.is_empty() {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let hits = if snippets {
            let mut statement = self.connection.prepare_cached(SEARCH_WITH_SNIPPETS)?;
            let rows = statement
                .query_map(params![expression, limit], |row| Ok(Hit { id: row.get(0)?, snippet: Some(row.get(1)?) }))?;
            rows.collect::<Result<Vec<_>, _>>()
        } else {
            let mut statement = self.connection.prepare_cached(SEARCH)?;
            let rows =
                statement.query_map(params![expression, limit], |row| Ok(Hit { id: row.get(0)?, snippet: None }))?;
            rows.collect::<Result<Vec<_>, _>>()
        };
        hits.with_context(|| format!("FTS5 query {expression:?}"))
    }
}

/// The query's words, each double-quoted, joined with OR. Words are split on characters that are
/// neither alphanumeric nor combining marks, so a query typed in NFD keeps its words whole.
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
    fn searches_with_folded_diacritics_and_snippets() {
        let dir = tempfile::tempdir().unwrap();
        let documents = [
            Doc::borrowed("clean", "Sản xuất sạch hơn", "Hội thảo ở Bến Tre"),
            Doc::borrowed("book", "Sách", "Thư viện"),
        ];
        let (fts, count) = Fts5::create(&dir.path().join("docs.sqlite"), documents.into_iter().map(Ok)).unwrap();
        assert_eq!(count, 2);
        let ids = |hits: Vec<Hit>| hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids(fts.search("san xuat?", 10, false).unwrap()), ["clean"]);
        assert_eq!(ids(fts.search("thư viện ở đâu", 10, false).unwrap()), ["book", "clean"]);
        assert!(fts.search("...", 10, true).unwrap().is_empty());
        let reopened = Fts5::open(&dir.path().join("docs.sqlite")).unwrap();
        let hits = reopened.search("ben tre", 10, true).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].snippet.as_deref(), Some("Hội thảo ở <mark>Bến</mark> <mark>Tre</mark>"));
    }
}
