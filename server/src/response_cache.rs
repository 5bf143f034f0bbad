//! Answers to repeated searches. A search box on a ministry's home page gets bursts of the same few
//! queries (the news of the day, the examples under the box), and each answer costs milliseconds of CPU
//! on a 2-core server; the same request against the same index and synonyms always gets the same answer,
//! so it is kept and served again.
//!
//! An entry is keyed by everything the answer depends on: the request (query text, page, size, sort,
//! facets) and the [`ResultsVersion`] (the index commit the reader sees and the synonym dictionary), so a
//! new commit or an edited synonym file makes every older entry unreachable at once. The cache holds at
//! most `capacity` entries in two generations: entries go into the young one; when it is full it becomes
//! the old one and the previous old one is dropped; a hit in the old generation moves the entry back to the
//! young one. That keeps what is asked often and forgets the rest, with no bookkeeping per hit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use kho_core::search::{ResultsVersion, SearchRequest, SearchResponse, Sort};

/// The default number of answers kept (a page of 10 results with snippets and facets is ~5-10 KB).
pub const DEFAULT_CACHE_ENTRIES: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    version: ResultsVersion,
    q: String,
    page: usize,
    size: usize,
    sort: Sort,
    facets: bool,
}

impl Key {
    fn new(version: ResultsVersion, request: &SearchRequest) -> Key {
        Key {
            version,
            q: request.q.clone(),
            page: request.page,
            size: request.size,
            sort: request.sort,
            facets: request.facets,
        }
    }
}

#[derive(Default)]
struct Generations {
    young: HashMap<Key, Arc<SearchResponse>>,
    old: HashMap<Key, Arc<SearchResponse>>,
}

/// Recent answers, shared by every handler.
pub struct ResponseCache {
    /// Entries per generation; 0 turns the cache off.
    per_generation: usize,
    generations: Mutex<Generations>,
}

impl ResponseCache {
    /// A cache of at most `capacity` answers (0: none kept).
    pub fn new(capacity: usize) -> ResponseCache {
        ResponseCache { per_generation: capacity / 2, generations: Mutex::new(Generations::default()) }
    }

    /// False when the cache was made with no room (0 entries).
    pub fn keeps_answers(&self) -> bool {
        self.per_generation > 0
    }

    /// The answer kept for this request at this version, if any.
    pub fn get(&self, version: ResultsVersion, request: &SearchRequest) -> Option<Arc<SearchResponse>> {
        if self.per_generation == 0 {
            return None;
        }
        let key = Key::new(version, request);
        let mut generations = self.generations.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = generations.young.get(&key) {
            return Some(Arc::clone(found));
        }
        let found = generations.old.remove(&key)?;
        self.insert_young(&mut generations, key, Arc::clone(&found));
        Some(found)
    }

    /// Keeps the answer to this request at this version.
    pub fn put(&self, version: ResultsVersion, request: &SearchRequest, response: Arc<SearchResponse>) {
        if self.per_generation == 0 {
            return;
        }
        let mut generations = self.generations.lock().unwrap_or_else(PoisonError::into_inner);
        self.insert_young(&mut generations, Key::new(version, request), response);
    }

    fn insert_young(&self, generations: &mut Generations, key: Key, response: Arc<SearchResponse>) {
        if generations.young.len() >= self.per_generation {
            generations.old = std::mem::take(&mut generations.young);
        }
        generations.young.insert(key, response);
    }

    /// The number of answers kept.
    pub fn len(&self) -> usize {
        let generations = self.generations.lock().unwrap_or_else(PoisonError::into_inner);
        generations.young.len() + generations.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(q: &str) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            query: q.to_owned(),
            total: 0,
            page: 1,
            size: 10,
            took_ms: 1.0,
            relaxed: false,
            corrected_query: None,
            suggestion: None,
            hits: Vec::new(),
            filters: Vec::new(),
            facets: Default::default(),
            timeline: Vec::new(),
        })
    }

    fn version(n: u64) -> ResultsVersion {
        ResultsVersion { index_generation: n, synonyms_version: 0 }
    }

    #[test]
    fn same_request_same_version_hits() {
        let cache = ResponseCache::new(10);
        let request = SearchRequest::new("sản xuất sạch hơn");
        assert!(cache.get(version(1), &request).is_none());
        cache.put(version(1), &request, response("sản xuất sạch hơn"));
        let found = cache.get(version(1), &request).expect("kept");
        assert_eq!(found.query, "sản xuất sạch hơn");
    }

    #[test]
    fn another_version_or_request_misses() {
        let cache = ResponseCache::new(10);
        let request = SearchRequest::new("SXSH");
        cache.put(version(1), &request, response("SXSH"));
        assert!(cache.get(version(2), &request).is_none(), "a new commit must not see old answers");
        let mut page_two = request.clone();
        page_two.page = 2;
        assert!(cache.get(version(1), &page_two).is_none());
        let mut no_facets = request.clone();
        no_facets.facets = false;
        assert!(cache.get(version(1), &no_facets).is_none());
        assert!(cache.get(version(1), &SearchRequest::new("sxsh")).is_none());
    }

    #[test]
    fn holds_at_most_its_capacity_and_keeps_what_is_asked_again() {
        let cache = ResponseCache::new(4);
        let often = SearchRequest::new("often");
        cache.put(version(1), &often, response("often"));
        for n in 0..20 {
            let request = SearchRequest::new(format!("q{n}"));
            cache.put(version(1), &request, response(&request.q));
            assert!(cache.get(version(1), &often).is_some(), "an entry asked every time stays (round {n})");
            assert!(cache.len() <= 4, "{} entries", cache.len());
        }
        assert!(cache.get(version(1), &SearchRequest::new("q0")).is_none(), "an entry never asked again goes");
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let cache = ResponseCache::new(0);
        let request = SearchRequest::new("SXSH");
        assert!(!cache.keeps_answers());
        cache.put(version(1), &request, response("SXSH"));
        assert!(cache.get(version(1), &request).is_none());
        assert!(cache.is_empty());
    }
}
