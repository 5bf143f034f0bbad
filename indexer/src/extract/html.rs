//! HTML pages: title, publication date and the main text, without the page's boilerplate.
//!
//! Archived web pages carry menus, headers, footers, scripts and sidebars around the text a reader
//! came for; indexing those would make every page of a site match the site's menu words. So the body
//! is taken from the most specific "main text" container the page has: the longest `<article>`, else
//! `<main>`, else `[role=main]`, else an element whose id or class names it as content (`content`,
//! `article`, `post`, `noi-dung`, …, or the parent of Word's `MsoNormal` paragraphs), else `<body>`.
//! Inside it, scripts, styles, navigation, headers, footers, asides, forms and embedded objects are
//! skipped.
//!
//! Text follows the browser's rendering model closely enough for search: block elements (paragraphs,
//! headings, list items, table rows and cells, `<br>`, …) end a paragraph (`"\n\n"`), and whitespace
//! inside a paragraph, including source line breaks and no-break spaces, collapses to one space.
//! Entities are decoded by the HTML parser (html5ever, through scraper).
//!
//! The bytes are decoded as UTF-8, replacing invalid sequences, since nearly all Vietnamese pages of
//! the last fifteen years are UTF-8 and a damaged byte should not cost the whole page.

use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

use crate::date::metadata_date;
use crate::wraps::repair_line_wraps;

use super::{ExtractError, Extracted};

/// Elements whose content is never reader-facing text, or is boilerplate around it.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg", "iframe", "head",
    "select", "button", "object", "canvas",
];

/// Elements that end a paragraph where they start and where they end.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Words in an id or class that name the element as the page's text.
const CONTAINER_HINTS: &[&str] = &["content", "article", "post", "noi-dung", "noidung", "noi_dung", "entry"];

/// Words that, next to a hint, name something else (`comment-content`, `post-sidebar`, …).
const CONTAINER_VETOES: &[&str] = &[
    "comment",
    "sidebar",
    "related",
    "menu",
    "nav",
    "footer",
    "header",
    "widget",
    "banner",
    "share",
    "breadcrumb",
    "advert",
];

/// A container found by id/class must hold at least this share of the page's text: a small box that
/// merely happens to be called `post` is a worse guess than the whole body.
const MIN_CONTAINER_SHARE: f64 = 0.2;

/// At most this many candidates of one kind are measured, so a page with thousands of nested
/// `class="content"` elements cannot make extraction quadratic.
const MAX_CANDIDATES: usize = 64;

/// `<meta>` names (or `property`/`itemprop` values) that give the publication date, best first.
const DATE_META_NAMES: &[&str] = &[
    "article:published_time",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.created",
    "datepublished",
];

/// Extracts an HTML page's title, date and main text; see the module docs.
pub fn extract_html_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let source = String::from_utf8_lossy(bytes);
    let document = Html::parse_document(&source);
    let root = document.root_element();
    let body = main_text(root);
    if body.is_empty() {
        return Err(ExtractError::HtmlEmpty);
    }
    Ok(Extracted { title: find_title(root), body, date: find_date(root), author: None, ocr: None })
}

/// The `<title>`, else the first `<h1>`, else `og:title`.
fn find_title(root: ElementRef<'_>) -> Option<String> {
    let elements = || root.descendent_elements();
    let title = elements()
        .find(|el| el.value().name() == "title" && !inside(*el, "svg"))
        .map(|el| collapse_whitespace(&el.text().collect::<String>()));
    let h1 = || {
        elements().find(|el| el.value().name() == "h1").map(|el| collapse_whitespace(&el.text().collect::<String>()))
    };
    let og = || {
        elements()
            .find(|el| el.value().name() == "meta" && attr_is(el.value(), "property", "og:title"))
            .and_then(|el| el.value().attr("content"))
            .map(collapse_whitespace)
    };
    [title, h1(), og()].into_iter().flatten().find(|t| !t.is_empty())
}

/// The publication date from `<meta>` (see [`DATE_META_NAMES`]), else from the first `<time datetime>`.
fn find_date(root: ElementRef<'_>) -> Option<String> {
    let metas: Vec<&Element> =
        root.descendent_elements().map(|el| el.value()).filter(|el| el.name() == "meta").collect();
    let from_meta = DATE_META_NAMES.iter().find_map(|name| {
        metas
            .iter()
            .filter(|el| ["name", "property", "itemprop"].iter().any(|a| attr_is(el, a, name)))
            .find_map(|el| el.attr("content").and_then(metadata_date))
    });
    from_meta.or_else(|| {
        root.descendent_elements()
            .filter(|el| el.value().name() == "time")
            .find_map(|el| el.value().attr("datetime").and_then(metadata_date))
    })
}

