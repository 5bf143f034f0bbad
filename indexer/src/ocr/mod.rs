//! OCR: the text of scanned pages and image files, read by Tesseract with its Vietnamese model.
//!
//! Parsing (`extract`) says what is a scan: an image file, or a PDF page with no letter in its text
//! layer that draws an image. Those pages are read here, by tools run as subprocesses: `pdftoppm`
//! (poppler-utils) renders a PDF page to a greyscale PNG at [`OcrOptions::dpi`], and `tesseract IMAGE
//! stdout -l vie tsv` reads it; an image file goes to Tesseract as it is (PNG, JPEG, TIFF with all its
//! pages). The words come back with their layout numbers and confidences (see [`tsv`]) and are put
//! together in Tesseract's reading order.
//!
//! What the document keeps of it: the pages OCR read and the mean word confidence
//! ([`OcrSummary`](crate::extract::OcrSummary), stored in the index as `ocr`, `ocr_pages` and
//! `ocr_confidence`), and, in a document of several pages, a marker paragraph before each page's text,
//! `[Trang 2 – OCR]` for a page OCR read and `[Trang 1]` for one with a text layer, so that the text
//! shown on the document page says where each passage is in the original, and which passages may
//! hold OCR's misreadings. A document without its own title takes its first line.
//!
//! One file's OCR may take [`OcrOptions::timeout`] in all; past it the running tool is killed and the
//! file reported as timed out. Without Tesseract (or its Vietnamese model, or pdftoppm for PDFs) the
//! file is reported as needing OCR, with the package to install, and the run goes on; a later run
//! reads it, since a file that failed is not recorded as indexed.

mod process;
mod tsv;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::extract::{Content, Extracted, OcrSummary, Page};
use process::{run, ProcessError};
use tsv::parse_tsv;

/// Default for [`OcrOptions::timeout`].
pub const DEFAULT_OCR_TIMEOUT: Duration = Duration::from_secs(300);

/// Longest title taken from OCR text's first line.
const MAX_TITLE_CHARS: usize = 160;

/// How OCR runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrOptions {
    /// The `tesseract` program (a name looked up on the PATH, or a path).
    pub tesseract: PathBuf,
    /// The `pdftoppm` program.
    pub pdftoppm: PathBuf,
    /// Tesseract's languages, `+`-separated: `vie`, or `vie+eng` for documents mixing English.
    pub languages: String,
    /// Longest time for one file's OCR, all its pages together.
    pub timeout: Duration,
    /// Resolution PDF pages are rendered at; 300 is what Tesseract is trained for.
    pub dpi: u32,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            tesseract: PathBuf::from("tesseract"),
            pdftoppm: PathBuf::from("pdftoppm"),
            languages: "vie".to_owned(),
            timeout: DEFAULT_OCR_TIMEOUT,
            dpi: 300,
        }
    }
}

