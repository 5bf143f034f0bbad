//! PowerPoint presentations (`.pptx`): every slide's text, then its speaker notes, in presentation
//! order, plus title, author and creation date from the package's core properties.
//!
//! A PPTX file is a zip package of XML parts. The presentation part (named by the package
//! relationships, normally `ppt/presentation.xml`) lists the slides in showing order in `p:sldIdLst`,
//! each by a relationship id that `ppt/_rels/presentation.xml.rels` resolves to a part such as
//! `ppt/slides/slide3.xml` (part names do not give the order: slides get reordered). Each slide's notes
//! are the `notesSlide` its own relationships name.
//!
//! In a slide or notes part, text lives in DrawingML paragraphs (`a:p`) inside shapes, group shapes
//! and table cells (`a:tc`), in document order (the shapes' z-order, which is also the order the
//! slide's author added them). Each `a:p` becomes one paragraph of the body, runs and fields (`a:t`)
//! joined, `a:br` a line break; slides and their notes follow each other as paragraphs, so the body's
//! paragraphs are: slide 1, notes 1, slide 2, notes 2, …
//!
//! Left out: placeholders for the slide number, date, header and footer (the same boilerplate on every
//! slide, and a notes page's copy of the slide number), the fallback copy of `mc:AlternateContent`,
//! and text kept in other parts (charts, SmartArt data, comments). Hidden slides are read: their text
//! is still the document's.

use roxmltree::Node;

use super::package::{Package, RELATIONSHIP_NAMESPACES};
use super::{ExtractError, Extracted};

/// PresentationML's namespace, transitional and strict.
const P_NAMESPACES: &[&str] =
    &["http://schemas.openxmlformats.org/presentationml/2006/main", "http://purl.oclc.org/ooxml/presentationml/main"];
/// DrawingML's namespace, transitional and strict.
const A_NAMESPACES: &[&str] =
    &["http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"];
const MARKUP_COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The presentation part when the package relationships do not name one.
const DEFAULT_PRESENTATION_PART: &str = "ppt/presentation.xml";

/// Placeholder types (`p:ph type`) whose text is boilerplate or generated, not the slide's content.
const SKIPPED_PLACEHOLDERS: &[&str] = &["sldNum", "dt", "hdr", "ftr", "sldImg"];

/// Extracts a PPTX file's text, title, author and creation date; see the module docs.
pub fn extract_pptx_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut package = Package::open(bytes, ExtractError::Pptx)?;
    let mut paragraphs = Vec::new();
    for slide in slide_parts(&mut package)? {
        let Some(xml) = package.read_part(&slide)? else { continue };
        let document = package.parse(&slide, &xml)?;
        paragraphs.extend(shape_paragraphs(document.root_element()));
        let notes = package.relationships(&slide).into_iter().find(|r| r.kind.ends_with("/notesSlide"));
        if let Some(notes) = notes {
            if let Some(xml) = package.read_part(&notes.target)? {
                let document = package.parse(&notes.target, &xml)?;
                paragraphs.extend(shape_paragraphs(document.root_element()));
            }
        }
    }
    // Metadata is a bonus: a missing or broken core.xml does not make the text unusable.
    let properties = package.core_properties();
    Ok(Extracted {
        title: properties.title,
        body: paragraphs.join("\n\n"),
        date: properties.date,
        author: properties.author,
        ocr: None,
    })
}