/// Whether an attribute has a value, ignoring ASCII case (`DC.date` vs `dc.date`).
fn attr_is(el: &Element, attr: &str, value: &str) -> bool {
    el.attr(attr).is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
}

/// Whether `el` has an ancestor named `name`.
fn inside(el: ElementRef<'_>, name: &str) -> bool {
    el.ancestors().any(|node| node.value().as_element().is_some_and(|e| e.name() == name))
}

/// The text of the page's main container (see the module docs), or "" if the page has no text.
fn main_text(root: ElementRef<'_>) -> String {
    let body = root.descendent_elements().find(|el| el.value().name() == "body").unwrap_or(root);
    let body_text = element_text(body);
    if body_text.is_empty() {
        return body_text;
    }
    let body_len = body_text.chars().count();
    let semantic: [&dyn Fn(&Element) -> bool; 3] =
        [&|el| el.name() == "article", &|el| el.name() == "main", &|el| attr_is(el, "role", "main")];
    for is_candidate in semantic {
        let candidates = body.descendent_elements().filter(|el| is_candidate(el.value()));
        if let Some(text) = longest_text(candidates, 1) {
            return text;
        }
    }
    let min_len = (body_len as f64 * MIN_CONTAINER_SHARE).ceil() as usize;
    let named = body.descendent_elements().filter(|el| names_content(el.value()));
    let candidates = named.chain(word_section(body));
    longest_text(candidates, min_len.max(1)).unwrap_or(body_text)
}

/// The longest text among the (first [`MAX_CANDIDATES`]) candidates, if it has at least `min_len`
/// characters.
fn longest_text<'a>(candidates: impl Iterator<Item = ElementRef<'a>>, min_len: usize) -> Option<String> {
    candidates
        .take(MAX_CANDIDATES)
        .map(element_text)
        .map(|text| (text.chars().count(), text))
        .filter(|(len, _)| *len >= min_len)
        .max_by_key(|(len, _)| *len)
        .map(|(_, text)| text)
}

/// Whether an element's id or one of its classes names it as the page's text.
fn names_content(el: &Element) -> bool {
    let names = el.id().into_iter().chain(el.classes());
    names.map(str::to_ascii_lowercase).any(|name| {
        CONTAINER_HINTS.iter().any(|hint| name.contains(hint))
            && !CONTAINER_VETOES.iter().any(|veto| name.contains(veto))
    })
}

/// The nearest element holding all of Word's `MsoNormal` paragraphs: pages saved from Word, or
/// portals that paste Word documents into their templates, mark every paragraph of the text that way.
fn word_section(body: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let mut paragraphs =
        body.descendent_elements().filter(|el| el.value().classes().any(|c| c.eq_ignore_ascii_case("MsoNormal")));
    let first = paragraphs.next()?;
    let mut section = first.parent().and_then(ElementRef::wrap)?;
    for paragraph in paragraphs {
        while !paragraph.ancestors().any(|a| a.id() == section.id()) {
            section = section.parent().and_then(ElementRef::wrap)?;
        }
    }
    Some(section)
}

/// The visible text of an element, paragraphs separated by "\n\n".
///
/// The walk is iterative (first child, next sibling, parent) rather than recursive, so a page with
/// absurdly deep nesting cannot overflow the stack.
fn element_text(container: ElementRef<'_>) -> String {
    let mut text = TextBuilder::default();
    let mut next = container.first_child();
    while let Some(node) = next {
        let descend = text.enter(node.value());
        if descend {
            if let Some(child) = node.first_child() {
                next = Some(child);
                continue;
            }
            text.leave(node.value());
        }
        let mut done = node;
        next = loop {
            if let Some(sibling) = done.next_sibling() {
                break Some(sibling);
            }
            match done.parent() {
                Some(parent) if parent.id() != container.id() => {
                    text.leave(parent.value());
                    done = parent;
                }
                _ => break None,
            }
        };
    }
    text.finish()
}

/// Accumulates text with HTML's whitespace rules: runs of whitespace become one space, block
/// boundaries become one paragraph break, and neither is written before the next visible character.
#[derive(Default)]
struct TextBuilder {
    out: String,
    pending_space: bool,
    pending_break: bool,
}

