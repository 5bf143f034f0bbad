//! Searching an open index: [`KhoSearcher`] runs a [`SearchRequest`] and answers a [`SearchResponse`].
//!
//! - [`request`]: the request and response types (what the API and the page share);
//! - `snippet`: the highlighted passages of each hit;
//! - `correct`: Telex/VNI typed with the input method off, and "did you mean";
//! - [`export`]: every matching document, read one at a time (the API's CSV/JSON Lines export, citations);
//! - `similar`: documents like one document, by its most telling words.
//!
//! A search parses the query ([`crate::query`]), corrects it, expands synonyms, runs it with every
//! word required and, when that does not fill the page, again with any word, then highlights the hits.

mod correct;
pub mod export;
mod request;
pub mod rerank;
mod similar;
mod snippet;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::Collector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Bm25StatisticsProvider, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Score, Searcher, TantivyDocument, Term};

use crate::facets::{
    top_values, year_counts, FacetCache, FacetCollector, FacetCount, FacetCounts, NamedValue, FACET_FIELDS,
};
use crate::index::KhoIndex;
use crate::metadata::facet_display_name;
use crate::query::{
    active_filters, build_query, highlight_terms, parse_query, QueryError, Ranking, Strictness, LONG_QUERY_WORDS,
};
use crate::schema::KhoSchema;
use crate::synonyms::SynonymSource;

pub use request::{
    DocumentView, Hit, OcrView, ResultsVersion, SearchRequest, SearchResponse, Sort, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
    MAX_RESULT_DEPTH,
};

pub use correct::{correct_input_method, did_you_mean, IndexVocabulary, Vocabulary};
pub use export::{DocumentRecord, Export, MAX_EXPORT_ROWS};
use request::validate_paging;
use rerank::RERANK_DEPTH;
pub use similar::{telling_terms, term_frequencies, SIMILAR_TERMS};
use snippet::Highlighter;

/// Why a search failed: the user's fault (a bad request) or ours.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    BadRequest(#[from] QueryError),
    #[error("index error")]
    Index(#[from] tantivy::TantivyError),
}

/// Runs searches against one index; cheap to share between threads.
#[derive(Clone)]
pub struct KhoSearcher {
    index: KhoIndex,
    reader: IndexReader,
    synonyms: Arc<SynonymSource>,
    /// Facet values per segment, shared by the clones of this searcher.
    facets: FacetCache,
    ranking: Ranking,
    /// The reranker's weights (see [`rerank`]).
    model: rerank::Features,
    /// Index-wide statistics from elsewhere: set when this index holds only a cluster's candidates for
    /// one query, so that scores are the whole cluster's (see [`KhoSearcher::with_statistics`]).
    statistics: Option<SharedStatistics>,
    /// Where "did you mean" looks for words, when not in this index (a cluster's whole vocabulary).
    vocabulary: Option<SharedVocabulary>,
}

/// A vocabulary shared between threads (see [`KhoSearcher::with_vocabulary`]).
pub type SharedVocabulary = Arc<dyn Vocabulary + Send + Sync>;

/// Document frequencies, document count and field lengths of a whole collection.
pub type SharedStatistics = Arc<dyn Bm25StatisticsProvider + Send + Sync>;

impl KhoSearcher {
    /// A searcher that sees new commits shortly after they happen.
    pub fn new(index: KhoIndex) -> Result<KhoSearcher, tantivy::TantivyError> {
        let reader = index.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(KhoSearcher {
            index,
            reader,
            synonyms: Arc::new(SynonymSource::builtin()),
            facets: FacetCache::default(),
            ranking: Ranking::default(),
            model: rerank::MODEL,
            statistics: None,
            vocabulary: None,
        })
    }

