//! kho-indexer: turns a folder of documents (HTML, PDF, DOCX, PPTX, ODT, DOC, RTF, text, and scans read
//! by OCR: image-only PDF pages, PNG, JPEG, TIFF) into Kho's tantivy index.
//!
//! [`index_paths`] runs the pipeline: it walks the paths (`walk`), reads each new or changed file's text
//! ([`extract`], one format per module, run isolated with a timeout by `isolate`; scans then read by
//! Tesseract in `ocr`), assembles the
//! document (`document`: title, date from the metadata or the text (`date`), a legal document's heading
//! (`legal`), facets, captions) and
//! writes it, near-duplicates folded into one document with every source listed (`write`, `dedup`).
//! [`watch_paths`] repeats that run as the folders change, and [`index_jsonl`] bulk-imports JSON Lines
//! through the same document assembly and writing. [`index_file`] and [`delete_document`] do it for one
//! file or document at a time (`single`: a server's uploads). A folder's `manifest.json` (`manifest`) says what
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
mod legal;
mod manifest;
mod ocr;
mod pipeline;
mod publish;
mod report;
mod run;
mod single;
mod walk;
mod watch;
mod wraps;
mod write;

pub use document::document_id;
pub use error::IndexerError;
pub use jsonl::{index_jsonl, read_jsonl_record, JsonlOptions};
pub use manifest::ManifestError;
pub use ocr::{read_scanned, OcrError, OcrOptions, DEFAULT_OCR_TIMEOUT};
pub use publish::{publish_index, PublishError};
pub use report::{FailedFile, IndexReport};
pub use run::{index_paths, IndexOptions, DEFAULT_FILE_TIMEOUT, MAX_FILE_BYTES};
pub use single::{delete_document, index_file, DeletedDocument, FileFacts, FileOutcome, IndexFileError};
pub use watch::{parse_seconds, watch_paths, InvalidSeconds, DEFAULT_POLL_INTERVAL};
