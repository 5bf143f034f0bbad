//! The off-the-shelf baselines Kho is measured against, set up once for both tools that use them:
//! `kho-eval` (relevance) and `kho-bench` (speed, size, memory).
//!
//! - [`plain_tantivy`]: tantivy with its default tokenizer and query parser, "what you get without
//!   Vietnamese analysis";
//! - [`data`]: reading the shared data files (gzipped JSON Lines);
//! - [`fts5`]: SQLite FTS5 with `unicode61 remove_diacritics 2` and BM25, a common off-the-shelf choice
//!   that folds diacritics everywhere.
//!
//! Both index a document as an id, a title and a body, and answer a query with the best ids, optionally
//! with a highlighted snippet of the body.

pub mod data;
pub mod fts5;
pub mod plain_tantivy;

use std::borrow::Cow;

/// One document as the baselines index it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc<'a> {
    pub id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub body: Cow<'a, str>,
}

impl<'a> Doc<'a> {
    /// A document borrowing its text.
    pub fn borrowed(id: &'a str, title: &'a str, body: &'a str) -> Doc<'a> {
        Doc { id: Cow::Borrowed(id), title: Cow::Borrowed(title), body: Cow::Borrowed(body) }
    }

    /// A document owning its text.
    pub fn owned(id: String, title: String, body: String) -> Doc<'static> {
        Doc { id: Cow::Owned(id), title: Cow::Owned(title), body: Cow::Owned(body) }
    }
}

/// One result: the document's id and, when asked for, its snippet (HTML, matched words in `<mark>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: String,
    pub snippet: Option<String>,
}
