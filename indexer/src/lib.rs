//! kho-indexer: turns a folder of documents (HTML, PDF, DOCX, PPTX, ODT, text) into Kho's tantivy index.
//!
//! [`index_paths`] walks the paths, [`extract`] reads each format, [`date`] finds dates in Vietnamese
//! text, and [`manifest`] says what each bundled file is. [`index_jsonl`] bulk-imports JSON Lines, folding
//! near-duplicates ([`dedup`]) into one document with every source listed.

pub mod captions;
pub mod date;
pub mod dedup;
pub mod extract;
pub mod jsonl;
pub mod manifest;
pub mod run;
pub mod watch;
pub mod wraps;

pub use jsonl::{index_jsonl, JsonlOptions};
pub use run::{document_id, index_paths, FailedFile, IndexOptions, IndexReport, IndexerError, DEFAULT_FILE_TIMEOUT};
pub use watch::{parse_seconds, watch_paths, DEFAULT_POLL_INTERVAL};
