//! Writing Kho documents into the cluster's shards, each on every node that keeps it.
//!
//! A document goes to shard `id % shards` (its id is 63 bits of the SHA-256 of Kho's id, see
//! [`crate::spec::sphinx_id`]) with `REPLACE`, so writing it again replaces it: a re-run never doubles a
//! document. Before writing, each replica is asked for the stored hashes of the batch's documents, and a
//! document whose hash it already has is skipped there (the run reports it as unchanged): a replica that
//! was down during an earlier run is brought up to date by the next one.
//!
//! Publishing a whole staging index ([`publish_index`]) also removes what it no longer has: each replica
//! is asked for every id of its shards, and the ids the run did not write or find unchanged are deleted
//! there (a file deleted from the archive, then `kho-index --target cluster` run again).
//!
//! What a shard stores per document: the words of Kho's analysis ([`crate::terms`]) in the full-text
//! field `terms`, each searched field's token count (for BM25's average lengths), the year and date
//! (filters, see [`crate::query::attribute_filters`]), its facet values ([`crate::facets`]), and the
//! document itself as JSON (`doc`), from which the server rebuilds exactly the tantivy document the
//! local index holds.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use kho_core::facets::document_facet_values;
use kho_core::index::{open_index, KhoIndex};
use kho_core::schema::KhoDocument;
use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

use crate::error::ClusterError;
use crate::facets::stored_facets;
use crate::query::date_key;
use crate::spec::{length_attribute, shard_index, sphinx_id, ClusterSpec};
use crate::sphinxql::{quote, Connection};
use crate::terms::{document_terms, searched_fields};
use crate::vocabulary::{publish_vocabulary, VocabularyReport};

/// Documents written in one statement (and checked against a replica's hashes in one query).
const BATCH_DOCUMENTS: usize = 200;
/// Bytes of documents in one statement, well under searchd's `max_packet_size`.
const BATCH_BYTES: usize = 16 << 20;
/// Ids listed (and deleted) per statement when removing what the staging index no longer has.
const ID_PAGE: usize = 1000;

/// What a feed did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FeedReport {
    /// Documents written (new or changed) on at least one replica.
    pub written: usize,
    /// Documents every replica already had with the same hash.
    pub unchanged: usize,
    /// Documents the staging index no longer has, deleted from at least one replica.
    pub deleted: usize,
    /// The collection's words, for "did you mean" (publishing a whole index only).
    pub words: VocabularyReport,
}

/// One prepared row of a shard.
struct Row {
    id: u64,
    hash: String,
    values: String,
}

/// Writes documents into a cluster.
pub struct Feeder {
    spec: ClusterSpec,
    kho: KhoIndex,
    fields: Vec<Field>,
    connections: HashMap<usize, Connection>,
    pending: Vec<Vec<Row>>,
    pending_bytes: Vec<usize>,
    /// The ids queued so far, per shard: what a replica may keep when the run removes the others.
    fed: Vec<HashSet<u64>>,
    timeout: Duration,
    report: FeedReport,
}

impl Feeder {
    /// A feeder for the cluster `spec` describes; nothing is connected until the first write.
    pub fn new(spec: ClusterSpec) -> Result<Feeder, ClusterError> {
        spec.check()?;
        let kho = kho_core::index::create_in_ram()?;
        let fields = searched_fields(&kho);
        let shards = spec.shards;
        Ok(Feeder {
            spec,
            kho,
            fields,
            connections: HashMap::new(),
            pending: (0..shards).map(|_| Vec::new()).collect(),
            pending_bytes: vec![0; shards],
            fed: (0..shards).map(|_| HashSet::new()).collect(),
            timeout: Duration::from_secs(60),
            report: FeedReport::default(),
        })
    }

