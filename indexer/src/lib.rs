//! kho-indexer: turns a folder of documents (HTML, PDF, DOCX, text) into Kho's tantivy index.
//!
//! [`index_paths`] walks the paths, [`extract`] reads each format, [`date`] finds dates in Vietnamese
//! text, and [`manifest`] says what each bundled file is.

pub mod date;
pub mod extract;
pub mod manifest;
pub mod run;

pub use run::{document_id, index_paths, FailedFile, IndexOptions, IndexReport, IndexerError};
