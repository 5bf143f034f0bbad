//! Zip packages, shared by the DOCX, PPTX and ODT extractors: bounded reading of parts, package
//! relationships (Office Open XML's `_rels/*.rels`) and the OOXML core properties.
//!
//! The zip is untrusted: a part is refused when its declared size or the bytes actually inflated exceed
//! [`MAX_PART_SIZE`], and the parts read from one package together may inflate to at most
//! [`MAX_PACKAGE_SIZE`], so a zip bomb (one huge part, or thousands of slides each just under the limit)
//! costs at most that much memory. XML is parsed by roxmltree, which refuses DTDs, so entity expansion
//! ("billion laughs") cannot happen either.

use std::io::{Cursor, Read};

use roxmltree::{Document, Node};
use zip::result::ZipError;
use zip::ZipArchive;

use crate::date::metadata_date;

use super::ExtractError;

/// The largest part read, uncompressed. Real documents' main parts are a few MiB at most.
pub(crate) const MAX_PART_SIZE: u64 = 64 * 1024 * 1024;

/// The most bytes inflated from one package's parts together (a deck's slides and notes).
pub(crate) const MAX_PACKAGE_SIZE: u64 = 4 * MAX_PART_SIZE;

pub(crate) const DUBLIN_CORE: &str = "http://purl.org/dc/elements/1.1/";
const DC_TERMS: &str = "http://purl.org/dc/terms/";
const CORE_PROPERTIES_PART: &str = "docProps/core.xml";

/// The attribute `r:id` and friends, transitional and strict.
pub(crate) const RELATIONSHIP_NAMESPACES: &[&str] = &[
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
];

/// An opened zip package whose errors are reported as one format's [`ExtractError`].
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    error: fn(String) -> ExtractError,
    /// What may still be inflated from this package, starting at [`MAX_PACKAGE_SIZE`].
    remaining: u64,
}

/// One relationship of a part: `Id`, `Type` and the target as a part name (resolved against the source
/// part's folder). External targets (hyperlinks) are not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relationship {
    pub id: String,
    pub kind: String,
    pub target: String,
}

/// The document properties a package's metadata gives; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Properties {
    pub title: Option<String>,
    pub author: Option<String>,
    /// As `YYYY-MM-DD`.
    pub date: Option<String>,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip archive; `error` makes this format's error from a reason.
    pub(crate) fn open(bytes: &'a [u8], error: fn(String) -> ExtractError) -> Result<Self, ExtractError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|err| error(format!("not a zip archive: {err}")))?;
        Ok(Package { archive, error, remaining: MAX_PACKAGE_SIZE })
    }

    /// This format's error for `reason`.
    pub(crate) fn error(&self, reason: String) -> ExtractError {
        (self.error)(reason)
    }

    /// Reads one part as UTF-8 text (without a byte order mark); `None` if the package has no such part.
    pub(crate) fn read_part(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        let error = self.error;
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(err) => return Err(error(format!("{name}: {err}"))),
        };
        let too_large = || error(format!("{name} is larger than {} MiB", MAX_PART_SIZE >> 20));
        let budget = self.remaining;
        let over_budget = || error(format!("the package's parts inflate to more than {} MiB", MAX_PACKAGE_SIZE >> 20));
        if file.size() > MAX_PART_SIZE {
            return Err(too_large());
        }
        if file.size() > budget {
            return Err(over_budget());
        }
        // The declared size can lie, so the read itself is bounded too.
        let limit = MAX_PART_SIZE.min(budget);
        let mut bytes = Vec::new();
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|err| error(format!("{name}: {err}")))?;
        self.remaining = self.remaining.saturating_sub(bytes.len() as u64);
        if bytes.len() as u64 > MAX_PART_SIZE {
            return Err(too_large());
        }
        if bytes.len() as u64 > limit {
            return Err(over_budget());
        }
        let mut text = String::from_utf8(bytes).map_err(|_| error(format!("{name} is not UTF-8")))?;
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        Ok(Some(text))
    }

    /// Reads a part the format cannot do without: its absence is an error.
    pub(crate) fn require_part(&mut self, name: &str) -> Result<String, ExtractError> {
        self.read_part(name)?.ok_or_else(|| self.error(format!("no {name} in the package")))
    }

    /// Parses a part's XML, naming the part in the error.
    pub(crate) fn parse<'x>(&self, name: &str, xml: &'x str) -> Result<Document<'x>, ExtractError> {
        Document::parse(xml).map_err(|err| self.error(format!("{name}: {err}")))
    }

    /// The relationships of `part` (`""` for the package's own), in document order. A missing or broken
    /// relationships part gives none: callers fall back to the conventional part names.
    pub(crate) fn relationships(&mut self, part: &str) -> Vec<Relationship> {
        let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_part =
            if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
        let Ok(Some(xml)) = self.read_part(&rels_part) else { return Vec::new() };
        let Ok(rels) = Document::parse(&xml) else { return Vec::new() };
        rels.descendants()
            .filter(|n| n.tag_name().name() == "Relationship")
            .filter(|n| n.attribute("TargetMode") != Some("External"))
            .filter_map(|n| {
                Some(Relationship {
                    id: n.attribute("Id")?.to_string(),
                    kind: n.attribute("Type")?.to_string(),
                    target: resolve_target(part, n.attribute("Target")?),
                })
            })
            .collect()
    }

    /// The main part named by the package relationships (type `…/officeDocument`), if any.
    pub(crate) fn office_document(&mut self) -> Option<String> {
        self.relationships("").into_iter().find(|r| r.kind.ends_with("/officeDocument")).map(|r| r.target)
    }

    /// Title (`dc:title`), author (`dc:creator`) and creation date (`dcterms:created`) from the OOXML
    /// core properties, `docProps/core.xml`. Metadata is a bonus: a missing or broken part gives none.
    pub(crate) fn core_properties(&mut self) -> Properties {
        let Ok(Some(xml)) = self.read_part(CORE_PROPERTIES_PART) else { return Properties::default() };
        let Ok(core) = Document::parse(&xml) else { return Properties::default() };
        let field = |namespace: &str, name: &str| element_text(&core, namespace, name);
        Properties {
            title: field(DUBLIN_CORE, "title"),
            author: field(DUBLIN_CORE, "creator"),
            date: field(DC_TERMS, "created").and_then(|d| metadata_date(&d)),
        }
    }
}

