//! Plain tantivy, set up as its documentation shows: `title` and `body` as TEXT fields with the default
//! tokenizer (splits on non-alphanumeric characters and lowercases, but keeps diacritics, so "sach"
//! does not find "sạch"), a stored STRING id, and `QueryParser` over both fields with its default OR
//! semantics. Questions are parsed leniently so their punctuation (`:`, `?`, `-`) cannot fail them.

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument};
use tempfile::TempDir;

use super::{Outcome, Ranking, System, DEPTH};
use crate::beir::Document;

const WRITER_BUDGET: usize = 64 * 1024 * 1024;

/// A default tantivy index over one set, in a temporary directory.
pub struct PlainTantivy {
    reader: IndexReader,
    parser: QueryParser,
    id: Field,
    _dir: TempDir,
}

impl PlainTantivy {
    pub fn build(documents: &[Document]) -> Result<PlainTantivy> {
        let dir = tempfile::tempdir().context("creating a temporary directory")?;
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_dir(dir.path(), builder.build())?;
        let mut writer: IndexWriter = index.writer(WRITER_BUDGET)?;
        for d in documents {
            writer.add_document(doc!(id => d.id.as_str(), title => d.title.as_str(), body => d.text.as_str()))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let parser = QueryParser::for_index(&index, vec![title, body]);
        Ok(PlainTantivy { reader, parser, id, _dir: dir })
    }
}

impl System for PlainTantivy {
    fn search(&self, query: &str) -> Result<Ranking> {
        let (parsed, _ignored_errors) = self.parser.parse_query_lenient(query);
        let searcher = self.reader.searcher();
        let top = searcher.search(&*parsed, &TopDocs::with_limit(DEPTH).order_by_score())?;
        let mut ids = Vec::with_capacity(top.len());
        for (_score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc.get_first(self.id).and_then(|v| v.as_str()).context("document without an id")?;
            ids.push(id.to_owned());
        }
        Ok(Ranking { ids, outcome: Outcome::Matched })
    }
}
