//! Talking to the cluster: which node to ask, what to do when one is down, and reading a search's
//! `SHOW META` (its total, its per-word document counts, and the warning searchd gives when an agent
//! did not answer).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::ClusterError;
use crate::sphinxql::{Answer, Connection, SqlError};

/// How often a search whose answer missed a shard is asked again. searchd marks a dead mirror after its
/// first failures (`ha_period_karma`, pings every 200 ms) and then asks the live one.
const PARTIAL_RETRIES: u32 = 12;
const PARTIAL_PAUSE: Duration = Duration::from_millis(150);

/// The nodes a searcher may ask, taken in turn; a node that cannot be reached is passed over.
pub struct Nodes {
    addrs: Vec<String>,
    next: AtomicUsize,
    timeout: Duration,
}

impl Nodes {
    /// The SphinxQL addresses of the nodes; `timeout` bounds connecting and each read.
    pub fn new(addrs: Vec<String>, timeout: Duration) -> Nodes {
        Nodes { addrs, next: AtomicUsize::new(0), timeout }
    }

    /// Runs `work` on a connection to the next node in turn; when a node cannot be reached or drops the
    /// connection, the work is run again on the next one. An answer of searchd (an error in the query)
    /// is returned as it is.
    pub fn with_connection<T>(
        &self,
        mut work: impl FnMut(&mut Connection) -> Result<T, ClusterError>,
    ) -> Result<T, ClusterError> {
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        let mut failures = Vec::new();
        for i in 0..self.addrs.len() {
            let addr = &self.addrs[(first + i) % self.addrs.len()];
            let result =
                Connection::open(addr, self.timeout).map_err(ClusterError::from).and_then(|mut c| work(&mut c));
            match result {
                Err(ClusterError::Sql(e @ (SqlError::Connect { .. } | SqlError::Io { .. }))) => {
                    tracing::warn!(node = %addr, error = %e, "cluster node unreachable, trying the next one");
                    failures.push(e.to_string());
                }
                other => return other,
            }
        }
        Err(ClusterError::Unavailable { failures })
    }
}

/// A search's statistics, as `SHOW META` gives them.
#[derive(Debug, Default, Clone)]
pub struct Meta {
    /// How many documents match (all of them, not only those returned).
    pub total_found: u64,
    /// Each query word's document count, summed over the shards.
    pub docs: HashMap<String, u64>,
}

/// Runs a SELECT on a distributed index and reads its `SHOW META`. When an agent did not answer (a node
/// just stopped), the answer lacks that shard: the query is asked again until searchd uses the shard's
/// other mirror, and fails with [`ClusterError::Partial`] if it never does.
pub fn select(connection: &mut Connection, sql: &str) -> Result<(Answer, Meta), ClusterError> {
    let mut warning = String::new();
    for attempt in 0..=PARTIAL_RETRIES {
        if attempt > 0 {
            std::thread::sleep(PARTIAL_PAUSE);
        }
        let answer = connection.query(sql)?;
        let meta = connection.query("SHOW META")?;
        let values: HashMap<String, String> = meta
            .rows
            .into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(name), Some(value)] => Some((name.clone(), value.clone())),
                _ => None,
            })
            .collect();
        if let Some(w) = values.get("warning") {
            tracing::warn!(node = %connection.addr(), warning = %w, attempt, "partial answer from the cluster");
            warning = w.clone();
            continue;
        }
        return Ok((answer, parse_meta(&values)));
    }
    Err(ClusterError::Partial { warning })
}

fn parse_meta(values: &HashMap<String, String>) -> Meta {
    let total_found = values.get("total_found").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut docs = HashMap::new();
    for i in 0.. {
        let Some(word) = values.get(&format!("keyword[{i}]")) else { break };
        let count = values.get(&format!("docs[{i}]")).and_then(|v| v.parse().ok()).unwrap_or(0);
        docs.insert(word.clone(), count);
    }
    Meta { total_found, docs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_gives_total_and_word_counts() {
        let values: HashMap<String, String> = [
            ("total", "20"),
            ("total_found", "312"),
            ("keyword[0]", "aehoi"),
            ("docs[0]", "40"),
            ("hits[0]", "90"),
            ("keyword[1]", "aethao"),
            ("docs[1]", "7"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let meta = parse_meta(&values);
        assert_eq!(meta.total_found, 312);
        assert_eq!(meta.docs.get("aehoi"), Some(&40));
        assert_eq!(meta.docs.get("aethao"), Some(&7));
    }
}
