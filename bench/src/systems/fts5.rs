//! SQLite FTS5 through rusqlite: `fts5(id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics
//! 2')` filled in one transaction; queries with each word double-quoted and joined with OR, ranked by
//! `bm25`, with `snippet()` on the body.

use std::path::Path;

use anyhow::{Context, Result};
use kho_core::analysis::normalize::is_combining_mark;
use rusqlite::{params, Connection};

use super::{read_jsonl, IndexCounts, Searcher, TOP};
use crate::queries::BenchQuery;

const CREATE: &str =
    "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')";
const INSERT: &str = "INSERT INTO docs (id, title, body) VALUES (?1, ?2, ?3)";
const SEARCH: &str = "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH ?1 \
                      ORDER BY bm25(docs) LIMIT ?2";

pub fn index(file: &Path, index: &Path) -> Result<IndexCounts> {
    let mut connection = Connection::open(index).with_context(|| format!("opening {}", index.display()))?;
    connection.execute_batch(CREATE).context("creating the FTS5 table")?;
    let transaction = connection.transaction()?;
    let mut counts = IndexCounts::default();
    {
        let mut insert = transaction.prepare(INSERT)?;
        for article in read_jsonl(file)? {
            let article = article?;
            insert.execute(params![article.id, article.title, article.full_body()])?;
            counts.indexed += 1;
        }
    }
    transaction.commit()?;
    Ok(counts)
}

/// A connection to an FTS5 database.
pub struct Fts5Bench {
    connection: Connection,
}

impl Fts5Bench {
    pub fn open(index: &Path) -> Result<Fts5Bench> {
        Ok(Fts5Bench { connection: Connection::open(index)? })
    }
}

impl Searcher for Fts5Bench {
    fn search(&self, query: &BenchQuery) -> Result<usize> {
        let expression = match_expression(&query.text);
        if expression.is_empty() {
            return Ok(0);
        }
        let mut statement = self.connection.prepare_cached(SEARCH)?;
        let rows = statement
            .query_map(params![expression, TOP as i64], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("FTS5 query {expression:?}"))?;
        Ok(rows.len())
    }
}

/// The query's words, each double-quoted, joined with OR.
pub fn match_expression(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}
