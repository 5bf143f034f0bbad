//! `GET /admin`: the administration page, served only when a key is configured.
//!
//! The page asks for the key first; `/assets/admin.js` keeps it in the tab's `sessionStorage` (never in
//! a cookie or the URL, gone when the tab closes), checks it against `GET /api/reindex`, and then shows
//! the upload form, the deletion form and the reindex button, sending the key as `Authorization: Bearer`
//! with each request. The forms are hidden without JavaScript (the key could not be sent as a header),
//! which the page says; searching never needs JavaScript.

use axum::response::Html;
use kho_core::search::Sort;

use crate::render::layout::{render, Page};

const ADMIN_MAIN: &str = r##"<section class="admin" aria-labelledby="admin-title">
<h1 id="admin-title">Quản trị kho</h1>
<noscript><p class="notice">Trang quản trị cần JavaScript để gửi khoá quản trị. Tìm kiếm vẫn dùng được không cần JavaScript.</p></noscript>
<form id="admin-key-form" class="admin-form" hidden>
  <p><label for="admin-key">Khoá quản trị</label>
  <input id="admin-key" name="key" type="password" autocomplete="off" required minlength="16"></p>
  <p><button type="submit">Dùng khoá này</button></p>
  <p class="hint">Khoá chỉ được giữ trong thẻ trình duyệt này (sessionStorage) và gửi kèm mỗi yêu cầu quản trị.</p>
</form>
<div id="admin-panel" hidden>
  <form id="upload-form" class="admin-form" enctype="multipart/form-data">
    <h2>Tải tài liệu lên</h2>
    <p><label for="upload-file">Tệp (.html .htm .txt .pdf .docx .pptx .odt)</label>
    <input id="upload-file" name="file" type="file" required accept=".html,.htm,.txt,.pdf,.docx,.pptx,.odt"></p>
    <p><label for="upload-title">Tiêu đề (không bắt buộc)</label>
    <input id="upload-title" name="title" type="text" maxlength="500"></p>
    <p><label for="upload-kind">Loại (không bắt buộc)</label>
    <select id="upload-kind" name="kind">
      <option value="">— theo tệp —</option>
      <option value="news">Tin tức</option>
      <option value="report">Báo cáo</option>
      <option value="toolkit">Tài liệu hướng dẫn</option>
      <option value="other">Khác</option>
    </select></p>
    <p><button type="submit">Tải lên và lập chỉ mục</button></p>
  </form>
  <form id="delete-form" class="admin-form">
    <h2>Xoá tài liệu khỏi kho</h2>
    <p><label for="delete-id">Mã tài liệu</label>
    <input id="delete-id" name="id" type="text" required pattern="[0-9A-Za-z_.:#-]+"></p>
    <p><button type="submit">Xoá</button></p>
  </form>
  <div class="admin-form">
    <h2>Lập chỉ mục lại</h2>
    <p><button id="reindex-button" type="button">Lập chỉ mục lại toàn bộ kho</button></p>
  </div>
  <p><button id="forget-key" type="button">Quên khoá</button></p>
</div>
<p id="admin-status" role="status" aria-live="polite"></p>
</section>
<script src="/assets/admin.js" defer></script>"##;

/// `GET /admin`.
pub async fn admin_page() -> Html<String> {
    Html(render(&Page {
        title: "Quản trị — Kho", q: "", main: ADMIN_MAIN, sort: Sort::Relevance, focus_search: false
    }))
}
