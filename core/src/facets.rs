//! Facet counts: how many matching documents have each kind, year, province, sector and organization.
//!
//! Counted from fast-field columns while the query runs (one more collector beside the top documents), so
//! the counts always describe exactly the documents the query matches, at the cost of one column read per
//! matching document. String facets count term ordinals per segment and resolve them to text once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facet fields, in display order. `year` is numeric; the others are strings.
pub const FACET_FIELDS: [&str; 5] = ["kind", "year", "province", "sector", "organization"];
/// Most values returned per facet.
pub const MAX_FACET_VALUES: usize = 12;

/// One value of a facet and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value as used in a filter (`kind:news`, `year:2011`, `province:ben-tre`).
    pub value: String,
    /// The value as shown to users ("Tin tức", "2011", "Bến Tre").
    pub name: String,
    pub count: u64,
}

/// A facet value of one document, with its display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedValue {
    pub value: String,
    pub name: String,
}

/// Counts per facet field, by value.
pub type FacetCounts = HashMap<&'static str, HashMap<String, u64>>;

/// Collects [`FacetCounts`] for every field of [`FACET_FIELDS`], reading each segment's values from a
/// [`FacetCache`].
pub struct FacetCollector {
    cache: FacetCache,
}

impl FacetCollector {
    pub fn new(cache: FacetCache) -> FacetCollector {
        FacetCollector { cache }
    }
}

/// The facet values of every document of a segment, read once from its fast-field columns and kept
/// while the segment is searched. Counting a matching document is then one pass over a few array
/// entries, instead of a lookup in five (mostly sparse, multi-valued) columns per document per query.
#[derive(Clone, Default)]
pub struct FacetCache {
    segments: Arc<Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>>,
}