impl TextBuilder {
    /// Handles a node as the walk reaches it; returns whether to walk into its children.
    fn enter(&mut self, node: &Node) -> bool {
        match node {
            Node::Text(text) => {
                self.push_text(text);
                false
            }
            Node::Element(el) => {
                if is_block(el) {
                    self.block_boundary();
                }
                !is_skipped(el)
            }
            _ => false,
        }
    }

    /// Handles leaving an element whose children were walked.
    fn leave(&mut self, node: &Node) {
        if let Node::Element(el) = node {
            if is_block(el) {
                self.block_boundary();
            }
        }
    }

    fn block_boundary(&mut self) {
        self.pending_break = true;
        self.pending_space = false;
    }

    fn push_text(&mut self, text: &str) {
        // A line break in the page's source is only a space to a browser, but a break inside a word
        // ("q\nuá") is a hard wrap of the text the page was made from: undo it before it becomes a space.
        let text = if text.contains('\n') { repair_source_wraps(text) } else { std::borrow::Cow::Borrowed(text) };
        for c in text.chars() {
            // `char::is_whitespace` covers U+00A0, so `&nbsp;` becomes an ordinary space here.
            if c.is_whitespace() {
                self.pending_space = !self.pending_break;
                continue;
            }
            if !self.out.is_empty() {
                if self.pending_break {
                    self.out.push_str("\n\n");
                } else if self.pending_space {
                    self.out.push(' ');
                }
            }
            self.pending_break = false;
            self.pending_space = false;
            self.out.push(c);
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

/// [`repair_line_wraps`] on a text node whose lines may be indented.
fn repair_source_wraps(text: &str) -> std::borrow::Cow<'_, str> {
    let unindented: String =
        text.split('\n').map(|line| line.trim_start_matches([' ', '\t'])).collect::<Vec<_>>().join("\n");
    match repair_line_wraps(&unindented) {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(text),
        std::borrow::Cow::Owned(repaired) => std::borrow::Cow::Owned(repaired),
    }
}

fn is_block(el: &Element) -> bool {
    BLOCKS.contains(&el.name())
}

fn is_skipped(el: &Element) -> bool {
    SKIPPED.contains(&el.name()) || el.attr("hidden").is_some()
}

/// Collapses whitespace runs to single spaces and trims the ends.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(html: &str) -> String {
        extract_html_text(html.as_bytes()).map(|e| e.body).unwrap_or_default()
    }

    #[test]
    fn body_text_follows_blocks_and_whitespace() {
        let cases = [
            ("<p>Một</p><p>Hai</p>", "Một\n\nHai"),
            ("<p>Xin   chào\n  thế\tgiới</p>", "Xin chào thế giới"),
            ("<p>a<b>b</b> <i>c</i></p>", "ab c"),
            ("<div>dòng 1<br>dòng 2</div>", "dòng 1\n\ndòng 2"),
            ("<ul><li>một</li><li>hai</li></ul>", "một\n\nhai"),
            ("<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>", "A\n\nB\n\nC"),
            ("<h1>Tiêu đề</h1>Văn bản", "Tiêu đề\n\nVăn bản"),
            ("<p>Đi&ecirc;u 1&nbsp;&nbsp;Phạm vi</p>", "Điêu 1 Phạm vi"),
            ("<p>H&ograve;a b&igrave;nh</p>", "Hòa bình"),
            ("<p> lead and trail </p>", "lead and trail"),
            ("<p>x</p><!-- comment --><p>y</p>", "x\n\ny"),
            // a hard wrap inside a word is undone, one between words stays a space
            ("<p>báo cáo kết quả q\nuá trình</p>", "báo cáo kết quả quá trình"),
            ("<p>kết quả q\n    uá trình\n  triển khai</p>", "kết quả quá trình triển khai"),
            ("<p>Hợp phần\nCPI,\nngày 14/4/2011</p>", "Hợp phần CPI, ngày 14/4/2011"),
        ];
        for (html, want) in cases {
            assert_eq!(body_of(html), want, "html {html:?}");
        }
    }

