//! `kho-index [--index DIR] [--json] PATH...`: indexes files and folders into Kho's index.

use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use kho_indexer::{
    index_jsonl, index_paths, parse_seconds, watch_paths, IndexOptions, IndexReport, JsonlOptions, OcrOptions,
};

/// mimalloc, as kho-serve: at 50% of the news the import took the same CPU as with glibc's malloc and
/// peaked at 198-215 MB instead of 261-301 (bench/profiles/import-speed.md, session 11).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Index HTML, PDF, DOCX, PPTX, ODT, DOC, RTF and text files, and scans (image-only PDF pages, PNG,
/// JPEG, TIFF: read by Tesseract OCR), into a Kho search index.
///
/// Folders are walked recursively. Re-running is idempotent: unchanged files are skipped, changed
/// files replaced, and files deleted from a walked folder removed from the index. A file that cannot
/// be read is reported with its reason and the run goes on; the exit status is non-zero only when
/// every file failed or the index itself could not be written.
#[derive(Debug, Parser)]
#[command(name = "kho-index", version)]
struct Args {
    /// Index directory (created if missing).
    #[arg(long, env = "KHO_INDEX", default_value = "data/index")]
    index: PathBuf,
    /// Print the report as JSON on standard output instead of the human summary.
    #[arg(long)]
    json: bool,
    /// Bulk-import a JSON Lines file (optionally gzip-compressed): one object per line with `id`, `title`,
    /// `body` and optional `abstract`, `date`, `kind`, `url`, `source`. Near-duplicates are indexed once
    /// with every source listed.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// After indexing, keep watching the paths: new, changed and deleted files are indexed, replaced
    /// or removed within about --interval seconds, until Ctrl-C.
    #[arg(long, requires = "paths")]
    watch: bool,
    /// Seconds between two listings of the watched paths.
    #[arg(long, default_value = "1", value_name = "SECS", value_parser = parse_seconds)]
    interval: Duration,
    /// Longest time, in seconds, to read one file's text; a file that takes longer is reported as
    /// timed out and the run goes on.
    #[arg(long, default_value = "120", value_name = "SECS", value_parser = parse_seconds)]
    file_timeout: Duration,
    /// Longest time, in seconds, for one file's OCR (all its scanned pages); past it the OCR tool is
    /// killed and the file reported as timed out.
    #[arg(long, default_value = "300", value_name = "SECS", value_parser = parse_seconds)]
    ocr_timeout: Duration,
    /// Tesseract languages for OCR, `+`-separated (`vie`, `vie+eng`); each needs its model installed
    /// (Debian: tesseract-ocr-vie, tesseract-ocr-eng).
    #[arg(long, default_value = "vie", value_name = "LANGS")]
    ocr_lang: String,
    /// Read no scans: a PDF's scanned pages are left out, image files and scan-only PDFs reported.
    #[arg(long)]
    no_ocr: bool,
    /// Where the documents go: `local` (the index alone) or `cluster`: after indexing, every document
    /// of the index is written into the Sphinx cluster --cluster describes (docs/scale-out.md); documents
    /// the cluster already holds unchanged are skipped, so re-running writes nothing twice.
    #[arg(long, value_enum, default_value = "local")]
    target: Target,
    /// The cluster's description (JSON: nodes, shards, replicas), for --target cluster.
    #[arg(long, env = "KHO_CLUSTER", value_name = "FILE", required_if_eq("target", "cluster"))]
    cluster: Option<PathBuf>,
    /// Files and folders to index.
    #[arg(required_unless_present_any = ["jsonl", "cluster"])]
    paths: Vec<PathBuf>,
}

/// Where `kho-index` puts documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Target {
    Local,
    Cluster,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run() {
        Ok(report) if report.all_failed() => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-index: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<IndexReport> {
    let args = Args::parse();
    let mut report = IndexReport::default();
    let file_timeout = args.file_timeout;
    let ocr = (!args.no_ocr).then(|| OcrOptions {
        timeout: args.ocr_timeout,
        languages: args.ocr_lang.clone(),
        ..OcrOptions::default()
    });
    if let Some(file) = &args.jsonl {
        let options = JsonlOptions { index_dir: args.index.clone(), file: file.clone(), progress: !args.json };
        report = index_jsonl(&options).with_context(|| format!("importing {}", file.display()))?;
    }
    if args.watch {
        let interval = args.interval;
        let options = IndexOptions { file_timeout, ocr, ..IndexOptions::new(&args.index, args.paths) };
        watch(&options, interval, args.json)?;
        return Ok(report);
    }
    if !args.paths.is_empty() {
        let options =
            IndexOptions { progress: !args.json, file_timeout, ocr, ..IndexOptions::new(&args.index, args.paths) };
        let files = index_paths(&options).with_context(|| format!("indexing into {}", args.index.display()))?;
        report.merge(files);
    }
    if args.target == Target::Cluster {
        let file = args.cluster.as_deref().context("--target cluster needs --cluster FILE")?;
        let spec = kho_cluster::ClusterSpec::load(file)?;
        let published = kho_indexer::publish_index(&args.index, &spec)
            .with_context(|| format!("publishing {} to the cluster of {}", args.index.display(), file.display()))?;
        eprintln!(
            "cluster: written {} / unchanged {} / deleted {}; words: {} of which written {} / deleted {}",
            published.written,
            published.unchanged,
            published.deleted,
            published.words.words,
            published.words.written,
            published.words.deleted
        );
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for failed in &report.failed {
            eprintln!("failed: {}: {}", failed.path, failed.reason);
        }
        println!("{}", report.summary());
    }
    Ok(report)
}

/// Runs until Ctrl-C or SIGTERM, printing one line (or JSON object) per run that changed something.
fn watch(options: &IndexOptions, interval: Duration, json: bool) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot listen for signals")?;
    }
    eprintln!(
        "kho-index: watching {} (Ctrl-C to stop)",
        options.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    watch_paths(options, interval, &stop, |result| match result {
        Ok(report) if json => println!("{}", serde_json::to_string(&report).unwrap_or_default()),
        Ok(report) => {
            for failed in &report.failed {
                eprintln!("failed: {}: {}", failed.path, failed.reason);
            }
            println!("{}", report.summary());
        }
        Err(error) => eprintln!("kho-index: error: {error}"),
    });
    Ok(())
}
