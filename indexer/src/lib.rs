//! kho-indexer: turns a folder of documents (HTML, PDF, DOCX, PPTX, ODT, text) into Kho's tantivy index.
//!
//! [`index_paths`] runs the pipeline: it walks the paths (`walk`), reads each new or changed file's text
//! ([`extract`], one format per module, run isolated with a timeout by `isolate`), assembles the
//! document (`document`: title, date from the metadata or the text (`date`), facets, captions) and
//! writes it, near-duplicates folded into one document with every source listed (`write`, `dedup`).
//! [`watch_paths`] repeats that run as the folders change, and [`index_jsonl`] bulk-imports JSON Lines
//! through the same document assembly and writing. A folder's `manifest.json` (`manifest`) says what
//! its files are.
//!
//! The public API is what is re-exported here, plus the [`extract`] module (the extractors on their
//! own, used by tests and tools).

pub mod extract;

mod captions;
mod date;
mod dedup;
mod document;
mod error;
mod isolate;
mod jsonl;
mod manifest;
mod pipeline;
mod report;
mod run;
mod walk;
mod watch;
mod wraps;
mod write;

pub use document::document_id;
pub use error::IndexerError;
pub use jsonl::{index_jsonl, read_jsonl_record, JsonlOptions};
pub use manifest::ManifestError;
pub use report::{FailedFile, IndexReport};
pub use run::{index_paths, IndexOptions, DEFAULT_FILE_TIMEOUT, MAX_FILE_BYTES};
pub use watch::{parse_seconds, watch_paths, InvalidSeconds, DEFAULT_POLL_INTERVAL};
