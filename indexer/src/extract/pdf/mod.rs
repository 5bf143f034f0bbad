//! PDF files: the text layer, page by page, plus title, author and creation date from the Info dictionary.
//!
//! lopdf parses the file (objects, streams, decryption with the empty user password), but its own
//! `extract_text` starts a new line at every `ET` and ignores glyph positions, which on the laws'
//! LibreOffice PDFs splits words ("CỘNG HÒA X" / "Ã HỘI") and list numbers from their text ("3" /
//! ". Công nghệ"). So this module reads the text itself, in four steps, one file each:
//!
//! - [`content`] walks each page's content streams, following the text and graphics state, and places
//!   every glyph in device space;
//! - [`font`] says how a font's strings split into codes, what each code means (through [`cmap`], the
//!   ToUnicode CMaps, or the font's simple encoding) and how far each glyph advances;
//! - [`layout`] decides from where each glyph lands what separates it from the previous one (nothing, a
//!   space, a line break or a paragraph break) and keeps the lines page by page;
//! - [`furniture`] drops running headers, footers and page numbers from those pages and joins words
//!   hyphenated at a line end.
//!
//! This file is the entry point: loading, the page loop, and the Info dictionary's strings.
//!
//! Password-protected files are reported as [`ExtractError::PdfEncrypted`]; files encrypted only
//! against editing (empty user password) open as they do in any viewer. A file whose text has no
//! letter at all is [`ExtractError::PdfNoText`] when read without OCR; [`read_pdf`] tells the pages
//! that have no letter but draw an image (scans) from the others, for OCR to read them. lopdf is run under `catch_unwind`, since a malformed file must cost only itself.

mod cmap;
mod content;
mod font;
mod furniture;
mod layout;

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::Document;

use super::{Content, ExtractError, Extracted, Page};
use crate::date::pdf_date;
use crate::isolate::panic_message;
use content::{ContentError, Walker};

/// The most decompressed content read from one page's (or form's) content streams, or for one font's
/// encoding.
const MAX_STREAM_SIZE: usize = 64 * 1024 * 1024;

/// Extracts a PDF's text layer, title and creation date; see the module docs. Pages without a text
/// layer are left out; a file of such pages only is [`ExtractError::PdfNoText`].
pub fn extract_pdf_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    super::extract(super::Format::Pdf, bytes)
}

/// A PDF's text layer, page by page, and its properties: [`Content::Text`] when every page has text or
/// draws no image, else [`Content::Pages`], with the scanned pages (no letter, an image drawn) marked
/// for OCR.
pub fn read_pdf(bytes: &[u8]) -> Result<Content, ExtractError> {
    guarded(|| read(bytes))
}

/// Runs `f`, turning a panic into an error. The closures passed here only read their input, so
/// nothing they touch is left half-updated by a panic.
fn guarded<T>(f: impl FnOnce() -> Result<T, ExtractError>) -> Result<T, ExtractError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|panic| Err(ExtractError::Pdf(format!("parser panicked: {}", panic_message(&*panic)))))
}

fn read(bytes: &[u8]) -> Result<Content, ExtractError> {
    let document = load(bytes)?;
    let (pages, first_error) = document_pages(&document)?;
    let has_letters = |text: &str| text.chars().any(char::is_alphabetic);
    let properties = Extracted {
        title: info_string(&document, b"Title").and_then(|t| clean_title(&t)),
        date: info_string(&document, b"CreationDate").and_then(|d| pdf_date(&d)),
        author: info_string(&document, b"Author").and_then(|a| clean_title(&a)),
        ..Extracted::default()
    };
    let scanned = |(text, image): &WalkedPage| *image && !has_letters(text);
    if pages.iter().any(scanned) {
        let pages =
            pages.into_iter().map(|page| if scanned(&page) { Page::Scanned } else { Page::Text(page.0) }).collect();
        return Ok(Content::Pages { properties, pages });
    }
    let body = pages.into_iter().map(|(text, _)| text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
    if !has_letters(&body) {
        // No text because pages could not be read is damage, not a scan.
        return Err(first_error.map_or(ExtractError::PdfNoText, |err| ExtractError::Pdf(err.to_string())));
    }
    Ok(Content::Text(Extracted { body, ..properties }))
}

fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    match Document::load_mem(bytes) {
        // lopdf leaves `/Encrypt` in the trailer when the empty user password did not open the file.
        Ok(document) if document.is_encrypted() => Err(ExtractError::PdfEncrypted),
        Ok(document) => Ok(document),
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => Err(ExtractError::PdfEncrypted),
        Err(err) => Err(ExtractError::Pdf(error_chain(&err))),
    }
}

