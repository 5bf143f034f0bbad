//! Plain tantivy as its documentation sets it up: `id` STRING stored, `title` and `body` TEXT stored with
//! the default tokenizer, a 128 MB writer; queries through `QueryParser` over title and body (OR,
//! lenient), snippets from `SnippetGenerator` on the body.

use std::path::Path;

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, STORED, STRING, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument};

use super::{read_jsonl, IndexCounts, Searcher, TOP};
use crate::queries::BenchQuery;

const WRITER_BUDGET: usize = 128 * 1024 * 1024;

fn schema() -> (Schema, Field, Field, Field) {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    (builder.build(), id, title, body)
}

pub fn index(file: &Path, index: &Path) -> Result<IndexCounts> {
    std::fs::create_dir_all(index)?;
    let (schema, id, title, body) = schema();
    let tantivy_index = Index::create_in_dir(index, schema).context("creating the tantivy index")?;
    let mut writer: IndexWriter = tantivy_index.writer(WRITER_BUDGET)?;
    let mut counts = IndexCounts::default();
    for article in read_jsonl(file)? {
        let article = article?;
        let text = article.full_body();
        writer.add_document(doc!(id => article.id, title => article.title, body => text))?;
        counts.indexed += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(counts)
}

/// A reader and query parser over a plain tantivy index.
pub struct TantivyBench {
    reader: IndexReader,
    parser: QueryParser,
    body: Field,
}

impl TantivyBench {
    pub fn open(index: &Path) -> Result<TantivyBench> {
        let tantivy_index = Index::open_in_dir(index).with_context(|| format!("opening {}", index.display()))?;
        let schema = tantivy_index.schema();
        let title = schema.get_field("title")?;
        let body = schema.get_field("body")?;
        let parser = QueryParser::for_index(&tantivy_index, vec![title, body]);
        Ok(TantivyBench { reader: tantivy_index.reader()?, parser, body })
    }
}

impl Searcher for TantivyBench {
    fn search(&self, query: &BenchQuery) -> Result<usize> {
        let (parsed, _ignored) = self.parser.parse_query_lenient(&query.text);
        let searcher = self.reader.searcher();
        let top = searcher.search(&*parsed, &TopDocs::with_limit(TOP).order_by_score())?;
        let generator = SnippetGenerator::create(&searcher, &*parsed, self.body)?;
        let mut snippets = 0;
        for (_score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let snippet = generator.snippet_from_doc(&doc).to_html();
            snippets += 1;
            std::hint::black_box(snippet);
        }
        Ok(snippets)
    }
}
