//! The web page: `GET /` (search box and results) and `GET /documents/{id}` (one document).
//! Server-rendered HTML that works without JavaScript; every text from the index is escaped, and
//! snippets arrive already escaped with only `<mark>` added.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kho_core::search::{DocumentView, Hit, SearchResponse};
use kho_core::Kind;

use crate::routes::search::SearchParams;
use crate::AppState;

const STYLE: &str = include_str!("../../assets/kho.css");

pub async fn search_page(State(state): State<AppState>, Query(params): Query<SearchParams>) -> Response {
    let q = params.q.clone().unwrap_or_default();
    if q.trim().is_empty() {
        return Html(layout("Kho — tìm kiếm tài liệu", &q, &welcome(state.searcher.num_docs()))).into_response();
    }
    let outcome = match params.to_request() {
        Ok(request) => state.search(request).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(response) => Html(layout(&format!("{q} — Kho"), &q, &results(&response))).into_response(),
        Err(error) => {
            let body = format!(r#"<p class="error" role="alert">{}</p>"#, escape(&error.message));
            (error.status, Html(layout(&format!("{q} — Kho"), &q, &body))).into_response()
        }
    }
}

pub async fn document_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.document(id).await {
        Ok(doc) => Html(layout(&format!("{} — Kho", doc.title), "", &document(&doc))).into_response(),
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            let body = r#"<p class="error" role="alert">Không tìm thấy tài liệu này.</p>"#;
            (StatusCode::NOT_FOUND, Html(layout("Không tìm thấy — Kho", "", body))).into_response()
        }
        Err(error) => error.into_response(),
    }
}

fn layout(title: &str, q: &str, main: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header class="top">
  <a class="brand" href="/">Kho</a>
  <form class="search" action="/" method="get" role="search">
    <label for="q" class="visually-hidden">Tìm trong kho tài liệu</label>
    <input id="q" name="q" type="search" value="{q}" placeholder="Ví dụ: sản xuất sạch hơn Bến Tre" autofocus>
    <button type="submit">Tìm</button>
  </form>
</header>
<main>
{main}
</main>
<footer class="bottom">Kho — kho tài liệu sản xuất sạch hơn. Tìm có dấu hoặc không dấu đều được.</footer>
</body>
</html>"#,
        title = escape(title),
        q = escape(q),
    )
}

fn welcome(documents: u64) -> String {
    format!(
        r#"<section class="welcome"><h1>Tìm trong kho tài liệu sản xuất sạch hơn</h1>
<p>{documents} tài liệu: tin tức, báo cáo hội thảo và bộ tài liệu hướng dẫn. Gõ có dấu hoặc không dấu, ví dụ
<a href="/?q=h%E1%BB%99i+th%E1%BA%A3o+s%E1%BA%A3n+xu%E1%BA%A5t+s%E1%BA%A1ch+h%C6%A1n">hội thảo sản xuất sạch hơn</a> hoặc
<a href="/?q=nha+may+duong">nha may duong</a>.</p></section>"#
    )
}

fn results(response: &SearchResponse) -> String {
    let mut html = String::new();
    if let Some(corrected) = &response.corrected_query {
        html.push_str(&format!(r#"<p class="corrected">Kết quả cho: <strong>{}</strong></p>"#, escape(corrected)));
    }
    if let Some(suggestion) = &response.suggestion {
        html.push_str(&format!(
            r#"<p class="suggestion">Có phải bạn muốn tìm: <a href="/?q={}">{}</a></p>"#,
            url_encode(suggestion),
            escape(suggestion)
        ));
    }
    if response.total == 0 {
        html.push_str(r#"<p class="empty">Không có tài liệu nào khớp. Hãy thử bớt từ, hoặc gõ không dấu.</p>"#);
        return html;
    }
    html.push_str(&format!(
        r#"<p class="count">{} kết quả ({:.1} ms){}</p><ol class="hits" start="{}">"#,
        response.total,
        response.took_ms,
        if response.relaxed {
            " — không tài liệu nào có đủ mọi từ; đây là các tài liệu có một phần"
        } else {
            ""
        },
        (response.page - 1) * response.size + 1,
    ));
    for hit in &response.hits {
        html.push_str(&hit_html(hit));
    }
    html.push_str("</ol>");
    html.push_str(&pagination(response));
    html
}

fn hit_html(hit: &Hit) -> String {
    format!(
        r#"<li class="hit"><h2><a href="/documents/{id}">{title}</a></h2>
<p class="meta"><span class="kind">{kind}</span>{date}<span class="path">{path}</span></p>
<p class="snippet">{snippet}</p></li>"#,
        id = escape(&hit.id),
        title = hit.title_html,
        kind = kind_label(&hit.kind),
        date = hit.date.as_deref().map(|d| format!(r#"<span class="date">{}</span>"#, escape(d))).unwrap_or_default(),
        path = escape(&hit.path),
        snippet = hit.snippet,
    )
}

fn pagination(response: &SearchResponse) -> String {
    let pages = response.total.div_ceil(response.size).min(kho_core::search::MAX_RESULT_DEPTH / response.size);
    if pages <= 1 {
        return String::new();
    }
    let link = |page: usize, label: &str| {
        format!(
            r#"<a href="/?q={q}&amp;page={page}&amp;size={size}">{label}</a>"#,
            q = url_encode(&response.query),
            size = response.size,
        )
    };
    let mut html = String::from(r#"<nav class="pages" aria-label="Trang kết quả">"#);
    if response.page > 1 {
        html.push_str(&link(response.page - 1, "« Trước"));
    }
    html.push_str(&format!(r#"<span>Trang {} / {}</span>"#, response.page, pages));
    if response.page < pages {
        html.push_str(&link(response.page + 1, "Sau »"));
    }
    html.push_str("</nav>");
    html
}

fn document(doc: &DocumentView) -> String {
    let paragraphs: String = doc
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    format!(
        r#"<article class="document"><h1>{title}</h1>
<p class="meta"><span class="kind">{kind}</span>{date}<span class="path">{path}</span><span class="format">{format}</span></p>
{paragraphs}</article>"#,
        title = escape(&doc.title),
        kind = kind_label(&doc.kind),
        date = doc.date.as_deref().map(|d| format!(r#"<span class="date">{}</span>"#, escape(d))).unwrap_or_default(),
        path = escape(&doc.path),
        format = escape(&doc.format),
    )
}

fn kind_label(kind: &str) -> &'static str {
    Kind::parse(kind).unwrap_or(Kind::Other).label_vi()
}

fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_queries_for_links() {
        assert_eq!(url_encode("sạch hơn"), "s%E1%BA%A1ch+h%C6%A1n");
        assert_eq!(url_encode("a&b=c"), "a%26b%3Dc");
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(escape(r#"<script>"x"</script>"#), "&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
    }
}