/// An error and its sources, since lopdf's top-level messages ("couldn't parse input") say little.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A text string from the Info dictionary, decoded from PDFDocEncoding or UTF-16BE.
fn info_string(document: &Document, key: &[u8]) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    let value = info.as_dict().ok()?.get_deref(key, document).ok()?;
    lopdf::decode_text_string(value).ok()
}

/// A title with control characters dropped and whitespace collapsed; `None` if nothing is left.
fn clean_title(title: &str) -> Option<String> {
    let title = title.replace(|c: char| c.is_control(), " ");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// A page's text layer, and whether the page draws an image.
type WalkedPage = (String, bool);

/// A page that could not be read, or not all of it.
#[derive(Debug, thiserror::Error)]
#[error("page {number}: {error}")]
struct PageError {
    number: u32,
    error: ContentError,
}

/// The text of every page in page order, with whether it draws an image, and the first error met on
/// the way: a damaged page costs only that page.
fn document_pages(document: &Document) -> Result<(Vec<WalkedPage>, Option<PageError>), ExtractError> {
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Pdf("the document has no pages".to_string()));
    }
    let mut walker = Walker::new(document);
    let mut first_error = None;
    for (number, page_id) in pages {
        if let Err(err) = walker.page(page_id) {
            first_error.get_or_insert(PageError { number, error: err });
        }
    }
    Ok((walker.finish(), first_error))
}

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Dictionary, EncryptionState, EncryptionVersion, Object, Permissions, Stream};

    use super::*;

    fn op(operator: &str, operands: Vec<Object>) -> Operation {
        Operation::new(operator, operands)
    }

    fn text(bytes: &[u8]) -> Object {
        Object::string_literal(bytes.to_vec())
    }

    /// A simple WinAnsi font whose glyphs are all half an em wide, so positions are easy to reckon:
    /// at size 10, every glyph advances 5 units.
    fn simple_font(doc: &mut Document) -> Object {
        let widths: Vec<Object> = (32..=255).map(|_| Object::Integer(500)).collect();
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "BaseFont" => "Test",
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths,
            "Encoding" => "WinAnsiEncoding",
        })
        .into()
    }

    /// A composite font with 2-byte codes and a ToUnicode CMap, as LibreOffice and Word embed for
    /// Vietnamese text: code 1 = "Đ", 2 = "i", 3 = "ề" (decomposed, as some files have it), 4 = "u",
    /// 5 = space; all 500 wide but the space, 250.
    fn composite_font(doc: &mut Document) -> Object {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0001> <0110> <0003> <00EA0300> endbfchar\n\
            1 beginbfrange <0004> <0005> [<0075> <0020>] endbfrange\n\
            1 beginbfrange <0002> <0002> <0069> endbfrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "Test",
            "DW" => 500,
            "W" => vec![5.into(), vec![250.into()].into()],
        });
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "Test",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
            "ToUnicode" => to_unicode,
        })
        .into()
    }

    struct TestPdf {
        font: fn(&mut Document) -> Object,
        pages: Vec<Vec<Operation>>,
        info: Option<Dictionary>,
        /// The page's XObjects: name and content of a form.
        forms: Vec<(&'static str, Vec<Operation>)>,
    }

    impl TestPdf {
        fn new(pages: Vec<Vec<Operation>>) -> Self {
            TestPdf { font: simple_font, pages, info: None, forms: Vec::new() }
        }

        fn document(self) -> Document {
            let mut doc = Document::with_version("1.5");
            let pages_id = doc.new_object_id();
            let font = (self.font)(&mut doc);
            let mut xobjects = Dictionary::new();
            for (name, operations) in self.forms {
                let content = Content { operations }.encode().expect("encode form");
                let bbox: Vec<Object> = vec![0.into(), 0.into(), 600.into(), 800.into()];
                let dict = dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox };
                xobjects.set(name, doc.add_object(Stream::new(dict, content)));
            }
            let resources =
                doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects });
            let mut kids = Vec::new();
            for operations in self.pages {
                let content = Content { operations }.encode().expect("encode page");
                let content_id = doc.add_object(Stream::new(dictionary! {}, content));
                let page =
                    doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
                kids.push(page.into());
            }
            let count = kids.len() as i64;
            let pages = dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            };
            doc.objects.insert(pages_id, Object::Dictionary(pages));
            let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
            doc.trailer.set("Root", catalog);
            if let Some(info) = self.info {
                let info = doc.add_object(info);
                doc.trailer.set("Info", info);
            }
            doc
        }

        fn bytes(self) -> Vec<u8> {
            save(&mut self.document())
        }
    }

    fn save(doc: &mut Document) -> Vec<u8> {
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("save");
        bytes
    }

    /// `BT /F1 10 Tf x y Td … ET`
    fn at(x: i64, y: i64, shown: Vec<Operation>) -> Vec<Operation> {
        let mut ops =
            vec![op("BT", vec![]), op("Tf", vec!["F1".into(), 10.into()]), op("Td", vec![x.into(), y.into()])];
        ops.extend(shown);
        ops.push(op("ET", vec![]));
        ops
    }

    fn tj(bytes: &[u8]) -> Operation {
        op("Tj", vec![text(bytes)])
    }

    fn body(pdf: TestPdf) -> String {
        match extract_pdf_text(&pdf.bytes()) {
            Ok(extracted) => extracted.body,
            Err(err) => format!("error: {err}"),
        }
    }

    #[test]
    fn glyph_positions_decide_separators() {
        let cases: Vec<(&str, Vec<Operation>, &str)> = vec![
            ("one string", at(50, 700, vec![tj(b"Xin ch\xE0o")]), "Xin chào"),
            (
                "small TJ kerning stays inside a word",
                at(
                    50,
                    700,
                    vec![op("TJ", vec![vec![text(b"Chu"), 30.into(), text(b"y"), (-40).into(), text(b"en")].into()])],
                ),
                "Chuyen",
            ),
            (
                "a TJ gap of 0.3 em is a space",
                at(50, 700, vec![op("TJ", vec![vec![text(b"Hai"), (-300).into(), text(b"ba")].into()])]),
                "Hai ba",
            ),
            (
                "a line move is a line break",
                at(50, 700, vec![tj(b"mot"), op("Td", vec![0.into(), (-12).into()]), tj(b"hai")]),
                "mot\nhai",
            ),
            (
                "a move of three lines is a paragraph break",
                at(50, 700, vec![tj(b"mot"), op("Td", vec![0.into(), (-30).into()]), tj(b"hai")]),
                "mot\n\nhai",
            ),
            (
                "T* moves by the leading",
                at(50, 700, vec![op("TL", vec![12.into()]), tj(b"mot"), op("T*", vec![]), tj(b"hai")]),
                "mot\nhai",
            ),
            (
                "' moves then shows",
                at(50, 700, vec![op("TD", vec![0.into(), (-12).into()]), tj(b"mot"), op("'", vec![text(b"hai")])]),
                "mot\nhai",
            ),
            (
                "a word split across text objects on one baseline is rejoined",
                [at(50, 700, vec![tj(b"X")]), at(55, 700, vec![tj(b"A")])].concat(),
                "XA",
            ),
            (
                "text objects apart on one baseline are words",
                [at(50, 700, vec![tj(b"X")]), at(70, 700, vec![tj(b"A")])].concat(),
                "X A",
            ),
            (
                "a superscript stays on its line",
                at(
                    50,
                    700,
                    vec![
                        tj(b"m"),
                        op("Td", vec![5.into(), 3.into()]),
                        tj(b"2"),
                        op("Td", vec![5.into(), (-3).into()]),
                        tj(b"x"),
                    ],
                ),
                "m2x",
            ),
            ("letter spacing is not word spacing", at(50, 700, vec![op("Tc", vec![4.into()]), tj(b"LUAT")]), "LUAT"),
            ("word spacing widens only spaces", at(50, 700, vec![op("Tw", vec![6.into()]), tj(b"a b")]), "a b"),
            (
                "Tm places text absolutely",
                vec![
                    op("BT", vec![]),
                    op("Tf", vec!["F1".into(), 1.into()]),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 50.into(), 700.into()]),
                    tj(b"ab"),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 60.into(), 700.into()]),
                    tj(b"cd"),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 50.into(), 688.into()]),
                    tj(b"ef"),
                    op("ET", vec![]),
                ],
                "abcd\nef",
            ),
            (
                "cm scales positions and sizes alike",
                [
                    vec![op("q", vec![]), op("cm", vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()])],
                    at(25, 350, vec![tj(b"ab"), op("Td", vec![0.into(), (-12).into()]), tj(b"cd")]),
                    vec![op("Q", vec![])],
                ]
                .concat(),
                "ab\ncd",
            ),
            ("a digit-and-letter mix", at(50, 700, vec![tj(b"Lu\xE2t 07/2017")]), "Luât 07/2017"),
        ];
        for (label, operations, want) in cases {
            assert_eq!(body(TestPdf::new(vec![operations])), want, "{label}");
        }
    }

    #[test]
    fn pages_are_paragraphs_in_page_order() {
        let pdf = TestPdf::new(vec![at(50, 700, vec![tj(b"trang mot")]), at(50, 700, vec![tj(b"trang hai")])]);
        assert_eq!(body(pdf), "trang mot\n\ntrang hai");
    }

    #[test]
    fn page_furniture_is_dropped_and_hyphenation_undone() {
        let subjects = ["nuoc thai", "khi thai", "chat thai ran", "tieng on"];
        let pages: Vec<Vec<Operation>> = (1..=4)
            .map(|n| {
                let subject = subjects[n - 1];
                [
                    at(50, 780, vec![tj(b"So Cong Thuong - Tai lieu SXSH")]),
                    at(
                        50,
                        700,
                        vec![tj(subject.as_bytes()), op("Td", vec![0.into(), (-12).into()]), tj(b"the manage-")],
                    ),
                    at(50, 676, vec![tj(format!("ment of {subject}").as_bytes())]),
                    at(300, 30, vec![tj(format!("Trang {n}/4").as_bytes())]),
                ]
                .concat()
            })
            .collect();
        let want = subjects.map(|subject| format!("{subject}\nthe management of {subject}"));
        assert_eq!(body(TestPdf::new(pages)), want.join("\n\n"));
    }

    #[test]
    fn a_short_document_loses_only_its_page_numbers() {
        let page = |n: i64| [at(50, 700, vec![tj(b"Tieu de")]), at(300, 30, vec![tj(format!("- {n} -").as_bytes())])];
        assert_eq!(body(TestPdf::new(vec![page(1).concat(), page(2).concat()])), "Tieu de\n\nTieu de");
    }

    #[test]
    fn form_xobjects_are_drawn() {
        let mut pdf =
            TestPdf::new(vec![[at(50, 700, vec![tj(b"trang")]), vec![op("Do", vec!["Fm1".into()])]].concat()]);
        pdf.forms.push(("Fm1", at(50, 650, vec![tj(b"trong form")])));
        assert_eq!(body(pdf), "trang\n\ntrong form");
    }

    #[test]
    fn composite_fonts_decode_through_to_unicode() {
        let mut pdf =
            TestPdf::new(vec![at(50, 700, vec![tj(b"\x00\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00\x01\x00\x02")])]);
        pdf.font = composite_font;
        assert_eq!(body(pdf), "Điê\u{300}u Đi");
    }

    #[test]
    fn title_and_date_from_info() {
        let cases: Vec<(Dictionary, Option<&str>, Option<&str>)> = vec![
            (
                dictionary! {
                    "Title" => lopdf::text_string("Luật An ninh mạng"),
                    "CreationDate" => Object::string_literal("D:20180612093000+07'00'"),
                },
                Some("Luật An ninh mạng"),
                Some("2018-06-12"),
            ),
            (
                dictionary! {
                    "Title" => Object::string_literal("  Plain  title "),
                    "CreationDate" => Object::string_literal("20180612"),
                },
                Some("Plain title"),
                Some("2018-06-12"),
            ),
            (
                dictionary! {
                    "Title" => Object::string_literal(""),
                    "CreationDate" => Object::string_literal("D:2018"),
                },
                None,
                None,
            ),
            (dictionary! {}, None, None),
        ];
        for (info, title, date) in cases {
            let mut pdf = TestPdf::new(vec![at(50, 700, vec![tj(b"x")])]);
            pdf.info = Some(info.clone());
            let got = extract_pdf_text(&pdf.bytes()).expect("readable");
            assert_eq!((got.title.as_deref(), got.date.as_deref()), (title, date), "info {info:?}");
        }
    }

    #[test]
    fn files_without_readable_text_are_errors() {
        let digits_only = TestPdf::new(vec![at(50, 700, vec![tj(b"12 34")])]).bytes();
        let no_text =
            TestPdf::new(vec![vec![op("re", vec![0.into(), 0.into(), 10.into(), 10.into()]), op("f", vec![])]]).bytes();
        let no_font = TestPdf::new(vec![vec![op("BT", vec![]), tj(b"lost"), op("ET", vec![])]]).bytes();
        let mut truncated = digits_only.clone();
        truncated.truncate(40);
        type Case = (&'static str, Vec<u8>, fn(&ExtractError) -> bool);
        let cases: Vec<Case> = vec![
            ("digits only", digits_only, |e| matches!(e, ExtractError::PdfNoText)),
            ("no text operators", no_text, |e| matches!(e, ExtractError::PdfNoText)),
            ("text without a font", no_font, |e| matches!(e, ExtractError::PdfNoText)),
            ("empty file", Vec::new(), |e| matches!(e, ExtractError::Pdf(_))),
            ("not a PDF", b"<html>hello</html>".to_vec(), |e| matches!(e, ExtractError::Pdf(_))),
            ("truncated", truncated, |e| matches!(e, ExtractError::Pdf(_))),
        ];
        for (label, bytes, expected) in cases {
            match extract_pdf_text(&bytes) {
                Err(err) => assert!(expected(&err), "{label}: unexpected error {err:?}"),
                Ok(got) => panic!("{label}: expected an error, got {got:?}"),
            }
        }
    }

    fn encrypted(user_password: &str) -> Vec<u8> {
        let mut doc = TestPdf::new(vec![at(50, 700, vec![tj(b"bi mat")])]).document();
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::PRINTABLE,
        };
        let state = EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        save(&mut doc)
    }

    #[test]
    fn password_protected_files_are_refused() {
        assert!(matches!(extract_pdf_text(&encrypted("secret")), Err(ExtractError::PdfEncrypted)));
    }

    #[test]
    fn files_with_an_empty_user_password_open() {
        assert_eq!(extract_pdf_text(&encrypted("")).expect("opens").body, "bi mat");
    }

    #[test]
    fn panics_become_errors() {
        let got = guarded::<()>(|| panic!("boom"));
        assert!(matches!(got, Err(ExtractError::Pdf(ref m)) if m == "parser panicked: boom"), "{got:?}");
    }
}
