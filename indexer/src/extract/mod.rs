//! Turning files into text: one module per format behind one `match` on [`Format`].
//!
//! Every extractor takes the file's bytes and returns [`Extracted`]: the title it could find, the body as
//! plain text with paragraphs separated by blank lines, and any date and author the file's own metadata
//! gives. Text is returned as found; NFC normalization happens later, in one place (`kho_core::normalize`).
//! The zip-based formats (DOCX, PPTX, ODT) share their package handling (`package`).

mod docx;
mod html;
mod legacy;
mod odt;
mod package;
mod pdf;
mod pptx;
mod text;

pub use docx::extract_docx_text;
pub use html::extract_html_text;
pub use legacy::{convert_font_text, decode_legacy_text, LegacyEncoding, LegacyFont};
pub use odt::extract_odt_text;
pub use pdf::extract_pdf_text;
pub use pptx::extract_pptx_text;
pub use text::extract_plain_text;

use std::path::Path;

/// The file formats the indexer reads, detected from the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Docx,
    Pptx,
    Odt,
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
            "pptx" => Some(Format::Pptx),
            "odt" => Some(Format::Odt),
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
            Format::Pptx => "pptx",
            Format::Odt => "odt",
            Format::Text => "txt",
        }
    }
}

/// What an extractor found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The document's own title (HTML `<title>`/`<h1>`, DOCX/PPTX core title, ODT `dc:title`, PDF Info
    /// title), if any.
    pub title: Option<String>,
    /// The text, paragraphs separated by "\n\n".
    pub body: String,
    /// A date from the file's metadata (not from its text), as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Who wrote the document, from its metadata: DOCX/PPTX `dc:creator`, ODT `meta:initial-creator`
    /// (else `dc:creator`), PDF Info `/Author`.
    pub author: Option<String>,
}

/// Why a file could not be read. The message is shown to the user next to the file's path.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("not text in UTF-8 (invalid at byte {offset}), UTF-16, TCVN3, VNI-Windows or Windows-1258")]
    InvalidUtf8 { offset: usize },
    #[error("not a valid PDF: {0}")]
    Pdf(String),
    #[error("PDF has no text layer (a scan?)")]
    PdfNoText,
    #[error("PDF is encrypted")]
    PdfEncrypted,
    #[error("not a valid DOCX: {0}")]
    Docx(String),
    #[error("not a valid PPTX: {0}")]
    Pptx(String),
    #[error("not a valid ODT: {0}")]
    Odt(String),
    #[error("HTML has no text")]
    HtmlEmpty,
}

/// Extracts one file's text according to its format.
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    match format {
        Format::Html => extract_html_text(bytes),
        Format::Pdf => extract_pdf_text(bytes),
        Format::Docx => extract_docx_text(bytes),
        Format::Pptx => extract_pptx_text(bytes),
        Format::Odt => extract_odt_text(bytes),
        Format::Text => extract_plain_text(bytes),
    }
}
