//! Every matching document, not one page: what the API's CSV and JSON Lines export and a citation are
//! made of.
//!
//! [`KhoSearcher::export`] finds the documents a search counts in its `total`, in the search's order,
//! up to a limit, and returns their addresses; [`Export::records`] then reads them one at a time, so a
//! caller can write each record out as it comes instead of holding ten thousand documents in memory.
//!
//! The set is the search's (`KhoSearcher::search`, first page): a long query matches any of its words;
//! a shorter one matches every word, unless fewer documents than a page have them all, in which case the
//! documents with some of the words follow. The end-to-end tests compare the export's row count with
//! the search's `total`, so the two cannot drift apart unnoticed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Score, Searcher, TantivyDocument};

use super::{
    correct, named_values, optional_text_of, text_of, validate_paging, KhoSearcher, SearchError, SearchRequest, Sort,
};
use crate::facets::NamedValue;
use crate::query::{build_query, parse_query, Strictness, LONG_QUERY_WORDS};
use crate::schema::KhoSchema;

/// Most documents one export returns (a search counts them all; the export stops here and says so).
pub const MAX_EXPORT_ROWS: usize = 10_000;

/// One document as exported and cited: what identifies it in a list taken away from Kho.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: Option<String>,
    /// A legal document's number ("24/2018/QH14", "1419/QĐ-TTg"), when it has one.
    pub number: Option<String>,
    pub provinces: Vec<NamedValue>,
    /// The stored path or URL (the server makes it public before showing it).
    pub path: String,
    pub format: String,
    /// The author from the file's own metadata.
    pub author: Option<String>,
}

/// The documents of one export, found but not yet read.
pub struct Export {
    /// How many documents match (the search's `total`); more than [`Export::len`] when cut at the limit.
    pub total: usize,
    addresses: Vec<DocAddress>,
    searcher: Searcher,
    fields: RecordFields,
}

impl Export {
    /// How many documents the export holds.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    /// True when more documents match than the export holds.
    pub fn is_truncated(&self) -> bool {
        self.total > self.addresses.len()
    }

    /// The documents in order, each read from the index when the iterator reaches it.
    pub fn records(self) -> impl Iterator<Item = Result<DocumentRecord, tantivy::TantivyError>> {
        let Export { addresses, searcher, fields, .. } = self;
        addresses.into_iter().map(move |address| {
            let doc: TantivyDocument = searcher.doc(address)?;
            Ok(fields.record(&doc))
        })
    }
}

/// The fields a record is read from.
#[derive(Clone)]
struct RecordFields {
    schema: KhoSchema,
}

impl RecordFields {
    fn new(schema: &KhoSchema) -> RecordFields {
        RecordFields { schema: schema.clone() }
    }

    fn record(&self, doc: &TantivyDocument) -> DocumentRecord {
        let fields = &self.schema;
        DocumentRecord {
            id: text_of(doc, fields.id),
            title: text_of(doc, fields.title),
            kind: text_of(doc, fields.kind),
            date: optional_text_of(doc, fields.date),
            number: optional_text_of(doc, fields.number).filter(|n| !n.trim().is_empty()),
            provinces: named_values(doc, fields.province, "province"),
            path: text_of(doc, fields.path),
            format: text_of(doc, fields.format),
            author: optional_text_of(doc, fields.author),
        }
    }
}

impl KhoSearcher {
    /// The documents the search `request` counts in its `total`, in its order, at most `limit` of them
    /// (its page size matters: see the module doc; its page does not).
    pub fn export(&self, request: &SearchRequest, limit: usize) -> Result<Export, SearchError> {
        validate_paging(request)?;
        let (q, sort, page_size) = (request.q.as_str(), request.sort, request.size);
        let mut parsed = parse_query(q)?;
        let searcher = self.reader.searcher();
        let fields = &self.index.fields;
        self.with_stats(&searcher, |stats| correct::correct_input_method(stats, fields, q, &mut parsed))?;
        let typed = parsed.clone();
        self.synonyms.current().expand(&mut parsed);
        // The best of each tier in the reranker's order, as the search gives them.
        let rerank = self.reranks(&typed, sort);
        let ordered = |top: Vec<(Score, DocAddress)>| -> Result<Vec<DocAddress>, tantivy::TantivyError> {
            let top = if rerank { self.reorder(&searcher, &typed, top)? } else { top };
            Ok(top.into_iter().map(|(_, address)| address).collect())
        };
        let strict = build_query(&parsed, fields, Strictness::AllWords, &self.ranking);
        let any = || build_query(&parsed, fields, Strictness::AnyWord, &self.ranking);
        let long = self.ranking.soft_long_queries && parsed.groups.len() >= LONG_QUERY_WORDS;
        let (total, addresses) = if long {
            let any = any();
            (searcher.search(&*any, &Count)?, ordered(self.top(&searcher, &*any, sort, limit)?)?)
        } else {
            let strict_total = searcher.search(&*strict, &Count)?;
            if strict_total < page_size && parsed.groups.len() > 1 {
                // As the search does: documents with every word first, then those with some of them.
                let every_word = ordered(self.top(&searcher, &*strict, sort, limit)?)?;
                let any = any();
                let seen: HashSet<DocAddress> = every_word.iter().copied().collect();
                let some_words: Vec<(Score, DocAddress)> = self
                    .top(&searcher, &*any, sort, limit + every_word.len())?
                    .into_iter()
                    .filter(|(_, a)| !seen.contains(a))
                    .collect();
                let combined = every_word.into_iter().chain(ordered(some_words)?).take(limit).collect();
                (searcher.search(&*any, &Count)?, combined)
            } else {
                (strict_total, ordered(self.top(&searcher, &*strict, sort, limit)?)?)
            }
        };
        Ok(Export { total, addresses, searcher, fields: RecordFields::new(fields) })
    }

    /// The record of the document with this id, if any (for citing it).
    pub fn record(&self, id: &str) -> Result<Option<DocumentRecord>, tantivy::TantivyError> {
        let searcher = self.reader.searcher();
        let Some(address) = self.address_of(&searcher, id)? else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(Some(RecordFields::new(&self.index.fields).record(&doc)))
    }
}

impl KhoSearcher {
    /// The first `limit` documents matching `query` in `sort` order, with their scores (0 by date),
    /// scored with the statistics the search uses (a cluster's, on a cluster's candidates).
    fn top(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: Sort,
        limit: usize,
    ) -> Result<Vec<(Score, DocAddress)>, tantivy::TantivyError> {
        let first = TopDocs::with_limit(limit.max(1));
        Ok(match sort {
            Sort::Relevance => self.run(searcher, query, &first.order_by_score())?,
            Sort::Date => searcher
                .search(query, &first.order_by_string_fast_field("date", Order::Desc))?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect(),
        })
    }
}