/// The slide parts in presentation order: `p:sldIdLst` through the presentation's relationships; if
/// the list is missing, every slide relationship in document order. A slide listed twice is read once;
/// one whose part is missing from the package is passed over (the others are still the deck's text).
fn slide_parts(package: &mut Package<'_>) -> Result<Vec<String>, ExtractError> {
    let named = package.office_document().filter(|name| name != DEFAULT_PRESENTATION_PART);
    let mut found = None;
    for name in named.into_iter().chain([DEFAULT_PRESENTATION_PART.to_string()]) {
        if let Some(xml) = package.read_part(&name)? {
            found = Some((name, xml));
            break;
        }
    }
    let (name, xml) = found.ok_or_else(|| package.error(format!("no {DEFAULT_PRESENTATION_PART} in the package")))?;
    let presentation = package.parse(&name, &xml)?;
    let relationships: Vec<_> =
        package.relationships(&name).into_iter().filter(|r| r.kind.ends_with("/slide")).collect();
    let listed: Option<Vec<&str>> = presentation
        .descendants()
        .find(|n| is_in(*n, P_NAMESPACES, "sldIdLst"))
        .map(|list| list.children().filter(|n| is_in(*n, P_NAMESPACES, "sldId")).filter_map(relationship_id).collect());
    let mut slides: Vec<String> = match listed {
        Some(ids) => {
            ids.iter().filter_map(|id| relationships.iter().find(|r| r.id == *id)).map(|r| r.target.clone()).collect()
        }
        None => relationships.into_iter().map(|r| r.target).collect(),
    };
    let mut seen = std::collections::HashSet::new();
    slides.retain(|slide| seen.insert(slide.clone()));
    Ok(slides)
}

/// The `r:id` attribute of an element.
fn relationship_id<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == "id" && a.namespace().is_some_and(|ns| RELATIONSHIP_NAMESPACES.contains(&ns)))
        .map(|a| a.value())
}

fn is_in(node: Node<'_, '_>, namespaces: &[&str], name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace().is_some_and(|ns| namespaces.contains(&ns))
}

/// The text of every DrawingML paragraph under `root` in document order, one string each (empty ones
/// left out). The walk keeps its own stack, so deeply nested groups cannot overflow the call stack.
fn shape_paragraphs(root: Node<'_, '_>) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if !node.is_element() || is_skipped(node) {
            continue;
        }
        if is_in(node, A_NAMESPACES, "p") {
            let text = paragraph_text(node);
            let text = text.trim_matches(|c: char| c == ' ' || c == '\n');
            if !text.trim().is_empty() {
                paragraphs.push(text.to_string());
            }
            continue;
        }
        let mark = stack.len();
        stack.extend(node.children().filter(Node::is_element));
        stack[mark..].reverse();
    }
    paragraphs
}

/// Whether a subtree is left out: `mc:Fallback` (a copy of `mc:Choice` for old readers) and shapes
/// that are boilerplate placeholders.
fn is_skipped(node: Node<'_, '_>) -> bool {
    let name = node.tag_name();
    if name.namespace() == Some(MARKUP_COMPATIBILITY) {
        return name.name() == "Fallback";
    }
    if !is_in(node, P_NAMESPACES, "sp") {
        return false;
    }
    let placeholder = node
        .children()
        .find(|n| is_in(*n, P_NAMESPACES, "nvSpPr"))
        .and_then(|n| n.children().find(|n| is_in(*n, P_NAMESPACES, "nvPr")))
        .and_then(|n| n.children().find(|n| is_in(*n, P_NAMESPACES, "ph")));
    placeholder.and_then(|ph| ph.attribute("type")).is_some_and(|kind| SKIPPED_PLACEHOLDERS.contains(&kind))
}