/// Why a scan could not be read. The messages are the reasons shown in a run's report.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("needs OCR: {program} not installed (Debian package {package})")]
    NotInstalled { program: String, package: &'static str },
    #[error("needs OCR: tesseract has no model for {languages} (Debian package tesseract-ocr-{first})", first = .languages.split('+').next().unwrap_or("vie"))]
    NoLanguage { languages: String },
    #[error("OCR timed out after {} s (on page {page})", .after.as_secs_f64())]
    TimedOut { after: Duration, page: u32 },
    #[error("OCR failed on page {page}: {program} exited with {status}: {message}")]
    Failed { program: String, page: u32, status: String, message: String },
    #[error("OCR found no text")]
    NoText,
    #[error("OCR: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads the scanned parts of `content` (from the file at `path`) and returns the whole document's
/// text; [`Content::Text`] is returned as it is.
pub fn read_scanned(content: Content, path: &Path, options: &OcrOptions) -> Result<Extracted, OcrError> {
    let deadline = Instant::now() + options.timeout;
    let ocr = Ocr { options, deadline };
    match content {
        Content::Text(extracted) => Ok(extracted),
        Content::Image(_) => {
            // An image file's resolution is Tesseract's to read from the file.
            let recognized = ocr.tesseract(path, None, 1)?;
            let pages = recognized.pages.iter().map(|p| p.number).collect();
            let texts = recognized.pages.into_iter().map(|p| (p.number, p.text, true)).collect();
            assemble(Extracted::default(), texts, pages, recognized.confidence_sum, recognized.words)
        }
        Content::Pages { properties, pages } => {
            let work = tempfile::tempdir()?;
            let mut texts = Vec::with_capacity(pages.len());
            let (mut ocr_pages, mut sum, mut words) = (Vec::new(), 0.0, 0);
            for (number, page) in (1u32..).zip(pages) {
                match page {
                    Page::Text(text) => texts.push((number, text, false)),
                    Page::Scanned => {
                        let image = ocr.render(path, number, work.path())?;
                        let recognized = ocr.tesseract(&image, Some(options.dpi), number)?;
                        let text = recognized.pages.into_iter().map(|p| p.text).collect::<Vec<_>>().join("\n\n");
                        sum += recognized.confidence_sum;
                        words += recognized.words;
                        ocr_pages.push(number);
                        texts.push((number, text, true));
                    }
                }
            }
            assemble(properties, texts, ocr_pages, sum, words)
        }
    }
}

/// The document from its pages' text, in page order: `(number, text, read by OCR)`.
fn assemble(
    properties: Extracted,
    pages: Vec<(u32, String, bool)>,
    ocr_pages: Vec<u32>,
    confidence_sum: f64,
    words: u32,
) -> Result<Extracted, OcrError> {
    let has_text = |text: &str| text.chars().any(char::is_alphanumeric);
    if !pages.iter().any(|(_, text, _)| has_text(text)) {
        return Err(OcrError::NoText);
    }
    let title = properties.title.clone().or_else(|| {
        let first = pages.iter().flat_map(|(_, text, _)| text.lines()).map(str::trim).find(|l| has_text(l))?;
        Some(first.chars().take(MAX_TITLE_CHARS).collect())
    });
    let several = pages.len() > 1;
    let mut body = String::new();
    for (number, text, by_ocr) in pages {
        if text.trim().is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        if several {
            body.push_str(&if by_ocr {
                format!("[Trang {number} – OCR]\n\n")
            } else {
                format!("[Trang {number}]\n\n")
            });
        }
        body.push_str(&text);
    }
    let confidence = if words == 0 { 0.0 } else { (confidence_sum / f64::from(words)) as f32 };
    Ok(Extracted { title, body, ocr: Some(OcrSummary { pages: ocr_pages, confidence }), ..properties })
}

/// The tools of one file's OCR, and its deadline.
struct Ocr<'a> {
    options: &'a OcrOptions,
    deadline: Instant,
}

