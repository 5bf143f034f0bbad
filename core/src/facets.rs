//! Facet counts: how many matching documents have each kind, year, province, sector, organization and
//! issuer.
//!
//! Provinces are counted as the 34 units of today (Resolution 202/2025/QH15): a document tagged with
//! former provinces counts once under each unit of today they belong to (`ben-tre` and `tra-vinh` are
//! one count of `vinh-long`, named "Vĩnh Long"), so a count is what the `province:` filter it links to
//! gives (see `metadata::provinces`). The documents' own tags are unchanged.
//!
//! Counted from fast-field columns while the query runs (one more collector beside the top documents), so
//! the counts always describe exactly the documents the query matches, at the cost of one column read per
//! matching document. String facets count term ordinals per segment and resolve them to text once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::{Schema, Value};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

/// The facet fields, in display order. `year` is numeric; the others are strings.
pub const FACET_FIELDS: [&str; 6] = {
    // The names of the filter table's facet fields, in its order: one list for the panel and the counts.
    let fields = crate::query::FilterField::FACETS;
    [
        fields[0].spec().name,
        fields[1].spec().name,
        fields[2].spec().name,
        fields[3].spec().name,
        fields[4].spec().name,
        fields[5].spec().name,
    ]
};

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

/// Counts of the facet values the matching documents have (only values with a count), with their names.
pub type FacetCounts = Vec<(Arc<FacetValue>, u64)>;

/// One facet value, named once when it is first seen (not per query).
#[derive(Debug)]
pub struct FacetValue {
    pub field: &'static str,
    /// As used in a filter (`ben-tre`, `2011`).
    pub value: String,
    /// As shown ("Bến Tre").
    pub name: String,
}

impl FacetValue {
    /// The value `value` of facet `field` (one of [`FACET_FIELDS`]), with its display name.
    pub fn new(field: &'static str, value: &str) -> FacetValue {
        let name = match field {
            "province" => crate::metadata::provinces::unit_by_slug(value)
                .map_or_else(|| crate::metadata::facet_display_name(field, value), |unit| unit.name.to_owned()),
            _ => crate::metadata::facet_display_name(field, value),
        };
        FacetValue { field, value: value.to_owned(), name }
    }
}

