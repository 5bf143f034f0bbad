//! Word documents (`.docx`): the text of the main document part, plus title and creation date from
//! the package's core properties.
//!
//! A DOCX file is a zip package of XML parts. The text is the `w:t` runs of the main part (found
//! through the package relationships, normally `word/document.xml`) in document order, so table
//! cells come out in reading order, row by row. Each paragraph (`w:p`, including those in table
//! cells and text boxes) becomes one paragraph of the body; `w:tab` is a tab and `w:br`/`w:cr` a line
//! break. Text that Word does not show is left out: deleted revisions (`w:delText`, `w:moveFrom`),
//! field instructions (`w:instrText`, e.g. `HYPERLINK "…"`, while the field's displayed result is
//! kept), property blocks, and the fallback copy of `mc:AlternateContent`, which would duplicate
//! text boxes.
//!
//! The zip is untrusted: parts are read through [`Package`], which bounds what they may inflate to,
//! so a zip bomb costs at most that much memory.

use roxmltree::Node;

use super::package::{walk_xml, Package, XmlVisitor};
use super::{ExtractError, Extracted};

/// WordprocessingML's namespace, transitional and strict.
const W_NAMESPACES: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MARKUP_COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The main part when the package relationships do not name one.
const DEFAULT_MAIN_PART: &str = "word/document.xml";

/// WordprocessingML elements whose whole subtree is not shown text.
const SKIPPED_W: &[&str] = &[
    "delText",
    "instrText",
    "moveFrom",
    "pPr",
    "rPr",
    "sectPr",
    "tblPr",
    "tcPr",
    "trPr",
    "sdtPr",
    "tblGrid",
    "fldData",
];

/// Extracts a DOCX file's text, title, author and creation date; see the module docs.
pub fn extract_docx_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut package = Package::open(bytes, ExtractError::Docx)?;
    let (main_part, xml) = read_main_part(&mut package)?;
    let document = package.parse(&main_part, &xml)?;
    let body = document_text(document.root_element());
    // Metadata is a bonus: a missing or broken core.xml does not make the text unusable.
    let properties = package.core_properties();
    Ok(Extracted { title: properties.title, body, date: properties.date, author: properties.author, ocr: None })
}

/// The main document part's name and text: the part the package relationships name, else
/// `word/document.xml`.
fn read_main_part(package: &mut Package<'_>) -> Result<(String, String), ExtractError> {
    let named = package.office_document().filter(|name| name != DEFAULT_MAIN_PART);
    for name in named.into_iter().chain([DEFAULT_MAIN_PART.to_string()]) {
        if let Some(xml) = package.read_part(&name)? {
            return Ok((name, xml));
        }
    }
    Err(package.error(format!("no {DEFAULT_MAIN_PART} in the package")))
}

/// The shown text under `root`, paragraphs separated by "\n\n".
///
fn document_text(root: Node<'_, '_>) -> String {
    let mut text = ParagraphBuilder::default();
    walk_xml(root, &mut text);
    text.finish()
}

/// Collects runs into paragraphs.
#[derive(Default)]
struct ParagraphBuilder {
    paragraphs: Vec<String>,
    current: String,
}

impl XmlVisitor for ParagraphBuilder {
    /// Handles an element as the walk reaches it; returns whether to walk into its children.
    fn enter(&mut self, node: Node<'_, '_>) -> bool {
        if !node.is_element() {
            return false;
        }
        let name = node.tag_name();
        if name.namespace() == Some(MARKUP_COMPATIBILITY) {
            // `mc:Choice` holds the shown content, `mc:Fallback` a copy for old readers.
            return name.name() != "Fallback";
        }
        if !name.namespace().is_some_and(|ns| W_NAMESPACES.contains(&ns)) {
            return true;
        }
        match name.name() {
            "t" => self.push_run_text(node),
            "tab" | "ptab" => self.current.push('\t'),
            "br" | "cr" => self.current.push('\n'),
            "noBreakHyphen" => self.current.push('-'),
            "p" => self.end_paragraph(),
            skipped if SKIPPED_W.contains(&skipped) => {}
            _ => return true,
        }
        // Paragraphs are walked into; the other handled elements have no text below them.
        name.name() == "p"
    }

    /// Handles leaving an element whose children were walked.
    fn leave(&mut self, node: Node<'_, '_>) {
        let name = node.tag_name();
        if name.name() == "p" && name.namespace().is_some_and(|ns| W_NAMESPACES.contains(&ns)) {
            self.end_paragraph();
        }
    }
}

impl ParagraphBuilder {
    fn push(&mut self, text: &str) {
        // Word uses U+00A0 between "Điều" and its number and in dates; downstream it is a space.
        self.current.extend(text.chars().map(|c| if c == '\u{A0}' { ' ' } else { c }));
    }

    /// Pushes a `w:t`'s text, converted to Unicode when its run is in a legacy Vietnamese font (TCVN3
    /// `.VnTime`, VNI `VNI-Times`): Word keeps such runs as the font's bytes read as Windows-1252, so
    /// "Việt" is stored as "ViÖt".
    fn push_run_text(&mut self, t: Node<'_, '_>) {
        let text = t.text().unwrap_or_default();
        match run_font(t).and_then(|font| super::legacy::convert_font_text(font, text)) {
            Some(converted) => self.push(&converted),
            None => self.push(text),
        }
    }

