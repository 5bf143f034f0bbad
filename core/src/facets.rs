//! Facet counts: how many matching documents have each kind, year, province, sector and organization.
//!
//! Counted from fast-field columns while the query runs (one more collector beside the top documents), so
//! the counts always describe exactly the documents the query matches, at the cost of one column read per
//! matching document. String facets count term ordinals per segment and resolve them to text once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
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

/// Collects [`FacetCounts`] for every field of [`FACET_FIELDS`].
pub struct FacetCollector;

/// Per-segment counting state.
pub struct FacetSegmentCollector {
    strings: Vec<(&'static str, StrColumn, Vec<u64>)>,
    year: Option<(Column<u64>, HashMap<u64, u64>)>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let mut strings = Vec::new();
        for field in FACET_FIELDS.iter().filter(|f| **f != "year") {
            if let Some(column) = fast.str(field)? {
                let counts = vec![0; column.num_terms()];
                strings.push((*field, column, counts));
            }
        }
        let year = fast.u64("year").ok().map(|column| (column, HashMap::new()));
        Ok(FacetSegmentCollector { strings, year })
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
        for (_, column, counts) in &mut self.strings {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
        if let Some((column, counts)) = &mut self.year {
            for year in column.values_for_doc(doc) {
                *counts.entry(year).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut fruit: FacetCounts = HashMap::new();
        for (field, column, counts) in self.strings {
            let values = fruit.entry(field).or_default();
            let mut text = String::new();
            for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    values.insert(text.clone(), count);
                }
            }
        }
        if let Some((_, counts)) = self.year {
            fruit.insert("year", counts.into_iter().map(|(year, count)| (year.to_string(), count)).collect());
        }
        fruit
    }
}

/// The counts of one field, most frequent first (years newest first), at most [`MAX_FACET_VALUES`].
pub fn top_values(field: &str, counts: &HashMap<String, u64>, name: impl Fn(&str) -> String) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = counts
        .iter()
        .map(|(value, count)| FacetCount { value: value.clone(), name: name(value), count: *count })
        .collect();
    if field == "year" {
        values.sort_by(|a, b| b.value.cmp(&a.value));
    } else {
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
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