/// The whitespace-collapsed text of the first element `namespace:name`; `None` if absent or blank.
pub(crate) fn element_text(document: &Document<'_>, namespace: &str, name: &str) -> Option<String> {
    document
        .descendants()
        .find(|n| n.tag_name().namespace() == Some(namespace) && n.tag_name().name() == name)
        .and_then(|n| n.text())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

/// A relationship target as a part name: absolute targets ("/ppt/slides/slide1.xml") from the package
/// root, relative ones ("slides/slide1.xml", "../notesSlides/notesSlide1.xml") from the folder of
/// `source`, with "." and ".." resolved.
pub(crate) fn resolve_target(source: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        if let Some((folder, _)) = source.rsplit_once('/') {
            parts.extend(folder.split('/').filter(|p| !p.is_empty()));
        }
    }
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// What [`walk_xml`] tells about each element and text node it passes.
pub(super) trait XmlVisitor {
    /// A node is reached; `false` skips its subtree.
    fn enter(&mut self, node: Node<'_, '_>) -> bool;
    /// A node's subtree is done.
    fn leave(&mut self, node: Node<'_, '_>);
}

/// Visits the nodes under `root` in document order. The walk is iterative (first child, next sibling,
/// parent), so deeply nested XML (tables in tables in text boxes) cannot overflow the stack.
pub(super) fn walk_xml(root: Node<'_, '_>, visitor: &mut impl XmlVisitor) {
    let mut next = Some(root);
    while let Some(node) = next {
        if visitor.enter(node) {
            if let Some(child) = node.first_child() {
                next = Some(child);
                continue;
            }
            visitor.leave(node);
        }
        let mut done = node;
        next = loop {
            if done == root {
                break None;
            }
            if let Some(sibling) = done.next_sibling() {
                break Some(sibling);
            }
            match done.parent() {
                Some(parent) => {
                    visitor.leave(parent);
                    done = parent;
                }
                None => break None,
            }
        };
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;

    /// A zip of `parts`, deflated.
    pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        zip_with(CompressionMethod::Deflated, parts)
    }

    pub(crate) fn zip_with(method: CompressionMethod, parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(method);
        for (name, content) in parts {
            writer.start_file(*name, options).expect("start file");
            writer.write_all(content).expect("write");
        }
        writer.finish().expect("finish").into_inner()
    }

    fn test_error(reason: String) -> ExtractError {
        ExtractError::Docx(reason)
    }

    #[test]
    fn targets_resolve_against_the_source_folder() {
        let cases = [
            ("", "word/document.xml", "word/document.xml"),
            ("", "/word/document2.xml", "word/document2.xml"),
            ("", "./word/document.xml", "word/document.xml"),
            ("ppt/presentation.xml", "slides/slide1.xml", "ppt/slides/slide1.xml"),
            ("ppt/presentation.xml", "/ppt/slides/slide1.xml", "ppt/slides/slide1.xml"),
            ("ppt/slides/slide1.xml", "../notesSlides/notesSlide1.xml", "ppt/notesSlides/notesSlide1.xml"),
            ("ppt/slides/slide1.xml", "../../../x.xml", "x.xml"),
        ];
        for (source, target, want) in cases {
            assert_eq!(resolve_target(source, target), want, "{source} -> {target}");
        }
    }

    #[test]
    fn relationships_of_a_part() {
        let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"rId2\" Type=\"http://x/notesSlide\" Target=\"../notesSlides/notesSlide4.xml\"/>\
            <Relationship Id=\"rId3\" Type=\"http://x/hyperlink\" Target=\"http://example.org/\" TargetMode=\"External\"/>\
            <Relationship Id=\"rId1\" Type=\"http://x/slideLayout\" Target=\"../slideLayouts/slideLayout1.xml\"/>\
            </Relationships>";
        let bytes = zip_of(&[("ppt/slides/_rels/slide1.xml.rels", rels.as_bytes())]);
        let mut package = Package::open(&bytes, test_error).expect("zip");
        let got = package.relationships("ppt/slides/slide1.xml");
        let want = [
            ("rId2", "http://x/notesSlide", "ppt/notesSlides/notesSlide4.xml"),
            ("rId1", "http://x/slideLayout", "ppt/slideLayouts/slideLayout1.xml"),
        ];
        let got: Vec<_> = got.iter().map(|r| (r.id.as_str(), r.kind.as_str(), r.target.as_str())).collect();
        assert_eq!(got, want);
        assert!(package.relationships("ppt/slides/slide2.xml").is_empty());
    }

    #[test]
    fn core_properties() {
        let core = "<?xml version=\"1.0\"?><cp:coreProperties \
            xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
            xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
            <dc:title> Hội thảo\n SXSH </dc:title><dc:creator>Lê  Thu</dc:creator><cp:lastModifiedBy>X</cp:lastModifiedBy>\
            <dcterms:created>2019-10-02T01:00:00Z</dcterms:created></cp:coreProperties>";
        let cases: [(Vec<u8>, Properties); 3] = [
            (
                zip_of(&[(CORE_PROPERTIES_PART, core.as_bytes())]),
                Properties {
                    title: Some("Hội thảo SXSH".into()),
                    author: Some("Lê Thu".into()),
                    date: Some("2019-10-02".into()),
                },
            ),
            (zip_of(&[(CORE_PROPERTIES_PART, b"<broken")]), Properties::default()),
            (zip_of(&[("other.xml", b"<a/>")]), Properties::default()),
        ];
        for (bytes, want) in cases {
            let mut package = Package::open(&bytes, test_error).expect("zip");
            assert_eq!(package.core_properties(), want);
        }
    }

    #[test]
    fn parts_are_read_and_bounded() {
        let bytes = zip_of(&[("a.xml", b"\xEF\xBB\xBF<a/>"), ("b.xml", b"<b>0123456789</b>"), ("c.xml", b"\xFF")]);
        let mut package = Package::open(&bytes, test_error).expect("zip");
        let reason = |result: Result<Option<String>, ExtractError>| match result {
            Err(ExtractError::Docx(reason)) => reason,
            other => panic!("expected an error, got {other:?}"),
        };
        assert_eq!(package.read_part("a.xml").expect("a.xml").as_deref(), Some("<a/>"));
        assert_eq!(package.read_part("missing.xml").expect("no error"), None);
        assert_eq!(reason(package.require_part("missing.xml").map(Some)), "no missing.xml in the package");
        assert_eq!(reason(package.read_part("c.xml")), "c.xml is not UTF-8");
        // What is left of the package's budget bounds the next part, whatever its declared size.
        package.remaining = 10;
        assert_eq!(reason(package.read_part("b.xml")), "the package's parts inflate to more than 256 MiB");
        package.remaining = 17;
        assert_eq!(package.read_part("b.xml").expect("b.xml").as_deref(), Some("<b>0123456789</b>"));
        assert_eq!(package.remaining, 0);
    }
}
