//! `kho-serve [--index DIR] [--bind ADDR] [--corpus DIR] [--archive-root DIR]... [--cors-origin ORIGIN]...
//! [--watch] [--admin-key KEY]`: serves the search API, the web pages and the embeddable widget, and
//! the admin API when a key is given.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser};

use kho_server::admin::AdminKey;
use kho_server::archive::ArchiveRoots;
use kho_server::config::{AdminConfig, WebConfig};
use kho_server::cors::AllowedOrigins;
use kho_server::{
    app, default_corpus_dir, prepare_default_index, prepare_index, serve, shutdown_signal, spawn_corpus_watcher,
    synonym_source, AppState,
};

/// mimalloc: per-thread heaps without locks for the search threads and async workers (see the
/// `memory` module of kho-server for what it measured and how it is set).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Serve Kho's search: a JSON API (`/api/search`, `/api/documents/{id}`), a web page (`/`) and a
/// health check (`/healthz`).
///
/// When the index does not exist yet, it is built first from the bundled sample corpus, so
/// `kho-serve` alone is enough to try Kho.
#[derive(Debug, Parser)]
#[command(name = "kho-serve", version)]
struct Args {
    /// Index directory; built from --corpus when missing.
    #[arg(long, env = "KHO_INDEX", default_value = "data/index")]
    index: PathBuf,
    /// Address and port to listen on.
    #[arg(long, env = "KHO_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Folder to build a missing index from [default: the bundled corpus/].
    #[arg(long, env = "KHO_CORPUS")]
    corpus: Option<PathBuf>,
    /// Abbreviation and synonym dictionary, reloaded when it changes [default: config/synonyms.txt if
    /// present, else the bundled copy].
    #[arg(long, env = "KHO_SYNONYMS")]
    synonyms: Option<PathBuf>,
    /// A site allowed to call the API from a browser (the embedded widget), as scheme://host[:port];
    /// repeat for several, or `*` for any. None by default.
    #[arg(long = "cors-origin", env = "KHO_CORS_ORIGINS", value_delimiter = ',', value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// A folder whose files may be downloaded as documents' originals, besides --corpus; repeat for
    /// several.
    #[arg(long = "archive-root", env = "KHO_ARCHIVE_ROOTS", value_delimiter = ',', value_name = "DIR")]
    archive_roots: Vec<PathBuf>,
    /// Keep the index in step with --corpus while serving: files dropped in, changed or deleted are
    /// indexed, updated or removed within about --watch-interval seconds.
    #[arg(long, env = "KHO_WATCH")]
    watch: bool,
    /// Seconds between two listings of the watched folder.
    #[arg(long, default_value = "1", value_name = "SECS", value_parser = kho_server::parse_seconds)]
    watch_interval: Duration,
    /// Answers to repeated searches kept in memory, for the same index and synonyms (0: none).
    /// Requests per minute each client address may make to /api/ (429 with Retry-After past it); 0 for
    /// no limit. A public search box should set one (e.g. 600).
    #[arg(long, env = "KHO_RATE_LIMIT", default_value_t = 0, value_name = "N")]
    rate_limit: u32,
    /// Longest a request may take, in seconds, before it is answered 503 `timeout`.
    #[arg(long, default_value = "30", value_name = "SECS", value_parser = kho_server::parse_seconds)]
    request_timeout: std::time::Duration,
    /// How log lines are written: `text` for people, `json` (one object per line, with the request id
    /// and other fields as keys) for log collectors.
    #[arg(long, env = "KHO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Turns the admin API on (uploads, deletions, reindexing; see the README): the key callers send as
    /// `Authorization: Bearer KEY`, at least 16 characters. Prefer the environment variable, which other
    /// users of the machine cannot read from the process list. Off by default: the routes do not exist.
    #[arg(long, env = "KHO_ADMIN_KEY", value_name = "KEY", hide_env_values = true)]
    admin_key: Option<String>,
    /// Largest upload the admin API accepts, in MiB (413 `upload_too_large` past it).
    #[arg(long, env = "KHO_MAX_UPLOAD_MB", default_value_t = kho_server::admin::DEFAULT_MAX_UPLOAD_MB, value_name = "MIB")]
    max_upload_mb: u64,
    #[arg(long, env = "KHO_CACHE_ENTRIES", default_value_t = kho_server::response_cache::DEFAULT_CACHE_ENTRIES)]
    cache_entries: usize,
    /// Search a cluster of Sphinx searchd nodes instead of the local index: the cluster's description
    /// (JSON: nodes, shards, replicas; docs/scale-out.md). The index, --watch and the admin API are then
    /// not used.
    #[arg(long, env = "KHO_CLUSTER", value_name = "FILE", conflicts_with_all = ["watch", "admin_key"])]
    cluster: Option<PathBuf>,
}

