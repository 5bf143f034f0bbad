//! Documents like one document: its most telling words, searched for.
//!
//! This is tantivy's `MoreLikeThis` (which Kho used as it is before) with Kho's settings, written out so
//! that the word counts come from the searcher's statistics: on a cluster's candidates those are the
//! whole cluster's ([`KhoSearcher::with_statistics`]), and the words picked are the ones one index of
//! every document would pick. As tantivy does: every stored and indexed field of the document is analyzed
//! as it is indexed; each term of two bytes or more counts its occurrences (`tf`); a term is weighed
//! `tf × idf` (BM25's idf) unless no document or more than half of them have it; the best
//! [`SIMILAR_TERMS`] are kept, and the query is any of them, each boosted by its weight over the best
//! one's. Unlike tantivy, words of equal weight are ordered by the term (tantivy takes them in hash
//! order), so the same document always gets the same words.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::document::Document;
use tantivy::schema::{FieldType, IndexRecordOption, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, Score, TantivyDocument, Term};

use super::snippet::Highlighter;
use super::{text_of, Hit, KhoSearcher};

/// Words kept per document: tantivy's `MoreLikeThis` keeps one more than its limit (30, Kho's setting).
pub const SIMILAR_TERMS: usize = 31;
/// Shorter terms (in bytes) are noise.
const MIN_TERM_BYTES: usize = 2;

/// How often each term of the document's stored and indexed fields occurs, analyzed as indexed.
pub fn term_frequencies(index: &Index, doc: &TantivyDocument) -> tantivy::Result<HashMap<Term, usize>> {
    let schema = index.schema();
    let mut frequencies: HashMap<Term, usize> = HashMap::new();
    for (field, values) in doc.get_sorted_field_values() {
        let entry = schema.get_field_entry(field);
        if !entry.is_indexed() {
            continue;
        }
        match entry.field_type() {
            FieldType::Str(options) => {
                let Some(indexing) = options.get_indexing_options() else { continue };
                let Some(mut analyzer) = index.tokenizers().get(indexing.tokenizer()) else { continue };
                for text in values.iter().filter_map(|value| value.as_str()) {
                    let mut stream = analyzer.token_stream(text);
                    while stream.advance() {
                        let token = &stream.token().text;
                        if token.len() >= MIN_TERM_BYTES {
                            *frequencies.entry(Term::from_field_text(field, token)).or_insert(0) += 1;
                        }
                    }
                }
            }
            FieldType::U64(_) => {
                for number in values.iter().filter_map(|value| value.as_u64()) {
                    if number.to_string().len() >= MIN_TERM_BYTES {
                        *frequencies.entry(Term::from_field_u64(field, number)).or_insert(0) += 1;
                    }
                }
            }
            // Kho has no other indexed field a document like this one could share (the OCR flag is no word).
            _ => {}
        }
    }
    Ok(frequencies)
}

/// The document's most telling terms, best first, with their weights (`tf × idf` by `stats`).
pub fn telling_terms(
    index: &Index,
    stats: &dyn Bm25StatisticsProvider,
    doc: &TantivyDocument,
) -> tantivy::Result<Vec<(Term, Score)>> {
    let documents = stats.total_num_docs()?;
    let most_documents = (documents / 2).max(2);
    let mut weighed = Vec::new();
    for (term, frequency) in term_frequencies(index, doc)? {
        let docs = stats.doc_freq(&term)?;
        if docs == 0 || docs > most_documents {
            continue;
        }
        weighed.push((term, frequency as Score * idf(docs, documents)));
    }
    weighed.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighed.truncate(SIMILAR_TERMS);
    Ok(weighed)
}

/// BM25's idf, as tantivy computes it.
fn idf(docs: u64, documents: u64) -> Score {
    let x = (documents.saturating_sub(docs) as Score + 0.5) / (docs as Score + 0.5);
    (1.0 + x).ln()
}

impl KhoSearcher {
    /// Documents like the one with this id (by its most telling words), best first; `None` when there
    /// is no such document.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, tantivy::TantivyError> {
        let Some(terms) = self.similar_terms(id)? else { return Ok(None) };
        Ok(Some(self.similar_to_terms(id, &terms, limit)?))
    }

    /// The most telling words of the document with this id, best first with their weights (what
    /// [`KhoSearcher::similar`] searches for); `None` when there is no such document.
    pub fn similar_terms(&self, id: &str) -> Result<Option<Vec<(Term, Score)>>, tantivy::TantivyError> {
        let searcher = self.reader.searcher();
        let Some(address) = self.address_of(&searcher, id)? else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(address)?;
        let terms = self.with_stats(&searcher, |stats| telling_terms(&self.index.index, stats, &doc))?;
        Ok(Some(terms))
    }

    /// The documents with any of `terms` (weighted), best first, without the document `id` itself.
    pub fn similar_to_terms(
        &self,
        id: &str,
        terms: &[(Term, Score)],
        limit: usize,
    ) -> Result<Vec<Hit>, tantivy::TantivyError> {
        let best = terms.first().map_or(1.0, |(_, weight)| *weight);
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|(term, weight)| -> (Occur, Box<dyn Query>) {
                let query = Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic));
                (Occur::Should, Box::new(BoostQuery::new(query, weight / best)))
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = self.run(&searcher, &query, &TopDocs::with_limit(limit + 1).order_by_score())?;
        let highlighter = self.with_stats(&searcher, |stats| Highlighter::new(stats, &[], &self.index))?;
        let mut hits = Vec::with_capacity(limit);
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if text_of(&doc, self.index.fields.id) == id || hits.len() == limit {
                continue;
            }
            hits.push(self.hit(&searcher, &highlighter, score, address)?);
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_is_bm25s() {
        // ln(1 + (N - n + 0.5) / (n + 0.5))
        assert!((idf(1, 3) - (1.0f32 + 2.5 / 1.5).ln()).abs() < 1e-6);
        assert!(idf(1, 100) > idf(10, 100));
    }

    #[test]
    fn common_and_short_words_are_not_telling() {
        let kho = crate::index::create_in_ram().unwrap();
        let mut writer: tantivy::IndexWriter = kho.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = ["sạch hơn sạch hơn nước", "nước thải", "nước sạch", "khí thải"];
        for (i, body) in texts.iter().enumerate() {
            let doc = crate::schema::KhoDocument { id: format!("d{i}"), body: (*body).into(), ..Default::default() };
            writer.add_document(doc.to_tantivy(&kho.fields)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = KhoSearcher::new(kho.clone()).unwrap();
        searcher.reload().unwrap();
        let terms = searcher.similar_terms("d0").unwrap().unwrap();
        let body: Vec<String> = terms
            .iter()
            .filter(|(t, _)| t.field() == kho.fields.body)
            .filter_map(|(t, _)| t.value().as_str().map(str::to_owned))
            .collect();
        assert!(body.iter().any(|w| w == "sach") && body.iter().any(|w| w == "hon"), "{body:?}");
        assert!(!body.iter().any(|w| w == "nuoc"), "three documents of four have it: {body:?}");
        let weights: Vec<Score> = terms.iter().map(|(_, w)| *w).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]), "best first: {weights:?}");
        let similar = searcher.similar("d0", 5).unwrap().unwrap();
        assert!(similar.iter().all(|hit| hit.id != "d0"), "not itself");
        assert_eq!(similar.first().map(|hit| hit.id.as_str()), Some("d2"), "shares 'sạch'");
    }
}