    /// Closes the paragraph being collected; also called when a paragraph starts, since a text box's
    /// paragraphs sit inside the paragraph that anchors it.
    fn end_paragraph(&mut self) {
        let paragraph = self.current.trim_matches(|c: char| c == ' ' || c == '\n');
        if !paragraph.trim().is_empty() {
            self.paragraphs.push(paragraph.to_string());
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n")
    }
}

/// The font of a `w:t`'s run as its own properties give it (`w:rPr/w:rFonts`): `w:hAnsi`, the font Word
/// shows characters above ASCII in, else `w:ascii`. Style and document defaults are not consulted.
fn run_font<'a>(t: Node<'a, '_>) -> Option<&'a str> {
    let run = t.parent().filter(|parent| parent.tag_name().name() == "r")?;
    let properties = run.children().find(|child| child.tag_name().name() == "rPr")?;
    let fonts = properties.children().find(|child| child.tag_name().name() == "rFonts")?;
    let font = |name: &str| fonts.attributes().find(|a| a.name() == name).map(|a| a.value());
    font("hAnsi").or_else(|| font("ascii"))
}

#[cfg(test)]
mod tests {
    use zip::CompressionMethod;

    use super::*;
    use crate::extract::package::tests::{zip_of, zip_with};
    use crate::extract::package::MAX_PART_SIZE;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                     xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    fn docx_with_body(body: &str) -> Vec<u8> {
        let xml = format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>");
        zip_of(&[("word/document.xml", xml.as_bytes())])
    }

    fn body_of(body: &str) -> String {
        extract_docx_text(&docx_with_body(body)).expect("valid docx").body
    }

    #[test]
    fn text_structure() {
        let cases = [
            ("<w:p><w:r><w:t>Một</w:t></w:r></w:p><w:p><w:r><w:t>Hai</w:t></w:r></w:p>", "Một\n\nHai"),
            (
                "<w:p><w:r><w:t xml:space=\"preserve\">Điều </w:t></w:r><w:r><w:t>1.</w:t></w:r></w:p>",
                "Điều 1.",
            ),
            ("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>", "a\tb"),
            ("<w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t><w:cr/><w:t>c</w:t></w:r></w:p>", "a\nb\nc"),
            ("<w:p><w:r><w:t>Hà\u{A0}Nội</w:t></w:r></w:p>", "Hà Nội"),
            ("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>", "x"),
            (
                "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr>\
                 <w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
                "A1\n\nB1\n\nA2",
            ),
            (
                "<w:p><w:hyperlink><w:r><w:t>liên kết</w:t></w:r></w:hyperlink></w:p>",
                "liên kết",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(body_of(body), want, "body {body:?}");
        }
    }

    #[test]
    fn hidden_text_is_skipped() {
        let cases = [
            (
                "<w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:ins><w:r><w:t>mới</w:t></w:r></w:ins></w:p>",
                "mới",
            ),
            (
                "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> HYPERLINK \"http://x\" </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Hiến pháp</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>",
                "Hiến pháp",
            ),
            (
                "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t>a</w:t></w:r></w:p>",
                "a",
            ),
            (
                "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>hộp</w:t></mc:Choice><mc:Fallback><w:t>hộp</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>",
                "hộp",
            ),
            ("<w:p><w:moveFrom><w:r><w:t>đi</w:t></w:r></w:moveFrom><w:r><w:t>x</w:t></w:r></w:p>", "x"),
        ];
        for (body, want) in cases {
            assert_eq!(body_of(body), want, "body {body:?}");
        }
    }

    #[test]
    fn core_properties_give_title_and_date() {
        let core = "<?xml version=\"1.0\"?><cp:coreProperties \
            xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
            xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
            <dc:title>Luật  Chuyển giao công nghệ</dc:title>\
            <dcterms:created>2017-06-19T08:00:00Z</dcterms:created></cp:coreProperties>";
        let document = format!("<w:document {W}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip_of(&[("word/document.xml", document.as_bytes()), ("docProps/core.xml", core.as_bytes())]);
        let got = extract_docx_text(&bytes).expect("valid docx");
        assert_eq!(got.title.as_deref(), Some("Luật Chuyển giao công nghệ"));
        assert_eq!(got.date.as_deref(), Some("2017-06-19"));

        let without = extract_docx_text(&docx_with_body("<w:p><w:r><w:t>x</w:t></w:r></w:p>")).expect("valid");
        assert_eq!((without.title, without.date), (None, None));
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let xml = format!("\u{FEFF}<w:document {W}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
        assert_eq!(extract_docx_text(&bytes).expect("valid docx").body, "x");
    }

    #[test]
    fn main_part_comes_from_relationships() {
        let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
            Target=\"/word/document2.xml\"/></Relationships>";
        let document = format!("<w:document {W}><w:body><w:p><w:r><w:t>hai</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip_of(&[("_rels/.rels", rels.as_bytes()), ("word/document2.xml", document.as_bytes())]);
        assert_eq!(extract_docx_text(&bytes).expect("valid docx").body, "hai");
    }

    #[test]
    fn broken_packages_are_errors() {
        let oversized = vec![b' '; (MAX_PART_SIZE + 1) as usize];
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("not a zip", b"PK\x03\x04 but no".to_vec(), "not a zip archive"),
            ("empty", Vec::new(), "not a zip archive"),
            ("no document part", zip_of(&[("other.xml", b"<a/>")]), "no word/document.xml"),
            ("bad xml", zip_of(&[("word/document.xml", b"<w:document>")]), "word/document.xml"),
            ("not utf-8", zip_of(&[("word/document.xml", b"<a>\xFF</a>")]), "not UTF-8"),
            (
                "too large",
                // Stored, not deflated: compressing 64 MiB in a debug build would be slow.
                zip_with(CompressionMethod::Stored, &[("word/document.xml", &oversized)]),
                "larger than 64 MiB",
            ),
        ];
        for (label, bytes, want) in cases {
            match extract_docx_text(&bytes) {
                Err(ExtractError::Docx(reason)) => assert!(reason.contains(want), "{label}: {reason}"),
                other => panic!("{label}: expected a Docx error, got {other:?}"),
            }
        }
    }
}