impl FacetCache {
    /// The facets of `segment`, read now if they were not yet.
    fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(Arc::clone(found));
        }
        let facets = Arc::new(SegmentFacets::read(segment)?);
        self.lock().insert(id, Arc::clone(&facets));
        Ok(facets)
    }

    /// Forgets the segments that are not among `live` (merged away or deleted).
    pub fn retain(&self, live: &[SegmentId]) {
        let mut segments = self.lock();
        if segments.len() > live.len() || segments.keys().any(|id| !live.contains(id)) {
            segments.retain(|id, _| live.contains(id));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        // A panic while holding the lock cannot leave the map inconsistent: entries are inserted whole.
        self.segments.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Every document's facet values as ids: document `d` has `ids[offsets[d]..offsets[d + 1]]`, and id `i`
/// is value `values[i]` of its field.
pub struct SegmentFacets {
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// (field, value); `None` for a dictionary entry that could not be read (not counted, as before).
    values: Vec<(&'static str, Option<String>)>,
    /// The facet fields that have a column in this segment.
    fields: Vec<&'static str>,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut per_doc: Vec<Vec<u32>> = vec![Vec::new(); max_doc as usize];
        let mut values: Vec<(&'static str, Option<String>)> = Vec::new();
        let mut fields = Vec::new();
        for field in FACET_FIELDS.iter().copied().filter(|f| *f != "year") {
            let Some(column) = fast.str(field)? else { continue };
            fields.push(field);
            let base = values.len();
            let ords: Vec<u64> = (0..column.num_terms() as u64).collect();
            let mut texts: Vec<Option<String>> = vec![None; ords.len()];
            let mut at = 0;
            // A failed read leaves the remaining values unnamed: they are not counted.
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                if let (Some(slot), Ok(text)) = (texts.get_mut(at), std::str::from_utf8(bytes)) {
                    *slot = Some(text.to_owned());
                }
                at += 1;
            });
            values.extend(texts.into_iter().map(|text| (field, text)));
            for (doc, ids) in per_doc.iter_mut().enumerate() {
                ids.extend(column.ords().values_for_doc(doc as DocId).map(|ord| (base as u64 + ord) as u32));
            }
        }
        if let Ok(column) = fast.u64("year") {
            fields.push("year");
            let mut years: Vec<u64> = (0..max_doc).flat_map(|doc| column.values_for_doc(doc)).collect();
            years.sort_unstable();
            years.dedup();
            let base = values.len();
            values.extend(years.iter().map(|year| ("year", Some(year.to_string()))));
            for (doc, ids) in per_doc.iter_mut().enumerate() {
                for year in column.values_for_doc(doc as DocId) {
                    if let Ok(index) = years.binary_search(&year) {
                        ids.push((base + index) as u32);
                    }
                }
            }
        }
        let mut offsets = Vec::with_capacity(per_doc.len() + 1);
        let mut ids = Vec::with_capacity(per_doc.iter().map(Vec::len).sum());
        offsets.push(0);
        for doc_ids in per_doc {
            ids.extend(doc_ids);
            offsets.push(ids.len() as u32);
        }
        Ok(SegmentFacets { offsets, ids, values, fields })
    }
}

/// Per-segment counting state: a count per value id.
pub struct FacetSegmentCollector {
    facets: Arc<SegmentFacets>,
    counts: Vec<u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegmentCollector> {
        let facets = self.cache.get(segment)?;
        let counts = vec![0; facets.values.len()];
        Ok(FacetSegmentCollector { facets, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged: FacetCounts = HashMap::new();
        for fruit in fruits {
            for (field, counts) in fruit {
                let into = merged.entry(field).or_default();
                for (value, count) in counts {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let facets = &*self.facets;
        let (Some(&from), Some(&to)) = (facets.offsets.get(doc as usize), facets.offsets.get(doc as usize + 1)) else {
            return;
        };
        for &id in facets.ids.get(from as usize..to as usize).unwrap_or_default() {
            if let Some(count) = self.counts.get_mut(id as usize) {
                *count += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut fruit: FacetCounts = HashMap::new();
        for field in &self.facets.fields {
            fruit.entry(field).or_default();
        }
        for (id, count) in self.counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
            if let Some((field, Some(value))) = self.facets.values.get(id) {
                fruit.entry(field).or_default().insert(value.clone(), count);
            }
        }
        fruit
    }
}

/// The counts of one field, most frequent first (years newest first), at most [`MAX_FACET_VALUES`].
/// Display names are looked up only for the values that can make the list (ties on the last place
/// included, since ties are ordered by name).
pub fn top_values(field: &str, counts: &HashMap<String, u64>, name: impl Fn(&str) -> String) -> Vec<FacetCount> {
    let mut values: Vec<(&String, u64)> = counts.iter().map(|(value, count)| (value, *count)).collect();
    if field == "year" {
        values.sort_by(|a, b| b.0.cmp(a.0));
        values.truncate(MAX_FACET_VALUES);
        return values
            .into_iter()
            .map(|(value, count)| FacetCount { value: value.clone(), name: name(value), count })
            .collect();
    }
    values.sort_by_key(|v| std::cmp::Reverse(v.1));
    if let Some(&(_, last_count)) = values.get(MAX_FACET_VALUES - 1) {
        values.retain(|(_, count)| *count >= last_count);
    }
    let mut values: Vec<FacetCount> = values
        .into_iter()
        .map(|(value, count)| FacetCount { value: value.clone(), name: name(value), count })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    values.truncate(MAX_FACET_VALUES);
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_values() {
        let counts: HashMap<String, u64> = [("a", 1), ("b", 5), ("c", 5)].map(|(k, v)| (k.to_owned(), v)).into();
        let top = top_values("kind", &counts, |v| v.to_uppercase());
        let order: Vec<&str> = top.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(order, ["b", "c", "a"]);
        assert_eq!(top[0].name, "B");
        let years: HashMap<String, u64> = [("2011", 9), ("2013", 1)].map(|(k, v)| (k.to_owned(), v)).into();
        let order: Vec<String> = top_values("year", &years, str::to_owned).into_iter().map(|f| f.value).collect();
        assert_eq!(order, ["2013", "2011"]);
    }
}