    #[test]
    fn boilerplate_is_skipped() {
        let cases = [
            ("<p>a</p><script>var x = 1;</script><p>b</p>", "a\n\nb"),
            ("<style>p{}</style><p>a</p>", "a"),
            ("<nav><a>Trang chủ</a></nav><p>a</p><footer>©</footer>", "a"),
            ("<header>Logo</header><aside>Quảng cáo</aside><p>a</p>", "a"),
            ("<form><input><button>Tìm</button></form><p>a</p>", "a"),
            ("<noscript>Bật JS</noscript><template><p>t</p></template><p>a</p>", "a"),
            ("<p>a<svg><text>chart</text></svg><iframe>f</iframe></p>", "a"),
            ("<p hidden>ẩn</p><p>a</p>", "a"),
        ];
        for (html, want) in cases {
            assert_eq!(body_of(html), want, "html {html:?}");
        }
    }

    #[test]
    fn main_container_is_preferred() {
        let cases = [
            ("<div>menu menu</div><article><p>bài</p></article>", "bài"),
            ("<article>ngắn</article><article>dài hơn nhiều</article>", "dài hơn nhiều"),
            ("<div>menu</div><main>chính</main>", "chính"),
            ("<div>menu</div><div role=\"main\">chính</div>", "chính"),
            (
                "<div class=\"links\">một hai ba</div><div class=\"noi-dung\">nội dung chính của bài</div>",
                "nội dung chính của bài",
            ),
            (
                "<div id=\"main-content\">nội dung chính</div><div class=\"comment-content\">bình luận dài dài dài dài</div>",
                "nội dung chính",
            ),
            (
                "<div>menu a</div><div class=\"WordSection1\"><p class=\"MsoNormal\">Điều 1</p><p class=\"MsoNormal\">Điều 2</p></div>",
                "Điều 1\n\nĐiều 2",
            ),
            // A "post" box with a small share of the page's text loses to the whole body.
            (
                "<p>Văn bản chính của trang này rất dài và quan trọng</p><div class=\"post\">x</div>",
                "Văn bản chính của trang này rất dài và quan trọng\n\nx",
            ),
            // An empty <article> does not hide the text elsewhere.
            ("<article> </article><p>văn bản</p>", "văn bản"),
        ];
        for (html, want) in cases {
            assert_eq!(body_of(html), want, "html {html:?}");
        }
    }

    #[test]
    fn title_sources() {
        let cases = [
            ("<title> Luật  An ninh mạng </title><h1>H</h1><p>x</p>", Some("Luật An ninh mạng")),
            ("<h1>Tiêu <b>đề</b></h1><p>x</p>", Some("Tiêu đề")),
            ("<meta property=\"og:title\" content=\"OG\"><p>x</p>", Some("OG")),
            ("<title></title><h1>Fallback</h1>", Some("Fallback")),
            ("<p>x</p>", None),
        ];
        for (html, want) in cases {
            let got = extract_html_text(html.as_bytes()).expect("has text");
            assert_eq!(got.title.as_deref(), want, "html {html:?}");
        }
    }

    #[test]
    fn date_sources() {
        let cases = [
            ("<meta name=\"date\" content=\"2017-06-19\">", Some("2017-06-19")),
            ("<meta name=\"pubdate\" content=\"20170619\">", Some("2017-06-19")),
            ("<meta property=\"article:published_time\" content=\"2017-06-19T08:00:00+07:00\">", Some("2017-06-19")),
            ("<meta name=\"DC.date\" content=\"19/06/2017\">", Some("2017-06-19")),
            ("<time datetime=\"2011-04-14 09:00\">14/4</time>", Some("2011-04-14")),
            ("<meta name=\"date\" content=\"soon\"><time datetime=\"2011-04-14\">", Some("2011-04-14")),
            ("<meta name=\"description\" content=\"2017-06-19\">", None),
        ];
        for (head, want) in cases {
            let html = format!("<html><head>{head}</head><body><p>x</p></body></html>");
            let got = extract_html_text(html.as_bytes()).expect("has text");
            assert_eq!(got.date.as_deref(), want, "head {head:?}");
        }
    }

    #[test]
    fn pages_without_text_are_errors() {
        let cases = ["", "<html><body></body></html>", "<nav>menu</nav><script>x()</script>", "   "];
        for html in cases {
            assert!(matches!(extract_html_text(html.as_bytes()), Err(ExtractError::HtmlEmpty)), "html {html:?}");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let got = extract_html_text(b"<p>ch\xFFa</p>").expect("has text");
        assert_eq!(got.body, "ch\u{FFFD}a");
    }
}
