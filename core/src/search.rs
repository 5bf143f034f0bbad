//! Search requests and responses, and [`KhoSearcher`], which runs them against an open index.
//!
//! The response is what the JSON API returns and what the web page renders; both come from here so
//! they cannot drift apart.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{MoreLikeThisQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Score, Searcher, TantivyDocument, Term};

use crate::analysis::input_method::{telex_to_vietnamese, vni_to_vietnamese};
use crate::analysis::tokenizer::for_each_folded_token;
use crate::analysis::{analyze, has_diacritics, normalize_text, normalize_token, Form};
use crate::facets::{top_values, FacetCache, FacetCollector, FacetCount, FacetCounts, NamedValue, FACET_FIELDS};
use crate::index::KhoIndex;
use crate::metadata::facet_name;
use crate::query::{build_query, highlight_terms, parse_query, Item, ParsedQuery, QueryError, Strictness};
use crate::schema::Kind;
use crate::suggest::{closest_word, is_unknown};
use crate::synonyms::SynonymSource;

/// Results per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// Most results per page.
pub const MAX_PAGE_SIZE: usize = 100;
/// How deep pagination may go: page × size must stay within this many results.
pub const MAX_RESULT_DEPTH: usize = 10_000;
/// Snippet length in bytes (tantivy counts bytes; a Vietnamese letter takes 1-3).
const SNIPPET_BYTES: usize = 480;
/// Without a match in the body, this many bytes of its beginning are shown.
const LEAD_BYTES: usize = 320;

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first; undated documents last.
    Date,
}

impl Sort {
    pub fn parse(text: &str) -> Option<Sort> {
        match text {
            "relevance" | "" => Some(Sort::Relevance),
            "date" => Some(Sort::Date),
            _ => None,
        }
    }
}

/// One search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub q: String,
    /// From 1.
    pub page: usize,
    /// From 1 to [`MAX_PAGE_SIZE`].
    pub size: usize,
    #[serde(default)]
    pub sort: Sort,
    /// Count facet values (kind, year, province, sector, organization) over all matching documents.
    #[serde(default = "default_true")]
    pub facets: bool,
}

fn default_true() -> bool {
    true
}

impl SearchRequest {
    pub fn new(q: impl Into<String>) -> SearchRequest {
        SearchRequest { q: q.into(), page: 1, size: DEFAULT_PAGE_SIZE, sort: Sort::Relevance, facets: true }
    }
}

/// See [`KhoSearcher::results_version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResultsVersion {
    /// The reader's searcher generation: it changes with every commit the reader loads.
    pub index_generation: u64,
    /// Counts the synonym dictionary's reloads.
    pub synonyms_version: u64,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// The title, HTML-escaped, with matched words in `<mark>`.
    pub title_html: String,
    pub kind: String,
    pub date: Option<String>,
    pub path: String,
    pub format: String,
    pub score: f32,
    /// A passage of the body, HTML-escaped, with matched words in `<mark>`.
    pub snippet: String,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub page: usize,
    pub size: usize,
    pub took_ms: f64,
    /// True when the results include documents that lack some of the words (after all those that have
    /// every word): the query's words were too many for enough documents to have them all.
    pub relaxed: bool,
    /// The query actually searched when the user typed Telex or VNI with the input method off
    /// ("hooij thaor" → "hội thảo"), shown as "Kết quả cho: …".
    pub corrected_query: Option<String>,
    /// A query with misspelled words replaced by the closest words of the index ("Có phải bạn muốn tìm").
    pub suggestion: Option<String>,
    pub hits: Vec<Hit>,
    /// For each facet field, its most frequent values among all matching documents.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// A stored document, as `GET /api/documents/{id}` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: Option<String>,
    pub path: String,
    pub format: String,
    pub body: String,
    /// Every place the document was found (near-duplicates add theirs).
    pub sources: Vec<String>,
    pub provinces: Vec<NamedValue>,
    pub sectors: Vec<NamedValue>,
    pub organizations: Vec<NamedValue>,
    /// Figure and table captions ("Hình 1. …").
    #[serde(default)]
    pub captions: Vec<String>,
    /// The author from the file's own metadata.
    #[serde(default)]
    pub author: Option<String>,
}

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
}