impl Ocr<'_> {
    /// Renders PDF page `number` to a PNG in `dir`.
    fn render(&self, pdf: &Path, number: u32, dir: &Path) -> Result<PathBuf, OcrError> {
        let prefix = dir.join(format!("page-{number}"));
        let (number_text, dpi) = (number.to_string(), self.options.dpi.to_string());
        let args: [&OsStr; 12] = [
            "-f".as_ref(),
            number_text.as_ref(),
            "-l".as_ref(),
            number_text.as_ref(),
            "-r".as_ref(),
            dpi.as_ref(),
            "-gray".as_ref(),
            "-png".as_ref(),
            "-singlefile".as_ref(),
            "--".as_ref(),
            pdf.as_os_str(),
            prefix.as_os_str(),
        ];
        self.run(&self.options.pdftoppm, &args, "poppler-utils", number)?;
        Ok(prefix.with_extension("png"))
    }

    /// Reads an image with Tesseract.
    fn tesseract(&self, image: &Path, dpi: Option<u32>, page: u32) -> Result<tsv::Recognized, OcrError> {
        let dpi = dpi.map(|d| d.to_string());
        let mut args: Vec<&OsStr> =
            vec![image.as_os_str(), "stdout".as_ref(), "-l".as_ref(), self.options.languages.as_ref()];
        if let Some(dpi) = &dpi {
            args.extend([OsStr::new("--dpi"), OsStr::new(dpi)]);
        }
        args.push("tsv".as_ref());
        let output = self.run(&self.options.tesseract, &args, "tesseract-ocr", page).map_err(|err| match err {
            OcrError::Failed { message, .. } if message.contains("Failed loading language") => {
                OcrError::NoLanguage { languages: self.options.languages.clone() }
            }
            other => other,
        })?;
        Ok(parse_tsv(&String::from_utf8_lossy(&output)))
    }

    /// Runs one tool for `page`, by the file's deadline.
    fn run(&self, program: &Path, args: &[&OsStr], package: &'static str, page: u32) -> Result<Vec<u8>, OcrError> {
        let name =
            program.file_name().map_or_else(|| program.display().to_string(), |n| n.to_string_lossy().into_owned());
        run(program.as_os_str(), args, self.deadline).map_err(|err| match err {
            ProcessError::NotFound => OcrError::NotInstalled { program: name, package },
            ProcessError::TimedOut => OcrError::TimedOut { after: self.options.timeout, page },
            ProcessError::Failed { status, stderr } => {
                OcrError::Failed { program: name, page, status, message: stderr }
            }
            ProcessError::Io(err) => OcrError::Io(err),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_marked_and_titled() {
        let properties = Extracted { author: Some("A".into()), ..Extracted::default() };
        let pages = vec![
            (1, "Bìa báo cáo\ntiếp".to_owned(), false),
            (2, "Trang quét".to_owned(), true),
            (3, String::new(), true),
        ];
        let got = assemble(properties, pages, vec![2, 3], 180.0, 2).expect("text");
        assert_eq!(got.body, "[Trang 1]\n\nBìa báo cáo\ntiếp\n\n[Trang 2 – OCR]\n\nTrang quét");
        assert_eq!(got.title.as_deref(), Some("Bìa báo cáo"));
        assert_eq!(got.author.as_deref(), Some("A"));
        assert_eq!(got.ocr, Some(OcrSummary { pages: vec![2, 3], confidence: 90.0 }));
    }

    #[test]
    fn one_page_has_no_marker_and_a_given_title_stays() {
        let properties = Extracted { title: Some("Tiêu đề".into()), ..Extracted::default() };
        let got = assemble(properties, vec![(1, "Nội dung".into(), true)], vec![1], 0.0, 0).expect("text");
        assert_eq!((got.body.as_str(), got.title.as_deref()), ("Nội dung", Some("Tiêu đề")));
        assert!(matches!(
            assemble(Extracted::default(), vec![(1, " - ".into(), true)], vec![1], 0.0, 0),
            Err(OcrError::NoText)
        ));
    }

    #[test]
    fn missing_tools_are_reported_by_name() {
        let options = OcrOptions { tesseract: PathBuf::from("/nonexistent/tesseract"), ..OcrOptions::default() };
        let got = read_scanned(Content::Image(crate::extract::ImageFormat::Png), Path::new("x.png"), &options);
        match got {
            Err(err @ OcrError::NotInstalled { .. }) => {
                assert_eq!(err.to_string(), "needs OCR: tesseract not installed (Debian package tesseract-ocr)")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reasons_read_well() {
        let cases = [
            (
                OcrError::NoLanguage { languages: "vie+eng".into() },
                "needs OCR: tesseract has no model for vie+eng (Debian package tesseract-ocr-vie)",
            ),
            (OcrError::TimedOut { after: Duration::from_secs(300), page: 2 }, "OCR timed out after 300 s (on page 2)"),
            (OcrError::NoText, "OCR found no text"),
        ];
        for (error, reason) in cases {
            assert_eq!(error.to_string(), reason);
        }
    }
}