/// The facet values a document is counted under, as [`FacetCollector`] counts them from the index's
/// columns: each string facet's values (a former province as its unit of today, once), and the year.
/// Another engine holding the documents (a cluster) stores these to count the same facets.
pub fn document_facet_values(doc: &TantivyDocument, schema: &Schema) -> Vec<(&'static str, String)> {
    let mut values: Vec<(&'static str, String)> = Vec::new();
    for name in FACET_FIELDS {
        let Ok(field) = schema.get_field(name) else { continue };
        for value in doc.get_all(field) {
            let text = match (value.as_str(), value.as_u64()) {
                (Some(text), _) => counted_as(name, text).to_owned(),
                (None, Some(number)) => number.to_string(),
                _ => continue,
            };
            if !values.iter().any(|(f, v)| *f == name && *v == text) {
                values.push((name, text));
            }
        }
    }
    values
}

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
/// Values get one id across all segments (the value table), so the counts of all segments add up as
/// arrays, without hashing strings per query.
#[derive(Clone, Default)]
pub struct FacetCache {
    segments: Arc<Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>>,
    table: Arc<Mutex<ValueTable>>,
}

/// Every facet value seen in any segment, by id. Values are only added: a value whose documents are all
/// deleted keeps its id (and counts 0).
#[derive(Default)]
struct ValueTable {
    ids: HashMap<(&'static str, String), u32>,
    values: Vec<Arc<FacetValue>>,
}

impl ValueTable {
    fn id(&mut self, field: &'static str, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(&(field, value.to_owned())) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(Arc::new(FacetValue::new(field, value)));
        self.ids.insert((field, value.to_owned()), id);
        id
    }
}

impl FacetCache {
    /// The facets of `segment`, read now if they were not yet.
    fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = lock(&self.segments).get(&id) {
            return Ok(Arc::clone(found));
        }
        let facets = Arc::new(SegmentFacets::read(segment, &mut lock(&self.table))?);
        lock(&self.segments).insert(id, Arc::clone(&facets));
        Ok(facets)
    }

    /// Forgets the segments that are not among `live` (merged away or deleted).
    pub fn retain(&self, live: &[SegmentId]) {
        let mut segments = lock(&self.segments);
        if segments.len() > live.len() || segments.keys().any(|id| !live.contains(id)) {
            segments.retain(|id, _| live.contains(id));
        }
    }

    /// The values with a count, from counts indexed by value id.
    fn named(&self, counts: &[u64]) -> FacetCounts {
        let table = lock(&self.table);
        counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .filter_map(|(id, count)| Some((Arc::clone(table.values.get(id)?), *count)))
            .collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the maps inconsistent: entries are inserted whole.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every document's facet values as value ids: document `d` has `ids[offsets[d]..offsets[d + 1]]`.
pub struct SegmentFacets {
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// One more than the largest id used here.
    id_bound: usize,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader, table: &mut ValueTable) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut per_doc: Vec<Vec<u32>> = vec![Vec::new(); max_doc as usize];
        for field in FACET_FIELDS.iter().copied().filter(|f| *f != "year") {
            let Some(column) = fast.str(field)? else { continue };
            let ords: Vec<u64> = (0..column.num_terms() as u64).collect();
            // A value that cannot be read is not counted.
            let mut ord_ids: Vec<Option<u32>> = Vec::with_capacity(ords.len());
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                ord_ids.push(std::str::from_utf8(bytes).ok().map(|text| table.id(field, counted_as(field, text))));
            });
            for (doc, ids) in per_doc.iter_mut().enumerate() {
                let values = column.ords().values_for_doc(doc as DocId);
                let start = ids.len();
                ids.extend(values.filter_map(|ord| ord_ids.get(ord as usize).copied().flatten()));
                // Two former provinces of one unit of today count once.
                if field == "province" && ids.len() - start > 1 {
                    ids[start..].sort_unstable();
                    let mut unique: Vec<u32> = ids.drain(start..).collect();
                    unique.dedup();
                    ids.extend(unique);
                }
            }
        }
        if let Ok(column) = fast.u64("year") {
            let mut year_ids: HashMap<u64, u32> = HashMap::new();
            for (doc, ids) in per_doc.iter_mut().enumerate() {
                for year in column.values_for_doc(doc as DocId) {
                    ids.push(*year_ids.entry(year).or_insert_with(|| table.id("year", &year.to_string())));
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
        let id_bound = ids.iter().max().map_or(0, |max| *max as usize + 1);
        Ok(SegmentFacets { offsets, ids, id_bound })
    }
}

/// The facet value a stored value is counted as: a former province as its unit of today, anything else
/// as itself.
fn counted_as<'a>(field: &str, value: &'a str) -> &'a str {
    match field {
        "province" => crate::metadata::provinces::unit_of(value).map_or(value, |unit| unit.slug),
        _ => value,
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
        let counts = vec![0; facets.id_bound];
        Ok(FacetSegmentCollector { facets, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<FacetCounts> {
        let mut merged: Vec<u64> = Vec::new();
        for counts in fruits {
            if merged.len() < counts.len() {
                merged.resize(counts.len(), 0);
            }
            for (total, count) in merged.iter_mut().zip(counts) {
                *total += count;
            }
        }
        Ok(self.cache.named(&merged))
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Vec<u64>;

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

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}

/// The counts of one field, most frequent first (ties by name; years newest first), at most
/// [`MAX_FACET_VALUES`].
pub fn top_values(field: &str, counts: &FacetCounts) -> Vec<FacetCount> {
    let mut values: Vec<&(Arc<FacetValue>, u64)> = counts.iter().filter(|(v, _)| v.field == field).collect();
    if field == "year" {
        values.sort_by(|a, b| b.0.value.cmp(&a.0.value));
    } else {
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    }
    values
        .into_iter()
        .take(MAX_FACET_VALUES)
        .map(|(v, count)| FacetCount { value: v.value.clone(), name: v.name.clone(), count: *count })
        .collect()
}

/// Every year among the counts, oldest first, with no cap (the facet list keeps [`MAX_FACET_VALUES`]):
/// what the results page draws as a timeline.
pub fn year_counts(counts: &FacetCounts) -> Vec<FacetCount> {
    let mut years: Vec<FacetCount> = counts
        .iter()
        .filter(|(v, count)| v.field == "year" && *count > 0)
        .map(|(v, count)| FacetCount { value: v.value.clone(), name: v.name.clone(), count: *count })
        .collect();
    // Years are four digits (the indexer reads them from `YYYY-MM-DD`), so text order is time order.
    years.sort_by(|a, b| a.value.cmp(&b.value));
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(field: &'static str, values: &[(&str, &str, u64)]) -> FacetCounts {
        values
            .iter()
            .map(|(value, name, count)| {
                (Arc::new(FacetValue { field, value: (*value).to_owned(), name: (*name).to_owned() }), *count)
            })
            .collect()
    }

    #[test]
    fn orders_values() {
        let kinds = counts("kind", &[("a", "A", 1), ("c", "C", 5), ("b", "B", 5)]);
        let top = top_values("kind", &kinds);
        let order: Vec<&str> = top.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(order, ["b", "c", "a"]);
        assert_eq!(top[0].name, "B");
        let years = counts("year", &[("2011", "2011", 9), ("2013", "2013", 1)]);
        let order: Vec<String> = top_values("year", &years).into_iter().map(|f| f.value).collect();
        assert_eq!(order, ["2013", "2011"]);
        assert!(top_values("province", &years).is_empty());
    }

    #[test]
    fn counts_every_year_oldest_first() {
        let many: Vec<(String, u64)> = (1990..2025).map(|y| (y.to_string(), 1)).collect();
        let mut refs: Vec<(&str, &str, u64)> = many.iter().map(|(v, c)| (v.as_str(), v.as_str(), *c)).collect();
        refs.push(("1989", "1989", 0));
        let mut all = counts("year", &refs);
        all.extend(counts("kind", &[("news", "Tin tức", 4)]));
        let years = year_counts(&all);
        assert_eq!(years.len(), 35, "no cap, no zero counts, no other field");
        assert_eq!((years[0].value.as_str(), years[34].value.as_str()), ("1990", "2024"));
        assert_eq!(top_values("year", &all).len(), MAX_FACET_VALUES);
    }

    #[test]
    fn document_values_are_the_counted_ones() {
        let kho = crate::index::create_in_ram().unwrap();
        let doc = crate::schema::KhoDocument {
            id: "d".into(),
            kind: "news".into(),
            date: Some("2011-04-14".into()),
            provinces: vec!["ben-tre".into(), "tra-vinh".into()],
            sectors: vec!["seafood".into()],
            ..crate::schema::KhoDocument::default()
        }
        .to_tantivy(&kho.fields);
        let values = document_facet_values(&doc, &kho.index.schema());
        let expected = [("kind", "news"), ("year", "2011"), ("province", "vinh-long"), ("sector", "seafood")];
        let expected: Vec<(&str, String)> = expected.iter().map(|(f, v)| (*f, (*v).to_owned())).collect();
        assert_eq!(values, expected, "two former provinces of one unit count once, as the unit");
        assert_eq!(FacetValue::new("province", "vinh-long").name, "Vĩnh Long");
    }

    #[test]
    fn keeps_at_most_the_top_values() {
        let many: Vec<(String, u64)> = (0..30).map(|i| (format!("v{i:02}"), 30 - i)).collect();
        let refs: Vec<(&str, &str, u64)> = many.iter().map(|(v, c)| (v.as_str(), v.as_str(), *c)).collect();
        let top = top_values("sector", &counts("sector", &refs));
        assert_eq!(top.len(), MAX_FACET_VALUES);
        assert_eq!(top[0].value, "v00");
    }
}
