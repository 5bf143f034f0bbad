//! The search page's main content: the welcome text, one page of results (notices, count and time,
//! hits, pages), the empty state and the error notice.

use kho_core::analysis::{fold_diacritics, has_diacritics};
use kho_core::facets::FacetCount;
use kho_core::query::ActiveFilter;
use kho_core::schema::kind_label;
use kho_core::search::{Hit, SearchResponse, Sort, DEFAULT_PAGE_SIZE, MAX_EXPORT_ROWS, MAX_RESULT_DEPTH};

use super::facets::{active_list, panel, value_label};
use super::timeline::timeline;
use super::{
    document_link, escape, file_name, format_count, format_date, format_ms, search_link, url_encode, vietnamese_part,
};

/// Pages linked on each side of the current one.
const PAGE_WINDOW: usize = 2;

/// The home page: what is in the archive and how to search it.
pub fn welcome(documents: u64) -> String {
    let example = |q: &str| format!(r#"<a href="{}">{}</a>"#, escape(&search_link(q, Sort::Relevance)), escape(q));
    format!(
        r#"<section class="welcome" aria-labelledby="welcome-heading">
<h1 id="welcome-heading">Tìm trong kho tài liệu sản xuất sạch hơn</h1>
<p>{documents} tài liệu: tin tức từ các sở, báo cáo hội thảo và bộ tài liệu hướng dẫn. Gõ có dấu hoặc không dấu đều được.</p>
<p>Thử tìm: {a}, {b}, {c}.</p>
<h2>Cách tìm</h2>
<dl class="syntax">
<dt><code>"sản xuất sạch hơn"</code></dt><dd>đúng cụm từ trong ngoặc kép</dd>
<dt><code>đường -sách</code></dt><dd>bỏ các tài liệu có từ sau dấu trừ</dd>
<dt><code>mía OR đường</code></dt><dd>một trong hai từ</dd>
<dt><code>kind:report</code>, <code>year:2011</code>, <code>year:2009..2013</code></dt><dd>lọc theo loại tài liệu (news, report, toolkit) và năm</dd>
<dt><code>province:ben-tre</code>, <code>sector:det-nhuom</code></dt><dd>lọc theo tỉnh, thành phố và ngành (tỉnh, thành phố sau sáp nhập 2025 gồm cả các tỉnh cũ: <code>province:vinh-long</code> có cả Bến Tre, Trà Vinh)</dd>
<dt><code>number:24/2018/QH14</code>, <code>issuer:"Quốc hội"</code></dt><dd>lọc văn bản theo số, ký hiệu và cơ quan ban hành</dd>
<dt><code>title:"nhà máy"</code></dt><dd>các từ phải có trong tiêu đề</dd>
<dt><code>caption:"Trần Thị Liên"</code></dt><dd>các từ phải có trong chú thích ảnh (“Hình 1. …”)</dd>
</dl>
</section>"#,
        documents = format_count(usize::try_from(documents).unwrap_or(usize::MAX)),
        a = example("hội thảo sản xuất sạch hơn Bến Tre"),
        b = example("nha may duong"),
        c = example("tiết kiệm nước kind:news"),
    )
}

/// A request the user must fix, in Vietnamese.
pub fn error_notice(message: &str) -> String {
    format!(r#"<p class="error" role="alert">{}</p>"#, escape(vietnamese_part(message)))
}

/// The years a timeline draws: the matching documents per year and how many match in all.
pub struct Years<'a> {
    pub timeline: &'a [FacetCount],
    pub total: usize,
}

/// One page of results in `sort` order, with the filter panel. `years` is the timeline to draw when it
/// is not the response's own (with a year filter, the years of the search without it, so the chart
/// still shows where the chosen year stands and offers the others).
pub fn results(response: &SearchResponse, sort: Sort, years: Option<Years<'_>>) -> String {
    let q = response.query.as_str();
    let mut main = String::new();
    main.push_str(&format!(
        r#"<h1 id="results-heading" class="visually-hidden">Kết quả tìm kiếm cho “{}”</h1>"#,
        escape(q)
    ));
    main.push_str(&notices(response, sort));
    main.push_str(&active_list(q, &response.filters, sort));
    if response.total == 0 {
        main.push_str(&empty_state(q, &response.filters, sort));
    } else {
        main.push_str(&format!(r#"<div class="results-bar">{}{}</div>"#, count_line(response), sort_switch(q, sort)));
        let years = years.unwrap_or(Years { timeline: &response.timeline, total: response.total });
        main.push_str(&timeline(q, years.timeline, years.total, &response.filters, sort));
        main.push_str(&format!(r#"<ol class="hits" start="{}">"#, (response.page - 1) * response.size + 1));
        for hit in &response.hits {
            main.push_str(&hit_html(hit, q));
        }
        main.push_str("</ol>");
        main.push_str(&pagination(response, sort));
        main.push_str(&export_links(response, sort));
    }
    format!(
        r#"<div class="results-layout">{panel}<section class="results" aria-labelledby="results-heading">{main}</section></div>"#,
        panel = panel(q, &response.filters, &response.facets, sort),
    )
}

/// Links that download every result (not only this page) as CSV or JSON Lines, with the query, its
/// filters, the order and the page size (which decides, as for the count shown, whether documents
/// with only some of the words are included).
fn export_links(response: &SearchResponse, sort: Sort) -> String {
    let link = |format: &str| {
        let mut href = format!("/api/search?q={}&format={format}", url_encode(&response.query));
        if response.size != DEFAULT_PAGE_SIZE {
            href.push_str(&format!("&size={}", response.size));
        }
        if sort == Sort::Date {
            href.push_str("&sort=date");
        }
        escape(&href)
    };
    let limit = if response.total > MAX_EXPORT_ROWS {
        format!(r#" <span class="muted">({} kết quả đầu)</span>"#, format_count(MAX_EXPORT_ROWS))
    } else {
        String::new()
    };
    format!(
        r#"<p class="export">Tải toàn bộ kết quả: <a href="{csv}" download>Tải CSV</a> · <a href="{jsonl}" download>Tải JSONL</a>{limit}</p>"#,
        csv = link("csv"),
        jsonl = link("jsonl"),
    )
}

/// Relevance or date order, the current one marked.
fn sort_switch(q: &str, sort: Sort) -> String {
    let option = |option: Sort, label: &str| {
        if option == sort {
            format!(r#"<span class="current" aria-current="true">{label}</span>"#)
        } else {
            format!(r#"<a href="{}">{label}</a>"#, escape(&search_link(q, option)))
        }
    };
    format!(
        r#"<nav class="sort" aria-label="Sắp xếp kết quả">Sắp xếp: {} {}</nav>"#,
        option(Sort::Relevance, "Liên quan nhất"),
        option(Sort::Date, "Mới nhất")
    )
}

fn notices(response: &SearchResponse, sort: Sort) -> String {
    let mut html = String::new();
    if let Some(corrected) = &response.corrected_query {
        html.push_str(&format!(
            r#"<p class="notice corrected">Kết quả cho: <strong>{}</strong> <span class="muted">(bạn đã gõ “{}”)</span></p>"#,
            escape(corrected),
            escape(&response.query),
        ));
    }
    if let Some(suggestion) = &response.suggestion {
        html.push_str(&format!(
            r#"<p class="notice suggestion">Có phải bạn muốn tìm: <a href="{}">{}</a></p>"#,
            escape(&search_link(suggestion, sort)),
            escape(suggestion),
        ));
    }
    if response.relaxed && response.total > 0 {
        html.push_str(
            r#"<p class="notice relaxed">Một số kết quả không có đủ mọi từ bạn tìm (xếp sau các tài liệu có đủ).</p>"#,
        );
    }
    html
}

fn count_line(response: &SearchResponse) -> String {
    let pages = page_count(response);
    let page = if pages > 1 { format!(" · trang {} / {}", response.page, pages) } else { String::new() };
    format!(
        r#"<p class="count" role="status"><strong>{total}</strong> kết quả <span class="muted">({took}){page}</span></p>"#,
        total = format_count(response.total),
        took = format_ms(response.took_ms),
    )
}

fn hit_html(hit: &Hit, q: &str) -> String {
    let date = hit
        .date
        .as_deref()
        .map(|d| {
            format!(r#"<span class="date"><time datetime="{}">{}</time></span>"#, escape(d), escape(&format_date(d)))
        })
        .unwrap_or_default();
    // A legal document's number beside its kind: "Luật · số 24/2018/QH14".
    let number =
        hit.number.as_deref().map(|n| format!(r#"<span class="number">số {}</span>"#, escape(n))).unwrap_or_default();
    format!(
        r#"<li class="hit"><h2 class="hit-title"><a href="{href}">{title}</a></h2>
<p class="meta"><span class="kind kind-{kind}">{kind_label}</span>{number}{date}<span class="source">{source} · {format}</span></p>
<p class="snippet">{snippet}</p></li>"#,
        href = escape(&document_link(&hit.id, q)),
        title = hit.title_html,
        kind = escape(&hit.kind),
        kind_label = kind_label(&hit.kind),
        source = escape(file_name(&hit.path)),
        format = escape(&hit.format.to_uppercase()),
        snippet = hit.snippet,
    )
}

fn page_count(response: &SearchResponse) -> usize {
    response.total.div_ceil(response.size).min(MAX_RESULT_DEPTH / response.size)
}

fn page_link(response: &SearchResponse, page: usize, sort: Sort) -> String {
    let size = if response.size == DEFAULT_PAGE_SIZE { String::new() } else { format!("&size={}", response.size) };
    let sort = if sort == Sort::Date { "&sort=date" } else { "" };
    format!("/?q={}&page={page}{size}{sort}", url_encode(&response.query))
}

fn pagination(response: &SearchResponse, sort: Sort) -> String {
    let pages = page_count(response);
    if pages <= 1 {
        return String::new();
    }
    let current = response.page;
    let link = |page: usize, label: &str, rel: &str| {
        format!(r#"<li><a href="{}"{rel}>{label}</a></li>"#, escape(&page_link(response, page, sort)))
    };
    let mut html = String::from(r#"<nav class="pages" aria-label="Các trang kết quả"><ul>"#);
    if current > 1 {
        html.push_str(&link(current - 1, "‹ Trước", r#" rel="prev""#));
    }
    let first = current.saturating_sub(PAGE_WINDOW).max(1);
    let last = (current + PAGE_WINDOW).min(pages);
    if first > 1 {
        html.push_str(&link(1, "1", ""));
        if first > 2 {
            html.push_str(r#"<li class="gap" aria-hidden="true">…</li>"#);
        }
    }
    for page in first..=last {
        if page == current {
            html.push_str(&format!(r#"<li><span class="current" aria-current="page">{page}</span></li>"#));
        } else {
            html.push_str(&link(page, &page.to_string(), ""));
        }
    }
    if last < pages {
        if last + 1 < pages {
            html.push_str(r#"<li class="gap" aria-hidden="true">…</li>"#);
        }
        html.push_str(&link(pages, &pages.to_string(), ""));
    }
    if current < pages {
        html.push_str(&link(current + 1, "Sau ›", r#" rel="next""#));
    }
    html.push_str("</ul></nav>");
    html
}

/// No result: say so, and offer ways to widen the search.
fn empty_state(q: &str, filters: &[ActiveFilter], sort: Sort) -> String {
    let mut tips = String::new();
    for filter in filters {
        tips.push_str(&format!(
            r#"<li>Bỏ bộ lọc <a href="{}">{}: {}</a></li>"#,
            escape(&search_link(&filter.query_without, sort)),
            filter.field.label_vi(),
            escape(&value_label(filter.field, &filter.value)),
        ));
    }
    if has_diacritics(q) {
        let plain = fold_diacritics(q);
        tips.push_str(&format!(
            r#"<li>Tìm không dấu: <a href="{}">{}</a> (tìm được cả các cách viết dấu khác)</li>"#,
            escape(&search_link(&plain, sort)),
            escape(&plain),
        ));
    }
    tips.push_str("<li>Dùng ít từ hơn, hoặc một từ khác cùng nghĩa</li>");
    tips.push_str("<li>Kiểm tra chính tả; gõ không dấu cũng được</li>");
    format!(
        r#"<div class="empty" role="status"><h2>Không tìm thấy tài liệu nào cho “{}”.</h2><p>Bạn có thể thử:</p><ul>{tips}</ul></div>"#,
        escape(q)
    )
}