    /// Queues one document, writing its shard's batch when it is full.
    pub fn add(&mut self, document: &KhoDocument) -> Result<(), ClusterError> {
        let row = self.row(document)?;
        let shard = self.spec.shard_of(row.id);
        self.pending_bytes[shard] += row.values.len();
        self.fed[shard].insert(row.id);
        self.pending[shard].push(row);
        if self.pending[shard].len() >= BATCH_DOCUMENTS || self.pending_bytes[shard] >= BATCH_BYTES {
            self.write_shard(shard)?;
        }
        Ok(())
    }

    /// Writes what is queued, flushes every shard's memory to disk, and says what was done.
    pub fn finish(self) -> Result<FeedReport, ClusterError> {
        self.finish_with(false)
    }

    /// As [`Feeder::finish`], and deletes from every replica each document that was not given to this
    /// feeder: the documents given were the whole collection.
    pub fn finish_removing_others(self) -> Result<FeedReport, ClusterError> {
        self.finish_with(true)
    }

    fn finish_with(mut self, remove_others: bool) -> Result<FeedReport, ClusterError> {
        for shard in 0..self.spec.shards {
            self.write_shard(shard)?;
        }
        if remove_others {
            for shard in 0..self.spec.shards {
                self.remove_others(shard)?;
            }
        }
        if self.report.written > 0 || self.report.deleted > 0 {
            for shard in 0..self.spec.shards {
                for node in self.spec.replicas_of(shard) {
                    self.connection(node)?.query(&format!("FLUSH RTINDEX {}", shard_index(shard)))?;
                }
            }
        }
        Ok(self.report)
    }

    fn row(&self, document: &KhoDocument) -> Result<Row, ClusterError> {
        let doc = document.to_tantivy(&self.kho.fields);
        let terms = document_terms(&self.kho, &self.fields, &doc)?;
        let json = serde_json::to_string(document).map_err(ClusterError::Serialize)?;
        let id = sphinx_id(&document.id);
        let date = document.date.as_deref().unwrap_or_default();
        let year = doc.get_first(self.kho.fields.year).and_then(|v| v.as_u64()).unwrap_or(0);
        let (facet_ids, facet_values) = stored_facets(&document_facet_values(&doc, &self.kho.index.schema()))?;
        let mut values = format!(
            "({id}, '{}', {}, {}, {}, {}, {year}, {}, {facet_ids}, {}",
            terms.words,
            quote(&document.id),
            quote(&document.hash),
            quote(date),
            quote(&json),
            date_key(date),
            quote(&facet_values),
        );
        for field in &self.fields {
            values.push_str(&format!(", {}", terms.lengths[field.field_id() as usize]));
        }
        values.push(')');
        Ok(Row { id, hash: document.hash.clone(), values })
    }

    fn connection(&mut self, node: usize) -> Result<&mut Connection, ClusterError> {
        if !self.connections.contains_key(&node) {
            let connection = Connection::open(&self.spec.nodes[node].sql, self.timeout)?;
            self.connections.insert(node, connection);
        }
        self.connections.get_mut(&node).ok_or(ClusterError::Unavailable { failures: Vec::new() })
    }

    /// Deletes from every replica of `shard` the documents this run was not given.
    fn remove_others(&mut self, shard: usize) -> Result<(), ClusterError> {
        let index = shard_index(shard);
        let mut deleted: HashSet<u64> = HashSet::new();
        for node in self.spec.replicas_of(shard) {
            let fed = std::mem::take(&mut self.fed[shard]);
            let stale = stored_ids(self.connection(node)?, &index)
                .map(|ids| ids.into_iter().filter(|id| !fed.contains(id)).collect::<Vec<u64>>());
            self.fed[shard] = fed;
            let stale = stale?;
            for page in stale.chunks(ID_PAGE) {
                let ids: Vec<String> = page.iter().map(u64::to_string).collect();
                self.connection(node)?.query(&format!("DELETE FROM {index} WHERE id IN ({})", ids.join(",")))?;
            }
            deleted.extend(stale);
        }
        self.report.deleted += deleted.len();
        Ok(())
    }

