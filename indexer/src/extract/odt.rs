//! OpenDocument text (`.odt`, LibreOffice Writer): the text of `content.xml`, plus title, author and
//! creation date from `meta.xml`.
//!
//! An ODT file is a zip package; `content.xml` holds the body under `office:body/office:text`. Every
//! heading (`text:h`) and paragraph (`text:p`) becomes one paragraph of the body, in document order, so
//! list items and table cells (row by row) come out in reading order. Inside a paragraph, spans and
//! links are walked into; `text:s` is one space or `text:c` of them, `text:tab` a tab and
//! `text:line-break` a line break, and other whitespace collapses to one space as ODF says. Paragraphs
//! nested in a paragraph (text boxes in `draw:frame`, footnote and endnote bodies) follow the paragraph
//! that anchors them, so its sentence is not cut in two.
//!
//! Left out, since a reader does not see it as text: tracked deletions (`text:tracked-changes` keeps
//! deleted text apart from the body; inserted text is in the body and kept), comments
//! (`office:annotation`), footnote citation marks, generated list and heading numbers, index templates,
//! frames' alternative text (`svg:title`, `svg:desc`) and embedded binary data. The package is read
//! through [`Package`], which bounds what its parts may inflate to.

use roxmltree::Node;

use crate::date::metadata_date;

use super::package::{element_text, walk_xml, Package, Properties, XmlVisitor, DUBLIN_CORE};
use super::{ExtractError, Extracted};

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

const CONTENT_PART: &str = "content.xml";
const META_PART: &str = "meta.xml";
const MIMETYPE_PART: &str = "mimetype";
/// The media types of text documents (and their templates, master documents) start with this.
const TEXT_MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";

/// `text:` elements whose whole subtree is not shown text.
const SKIPPED_TEXT: &[&str] = &[
    "tracked-changes",
    "note-citation",
    "number",
    "sequence-decls",
    "variable-decls",
    "user-field-decls",
    "dde-connection-decls",
];
/// `office:` elements whose whole subtree is not shown text.
const SKIPPED_OFFICE: &[&str] = &["annotation", "binary-data", "forms", "event-listeners"];

/// The most spaces one `text:s` gives; a hostile `text:c="4000000000"` must not allocate gigabytes.
const MAX_SPACES: usize = 100;

/// Extracts an ODT file's text, title, author and creation date; see the module docs.
pub fn extract_odt_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut package = Package::open(bytes, ExtractError::Odt)?;
    if let Some(mimetype) = package.read_part(MIMETYPE_PART)? {
        let mimetype = mimetype.trim();
        if !mimetype.starts_with(TEXT_MEDIA_TYPE) {
            return Err(package.error(format!("not a text document (mimetype {mimetype})")));
        }
    }
    let xml = package.require_part(CONTENT_PART)?;
    let content = package.parse(CONTENT_PART, &xml)?;
    let text = content
        .descendants()
        .find(|n| n.tag_name().namespace() == Some(OFFICE) && n.tag_name().name() == "text")
        .ok_or_else(|| package.error(format!("{CONTENT_PART} has no office:text: not a text document")))?;
    let body = document_text(text);
    // Metadata is a bonus: a missing or broken meta.xml does not make the text unusable.
    let properties = meta_properties(&mut package);
    Ok(Extracted { title: properties.title, body, date: properties.date, author: properties.author, ocr: None })
}

/// Title (`dc:title`), author (`meta:initial-creator`, else the last editor `dc:creator`) and creation
/// date (`meta:creation-date`) from `meta.xml`.
fn meta_properties(package: &mut Package<'_>) -> Properties {
    let Ok(Some(xml)) = package.read_part(META_PART) else { return Properties::default() };
    let Ok(meta) = roxmltree::Document::parse(&xml) else { return Properties::default() };
    Properties {
        title: element_text(&meta, DUBLIN_CORE, "title"),
        author: element_text(&meta, META, "initial-creator").or_else(|| element_text(&meta, DUBLIN_CORE, "creator")),
        date: element_text(&meta, META, "creation-date").and_then(|d| metadata_date(&d)),
    }
}

/// The shown text under `root`, paragraphs separated by "\n\n".
///
fn document_text(root: Node<'_, '_>) -> String {
    let mut text = ParagraphBuilder::default();
    walk_xml(root, &mut text);
    text.paragraphs.join("\n\n")
}

/// A paragraph being collected.
#[derive(Default)]
struct OpenParagraph {
    text: String,
    /// The text ends with a space that came from collapsed whitespace, so more whitespace adds nothing.
    collapsed_space: bool,
    /// Paragraphs nested in this one (text boxes, notes), finished, to follow it.
    nested: Vec<String>,
}