/// The format of log lines (`--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let matches = Args::command().get_matches();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let format = matches.get_one::<LogFormat>("log_format").copied().unwrap_or(LogFormat::Text);
    match format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt().json().with_current_span(true).with_env_filter(filter).init(),
    }
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-serve: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(matches: &clap::ArgMatches) -> anyhow::Result<()> {
    let args = Args::from_arg_matches(matches)?;
    // Checked before anything slow, so a bad key fails at once.
    let admin_key = args.admin_key.as_deref().map(AdminKey::new).transpose().context("--admin-key")?;
    // `data/index` by default belongs to kho-serve: an index there that this version cannot read is rebuilt.
    let index_is_default = matches.value_source("index") == Some(ValueSource::DefaultValue);
    let corpus = args.corpus.unwrap_or_else(default_corpus_dir);
    if let Some(cluster) = &args.cluster {
        let spec = kho_cluster::ClusterSpec::load(cluster)?;
        let synonyms = synonym_source(args.synonyms.as_deref())?;
        let cors = AllowedOrigins::parse(&args.cors_origins).context("--cors-origin")?;
        let archive = ArchiveRoots::new(std::iter::once(corpus).chain(args.archive_roots));
        tracing::info!(cluster = %cluster.display(), nodes = spec.nodes.len(), shards = spec.shards, "searching a cluster");
        let web = WebConfig {
            cors,
            archive,
            rate_limit: args.rate_limit,
            request_timeout: Some(args.request_timeout),
            admin: None,
        };
        let state = AppState::on_cluster(&spec, Arc::new(synonyms))?.with_web_config(web);
        return serve_state(&args.bind, state);
    }
    let index = if index_is_default {
        prepare_default_index(&args.index, &corpus)?
    } else {
        prepare_index(&args.index, &corpus)?
    };
    let synonyms = synonym_source(args.synonyms.as_deref())?;
    let cors = AllowedOrigins::parse(&args.cors_origins).context("--cors-origin")?;
    let stop_watching = Arc::new(AtomicBool::new(false));
    let watcher = if args.watch {
        Some(spawn_corpus_watcher(&args.index, &corpus, args.watch_interval, Arc::clone(&stop_watching)))
    } else {
        None
    };
    let admin = match admin_key {
        None => None,
        Some(key) => {
            let upload_dir = corpus.join(kho_server::admin::UPLOAD_FOLDER);
            tracing::info!(uploads = %upload_dir.display(), max_upload_mb = args.max_upload_mb, "admin API on");
            Some(AdminConfig {
                key,
                index_dir: args.index.clone(),
                upload_dir,
                reindex_paths: std::iter::once(corpus.clone()).chain(args.archive_roots.iter().cloned()).collect(),
                max_upload_bytes: args.max_upload_mb.saturating_mul(1024 * 1024),
            })
        }
    };
    let archive = ArchiveRoots::new(std::iter::once(corpus).chain(args.archive_roots));
    if !cors.is_empty() {
        tracing::info!(origins = ?args.cors_origins, "sites allowed to call the API");
    }
    let state = AppState::with_synonyms(index, Arc::new(synonyms))?
        .with_web_config(WebConfig {
            cors,
            archive,
            rate_limit: args.rate_limit,
            request_timeout: Some(args.request_timeout),
            admin,
        })
        .with_cache_entries(args.cache_entries);
    serve_state(&args.bind, state)?;
    stop_watching.store(true, Ordering::Relaxed);
    if let Some(watcher) = watcher {
        let _ = watcher.join();
    }
    Ok(())
}

/// Listens on `bind` and serves `state` until a shutdown signal.
fn serve_state(bind: &str, state: AppState) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
        tracing::info!(address = %listener.local_addr()?, documents = state.num_docs(), "kho is serving");
        serve(listener, app(state), shutdown_signal()).await.context("server failed")
    })
}