    fn write_shard(&mut self, shard: usize) -> Result<(), ClusterError> {
        let rows = std::mem::take(&mut self.pending[shard]);
        self.pending_bytes[shard] = 0;
        if rows.is_empty() {
            return Ok(());
        }
        let index = shard_index(shard);
        let columns = {
            let schema = self.kho.index.schema();
            let mut columns = String::from("id, terms, kid, hash, date, doc, year, date_key, facets, facet_values");
            for field in &self.fields {
                columns.push_str(", ");
                columns.push_str(&length_attribute(schema.get_field_name(*field)));
            }
            columns
        };
        let mut written: HashSet<u64> = HashSet::new();
        for node in self.spec.replicas_of(shard) {
            let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
            let connection = self.connection(node)?;
            let stored = connection.query(&format!(
                "SELECT id, hash FROM {index} WHERE id IN ({}) LIMIT {n} OPTION max_matches={n}",
                ids.join(","),
                n = rows.len()
            ))?;
            // searchd sends no columns with an empty answer.
            let (id_col, hash_col) = match (stored.column("id"), stored.column("hash"), stored.rows.is_empty()) {
                (Some(i), Some(h), _) => (i, h),
                (_, _, true) => (0, 1),
                _ => return Err(ClusterError::MissingColumn("hash")),
            };
            let have: HashMap<u64, String> = stored
                .rows
                .iter()
                .filter_map(|row| {
                    let id = row.get(id_col)?.as_deref()?.parse().ok()?;
                    Some((id, row.get(hash_col)?.clone().unwrap_or_default()))
                })
                .collect();
            let changed: Vec<&Row> = rows.iter().filter(|r| have.get(&r.id) != Some(&r.hash)).collect();
            if changed.is_empty() {
                continue;
            }
            let values: Vec<&str> = changed.iter().map(|r| r.values.as_str()).collect();
            connection.query(&format!("REPLACE INTO {index} ({columns}) VALUES {}", values.join(", ")))?;
            written.extend(changed.iter().map(|r| r.id));
        }
        self.report.written += written.len();
        self.report.unchanged += rows.len() - written.len();
        Ok(())
    }
}

/// Every id a node holds in `index`, page by page in id order.
pub(crate) fn stored_ids(connection: &mut Connection, index: &str) -> Result<Vec<u64>, ClusterError> {
    let mut ids = Vec::new();
    let mut after = 0u64;
    loop {
        let answer = connection.query(&format!(
            "SELECT id FROM {index} WHERE id > {after} ORDER BY id ASC LIMIT {ID_PAGE} OPTION max_matches={ID_PAGE}"
        ))?;
        let page: Vec<u64> = answer.rows.iter().filter_map(|row| row.first()?.as_deref()?.parse().ok()).collect();
        let Some(&last) = page.last() else { break };
        let full = page.len() >= ID_PAGE;
        ids.extend(page);
        if !full {
            break;
        }
        after = last;
    }
    Ok(ids)
}

/// Sends every live document of the Kho index in `index_dir` to the cluster `spec` describes
/// (`kho-index --target cluster`). The index is the run's staging area: files and JSON Lines go through
/// the whole pipeline into it as usual (extraction, legal headings, near-duplicates folded), then each
/// document is written to its shard, and what the index no longer has is deleted from every replica;
/// then the words of its vocabulary go to every node ([`crate::vocabulary`]). Publishing the same index
/// again writes and deletes nothing.
pub fn publish_index(index_dir: &std::path::Path, spec: &ClusterSpec) -> Result<FeedReport, ClusterError> {
    let kho = open_index(index_dir)?;
    let mut feeder = Feeder::new(spec.clone())?;
    let reader = kho.index.reader()?;
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64).map_err(tantivy::TantivyError::from)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            feeder.add(&KhoDocument::from_stored(&doc, &kho.fields))?;
        }
    }
    let mut report = feeder.finish_removing_others()?;
    report.words = publish_vocabulary(&kho, spec)?;
    Ok(report)
}