    /// Scores, reranks and weighs snippet words with these statistics instead of the index's own: the
    /// index then holds only some documents of a larger collection (a cluster's candidates for one
    /// query), and BM25 must see the whole collection's frequencies for its scores to be the ones a
    /// single index of every document would give.
    pub fn with_statistics(mut self, statistics: SharedStatistics) -> KhoSearcher {
        self.statistics = Some(statistics);
        self
    }

    /// Looks for "did you mean" words in this vocabulary instead of the index's own: the index then holds
    /// only some documents of a larger collection (see [`KhoSearcher::with_statistics`]).
    pub fn with_vocabulary(mut self, vocabulary: SharedVocabulary) -> KhoSearcher {
        self.vocabulary = Some(vocabulary);
        self
    }

    /// Runs `query` with the statistics BM25 should see (see [`KhoSearcher::with_statistics`]).
    fn run<C: Collector>(&self, searcher: &Searcher, query: &dyn Query, collector: &C) -> tantivy::Result<C::Fruit> {
        match &self.statistics {
            Some(statistics) => searcher.search_with_statistics_provider(query, collector, statistics.as_ref()),
            None => searcher.search(query, collector),
        }
    }

    /// Calls `read` with the statistics the reranker and the snippets weigh words with.
    fn with_stats<T>(&self, searcher: &Searcher, read: impl FnOnce(&dyn Bm25StatisticsProvider) -> T) -> T {
        match &self.statistics {
            Some(statistics) => read(statistics.as_ref()),
            None => read(&rerank::LiveStatistics(searcher)),
        }
    }

    /// Uses this synonym dictionary instead of the bundled one.
    pub fn with_synonyms(mut self, synonyms: Arc<SynonymSource>) -> KhoSearcher {
        self.synonyms = synonyms;
        self
    }

    /// Ranks with these features (kho-eval switches them off one at a time; the product uses the default).
    pub fn with_ranking(mut self, ranking: Ranking) -> KhoSearcher {
        self.ranking = ranking;
        self
    }

    /// Reranks with these weights instead of the learned ones (kho-eval's training).
    pub fn with_model(mut self, weights: rerank::Features) -> KhoSearcher {
        self.model = weights;
        self
    }

    /// The number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The segments the reader sees, and the opstamp of the index's last commit (it grows with every
    /// commit; 0 when the index's meta file cannot be read).
    pub fn commit_stats(&self) -> (usize, u64) {
        let segments = self.reader.searcher().segment_readers().len();
        (segments, self.index.index.load_metas().map_or(0, |metas| metas.opstamp))
    }

    /// What the answers depend on besides the request: the same request gets the same answer while this
    /// stays the same (a new commit seen by the reader, or a reloaded synonym file, changes it).
    pub fn results_version(&self) -> ResultsVersion {
        ResultsVersion {
            index_generation: self.reader.searcher().generation().generation_id(),
            synonyms_version: self.synonyms.version(),
        }
    }

    /// Makes the latest commit visible now (tests and tools; the server relies on the reload policy).
    pub fn reload(&self) -> Result<(), tantivy::TantivyError> {
        self.reader.reload()
    }

