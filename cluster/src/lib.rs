//! Kho on a cluster of Sphinx `searchd` nodes (Sphinx 2.2, Debian's `sphinxsearch`).
//!
//! One machine holds a provincial archive; a national one needs its documents split over many machines
//! and kept on more than one each. Kho does not grow a cluster of its own: Sphinx's distributed indexes
//! scatter a query over the shards and gather the answers, and agent mirrors keep each shard on several
//! nodes. Kho keeps what makes it Kho:
//!
//! - [`terms`]: the feeder runs Kho's analyzers and sends Sphinx their tokens as ASCII words it cannot
//!   mangle, so Sphinx matches on Kho's analysis (NFC, tone placement, folding, pairs);
//! - [`feed`]: writes documents into their shard on every replica, idempotently, and removes from every
//!   replica what the staging index no longer has;
//! - [`facets`]: facet counts over every match, counted by Sphinx;
//! - [`vocabulary`]: the collection's words on every node, for "did you mean";
//! - [`query`]: a Kho query as a Sphinx query over those words;
//! - [`search`]: the cluster finds the candidates and the collection's statistics, Kho ranks them, cuts
//!   snippets and counts facets with its own searcher;
//! - [`spec`]: the cluster's layout in one JSON file, and each node's `searchd` configuration;
//! - [`sphinxql`], [`client`]: the MySQL-protocol client, and failing over between nodes;
//! - [`local`]: a cluster of searchd processes on loopback ports (tests, measurements, trying it out).
//!
//! docs/scale-out.md tells why Sphinx, how to deploy it, and what was measured.

pub mod client;
pub mod error;
pub mod facets;
pub mod feed;
pub mod local;
pub mod query;
pub mod search;
pub mod spec;
pub mod sphinxql;
pub mod terms;
pub mod vocabulary;

pub use error::ClusterError;
pub use feed::{publish_index, FeedReport, Feeder};
pub use search::ClusterSearcher;
pub use spec::{ClusterSpec, NodeSpec};
