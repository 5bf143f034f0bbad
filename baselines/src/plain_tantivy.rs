//! Plain tantivy, set up as its documentation shows: a stored STRING `id`, `title` and `body` as TEXT
//! fields with the default tokenizer (splits on non-alphanumeric characters and lowercases, but keeps
//! diacritics, so "sach" does not find "sạch"), and `QueryParser` over both fields with its default OR
//! semantics. Queries are parsed leniently so their punctuation (`:`, `?`, `-`) cannot fail them;
//! snippets come from `SnippetGenerator` on the body.

use std::path::Path;

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, STORED, STRING, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument};

use crate::{Doc, Hit};

/// How an index is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The writer's memory budget (tantivy splits it between its threads).
    pub writer_budget: usize,
    /// Store the title and body too (needed for snippets); the id is always stored.
    pub store_text: bool,
    /// Wait for background merges to finish before returning.
    pub wait_merging: bool,
}

fn schema(store_text: bool) -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    if store_text {
        builder.add_text_field("title", TEXT | STORED);
        builder.add_text_field("body", TEXT | STORED);
    } else {
        builder.add_text_field("title", TEXT);
        builder.add_text_field("body", TEXT);
    }
    builder.build()
}

/// A reader and query parser over a plain tantivy index.
pub struct PlainTantivy {
    reader: IndexReader,
    parser: QueryParser,
    id: Field,
    body: Field,
}

impl PlainTantivy {
    /// Indexes `documents` into a new index in `dir` (created if missing) and commits once; returns how
    /// many documents it holds. [`PlainTantivy::open`] then searches it.
    pub fn create<'a>(
        dir: &Path,
        settings: Settings,
        documents: impl IntoIterator<Item = Result<Doc<'a>>>,
    ) -> Result<u64> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let index = Index::create_in_dir(dir, schema(settings.store_text)).context("creating the tantivy index")?;
        let schema = index.schema();
        let (id, title, body) = (schema.get_field("id")?, schema.get_field("title")?, schema.get_field("body")?);
        let mut writer: IndexWriter = index.writer(settings.writer_budget)?;
        let mut count = 0;
        for document in documents {
            let document = document?;
            writer.add_document(doc!(id => document.id.as_ref(), title => document.title.as_ref(),
                body => document.body.as_ref()))?;
            count += 1;
        }
        writer.commit()?;
        if settings.wait_merging {
            writer.wait_merging_threads()?;
        }
        Ok(count)
    }

    /// Opens an index made by [`PlainTantivy::create`].
    pub fn open(dir: &Path) -> Result<PlainTantivy> {
        let index = Index::open_in_dir(dir).with_context(|| format!("opening {}", dir.display()))?;
        let schema = index.schema();
        let (id, title, body) = (schema.get_field("id")?, schema.get_field("title")?, schema.get_field("body")?);
        let parser = QueryParser::for_index(&index, vec![title, body]);
        Ok(PlainTantivy { reader: index.reader()?, parser, id, body })
    }

    /// The best `limit` documents for `query`, with snippets of the body when `snippets` is set (the
    /// index must then store its text).
    pub fn search(&self, query: &str, limit: usize, snippets: bool) -> Result<Vec<Hit>> {
        let (parsed, _ignored_errors) = self.parser.parse_query_lenient(query);
        let searcher = self.reader.searcher();
        let top = searcher.search(&*parsed, &TopDocs::with_limit(limit).order_by_score())?;
        let generator = if snippets { Some(SnippetGenerator::create(&searcher, &*parsed, self.body)?) } else { None };
        let mut hits = Vec::with_capacity(top.len());
        for (_score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc.get_first(self.id).and_then(|v| v.as_str()).context("document without an id")?;
            let snippet = generator.as_ref().map(|g| g.snippet_from_doc(&doc).to_html());
            hits.push(Hit { id: id.to_owned(), snippet });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_diacritics_ors_words_and_highlights() {
        let dir = tempfile::tempdir().unwrap();
        let documents = [
            Doc::borrowed("clean", "Sản xuất sạch hơn", "Hội thảo ở Bến Tre"),
            Doc::borrowed("book", "Sách", "Thư viện sạch"),
        ];
        let settings = Settings { writer_budget: 16 * 1024 * 1024, store_text: true, wait_merging: true };
        assert_eq!(PlainTantivy::create(dir.path(), settings, documents.into_iter().map(Ok)).unwrap(), 2);
        let tantivy = PlainTantivy::open(dir.path()).unwrap();
        let ids = |hits: &[Hit]| hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        assert!(tantivy.search("sach", 10, false).unwrap().is_empty(), "the default tokenizer keeps diacritics");
        assert_eq!(ids(&tantivy.search("bến thư", 10, false).unwrap()).len(), 2);
        let hits = tantivy.search("viện?", 10, true).unwrap();
        assert_eq!(ids(&hits), ["book"]);
        assert_eq!(hits[0].snippet.as_deref(), Some("Thư <b>viện</b> sạch"));
    }
}
