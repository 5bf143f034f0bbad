//! kho-server: the search server. [`app`] builds the router over an [`AppState`]; [`prepare_index`]
//! opens the index, building it from the bundled corpus on first start; [`serve`] runs the router
//! until [`shutdown_signal`].
//!
//! Inside: `routes` is the route table and its handlers, `state` what they share, `bootstrap` readies
//! the index at startup (the only module that runs the indexer), `shutdown` serves until a signal.
//! The web side: `render` writes the HTML pages, `complete` keeps the completions for the search box
//! (`/api/suggest`), [`cors`] lets configured sites call the API (the embedded widget), [`archive`] decides which original files may be downloaded,
//! [`admin`] is the admin API behind a key (uploads, deletions, reindexing),
//! and `security_headers` sets the Content-Security-Policy of the pages. [`export`] and [`citation`]
//! write results as CSV/JSON Lines and one document as RIS/BibTeX. `memory` is the only module
//! with `unsafe` code (mimalloc's and glibc's allocator settings).

pub mod admin;
pub mod archive;
mod bootstrap;
pub mod citation;
mod complete;
pub mod config;
pub mod cors;
mod error;
pub mod export;
mod limits;
#[allow(unsafe_code)]
mod memory;
mod rate_limit;
mod render;
mod request_id;
pub mod response_cache;
mod routes;
mod search_pool;
mod security_headers;
mod shutdown;
mod state;
mod telemetry;

pub use bootstrap::{
    default_corpus_dir, parse_seconds, prepare_default_index, prepare_index, spawn_corpus_watcher, synonym_source,
};
pub use complete::Completions;
pub use routes::app;
pub use shutdown::{serve, shutdown_signal};
pub use state::AppState;