impl OpenParagraph {
    /// Appends character data, collapsing whitespace (space, tab, CR, LF) to one space and dropping it
    /// at the start of the paragraph.
    fn push_text(&mut self, data: &str) {
        for c in data.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.text.is_empty() && !self.collapsed_space {
                    self.text.push(' ');
                    self.collapsed_space = true;
                }
            } else {
                // U+00A0 (no-break space) is a space downstream, as in the other extractors.
                self.text.push(if c == '\u{A0}' { ' ' } else { c });
                self.collapsed_space = false;
            }
        }
    }

    /// Appends characters that stand as written (`text:s`, `text:tab`, `text:line-break`).
    fn push_literal(&mut self, c: char, count: usize) {
        self.text.extend(std::iter::repeat_n(c, count));
        self.collapsed_space = false;
    }
}

/// Collects paragraphs; nested paragraphs are kept until the enclosing one ends.
#[derive(Default)]
struct ParagraphBuilder {
    paragraphs: Vec<String>,
    open: Vec<OpenParagraph>,
}

impl XmlVisitor for ParagraphBuilder {
    /// Handles a node as the walk reaches it; returns whether to walk into its children.
    fn enter(&mut self, node: Node<'_, '_>) -> bool {
        if node.is_text() {
            if let (Some(open), Some(data)) = (self.open.last_mut(), node.text()) {
                open.push_text(data);
            }
            return false;
        }
        if !node.is_element() {
            return false;
        }
        let name = node.tag_name();
        match (name.namespace(), name.name()) {
            (Some(TEXT), "p" | "h") => {
                self.open.push(OpenParagraph::default());
                true
            }
            (Some(TEXT), "s") => {
                let count = node.attribute((TEXT, "c")).and_then(|c| c.trim().parse().ok()).unwrap_or(1);
                self.push_literal(' ', count.min(MAX_SPACES));
                false
            }
            (Some(TEXT), "tab") => {
                self.push_literal('\t', 1);
                false
            }
            (Some(TEXT), "line-break") => {
                self.push_literal('\n', 1);
                false
            }
            (Some(TEXT), skipped) => !(SKIPPED_TEXT.contains(&skipped) || skipped.ends_with("-source")),
            (Some(OFFICE), skipped) => !SKIPPED_OFFICE.contains(&skipped),
            (Some(SVG), "title" | "desc") => false,
            _ => true,
        }
    }

    /// Handles leaving an element whose children were walked.
    fn leave(&mut self, node: Node<'_, '_>) {
        let name = node.tag_name();
        if name.namespace() != Some(TEXT) || !matches!(name.name(), "p" | "h") {
            return;
        }
        let Some(paragraph) = self.open.pop() else { return };
        let text = paragraph.text.trim_matches(|c: char| c == ' ' || c == '\n');
        let finished = (!text.trim().is_empty()).then(|| text.to_string());
        let target = match self.open.last_mut() {
            Some(parent) => &mut parent.nested,
            None => &mut self.paragraphs,
        };
        target.extend(finished);
        target.extend(paragraph.nested);
    }
}