impl KhoSearcher {
    /// A searcher that sees new commits shortly after they happen.
    pub fn new(index: KhoIndex) -> Result<KhoSearcher, tantivy::TantivyError> {
        let reader = index.index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(KhoSearcher { index, reader, synonyms: Arc::new(SynonymSource::builtin()), facets: FacetCache::default() })
    }

    /// Uses this synonym dictionary instead of the bundled one.
    pub fn with_synonyms(mut self, synonyms: Arc<SynonymSource>) -> KhoSearcher {
        self.synonyms = synonyms;
        self
    }

    /// The number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
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
        let corrected_query = self.correct_input_method(&searcher, &request.q, &mut parsed)?;
        let suggestion = match corrected_query {
            Some(_) => None,
            None => self.suggest(&searcher, &request.q, &parsed)?,
        };
        self.synonyms.current().expand(&mut parsed);
        let offset = (request.page - 1) * request.size;
        let strict = build_query(&parsed, &self.index.fields, Strictness::AllWords);
        let (mut total, mut top, mut counts) = self.collect(&searcher, &*strict, request, offset, request.size)?;
        let mut relaxed = false;
        // Documents with every word come first; when they do not fill the page, documents with some of the
        // words follow, best first (a question rarely has all its words in the answer).
        if total < offset + request.size && parsed.groups.len() > 1 {
            let any = build_query(&parsed, &self.index.fields, Strictness::AnyWord);
            let strict_all = match total {
                0 => Vec::new(),
                // On the first page the page already holds every such document, in order.
                _ if offset == 0 => top.clone(),
                // Only the documents are wanted here: no facet counts.
                n => {
                    let documents_only = SearchRequest { facets: false, ..request.clone() };
                    self.collect(&searcher, &*strict, &documents_only, 0, n)?.1
                }
            };
            let wanted = offset + request.size + strict_all.len();
            let (any_total, any_top, any_counts) = self.collect(&searcher, &*any, request, 0, wanted)?;
            let seen: HashSet<DocAddress> = strict_all.iter().map(|(_, a)| *a).collect();
            let combined: Vec<(Score, DocAddress)> =
                strict_all.iter().copied().chain(any_top.into_iter().filter(|(_, a)| !seen.contains(a))).collect();
            relaxed = combined.len() > total;
            top = combined.into_iter().skip(offset).take(request.size).collect();
            total = any_total;
            counts = any_counts;
        }

