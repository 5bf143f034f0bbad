//! The document page: metadata, the original file's download link, the full text with the query's
//! words marked (and a link to the first match), and similar documents.

use kho_core::facets::NamedValue;
use kho_core::query::{with_filter, without_filters, FilterField};
use kho_core::schema::kind_label;
use kho_core::search::{DocumentView, Hit, OcrView, Sort};

use super::highlight::{QueryHighlighter, FIRST_MATCH_ID};
use super::{document_link, escape, file_name, format_count, format_date, search_link, url_encode};

/// What the document page shows besides the document itself.
pub struct DocumentContext<'a> {
    /// The query the reader came from, if any: its words are marked.
    pub q: &'a str,
    /// Documents like this one.
    pub similar: &'a [Hit],
    /// Whether `/documents/{id}/original` can serve the original file.
    pub original_available: bool,
}

/// The page's main content.
pub fn document(doc: &DocumentView, context: &DocumentContext<'_>) -> String {
    let mut highlighter = QueryHighlighter::new(context.q);
    let mut text = String::new();
    for paragraph in doc.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let html = match highlighter.as_mut() {
            Some(highlighter) => highlighter.mark(paragraph),
            None => escape(paragraph),
        };
        // Captions keep their place in the text, set apart as the captions of the photos they were.
        let class = if doc.captions.iter().any(|c| c == paragraph) { r#" class="caption""# } else { "" };
        text.push_str(&format!("<p{class}>{html}</p>\n"));
    }
    let matches = highlighter.as_ref().map_or(0, QueryHighlighter::matches);
    format!(
        r#"<div class="document-layout">
<article class="document" aria-labelledby="document-title">
{back}<h1 id="document-title">{title}</h1>
{meta}
{tools}
<div class="document-text">
{text}</div>
</article>
{similar}
</div>"#,
        back = back_link(context.q),
        title = escape(&doc.title),
        meta = metadata(doc, context.original_available),
        tools = match_tools(context.q, matches),
        similar = similar_list(context.similar),
    )
}

fn back_link(q: &str) -> String {
    if q.trim().is_empty() {
        return String::new();
    }
    format!(
        r#"<p class="back"><a href="{}">‹ Kết quả tìm “{}”</a></p>"#,
        escape(&search_link(q, Sort::Relevance)),
        escape(q)
    )
}