impl ParagraphBuilder {
    fn push_literal(&mut self, c: char, count: usize) {
        if let Some(open) = self.open.last_mut() {
            open.push_literal(c, count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::package::tests::zip_of;

    const NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
                      xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
                      xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
                      xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" \
                      xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" \
                      xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
                      xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

    fn content(text: &str) -> String {
        format!("<office:document-content {NS}><office:body><office:text>{text}</office:text></office:body></office:document-content>")
    }

    fn odt_with(text: &str) -> Vec<u8> {
        let content = content(text);
        zip_of(&[("mimetype", TEXT_MEDIA_TYPE.as_bytes()), ("content.xml", content.as_bytes())])
    }

    fn body_of(text: &str) -> String {
        extract_odt_text(&odt_with(text)).expect("valid odt").body
    }

    #[test]
    fn text_structure() {
        let cases = [
            ("<text:h text:outline-level=\"1\">Một</text:h><text:p>Hai</text:p>", "Một\n\nHai"),
            ("<text:p>Sản xuất <text:span>sạch</text:span> hơn</text:p>", "Sản xuất sạch hơn"),
            ("<text:p>a<text:s/>b<text:s text:c=\"3\"/>c</text:p>", "a b   c"),
            ("<text:p>a<text:tab/>b<text:line-break/>c</text:p>", "a\tb\nc"),
            ("<text:p>\n   Hội   thảo\n   SXSH  </text:p>", "Hội thảo SXSH"),
            ("<text:p><text:span>a </text:span> <text:span> b</text:span></text:p>", "a b"),
            ("<text:p>Hà\u{A0}Nội</text:p><text:p/><text:p> </text:p>", "Hà Nội"),
            ("<text:p><text:a xlink:href=\"http://x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">liên kết</text:a></text:p>", "liên kết"),
            (
                "<text:list><text:list-item><text:p>một</text:p></text:list-item>\
                 <text:list-item><text:p>hai</text:p><text:list><text:list-item><text:p>hai-a</text:p></text:list-item></text:list></text:list-item></text:list>",
                "một\n\nhai\n\nhai-a",
            ),
            (
                "<table:table><table:table-column table:number-columns-repeated=\"2\"/>\
                 <table:table-row><table:table-cell><text:p>A1</text:p></table:table-cell><table:table-cell><text:p>B1</text:p></table:table-cell></table:table-row>\
                 <table:table-row><table:table-cell><text:p>A2</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>",
                "A1\n\nB1\n\nA2",
            ),
            (
                "<text:section><text:p>trước <draw:frame><svg:title>ảnh</svg:title><draw:text-box><text:p>trong khung</text:p></draw:text-box></draw:frame>sau</text:p></text:section>",
                "trước sau\n\ntrong khung",
            ),
            (
                "<text:p>Điều 1<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>\
                 <text:note-body><text:p>Chú thích.</text:p></text:note-body></text:note> quy định</text:p><text:p>tiếp</text:p>",
                "Điều 1 quy định\n\nChú thích.\n\ntiếp",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(body_of(text), want, "text {text:?}");
        }
    }

    #[test]
    fn hidden_text_is_skipped() {
        let cases = [
            (
                "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>\
                 <office:change-info><dc:creator>A</dc:creator></office:change-info><text:p>đã xóa</text:p>\
                 </text:deletion></text:changed-region></text:tracked-changes><text:p>còn<text:change text:change-id=\"c1\"/> lại</text:p>",
                "còn lại",
            ),
            (
                "<text:p>văn bản<office:annotation><dc:creator>B</dc:creator><text:p>bình luận</text:p></office:annotation></text:p>",
                "văn bản",
            ),
            ("<text:h><text:number>1.</text:number>Mở đầu</text:h>", "Mở đầu"),
            (
                "<text:table-of-content><text:table-of-content-source><text:index-title-template>Mục lục</text:index-title-template>\
                 </text:table-of-content-source><text:index-body><text:p>Mở đầu</text:p></text:index-body></text:table-of-content>",
                "Mở đầu",
            ),
            ("<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls><text:p>x</text:p>", "x"),
            ("<text:p><draw:frame><draw:image><office:binary-data>iVBORw0K</office:binary-data></draw:image></draw:frame>y</text:p>", "y"),
            ("<text:p>a<text:s text:c=\"4000000000\"/>b</text:p>", &format!("a{}b", " ".repeat(MAX_SPACES))),
        ];
        for (text, want) in cases {
            assert_eq!(body_of(text), want, "text {text:?}");
        }
    }

    #[test]
    fn meta_gives_title_author_and_date() {
        let meta = |fields: &str| {
            format!("<office:document-meta {NS}><office:meta>{fields}</office:meta></office:document-meta>")
        };
        let cases = [
            (
                meta("<dc:title>Báo cáo  SXSH</dc:title><meta:initial-creator>Trần Văn Minh</meta:initial-creator>\
                      <dc:creator>Người sửa</dc:creator><meta:creation-date>2024-05-22T08:15:00.123</meta:creation-date>"),
                (Some("Báo cáo SXSH"), Some("Trần Văn Minh"), Some("2024-05-22")),
            ),
            (meta("<dc:creator>Người sửa</dc:creator>"), (None, Some("Người sửa"), None)),
            (meta("<meta:creation-date>không rõ</meta:creation-date>"), (None, None, None)),
            ("<broken".to_string(), (None, None, None)),
        ];
        let content = content("<text:p>x</text:p>");
        for (meta, (title, author, date)) in cases {
            let bytes = zip_of(&[("content.xml", content.as_bytes()), ("meta.xml", meta.as_bytes())]);
            let got = extract_odt_text(&bytes).expect("valid odt");
            assert_eq!(
                (got.title.as_deref(), got.author.as_deref(), got.date.as_deref()),
                (title, author, date),
                "{meta}"
            );
        }
    }

    #[test]
    fn broken_packages_are_errors() {
        let spreadsheet = "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\">\
            <office:body><office:spreadsheet/></office:body></office:document-content>";
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("not a zip", b"PK\x03\x04 but no".to_vec(), "not a zip archive"),
            ("empty", Vec::new(), "not a zip archive"),
            ("no content", zip_of(&[("mimetype", TEXT_MEDIA_TYPE.as_bytes())]), "no content.xml in the package"),
            ("bad xml", zip_of(&[("content.xml", b"<office:document-content>")]), "content.xml: "),
            (
                "a spreadsheet",
                zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]),
                "not a text document (mimetype application/vnd.oasis.opendocument.spreadsheet)",
            ),
            ("no office:text", zip_of(&[("content.xml", spreadsheet.as_bytes())]), "has no office:text"),
        ];
        for (label, bytes, want) in cases {
            match extract_odt_text(&bytes) {
                Err(err @ ExtractError::Odt(_)) => {
                    let message = err.to_string();
                    assert!(message.starts_with("not a valid ODT: ") && message.contains(want), "{label}: {message}");
                }
                other => panic!("{label}: expected an Odt error, got {other:?}"),
            }
        }
    }
}