        let highlighter = Highlighter::new(&searcher, &highlight_terms(&parsed), &self.index)?;
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, &highlighter, score, address))
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
                let (total, top, counts) = searcher.search(query, &(Count, page.order_by_score(), facets))?;
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

    /// Replaces words typed in Telex or VNI with the input method off by the Vietnamese words they stand
    /// for, when the index does not know the typed word but knows the converted one. Returns the query
    /// as searched, if anything was replaced.
    fn correct_input_method(
        &self,
        searcher: &Searcher,
        raw: &str,
        parsed: &mut ParsedQuery,
    ) -> Result<Option<String>, tantivy::TantivyError> {
        let fields = &self.index.fields;
        let mut replaced: Vec<(String, String)> = Vec::new();
        for group in &mut parsed.groups {
            let [Item::Word(word)] = group.as_mut_slice() else { continue };
            if has_diacritics(word) {
                continue;
            }
            let Some(candidate) = telex_to_vietnamese(word).or_else(|| vni_to_vietnamese(word)) else { continue };
            if !self.unknown_word(searcher, word)? {
                continue;
            }
            let exact = normalize_token(&candidate, Form::Exact);
            if is_unknown(searcher, fields.body_exact, &exact)? && is_unknown(searcher, fields.title_exact, &exact)? {
                continue;
            }
            replaced.push((word.clone(), candidate.clone()));
            *word = candidate;
        }
        if replaced.is_empty() {
            return Ok(None);
        }
        Ok(Some(replace_words(raw, &replaced)))
    }

    /// A query with each word the index does not know replaced by the closest word it knows.
    fn suggest(
        &self,
        searcher: &Searcher,
        raw: &str,
        parsed: &ParsedQuery,
    ) -> Result<Option<String>, tantivy::TantivyError> {
        let fields = &self.index.fields;
        let mut replaced: Vec<(String, String)> = Vec::new();
        for item in parsed.positive_items() {
            let Item::Word(word) = item else { continue };
            if !self.unknown_word(searcher, word)? {
                continue;
            }
            if let Some(closest) = closest_word(searcher, fields.body, fields.body_exact, word)? {
                replaced.push((word.clone(), closest));
            }
        }
        if replaced.is_empty() {
            return Ok(None);
        }
        Ok(Some(replace_words(raw, &replaced)))
    }

    /// True when no document has any of the word's folded tokens.
    fn unknown_word(&self, searcher: &Searcher, word: &str) -> Result<bool, tantivy::TantivyError> {
        let fields = &self.index.fields;
        for token in analyze(word, Form::Folded) {
            if !is_unknown(searcher, fields.body, &token)? || !is_unknown(searcher, fields.title, &token)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Documents like the one with this id (by its most telling words), best first; `None` when there
    /// is no such document.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, tantivy::TantivyError> {
        let searcher = self.reader.searcher();
        let Some(address) = self.address_of(&searcher, id)? else { return Ok(None) };
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
            .with_min_term_frequency(1)
            .with_min_word_length(2)
            .with_max_query_terms(30)
            .with_document(address);
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score())?;
        let highlighter = Highlighter::new(&searcher, &[], &self.index)?;
        let hits = top
            .into_iter()
            .filter(|(_, found)| *found != address)
            .take(limit)
            .map(|(score, found)| self.hit(&searcher, &highlighter, score, found))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(hits))
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
            provinces: named_values(&doc, fields.province, "province"),
            sectors: named_values(&doc, fields.sector, "sector"),
            organizations: named_values(&doc, fields.organization, "organization"),
            captions: texts_of(&doc, fields.captions),
            author: optional_text_of(&doc, fields.author),
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
        })
    }
}

/// What one query run collects: the total, one page of (score, address), and facet counts.
type Collected = (usize, Vec<(Score, DocAddress)>, FacetCounts);

/// Facet counts as lists, with display names.
fn facet_lists(counts: FacetCounts) -> BTreeMap<String, Vec<FacetCount>> {
    FACET_FIELDS
        .iter()
        .map(|field| ((*field).to_owned(), top_values(field, &counts)))
        .filter(|(_, values)| !values.is_empty())
        .collect()
}

/// What users see for a facet value: "Tin tức" for `news`, "Bến Tre" for `ben-tre`.
pub fn facet_display_name(field: &str, value: &str) -> String {
    match field {
        "kind" => Kind::parse(value).unwrap_or(Kind::Other).label_vi().to_owned(),
        "year" => value.to_owned(),
        _ => facet_name(field, value).map_or_else(|| value.to_owned(), str::to_owned),
    }
}

