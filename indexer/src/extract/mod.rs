//! Turning files into text: one module per format behind one `match` on [`Format`].
//!
//! Every extractor takes the file's bytes and returns [`Extracted`]: the title it could find, the body as
//! plain text with paragraphs separated by blank lines, and any date the file's own metadata gives. Text is
//! returned as found; NFC normalization happens later, in one place (`kho_core::normalize`).

mod docx;
mod html;
mod pdf;
mod text;

pub use docx::extract_docx_text;
pub use html::extract_html_text;
pub use pdf::extract_pdf_text;
pub use text::extract_plain_text;

use std::path::Path;

/// The file formats the indexer reads, detected from the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Docx,
    Text,
}

impl Format {
    /// The format of a path, by its extension (case-insensitive); `None` for files we do not index.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "txt" => Some(Format::Text),
            _ => None,
        }
    }

    /// The name stored in the index and shown by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Text => "txt",
        }
    }
}

/// What an extractor found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The document's own title (HTML `<title>`/`<h1>`, DOCX core title, PDF Info title), if any.
    pub title: Option<String>,
    /// The text, paragraphs separated by "\n\n".
    pub body: String,
    /// A date from the file's metadata (not from its text), as `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// Why a file could not be read. The message is shown to the user next to the file's path.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("not a valid PDF: {0}")]
    Pdf(String),
    #[error("PDF has no text layer (a scan?)")]
    PdfNoText,
    #[error("PDF is encrypted")]
    PdfEncrypted,
    #[error("not a valid DOCX: {0}")]
    Docx(String),
    #[error("HTML has no text")]
    HtmlEmpty,
}

/// Extracts one file's text according to its format.
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    match format {
        Format::Html => extract_html_text(bytes),
        Format::Pdf => extract_pdf_text(bytes),
        Format::Docx => extract_docx_text(bytes),
        Format::Text => extract_plain_text(bytes),
    }
}