    /// Runs one search request.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        validate_paging(request)?;
        let mut parsed = parse_query(&request.q)?;
        let searcher = self.reader.searcher();
        if request.facets {
            let live: Vec<tantivy::index::SegmentId> =
                searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
            self.facets.retain(&live);
        }
        let fields = &self.index.fields;
        let corrected_query =
            self.with_stats(&searcher, |stats| correct::correct_input_method(stats, fields, &request.q, &mut parsed))?;
        let suggestion = match corrected_query {
            Some(_) => None,
            None => self.with_stats(&searcher, |stats| {
                let own = correct::IndexVocabulary(&searcher);
                let vocabulary: &dyn Vocabulary = match &self.vocabulary {
                    Some(shared) => shared.as_ref(),
                    None => &own,
                };
                correct::did_you_mean(stats, vocabulary, fields, &request.q, &parsed)
            })?,
        };
        // The reranker reads the words as typed (after correction), not their synonyms.
        let typed = parsed.clone();
        self.synonyms.current().expand(&mut parsed);
        let offset = (request.page - 1) * request.size;
        let rerank = self.reranks(&typed, request.sort) && offset < RERANK_DEPTH;
        // Reranked, the page is cut from the best RERANK_DEPTH in the model's order.
        let (first, wanted) = match rerank {
            true => (0, RERANK_DEPTH.max(offset + request.size)),
            false => (offset, request.size),
        };
        let strict = build_query(&parsed, fields, Strictness::AllWords, &self.ranking);
        if self.ranking.soft_long_queries && parsed.groups.len() >= LONG_QUERY_WORDS {
            // A long query ranks by score alone: coordination is a score, not a tier (see `query::ranking`).
            let any = build_query(&parsed, fields, Strictness::AnyWord, &self.ranking);
            let (total, mut top, counts) = self.collect(&searcher, &*any, request, first, wanted)?;
            if rerank {
                top = self.reorder(&searcher, &typed, top)?.into_iter().skip(offset).take(request.size).collect();
            }
            let with_every_word = searcher.search(&*strict, &Count)?;
            let page = Page { total, top, counts, relaxed: total > with_every_word };
            let notes = Notes { started, corrected_query, suggestion };
            return self.respond(&searcher, request, &parsed, page, notes);
        }
        let (mut total, mut top, mut counts) = self.collect(&searcher, &*strict, request, first, wanted)?;
        if rerank {
            top = self.reorder(&searcher, &typed, top)?;
        }
        let mut relaxed = false;
        // Documents with every word come first; when they do not fill the page, documents with some of the
        // words follow, best first (a question rarely has all its words in the answer).
        if total < offset + request.size && parsed.groups.len() > 1 {
            let any = build_query(&parsed, fields, Strictness::AnyWord, &self.ranking);
            let strict_all = match total {
                0 => Vec::new(),
                // The page (or, reranked, the list from the first) already holds every such document, in order.
                _ if offset == 0 || rerank => top.clone(),
                // Only the documents are wanted here: no facet counts.
                n => {
                    let documents_only = SearchRequest { facets: false, ..request.clone() };
                    self.collect(&searcher, &*strict, &documents_only, 0, n)?.1
                }
            };
            let wanted = match rerank {
                true => RERANK_DEPTH.max(offset + request.size) + strict_all.len(),
                false => offset + request.size + strict_all.len(),
            };
            let (any_total, any_top, any_counts) = self.collect(&searcher, &*any, request, 0, wanted)?;
            let seen: HashSet<DocAddress> = strict_all.iter().map(|(_, a)| *a).collect();
            let mut some_words: Vec<(Score, DocAddress)> =
                any_top.into_iter().filter(|(_, a)| !seen.contains(a)).collect();
            if rerank {
                // Each tier in the model's order: documents with every word still come first.
                some_words = self.reorder(&searcher, &typed, some_words)?;
            }
            let combined: Vec<(Score, DocAddress)> = strict_all.iter().copied().chain(some_words).collect();
            relaxed = combined.len() > total;
            top = combined.into_iter().skip(offset).take(request.size).collect();
            total = any_total;
            counts = any_counts;
        } else if rerank {
            top = top.into_iter().skip(offset).take(request.size).collect();
        }