/// `raw` with each whitespace-separated word in `replaced` swapped for its replacement.
fn replace_words(raw: &str, replaced: &[(String, String)]) -> String {
    let normalized = normalize_text(raw);
    normalized
        .split_whitespace()
        .map(|w| replaced.iter().find(|(from, _)| from == w).map_or(w, |(_, to)| to.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn validate_paging(request: &SearchRequest) -> Result<(), QueryError> {
    if request.size == 0 || request.size > MAX_PAGE_SIZE {
        return Err(QueryError {
            code: "bad_page_size",
            message: format!(
                "Số kết quả mỗi trang phải từ 1 đến {MAX_PAGE_SIZE} / size must be between 1 and {MAX_PAGE_SIZE}"
            ),
        });
    }
    if request.page == 0 || request.page.saturating_mul(request.size) > MAX_RESULT_DEPTH {
        return Err(QueryError {
            code: "page_out_of_range",
            message: format!(
                "Trang phải từ 1 và không vượt quá {MAX_RESULT_DEPTH} kết quả / page must be at least 1 and stay within the first {MAX_RESULT_DEPTH} results"
            ),
        });
    }
    Ok(())
}

/// Cuts highlighted passages out of stored text. Matching is done on the folded form, so an unaccented
/// query highlights the accented words of the original.
struct Highlighter {
    body: Passages,
    title: Passages,
}

impl Highlighter {
    fn new(searcher: &Searcher, terms: &[String], index: &KhoIndex) -> Result<Highlighter, tantivy::TantivyError> {
        let body = Passages::new(searcher, terms, index.fields.body, SNIPPET_BYTES)?;
        let title = Passages::new(searcher, terms, index.fields.title, usize::MAX / 2)?;
        Ok(Highlighter { body, title })
    }

    fn body_html(&self, body: &str) -> String {
        self.body.html(body).unwrap_or_else(|| escape(lead(body)))
    }

    fn title_html(&self, title: &str) -> String {
        self.title.html(title).unwrap_or_else(|| escape(title))
    }
}

/// Tantivy's snippet algorithm (`tantivy::snippet`: fragments of at most `max_bytes` starting at a
/// matched token, the best-scoring one, the earliest on ties), producing the same HTML, but reading the
/// folded tokens straight from the analysis instead of building a token (and lowercasing its text) for
/// every word of the text.
struct Passages {
    /// Folded query words in the field, and their weights.
    terms: Vec<(String, Score)>,
    /// The first bytes of the terms: most tokens are rejected on it.
    first_bytes: [bool; 256],
    max_bytes: usize,
}

/// A candidate passage: offsets in the text, its score, and its matched tokens.
struct Fragment {
    score: Score,
    start: usize,
    stop: usize,
    highlighted: Vec<std::ops::Range<usize>>,
}

impl Fragment {
    fn new(start: usize) -> Fragment {
        Fragment { score: 0.0, start, stop: start, highlighted: Vec::new() }
    }
}

impl Passages {
    fn new(
        searcher: &Searcher,
        texts: &[String],
        field: Field,
        max_bytes: usize,
    ) -> Result<Passages, tantivy::TantivyError> {
        let mut terms: BTreeMap<String, Score> = BTreeMap::new();
        for text in texts {
            let doc_freq = searcher.doc_freq(&Term::from_field_text(field, text))?;
            if doc_freq > 0 {
                // Rarer words weigh more when choosing the passage, as in tantivy's own generator.
                terms.insert(text.clone(), 1.0 / (1.0 + doc_freq as Score));
            }
        }
        let mut first_bytes = [false; 256];
        for term in terms.keys() {
            if let Some(&first) = term.as_bytes().first() {
                first_bytes[usize::from(first)] = true;
            }
        }
        Ok(Passages { terms: terms.into_iter().collect(), first_bytes, max_bytes })
    }

    fn weight(&self, token: &str) -> Option<Score> {
        let find = |token: &str| self.terms.iter().find(|(term, _)| term == token).map(|(_, score)| *score);
        // Folded tokens are lowercase; tantivy lowercases each token before looking it up.
        if token.is_ascii() {
            if !token.as_bytes().first().is_some_and(|&b| self.first_bytes[usize::from(b)]) {
                return None;
            }
            find(token)
        } else {
            find(&token.to_lowercase())
        }
    }

    /// The best passage of `text` as HTML with matched words in `<mark>`, or `None` without a match.
    fn html(&self, text: &str) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let mut best: Option<Fragment> = None;
        let mut fragment = Fragment::new(0);
        let may_match = |first: u8| self.first_bytes[usize::from(first)];
        for_each_folded_token(text, may_match, |from, to, token| {
            if to.wrapping_sub(fragment.start) > self.max_bytes {
                let done = std::mem::replace(&mut fragment, Fragment::new(from));
                offer(&mut best, done);
            }
            fragment.stop = to;
            if let Some(weight) = token.and_then(|token| self.weight(token)) {
                fragment.score += weight;
                fragment.highlighted.push(from..to);
            }
        });
        offer(&mut best, fragment);
        let best = best?;
        let passage = text.get(best.start..best.stop)?;
        let mut ranges: Vec<std::ops::Range<usize>> =
            best.highlighted.iter().map(|r| r.start - best.start..r.end - best.start).collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if last.end > range.start => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        let mut html = String::with_capacity(passage.len() + 32);
        let mut from = 0;
        for range in merged {
            escape_minimal(passage.get(from..range.start)?, &mut html);
            html.push_str("<mark>");
            escape_minimal(passage.get(range.clone())?, &mut html);
            html.push_str("</mark>");
            from = range.end;
        }
        escape_minimal(passage.get(from..)?, &mut html);
        Some(html)
    }
}

/// Keeps the better of `best` and `candidate` (a fragment with a match): the higher score, the earlier
/// one on a tie, as tantivy's `max_by` over the fragments in text order.
fn offer(best: &mut Option<Fragment>, candidate: Fragment) {
    if candidate.score <= 0.0 {
        return;
    }
    let keep_best = best.as_ref().is_some_and(|b| {
        let by_score = b.score.partial_cmp(&candidate.score).unwrap_or(std::cmp::Ordering::Equal);
        let order = match by_score {
            std::cmp::Ordering::Equal => (candidate.start, candidate.stop).cmp(&(b.start, b.stop)),
            other => other,
        };
        order == std::cmp::Ordering::Greater
    });
    if !keep_best {
        *best = Some(candidate);
    }
}

/// HTML escaping as tantivy's snippets do it (`htmlescape::encode_minimal`).
fn escape_minimal(text: &str, out: &mut String) {
    let mut from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'"' => "&quot;",
            b'&' => "&amp;",
            b'\'' => "&#x27;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// The beginning of `text`, cut at a word boundary.
fn lead(text: &str) -> &str {
    if text.len() <= LEAD_BYTES {
        return text;
    }
    let mut end = LEAD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > LEAD_BYTES / 2 => &text[..space],
        _ => &text[..end],
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyzer;
    use tantivy::snippet::SnippetGenerator;

    fn passages(terms: &[(&str, Score)], max_bytes: usize) -> Passages {
        let mut first_bytes = [false; 256];
        for (term, _) in terms {
            first_bytes[usize::from(str::as_bytes(term)[0])] = true;
        }
        let terms = terms.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
        Passages { terms, first_bytes, max_bytes }
    }

    /// Our passages are tantivy's snippets, byte for byte.
    #[test]
    fn passages_are_tantivys_snippets() {
        let long = "Hội thảo sản xuất sạch hơn tại Bến Tre. ".repeat(40);
        let texts = [
            "Sản xuất sạch hơn <b>&</b> \"tiết kiệm\" 'năng lượng' ngày 14/4/2011 tại TP.HCM",
            "Vie\u{0323}\u{0302}t Nam: sách và sạch, SẠCH, Sach; lý lí ly LY quý Quý",
            long.as_str(),
            "Không có từ nào khớp ở đây cả",
            "",
            "ÝÁ Y y I\u{0307}x A\u{0301}b 1\u{0301} hoà THUỶ Đà Nẵng đà nẵng Ðà 2009-2013 1.500.000 TN&MT",
        ];
        let term_sets: [&[(&str, Score)]; 5] = [
            &[("sach", 0.5), ("hon", 0.25)],
            &[("san", 0.1), ("xuat", 0.1), ("tre", 0.3)],
            &[("viet", 1.0), ("li", 0.5), ("qui", 0.2), ("da", 0.2), ("nang", 0.2)],
            &[("14/4/2011", 1.0), ("tphcm", 0.5), ("hcm", 0.5), ("2009-2013", 0.4), ("tnmt", 0.4), ("1", 0.1)],
            &[("y", 1.0), ("a", 1.0), ("ix", 0.5), ("ab", 0.5), ("hoa", 0.3), ("thuy", 0.3)],
        ];
        for terms in term_sets {
            for max_bytes in [20, 60, SNIPPET_BYTES, usize::MAX / 2] {
                let ours = passages(terms, max_bytes);
                let map: BTreeMap<String, Score> = terms.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
                let theirs = SnippetGenerator::new(map, analyzer(Form::Folded), Field::from_field_id(0), max_bytes);
                for text in texts {
                    let mut snippet = theirs.snippet(text);
                    let expected = (!snippet.is_empty()).then(|| {
                        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                        snippet.to_html()
                    });
                    assert_eq!(ours.html(text), expected, "terms {terms:?}, {max_bytes} bytes, text {text:?}");
                }
            }
        }
    }
}
