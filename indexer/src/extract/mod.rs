//! Turning files into text: one module per format behind one `match` on [`Format`].
//!
//! Every extractor takes the file's bytes and returns [`Extracted`]: the title it could find, the body as
//! plain text with paragraphs separated by blank lines, and any date and author the file's own metadata
//! gives. Text is returned as found; NFC normalization happens later, in one place (`kho_core::normalize`).
//! The zip-based formats (DOCX, PPTX, ODT) share their package handling (`package`).
//!
//! Scans are the one case where parsing is not the whole story: a PDF page without a text layer, or an
//! image file, holds text only as pixels. [`read_content`] says so ([`Content::Pages`],
//! [`Content::Image`]) and leaves the reading to OCR (`crate::ocr`), which runs Tesseract as a
//! subprocess outside this module; [`extract`] is the parse alone, for which a scan has no text.

mod doc;
mod docx;
mod html;
mod legacy;
mod odt;
mod package;
mod pdf;
mod pptx;
mod rtf;
mod text;

pub use doc::extract_doc_text;
pub use docx::extract_docx_text;
pub use html::extract_html_text;
pub use legacy::{convert_font_text, decode_legacy_text, LegacyEncoding, LegacyFont};
pub use odt::extract_odt_text;
pub use pdf::{extract_pdf_text, read_pdf};
pub use pptx::extract_pptx_text;
pub use rtf::extract_rtf_text;
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
    /// Word 97-2003 (`.doc`).
    Doc,
    Rtf,
    /// An image, whose text only OCR can read.
    Image(ImageFormat),
}

/// The image formats read through OCR (those Tesseract reads itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    /// Possibly several pages.
    Tiff,
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
            "doc" => Some(Format::Doc),
            "rtf" => Some(Format::Rtf),
            "png" => Some(Format::Image(ImageFormat::Png)),
            "jpg" | "jpeg" => Some(Format::Image(ImageFormat::Jpeg)),
            "tif" | "tiff" => Some(Format::Image(ImageFormat::Tiff)),
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
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Image(ImageFormat::Png) => "png",
            Format::Image(ImageFormat::Jpeg) => "jpeg",
            Format::Image(ImageFormat::Tiff) => "tiff",
        }
    }
}

/// What an extractor found in one file.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Set when some of the body was read by OCR: which pages, how confidently.
    pub ocr: Option<OcrSummary>,
}

/// What OCR contributed to a document.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrSummary {
    /// The pages (from 1) whose text OCR read.
    pub pages: Vec<u32>,
    /// Tesseract's mean word confidence over those pages, 0–100.
    pub confidence: f32,
}

/// What a file holds, before OCR.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// The file's text, complete.
    Text(Extracted),
    /// A PDF of which some pages have no text layer but draw an image: a scan. `properties` has the
    /// title, author and date (its body is empty).
    Pages { properties: Extracted, pages: Vec<Page> },
    /// An image file.
    Image(ImageFormat),
}

/// One page of a [`Content::Pages`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The page's text layer.
    Text(String),
    /// An image without text: OCR's to read.
    Scanned,
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
    #[error("not a valid DOC: {0}")]
    Doc(String),
    #[error("DOC is password-protected")]
    DocEncrypted,
    #[error("not a valid RTF: {0}")]
    Rtf(String),
    /// An image file, read without OCR.
    #[error("{} image: needs OCR (OCR is off)", .0.as_str())]
    ImageNeedsOcr(Format),
}

/// Extracts one file's text according to its format, without OCR: a PDF's scanned pages are left out
/// (a PDF of scans only is [`ExtractError::PdfNoText`]) and an image is [`ExtractError::ImageNeedsOcr`].
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    without_ocr(format, read_content(format, bytes)?)
}

/// A file's text without reading its scans: those of a PDF's pages that have a text layer, an error for
/// a PDF of scans only or an image (see [`extract`]).
pub fn without_ocr(format: Format, content: Content) -> Result<Extracted, ExtractError> {
    match content {
        Content::Text(extracted) => Ok(extracted),
        Content::Pages { properties, pages } => {
            let texts = pages.into_iter().filter_map(|page| match page {
                Page::Text(text) => Some(text),
                Page::Scanned => None,
            });
            let body = texts.filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
            if !body.chars().any(char::is_alphabetic) {
                return Err(ExtractError::PdfNoText);
            }
            Ok(Extracted { body, ..properties })
        }
        Content::Image(_) => Err(ExtractError::ImageNeedsOcr(format)),
    }
}

/// What one file holds according to its format: its text, or the pages OCR must read.
pub fn read_content(format: Format, bytes: &[u8]) -> Result<Content, ExtractError> {
    let text = match format {
        Format::Html => extract_html_text(bytes),
        Format::Pdf => return read_pdf(bytes),
        Format::Docx => extract_docx_text(bytes),
        Format::Pptx => extract_pptx_text(bytes),
        Format::Odt => extract_odt_text(bytes),
        Format::Text => extract_plain_text(bytes),
        Format::Doc => extract_doc_text(bytes),
        Format::Rtf => extract_rtf_text(bytes),
        Format::Image(image) => return Ok(Content::Image(image)),
    };
    text.map(Content::Text)
}

/// Text cut into paragraphs at blank lines, each paragraph trimmed and its lines' trailing spaces
/// removed, empty paragraphs dropped; paragraphs separated by one blank line.
pub(crate) fn tidy_paragraphs(text: &str) -> String {
    let paragraphs = text.split("\n\n").map(|paragraph| {
        let lines: Vec<&str> = paragraph.split('\n').map(str::trim_end).collect();
        lines.join("\n").trim().to_owned()
    });
    paragraphs.filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}