        let page = Page { total, top, counts, relaxed };
        self.respond(&searcher, request, &parsed, page, Notes { started, corrected_query, suggestion })
    }

    /// Whether results in this order are reranked: by relevance, for more than one word (one word has no
    /// order, window or pair to weigh: its first-stage order stands).
    fn reranks(&self, typed: &crate::query::ParsedQuery, sort: Sort) -> bool {
        self.ranking.rerank && sort == Sort::Relevance && typed.positive_items().take(2).count() == 2
    }

    /// The first [`RERANK_DEPTH`] of `top` (best first) in the model's order, the rest after them.
    fn reorder(
        &self,
        searcher: &Searcher,
        typed: &crate::query::ParsedQuery,
        mut top: Vec<(Score, DocAddress)>,
    ) -> Result<Vec<(Score, DocAddress)>, tantivy::TantivyError> {
        let rest = top.split_off(top.len().min(RERANK_DEPTH));
        let mut reordered = self.with_stats(searcher, |stats| {
            rerank::rerank(searcher, stats, &self.index.fields, typed, top, &self.model)
        })?;
        reordered.extend(rest);
        Ok(reordered)
    }

    /// The reranker's features of the candidates of a query, for learning its weights (kho-eval): the ids
    /// of the first stage's best [`RERANK_DEPTH`] documents in its order, each with its features. Only
    /// the query matters of `request`.
    pub fn candidate_features(&self, q: &str) -> Result<Vec<(String, rerank::Features)>, SearchError> {
        let without_model = self.clone().with_ranking(Ranking { rerank: false, ..self.ranking });
        let request = SearchRequest { size: RERANK_DEPTH, facets: false, ..SearchRequest::new(q) };
        let mut parsed = parse_query(q)?;
        let searcher = self.reader.searcher();
        self.with_stats(&searcher, |stats| correct::correct_input_method(stats, &self.index.fields, q, &mut parsed))?;
        let response = without_model.search(&request)?;
        let ids: Vec<String> = response.hits.iter().map(|hit| hit.id.clone()).collect();
        let mut candidates = Vec::with_capacity(ids.len());
        for (hit, id) in response.hits.iter().zip(&ids) {
            if let Some(address) = self.address_of(&searcher, id)? {
                candidates.push((hit.score, address));
            }
        }
        let features = self.with_stats(&searcher, |stats| {
            rerank::candidate_features(&searcher, stats, &self.index.fields, &parsed, &candidates)
        })?;
        Ok(ids.into_iter().zip(features).collect())
    }

    /// The response for one page of results: hits highlighted, facets named.
    fn respond(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        parsed: &crate::query::ParsedQuery,
        page: Page,
        notes: Notes,
    ) -> Result<SearchResponse, SearchError> {
        let Page { total, top, counts, relaxed } = page;
        let Notes { started, corrected_query, suggestion } = notes;
        let terms = highlight_terms(parsed);
        let highlighter = self.with_stats(searcher, |stats| Highlighter::new(stats, &terms, &self.index))?;
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(searcher, &highlighter, score, address))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResponse {
            query: request.q.clone(),
            total,
            page: request.page,
            size: request.size,
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            relaxed,
            corrected_query,
            suggestion,
            hits,
            filters: active_filters(&request.q),
            timeline: year_counts(&counts),
            facets: facet_lists(counts),
        })
    }

    /// Total, `limit` results from `offset` in the requested order, and facet counts if asked for.
    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        offset: usize,
        limit: usize,
    ) -> Result<Collected, tantivy::TantivyError> {
        let page = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let facets = request.facets.then(|| FacetCollector::new(self.facets.clone()));
        match request.sort {
            Sort::Relevance => {
                let (total, top, counts) = self.run(searcher, query, &(Count, page.order_by_score(), facets))?;
                Ok((total, top, counts.unwrap_or_default()))
            }
            Sort::Date => {
                let by_date = page.order_by_string_fast_field("date", Order::Desc);
                let (total, top, counts) = searcher.search(query, &(Count, by_date, facets))?;
                // Scores are not computed when sorting by date.
                let top = top.into_iter().map(|(_, address)| (0.0, address)).collect();
                Ok((total, top, counts.unwrap_or_default()))
            }
        }
    }

    fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>, tantivy::TantivyError> {
        let query = TermQuery::new(Term::from_field_text(self.index.fields.id, id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.into_iter().next().map(|(_, address)| address))
    }

    /// The stored document with this id, if any.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>, tantivy::TantivyError> {
        let searcher = self.reader.searcher();
        let fields = &self.index.fields;
        let query = TermQuery::new(Term::from_field_text(fields.id, id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = top.into_iter().next() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(Some(DocumentView {
            id: text_of(&doc, fields.id),
            title: text_of(&doc, fields.title),
            kind: text_of(&doc, fields.kind),
            date: optional_text_of(&doc, fields.date),
            path: text_of(&doc, fields.path),
            format: text_of(&doc, fields.format),
            body: text_of(&doc, fields.body),
            sources: texts_of(&doc, fields.source),
            provinces: texts_of(&doc, fields.province)
                .into_iter()
                .map(|value| NamedValue {
                    name: crate::metadata::provinces::name_with_unit_2025(&value)
                        .unwrap_or_else(|| facet_display_name("province", &value)),
                    value,
                })
                .collect(),
            sectors: named_values(&doc, fields.sector, "sector"),
            organizations: named_values(&doc, fields.organization, "organization"),
            captions: texts_of(&doc, fields.captions),
            author: optional_text_of(&doc, fields.author),
            number: optional_text_of(&doc, fields.number),
            issuer: optional_text_of(&doc, fields.issuer),
            ocr: ocr_view(&doc, fields),
        }))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        highlighter: &Highlighter,
        score: Score,
        address: DocAddress,
    ) -> Result<Hit, tantivy::TantivyError> {
        let fields = &self.index.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let title = text_of(&doc, fields.title);
        let body = text_of(&doc, fields.body);
        Ok(Hit {
            id: text_of(&doc, fields.id),
            title_html: highlighter.title_html(&title),
            title,
            kind: text_of(&doc, fields.kind),
            date: optional_text_of(&doc, fields.date),
            path: text_of(&doc, fields.path),
            format: text_of(&doc, fields.format),
            score,
            snippet: highlighter.body_html(&body),
            number: optional_text_of(&doc, fields.number),
            issuer: optional_text_of(&doc, fields.issuer),
        })
    }
}

/// One page of results before highlighting.
struct Page {
    total: usize,
    top: Vec<(Score, DocAddress)>,
    counts: FacetCounts,
    relaxed: bool,
}

/// What a response says besides its results: when the search started, and the query's corrections.
struct Notes {
    started: Instant,
    corrected_query: Option<String>,
    suggestion: Option<String>,
}

/// What one query run collects: the total, one page of (score, address), and facet counts.
type Collected = (usize, Vec<(Score, DocAddress)>, FacetCounts);

/// Facet counts as lists, with display names (a cluster counts its own and shows them the same way).
pub fn facet_lists(counts: FacetCounts) -> BTreeMap<String, Vec<FacetCount>> {
    FACET_FIELDS
        .iter()
        .map(|field| ((*field).to_owned(), top_values(field, &counts)))
        .filter(|(_, values)| !values.is_empty())
        .collect()
}

/// The OCR pages and confidence of a document some of whose text OCR read.
fn ocr_view(doc: &TantivyDocument, fields: &KhoSchema) -> Option<OcrView> {
    let pages: Vec<u32> =
        doc.get_all(fields.ocr_pages).filter_map(|v| v.as_u64()).filter_map(|p| u32::try_from(p).ok()).collect();
    let confidence = doc.get_first(fields.ocr_confidence).and_then(|v| v.as_u64())?;
    Some(OcrView { pages, confidence: u8::try_from(confidence).unwrap_or(100) })
}

fn texts_of(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_owned).collect()
}

fn named_values(doc: &TantivyDocument, field: Field, facet: &str) -> Vec<NamedValue> {
    texts_of(doc, field)
        .into_iter()
        .map(|value| NamedValue { name: facet_display_name(facet, &value), value })
        .collect()
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    optional_text_of(doc, field).unwrap_or_default()
}

fn optional_text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned)
}