/// One `a:p`'s text: `a:t` of runs and fields, `a:br` as a line break; U+00A0 as a space.
fn paragraph_text(paragraph: Node<'_, '_>) -> String {
    let mut text = String::new();
    let mut stack: Vec<Node<'_, '_>> = paragraph.children().filter(Node::is_element).collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        if is_skipped(node) {
            continue;
        }
        if is_in(node, A_NAMESPACES, "t") {
            text.extend(node.text().unwrap_or_default().chars().map(|c| if c == '\u{A0}' { ' ' } else { c }));
        } else if is_in(node, A_NAMESPACES, "br") {
            text.push('\n');
        } else {
            let mark = stack.len();
            stack.extend(node.children().filter(Node::is_element));
            stack[mark..].reverse();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::package::tests::zip_of;

    const NS: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
                      xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" \
                      xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
                      xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";
    const RELS: &str = "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"";
    const SLIDE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide";
    const NOTES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide";

    /// A shape with one paragraph per string.
    fn shape(paragraphs: &[&str]) -> String {
        let paragraphs: String = paragraphs.iter().map(|p| format!("<a:p><a:r><a:t>{p}</a:t></a:r></a:p>")).collect();
        format!("<p:sp><p:txBody>{paragraphs}</p:txBody></p:sp>")
    }

    fn slide(shapes: &str) -> String {
        format!("<p:sld {NS}><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>")
    }

    fn body_of(shapes: &str) -> String {
        shape_paragraphs(roxmltree::Document::parse(&slide(shapes)).expect("xml").root_element()).join("\n\n")
    }

    #[test]
    fn shape_text() {
        let cases = [
            (shape(&["Một", "Hai"]), "Một\n\nHai"),
            (
                "<p:sp><p:txBody><a:p><a:r><a:t>Sản xuất </a:t></a:r><a:r><a:rPr b=\"1\"/><a:t>sạch hơn</a:t></a:r></a:p></p:txBody></p:sp>".into(),
                "Sản xuất sạch hơn",
            ),
            ("<p:sp><p:txBody><a:p><a:r><a:t>a</a:t></a:r><a:br/><a:r><a:t>b</a:t></a:r></a:p></p:txBody></p:sp>".into(), "a\nb"),
            ("<p:sp><p:txBody><a:p><a:r><a:t>Hà\u{A0}Nội</a:t></a:r></a:p><a:p/><a:p><a:r><a:t> </a:t></a:r></a:p></p:txBody></p:sp>".into(), "Hà Nội"),
            (
                "<p:sp><p:txBody><a:p><a:r><a:t>Ngày </a:t></a:r><a:fld type=\"datetime1\"><a:t>21/5/2024</a:t></a:fld></a:p></p:txBody></p:sp>".into(),
                "Ngày 21/5/2024",
            ),
            (format!("<p:grpSp>{}<p:grpSp>{}</p:grpSp></p:grpSp>{}", shape(&["1"]), shape(&["2"]), shape(&["3"])), "1\n\n2\n\n3"),
            (
                "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tblGrid><a:gridCol/></a:tblGrid>\
                 <a:tr><a:tc><a:txBody><a:p><a:r><a:t>A1</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>B1</a:t></a:r></a:p></a:txBody></a:tc></a:tr>\
                 <a:tr><a:tc><a:txBody><a:p><a:r><a:t>A2</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>".into(),
                "A1\n\nB1\n\nA2",
            ),
        ];
        for (shapes, want) in cases {
            assert_eq!(body_of(&shapes), want, "shapes {shapes:?}");
        }
    }

    #[test]
    fn boilerplate_and_fallbacks_are_skipped() {
        let placeholder = |kind: &str, text: &str| {
            format!(
                "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"{kind}\"/></p:nvPr></p:nvSpPr>\
                 <p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
            )
        };
        let cases = [
            (placeholder("title", "Tiêu đề") + &placeholder("sldNum", "3"), "Tiêu đề"),
            (placeholder("body", "Ghi chú") + &placeholder("dt", "1/1/2024") + &placeholder("ftr", "Bộ"), "Ghi chú"),
            (
                format!(
                    "<mc:AlternateContent><mc:Choice>{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent>",
                    shape(&["hộp"]),
                    shape(&["hộp"])
                ),
                "hộp",
            ),
        ];
        for (shapes, want) in cases {
            assert_eq!(body_of(&shapes), want, "shapes {shapes:?}");
        }
    }

    /// A package whose presentation lists `order` (slide numbers) and whose slide N says "slide N"
    /// with notes "notes N" when N is in `with_notes`.
    fn presentation(order: &[usize], count: usize, with_notes: &[usize]) -> Vec<u8> {
        let ids: String = order.iter().map(|n| format!("<p:sldId id=\"{}\" r:id=\"rId{n}\"/>", 255 + n)).collect();
        let presentation = format!("<p:presentation {NS}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>");
        let rels: String = (1..=count)
            .map(|n| format!("<Relationship Id=\"rId{n}\" Type=\"{SLIDE}\" Target=\"slides/slide{n}.xml\"/>"))
            .collect();
        let rels = format!("<Relationships {RELS}>{rels}</Relationships>");
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("ppt/presentation.xml".into(), presentation.into_bytes()),
            ("ppt/_rels/presentation.xml.rels".into(), rels.into_bytes()),
        ];
        for n in 1..=count {
            parts.push((format!("ppt/slides/slide{n}.xml"), slide(&shape(&[&format!("slide {n}")])).into_bytes()));
            if with_notes.contains(&n) {
                let notes = format!(
                    "<p:notes {NS}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:notes>",
                    shape(&[&format!("notes {n}")])
                );
                // Notes part numbers need not match the slide's.
                parts.push((format!("ppt/notesSlides/notesSlide{}.xml", n + 10), notes.into_bytes()));
                let rels = format!("<Relationships {RELS}><Relationship Id=\"rId1\" Type=\"{NOTES}\" Target=\"../notesSlides/notesSlide{}.xml\"/></Relationships>", n + 10);
                parts.push((format!("ppt/slides/_rels/slide{n}.xml.rels"), rels.into_bytes()));
            }
        }
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
        zip_of(&parts)
    }

    #[test]
    fn slides_in_presentation_order_with_notes() {
        let cases: [(&[usize], usize, &[usize], &str); 4] = [
            (&[1, 2], 2, &[], "slide 1\n\nslide 2"),
            (&[3, 1, 2], 3, &[1, 3], "slide 3\n\nnotes 3\n\nslide 1\n\nnotes 1\n\nslide 2"),
            // Slides not in the list (deleted, still in the package) are not shown; unknown ids are ignored.
            (&[2, 9], 3, &[2], "slide 2\n\nnotes 2"),
            (&[], 2, &[], ""),
        ];
        for (order, count, with_notes, want) in cases {
            let got = extract_pptx_text(&presentation(order, count, with_notes)).expect("valid pptx");
            assert_eq!(got.body, want, "order {order:?}, notes {with_notes:?}");
        }
    }

    #[test]
    fn without_a_slide_list_every_slide_relationship_counts() {
        let rels = format!(
            "<Relationships {RELS}><Relationship Id=\"rId7\" Type=\"{SLIDE}\" Target=\"/ppt/slides/b.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"{SLIDE}\" Target=\"slides/a.xml\"/></Relationships>"
        );
        let presentation = format!("<p:presentation {NS}/>");
        let (a, b) = (slide(&shape(&["A"])), slide(&shape(&["B"])));
        let bytes = zip_of(&[
            ("ppt/presentation.xml", presentation.as_bytes()),
            ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
            ("ppt/slides/a.xml", a.as_bytes()),
            ("ppt/slides/b.xml", b.as_bytes()),
        ]);
        assert_eq!(extract_pptx_text(&bytes).expect("valid pptx").body, "B\n\nA");
    }

    #[test]
    fn broken_packages_are_errors() {
        let bad_slide = {
            let presentation = format!(
                "<p:presentation {NS}><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>"
            );
            let rels = format!("<Relationships {RELS}><Relationship Id=\"rId1\" Type=\"{SLIDE}\" Target=\"slides/slide1.xml\"/></Relationships>");
            zip_of(&[
                ("ppt/presentation.xml", presentation.as_bytes()),
                ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
                ("ppt/slides/slide1.xml", b"<p:sld>"),
            ])
        };
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("not a zip", b"PK\x03\x04 but no".to_vec(), "not a zip archive"),
            ("no presentation part", zip_of(&[("word/document.xml", b"<a/>")]), "no ppt/presentation.xml"),
            ("bad presentation xml", zip_of(&[("ppt/presentation.xml", b"<p:presentation")]), "ppt/presentation.xml"),
            ("bad slide xml", bad_slide, "ppt/slides/slide1.xml"),
        ];
        for (label, bytes, want) in cases {
            match extract_pptx_text(&bytes) {
                Err(err @ ExtractError::Pptx(_)) => {
                    let message = err.to_string();
                    assert!(message.starts_with("not a valid PPTX: ") && message.contains(want), "{label}: {message}");
                }
                other => panic!("{label}: expected a Pptx error, got {other:?}"),
            }
        }
    }
}
