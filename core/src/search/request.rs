//! What a search is asked and what it answers: the request, one page of hits, a stored document.
//!
//! The response is what the JSON API returns and what the web page renders; both come from here so
//! they cannot drift apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facets::{FacetCount, NamedValue};
use crate::query::{ActiveFilter, QueryError};

/// Results per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// Most results per page.
pub const MAX_PAGE_SIZE: usize = 100;
/// How deep pagination may go: page × size must stay within this many results.
pub const MAX_RESULT_DEPTH: usize = 10_000;

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
    /// A legal document's number ("24/2018/QH14"), from its heading.
    #[serde(default)]
    pub number: Option<String>,
    /// A legal document's issuing body ("Quốc hội"), from its heading.
    #[serde(default)]
    pub issuer: Option<String>,
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
    /// The query's filters (`kind:news`, `year:2011`, …) as the page shows them, each with the query that
    /// removes it.
    #[serde(default)]
    pub filters: Vec<ActiveFilter>,
    /// For each facet field, its most frequent values among all matching documents.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// Matching documents per year, oldest first, every year (the `year` facet keeps only the newest
    /// few): the results page's timeline. Empty when facets were not asked for.
    #[serde(default)]
    pub timeline: Vec<FacetCount>,
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
    /// The provinces the document names, each named with its unit of today when it was merged in 2025
    /// ("Bến Tre (nay thuộc Vĩnh Long)").
    pub provinces: Vec<NamedValue>,
    pub sectors: Vec<NamedValue>,
    pub organizations: Vec<NamedValue>,
    /// Figure and table captions ("Hình 1. …").
    #[serde(default)]
    pub captions: Vec<String>,
    /// The author from the file's own metadata.
    #[serde(default)]
    pub author: Option<String>,
    /// A legal document's number ("24/2018/QH14"), from its heading.
    #[serde(default)]
    pub number: Option<String>,
    /// A legal document's issuing body ("Quốc hội"), from its heading.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Set when some of the text was read by OCR from scans.
    #[serde(default)]
    pub ocr: Option<OcrView>,
}

/// What OCR read of a document: the pages (from 1) and Tesseract's mean word confidence in percent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcrView {
    pub pages: Vec<u32>,
    pub confidence: u8,
}

/// A bad page or page size is the user's to fix, like a bad query.
pub(super) fn validate_paging(request: &SearchRequest) -> Result<(), QueryError> {
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
