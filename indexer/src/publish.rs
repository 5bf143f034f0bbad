//! `kho-index --target cluster`: the documents of the run's index, written into a cluster of searchd
//! nodes (see the `kho-cluster` crate and docs/scale-out.md). The index is the run's staging area: files
//! and JSON Lines go through the whole pipeline into it as usual, then every live document is sent to its
//! shard; documents a replica already holds unchanged are skipped, so a re-run writes nothing twice.

pub use kho_cluster::{publish_index, ClusterError as PublishError};
