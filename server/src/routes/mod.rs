//! The route table: every HTTP route, one handler module each, and the middleware around them.

mod assets;
mod citation;
mod complete;
mod documents;
mod export;
mod health;
mod openapi;
mod opensearch;
mod original;
mod page;
mod search;

use std::sync::Arc;

use axum::middleware;
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::rate_limit::{self, RateLimiter};
use crate::state::AppState;
use crate::{admin, cors, limits, request_id, security_headers, telemetry};

/// The router: JSON API, health check, web pages, widget and OpenSearch description, and the admin API
/// when a key is configured.
pub fn app(state: AppState) -> Router {
    // Installed before the first request, so that every request is counted.
    telemetry::recorder();
    let cors = Arc::new(state.web.cors.clone());
    let limiter = RateLimiter::new(state.web.rate_limit);
    let limits = limits::Limits {
        timeout: state.web.request_timeout.unwrap_or(limits::DEFAULT_REQUEST_TIMEOUT),
        max_upload_bytes: state.admin.as_ref().map(|admin| admin.config.max_upload_bytes),
    };
    let router = Router::new()
        .route("/", get(page::search_page))
        .route("/documents/{id}", get(page::document_page))
        .route("/documents/{id}/original", get(original::original))
        .route("/assets/{name}", get(assets::asset_file))
        .route("/widget.js", get(assets::widget_script))
        .route("/opensearch.xml", get(opensearch::description))
        .route("/api/search", get(search::search))
        .route("/api/suggest", get(complete::complete))
        .route("/api/documents/{id}", get(documents::document))
        .route("/api/documents/{id}/similar", get(documents::similar))
        .route("/api/documents/{id}/citation", get(citation::citation))
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(telemetry::render));
    let router = admin::add_routes(router, &state)
        .fallback(not_found)
        .layer(middleware::from_fn(telemetry::track))
        .layer(middleware::from_fn(security_headers::add))
        .layer(middleware::from_fn_with_state(cors, cors::handle))
        .layer(middleware::from_fn_with_state(limits, limits::enforce))
        .layer(middleware::from_fn(request_id::tag))
        .with_state(state);
    match limiter {
        Some(limiter) => router.layer(middleware::from_fn_with_state(limiter, rate_limit::limit)),
        None => router,
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "Không có trang này / no such route")
}
