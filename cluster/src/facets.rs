//! Facet counts over every matching document of the cluster, not only the candidates.
//!
//! Kho counts facets over the whole match set of the tier it answers with (see `kho_core::facets`). On
//! the cluster that set lives in Sphinx, spread over the shards, so Sphinx counts it: each document
//! stores the facet values Kho would count for it ([`document_facet_values`]) twice,
//!
//! - as ids in the multi-valued attribute `facets` (63 bits of the SHA-256 of `field` NUL `value`, see
//!   [`facet_id`]): `GROUP BY facets` counts, over the distributed index, every matching document once
//!   under each of its values, and the entry node adds up the shards' counts;
//! - as text in the string attribute `facet_values` (JSON `[[field, value], …]`): Sphinx answers each
//!   group with one of its documents, whose list holds the value with the group's id, so ids are named
//!   without any table to keep in step.

use std::collections::HashMap;
use std::sync::Arc;

use kho_core::facets::{FacetCounts, FacetValue, FACET_FIELDS};
use sha2::{Digest, Sha256};

use crate::client::select;
use crate::error::ClusterError;
use crate::spec::DISTRIBUTED_INDEX;
use crate::sphinxql::Connection;

/// Groups asked for first: searchd sizes each query's match queue by `max_matches`, and a large one costs
/// tens of milliseconds per query (ALQAC's whole collection has 26 facet values).
const FIRST_FACET_GROUPS: usize = 1_000;
/// Most distinct values counted per query; when an answer fills the groups asked for, it is asked again
/// with ten times as many, up to this.
pub const MAX_FACET_GROUPS: usize = 100_000;

/// The id of value `value` of facet `field` in the `facets` attribute.
pub fn facet_id(field: &str, value: &str) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(field.as_bytes());
    hasher.update([0]);
    hasher.update(value.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    (u64::from_le_bytes(bytes) & 0x7fff_ffff_ffff_ffff).max(1)
}

/// A document's facet values as the `facets` ids (`(1,2,3)`, SphinxQL's MVA syntax) and the
/// `facet_values` text.
pub fn stored_facets(values: &[(&'static str, String)]) -> Result<(String, String), ClusterError> {
    let ids: Vec<String> = values.iter().map(|(field, value)| facet_id(field, value).to_string()).collect();
    let text = serde_json::to_string(values).map_err(ClusterError::Serialize)?;
    Ok((format!("({})", ids.join(",")), text))
}

/// Counts the facet values of every document matching `condition` (a SphinxQL WHERE condition, empty
/// for every document), over the whole cluster.
pub fn count_facets(connection: &mut Connection, condition: &str) -> Result<FacetCounts, ClusterError> {
    let filter = match condition.is_empty() {
        true => String::new(),
        false => format!(" WHERE {condition}"),
    };
    let mut groups = FIRST_FACET_GROUPS;
    let answer = loop {
        let sql = format!(
            "SELECT groupby() AS value_id, COUNT(*) AS n, facet_values FROM {DISTRIBUTED_INDEX}{filter} \
             GROUP BY facets LIMIT {groups} OPTION ranker=none, max_matches={groups}"
        );
        let (answer, _) = select(connection, &sql)?;
        // A shard that had more groups than asked for returned some of them only: ask for more.
        if answer.rows.len() < groups {
            break answer;
        }
        if groups >= MAX_FACET_GROUPS {
            tracing::warn!(groups, "facet values cut at the limit: counts may be short");
            break answer;
        }
        groups *= 10;
    };
    if answer.rows.is_empty() {
        return Ok(Vec::new());
    }
    let (Some(id_col), Some(count_col), Some(values_col)) =
        (answer.column("value_id"), answer.column("n"), answer.column("facet_values"))
    else {
        return Err(ClusterError::MissingColumn("facet_values"));
    };
    let mut named: HashMap<u64, Arc<FacetValue>> = HashMap::new();
    let mut counts = Vec::with_capacity(answer.rows.len());
    for row in &answer.rows {
        let cell = |col: usize| row.get(col).cloned().flatten().unwrap_or_default();
        let (Ok(id), Ok(count)) = (cell(id_col).parse::<u64>(), cell(count_col).parse::<u64>()) else { continue };
        if !named.contains_key(&id) {
            // The group's document lists its values: the one with this id names the group (and the
            // others are named on the way, for the groups still to come).
            let values: Vec<(String, String)> = serde_json::from_str(&cell(values_col)).unwrap_or_default();
            for (field, value) in values {
                let Some(field) = FACET_FIELDS.iter().copied().find(|f| *f == field) else { continue };
                named.entry(facet_id(field, &value)).or_insert_with(|| Arc::new(FacetValue::new(field, &value)));
            }
        }
        match named.get(&id) {
            Some(value) => counts.push((Arc::clone(value), count)),
            None => tracing::warn!(id, "a facet group whose document does not name it"),
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_per_field_and_value() {
        assert_eq!(facet_id("year", "2011"), facet_id("year", "2011"));
        assert_ne!(facet_id("year", "2011"), facet_id("year", "2012"));
        assert_ne!(facet_id("sector", "a"), facet_id("organization", "a"));
        assert_ne!(facet_id("ab", "c"), facet_id("a", "bc"), "the separator keeps field and value apart");
        assert!(facet_id("kind", "law") < 1 << 63);
    }

    #[test]
    fn stored_as_ids_and_named_values() {
        let values = vec![("kind", "law".to_owned()), ("province", "vinh-long".to_owned())];
        let (ids, text) = stored_facets(&values).unwrap();
        assert_eq!(ids, format!("({},{})", facet_id("kind", "law"), facet_id("province", "vinh-long")));
        assert_eq!(text, r#"[["kind","law"],["province","vinh-long"]]"#);
        assert_eq!(stored_facets(&[]).unwrap().0, "()");
    }
}