fn metadata(doc: &DocumentView, original_available: bool) -> String {
    let date = doc
        .date
        .as_deref()
        .map(|d| format!(r#"<dt>Ngày</dt><dd><time datetime="{}">{}</time></dd>"#, escape(d), escape(&format_date(d))))
        .unwrap_or_default();
    let original = if original_available {
        format!(
            r#"<a class="download" href="/documents/{id}/original" download>Tải bản gốc ({format})</a>"#,
            id = escape(&url_encode(&doc.id)),
            format = escape(&doc.format.to_uppercase()),
        )
    } else {
        r#"<span class="muted">Bản gốc không có trên máy chủ này</span>"#.to_owned()
    };
    let places = [
        (FilterField::Province, &doc.provinces),
        (FilterField::Sector, &doc.sectors),
        (FilterField::Organization, &doc.organizations),
    ]
    .into_iter()
    .map(|(field, values)| metadata_links(field, values))
    .collect::<String>();
    let author = doc.author.as_deref().map(|a| format!("<dt>Tác giả</dt><dd>{}</dd>\n", escape(a))).unwrap_or_default();
    let number = doc
        .number
        .as_deref()
        .map(|n| format!("<dt>{}</dt><dd class=\"number\">{}</dd>\n", FilterField::Number.label_vi(), escape(n)))
        .unwrap_or_default();
    let issuer = doc
        .issuer
        .as_deref()
        .map(|i| {
            let q = with_filter("", FilterField::Issuer, i);
            let link = format!(r#"<a href="{}">{}</a>"#, escape(&search_link(&q, Sort::Relevance)), escape(i));
            format!("<dt>{}</dt><dd>{link}</dd>\n", FilterField::Issuer.label_vi())
        })
        .unwrap_or_default();
    let ocr = doc.ocr.as_ref().map(ocr_row).unwrap_or_default();
    let captions = if doc.captions.is_empty() {
        String::new()
    } else {
        let items: String = doc.captions.iter().map(|c| format!("<li>{}</li>", escape(c))).collect();
        format!("<dt>Chú thích ảnh</dt><dd><ul class=\"captions\">{items}</ul></dd>\n")
    };
    format!(
        r#"<dl class="doc-meta">
<dt>Loại</dt><dd><span class="kind kind-{kind}">{kind_label}</span></dd>
{number}{issuer}{date}{author}{places}{captions}{ocr}<dt>Tệp gốc</dt><dd><span class="source">{source}</span> · {original}</dd>
<dt>Trích dẫn</dt><dd class="cite"><a href="/api/documents/{id}/citation?format=ris" download>RIS</a> · <a href="/api/documents/{id}/citation?format=bibtex" download>BibTeX</a> <span class="muted">(Zotero, EndNote, LaTeX)</span></dd>
</dl>"#,
        id = escape(&url_encode(&doc.id).replace('+', "%20")),
        kind = escape(&doc.kind),
        kind_label = kind_label(&doc.kind),
        source = escape(file_name(&doc.path)),
    )
}

/// The row saying that OCR read the text, of which pages, how confidently.
fn ocr_row(ocr: &OcrView) -> String {
    let pages: Vec<String> = ocr.pages.iter().map(u32::to_string).collect();
    format!(
        "<dt>Nhận dạng chữ (OCR)</dt><dd class=\"ocr\">trang {} · độ tin cậy {}%</dd>\n",
        escape(&pages.join(", ")),
        ocr.confidence
    )
}

/// One metadata row whose values link to the documents sharing them (`province:ben-tre`).
fn metadata_links(field: FilterField, values: &[NamedValue]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let links: Vec<String> = values
        .iter()
        .map(|v| {
            let q = format!("{}:{}", field.as_str(), v.value);
            format!(r#"<a href="{}">{}</a>"#, escape(&search_link(&q, Sort::Relevance)), escape(&v.name))
        })
        .collect();
    format!("<dt>{}</dt><dd>{}</dd>\n", field.label_vi(), links.join(", "))
}

fn match_tools(q: &str, matches: usize) -> String {
    if q.trim().is_empty() {
        return String::new();
    }
    if matches == 0 {
        return format!(
            r#"<p class="match-tools" role="status">Không có từ nào của “{}” trong nội dung (có thể chỉ khớp tiêu đề hoặc từ đồng nghĩa).</p>"#,
            escape(&without_filters(q))
        );
    }
    format!(
        r##"<p class="match-tools" role="status">{count} chỗ khớp với “{words}” được tô sáng. <a href="#{FIRST_MATCH_ID}">Đến chỗ khớp đầu tiên</a></p>"##,
        count = format_count(matches),
        words = escape(&without_filters(q)),
    )
}

fn similar_list(similar: &[Hit]) -> String {
    if similar.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        r#"<aside class="similar" aria-labelledby="similar-heading"><h2 id="similar-heading">Tài liệu tương tự</h2><ul>"#,
    );
    for hit in similar {
        let date = hit.date.as_deref().map(|d| format!(" · {}", escape(&format_date(d)))).unwrap_or_default();
        html.push_str(&format!(
            r#"<li><a href="{href}">{title}</a><span class="meta">{kind}{date}</span></li>"#,
            href = escape(&document_link(&hit.id, "")),
            title = escape(&hit.title),
            kind = kind_label(&hit.kind),
        ));
    }
    html.push_str("</ul></aside>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ocr_row_names_the_pages_and_the_confidence() {
        let cases = [
            (OcrView { pages: vec![1, 2], confidence: 93 }, "trang 1, 2 · độ tin cậy 93%"),
            (OcrView { pages: vec![4], confidence: 61 }, "trang 4 · độ tin cậy 61%"),
        ];
        for (ocr, want) in cases {
            assert_eq!(ocr_row(&ocr), format!("<dt>Nhận dạng chữ (OCR)</dt><dd class=\"ocr\">{want}</dd>\n"));
        }
    }
}
