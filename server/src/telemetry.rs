//! `GET /metrics`: what the server does, in Prometheus' text format, for whoever watches it.
//!
//! - `kho_http_requests_total{route, status}` and `kho_http_request_duration_seconds{route}` (a
//!   histogram), by route template (`/api/documents/:id`, not every id; `unmatched` for a 404 of no
//!   route), recorded by [`track`] around every request;
//! - `kho_search_cache_total{result="hit"|"miss"}`: answers from the response cache, and searches run;
//! - `kho_documents`, `kho_index_segments` and `kho_index_last_commit_opstamp` (which moves with every
//!   commit), read when scraped;
//! - `kho_indexed_files_total{outcome}`: what the folder watcher indexed, left unchanged, removed or
//!   failed.
//!
//! The numbers are kept by the `metrics` crate's global recorder, installed once per process by
//! [`recorder`]; the exporter renders them.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds: searches take a millisecond or two, pages a few.
const LATENCY_BUCKETS: [f64; 12] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 5.0];

/// The process's recorder, installed on first use; `None` when another recorder was installed first
/// (then nothing is recorded, and `/metrics` says so).
pub fn recorder() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("kho_http_request_duration_seconds".to_owned()), &LATENCY_BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => {
                    spawn_upkeep(handle.clone());
                    Some(handle)
                }
                Err(error) => {
                    tracing::warn!(error = %error, "metrics recorder not installed: /metrics stays empty");
                    None
                }
            }
        })
        .as_ref()
}

/// How often the recorder's histograms are drained into their buckets.
const UPKEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Drains the histograms every [`UPKEEP_INTERVAL`] on a thread of its own. The exporter keeps every
/// observation of a histogram until it is drained, which rendering `/metrics` does: a server nobody
/// scrapes would otherwise grow by one number per request for ever (the soak test saw 2 MB a minute at
/// saturation; metrics-rs/metrics issue 467).
fn spawn_upkeep(handle: PrometheusHandle) {
    let spawned = std::thread::Builder::new().name("kho-metrics-upkeep".to_owned()).spawn(move || loop {
        std::thread::sleep(UPKEEP_INTERVAL);
        handle.run_upkeep();
    });
    if let Err(error) = spawned {
        tracing::warn!(error = %error, "metrics upkeep thread not started: scrape /metrics to bound its memory");
    }
}

/// The middleware: counts every request by route and status, and times it.
pub async fn track(request: Request, next: Next) -> Response {
    // Route parameters written `:id` rather than axum's `{id}`: some Prometheus parsers stop at a brace
    // inside a label value.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().replace('{', ":").replace('}', ""));
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("kho_http_requests_total", "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("kho_http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>) -> Response {
    let Some(handle) = recorder() else {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "# metrics recorder not installed\n").into_response();
    };
    metrics::gauge!("kho_documents").set(state.num_docs() as f64);
    let (segments, opstamp) = state.searcher.commit_stats();
    metrics::gauge!("kho_index_segments").set(segments as f64);
    metrics::gauge!("kho_index_last_commit_opstamp").set(opstamp as f64);
    let mut response = handle.render().into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}

/// Counts one answer of the search cache (`hit`) or one search run (`miss`).
pub fn search_cache(hit: bool) {
    metrics::counter!("kho_search_cache_total", "result" => if hit { "hit" } else { "miss" }).increment(1);
}

/// Counts what one run of the folder watcher did.
pub fn indexed_files(indexed: usize, unchanged: usize, removed: usize, failed: usize) {
    for (outcome, n) in [("indexed", indexed), ("unchanged", unchanged), ("removed", removed), ("failed", failed)] {
        metrics::counter!("kho_indexed_files_total", "outcome" => outcome).increment(n as u64);
    }
}
