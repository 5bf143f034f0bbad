//! The frame every page shares: head (stylesheet, script, OpenSearch link), the search form, a skip
//! link for keyboard users, and the footer. The form is a plain GET form, so searching works without
//! JavaScript; `/assets/kho.js` turns the box into a combobox with suggestions when it runs.

use kho_core::query::MAX_QUERY_CHARS;
use kho_core::search::Sort;

use super::escape;

/// One page to render.
pub struct Page<'a> {
    /// The document title (escaped here).
    pub title: &'a str,
    /// The query shown in the search box (escaped here).
    pub q: &'a str,
    /// The main content, already HTML.
    pub main: &'a str,
    /// The order of results, kept when searching again from the box.
    pub sort: Sort,
    /// The home page focuses the search box.
    pub focus_search: bool,
}

/// The whole HTML document.
pub fn render(page: &Page<'_>) -> String {
    format!(
        r##"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/assets/kho.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="search" type="application/opensearchdescription+xml" title="Kho" href="/opensearch.xml">
<script src="/assets/kho.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>
<header class="top">
  <a class="brand" href="/" aria-label="Kho, trang chủ"><span class="brand-mark" aria-hidden="true">K</span>Kho</a>
  <form class="search" action="/" method="get" role="search">
    <label for="q" class="visually-hidden">Tìm trong kho tài liệu</label>
    <div class="combo">
      <input id="q" name="q" type="search" value="{q}" placeholder="Ví dụ: sản xuất sạch hơn Bến Tre" autocomplete="off" spellcheck="false" maxlength="{max_chars}"{autofocus}>
      <ul id="q-suggestions" class="suggestions" role="listbox" aria-label="Gợi ý tìm kiếm" hidden></ul>
    </div>
    {sort}<button type="submit">Tìm</button>
  </form>
</header>
<main id="main" tabindex="-1">
{main}
</main>
<footer class="bottom">
  <p>Kho — kho tài liệu sản xuất sạch hơn (SXSH). Gõ có dấu hoặc không dấu đều được.</p>
  <p><a href="/api/openapi.json">API</a> · <a href="/opensearch.xml">OpenSearch</a></p>
</footer>
</body>
</html>"##,
        title = escape(page.title),
        q = escape(page.q),
        main = page.main,
        max_chars = MAX_QUERY_CHARS,
        autofocus = if page.focus_search { " autofocus" } else { "" },
        sort = if page.sort == Sort::Date { r#"<input type="hidden" name="sort" value="date">"# } else { "" },
    )
}
