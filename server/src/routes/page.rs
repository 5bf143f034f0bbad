//! The web pages: `GET /` (search box, results, filters) and `GET /documents/{id}` (one document).
//! Server-rendered HTML that works without JavaScript (see [`crate::render`]); `/assets/kho.js` adds
//! suggestions as you type.
//!
//! Results are in relevance order, or newest first with `sort=date`; every link of the page keeps the
//! order.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kho_core::query::FilterField;
use kho_core::search::{SearchRequest, Sort};
use serde::Deserialize;

use crate::render::document::{document, DocumentContext};
use crate::render::layout::{render, Page};
use crate::render::results::{error_notice, results, welcome, Years};
use crate::routes::documents::SIMILAR_LIMIT;
use crate::routes::original::locate_original;
use crate::routes::search::SearchParams;
use crate::state::AppState;

pub async fn search_page(State(state): State<AppState>, Query(params): Query<SearchParams>) -> Response {
    let q = params.q.clone().unwrap_or_default();
    if q.trim().is_empty() {
        let main = welcome(state.num_docs());
        return html_page(
            StatusCode::OK,
            "Kho — tìm kiếm tài liệu sản xuất sạch hơn",
            "",
            Sort::Relevance,
            &main,
            true,
        );
    }
    let title = format!("{q} — Kho");
    let request = match params.to_request() {
        Ok(request) => request,
        Err(error) => {
            return html_page(error.status, &title, &q, Sort::Relevance, &error_notice(&error.message), false)
        }
    };
    let sort = request.sort;
    let response = match state.search(request.clone()).await {
        Ok(response) => response,
        Err(error) => return html_page(error.status, &title, &q, sort, &error_notice(&error.message), false),
    };
    // With a year filter, the timeline shows the years of the search without it (see `results`).
    let unfiltered = match response.filters.iter().find(|f| f.field == FilterField::Year) {
        Some(year) if response.total > 0 => {
            let without = SearchRequest { q: year.query_without.clone(), page: 1, ..request };
            state.search(without).await.ok()
        }
        _ => None,
    };
    let years = unfiltered.as_ref().map(|r| Years { timeline: &r.timeline, total: r.total });
    html_page(StatusCode::OK, &title, &q, sort, &results(&response, sort, years), false)
}

/// The query string of a document page: the query the reader came from.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentParams {
    pub q: Option<String>,
}

pub async fn document_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<DocumentParams>,
) -> Response {
    let q = params.q.unwrap_or_default();
    let (found, similar) = tokio::join!(state.stored_document(id.clone()), state.similar(id, SIMILAR_LIMIT));
    let doc = match found {
        Ok(doc) => doc,
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            let main =
                r#"<p class="error" role="alert">Không tìm thấy tài liệu này. Có thể tài liệu đã bị xoá khỏi kho.</p>"#;
            return html_page(StatusCode::NOT_FOUND, "Không tìm thấy — Kho", &q, Sort::Relevance, main, false);
        }
        Err(error) => return error.into_response(),
    };
    let similar = similar.unwrap_or_else(|error| {
        tracing::warn!(code = error.code, "similar documents unavailable");
        Vec::new()
    });
    let original_available = locate_original(&state, &doc.path).await.is_ok();
    let doc = state.publish_document(doc);
    let context = DocumentContext { q: &q, similar: &similar, original_available };
    let main = document(&doc, &context);
    html_page(StatusCode::OK, &format!("{} — Kho", doc.title), &q, Sort::Relevance, &main, false)
}

fn html_page(status: StatusCode, title: &str, q: &str, sort: Sort, main: &str, focus_search: bool) -> Response {
    (status, Html(render(&Page { title, q, main, sort, focus_search }))).into_response()
}
