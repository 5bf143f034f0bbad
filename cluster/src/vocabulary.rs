//! The collection's words, for "did you mean" on the cluster.
//!
//! Kho suggests, for a word no document has, the closest word of the collection (fewest edits, then most
//! documents; see `kho_core::search::did_you_mean`). On one machine it reads the index's term dictionary;
//! Sphinx 2.2 has no way to list its dictionary over SphinxQL, so the feeder keeps the words itself: the
//! real-time index `kho_vocab`, whole on every node, holds one row per word of the fields suggestions come
//! from (`body` and `body_exact`) with its field, its length in characters and its text, taken from the
//! staging index's term dictionaries. A suggestion asks one node for the words of the right field and
//! lengths, and the cluster's document counts decide between the closest ones.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use kho_core::index::KhoIndex;
use kho_core::search::Vocabulary;
use tantivy::schema::Field;

use crate::client::Nodes;
use crate::error::ClusterError;
use crate::feed::stored_ids;
use crate::spec::{sphinx_id, ClusterSpec, VOCABULARY_INDEX};
use crate::sphinxql::{quote, Connection};
use crate::terms::encode;

/// Rows written or read per statement.
const PAGE: usize = 1000;

/// What publishing the vocabulary did, over all nodes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct VocabularyReport {
    /// Words written on at least one node.
    pub written: usize,
    /// Words deleted from at least one node (no longer in the staging index).
    pub deleted: usize,
    /// Words of the collection.
    pub words: usize,
}

/// The fields "did you mean" takes words from.
pub fn vocabulary_fields(kho: &KhoIndex) -> [Field; 2] {
    [kho.fields.body, kho.fields.body_exact]
}

/// The row id of `token` in `field`.
fn word_id(field: Field, token: &str) -> u64 {
    sphinx_id(&format!("{}\u{0}{token}", field.field_id()))
}

/// Writes the words of the staging index `kho` to every node's vocabulary, and deletes the words it no
/// longer has; a second run with the same words writes nothing.
pub fn publish_vocabulary(kho: &KhoIndex, spec: &ClusterSpec) -> Result<VocabularyReport, ClusterError> {
    let mut words: HashMap<u64, String> = HashMap::new();
    let searcher = kho.index.reader()?.searcher();
    for field in vocabulary_fields(kho) {
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(token) = std::str::from_utf8(stream.key()) else { continue };
                words.entry(word_id(field, token)).or_insert_with(|| {
                    let chars = token.chars().count();
                    format!(
                        "({}, '{}', {}, {chars}, {})",
                        word_id(field, token),
                        encode(field, token),
                        field.field_id(),
                        quote(token)
                    )
                });
            }
        }
    }
    let mut written: HashSet<u64> = HashSet::new();
    let mut deleted: HashSet<u64> = HashSet::new();
    for node in &spec.nodes {
        let mut connection = Connection::open(&node.sql, Duration::from_secs(60))?;
        let stored: HashSet<u64> = stored_ids(&mut connection, VOCABULARY_INDEX)?.into_iter().collect();
        let missing: Vec<(&u64, &String)> = words.iter().filter(|(id, _)| !stored.contains(id)).collect();
        for page in missing.chunks(PAGE) {
            let rows: Vec<&str> = page.iter().map(|(_, row)| row.as_str()).collect();
            connection.query(&format!(
                "REPLACE INTO {VOCABULARY_INDEX} (id, entry, field, chars, word) VALUES {}",
                rows.join(", ")
            ))?;
        }
        let stale: Vec<u64> = stored.iter().filter(|id| !words.contains_key(id)).copied().collect();
        for page in stale.chunks(PAGE) {
            let ids: Vec<String> = page.iter().map(u64::to_string).collect();
            connection.query(&format!("DELETE FROM {VOCABULARY_INDEX} WHERE id IN ({})", ids.join(",")))?;
        }
        if !missing.is_empty() || !stale.is_empty() {
            connection.query(&format!("FLUSH RTINDEX {VOCABULARY_INDEX}"))?;
        }
        written.extend(missing.iter().map(|(id, _)| **id));
        deleted.extend(stale);
    }
    Ok(VocabularyReport { written: written.len(), deleted: deleted.len(), words: words.len() })
}

/// The cluster's vocabulary, read from any node.
pub struct ClusterVocabulary {
    nodes: Arc<Nodes>,
}

impl ClusterVocabulary {
    pub fn new(nodes: Arc<Nodes>) -> ClusterVocabulary {
        ClusterVocabulary { nodes }
    }

    fn read(&self, field: Field, min_chars: usize, max_chars: usize) -> Result<Vec<String>, ClusterError> {
        self.nodes.with_connection(|connection| {
            let mut words = Vec::new();
            let mut after = 0u64;
            loop {
                let answer = connection.query(&format!(
                    "SELECT id, word FROM {VOCABULARY_INDEX} WHERE field = {} AND chars BETWEEN {min_chars} AND \
                     {max_chars} AND id > {after} ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}",
                    field.field_id()
                ))?;
                let (Some(id_col), Some(word_col)) = (answer.column("id"), answer.column("word")) else {
                    // searchd sends no columns with an empty answer.
                    return Ok(words);
                };
                let count = answer.rows.len();
                for row in answer.rows {
                    if let Some(id) = row.get(id_col).cloned().flatten().and_then(|id| id.parse().ok()) {
                        after = after.max(id);
                    }
                    if let Some(word) = row.get(word_col).cloned().flatten() {
                        words.push(word);
                    }
                }
                if count < PAGE {
                    return Ok(words);
                }
            }
        })
    }
}

impl Vocabulary for ClusterVocabulary {
    fn words(
        &self,
        field: Field,
        min_chars: usize,
        max_chars: usize,
        visit: &mut dyn FnMut(&str),
    ) -> tantivy::Result<()> {
        let words = self
            .read(field, min_chars, max_chars)
            .map_err(|e| tantivy::TantivyError::SystemError(format!("cluster vocabulary: {e}")))?;
        for word in &words {
            visit(word);
        }
        Ok(())
    }
}
