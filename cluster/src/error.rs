//! What can go wrong between Kho and its cluster.

use crate::sphinxql::SqlError;

/// Why a cluster operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(transparent)]
    Spec(#[from] crate::spec::SpecError),
    #[error(transparent)]
    Sql(#[from] SqlError),
    #[error("no cluster node answered: {}", .failures.join("; "))]
    Unavailable { failures: Vec<String> },
    #[error("the cluster answered without one of its shards (no live replica?): {warning}")]
    Partial { warning: String },
    #[error("document {id} stored in the cluster cannot be read")]
    StoredDocument {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("a document cannot be serialized for the cluster")]
    Serialize(#[source] serde_json::Error),
    #[error("the cluster's answer has no column {0}")]
    MissingColumn(&'static str),
    #[error(transparent)]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    OpenIndex(#[from] kho_core::IndexError),
    #[error(transparent)]
    Search(#[from] kho_core::search::SearchError),
}
