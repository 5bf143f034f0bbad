//! `kho-bench scale`: one row of the scaling table of `docs/benchmarks.md`, for an archive larger than
//! the news set (made by `kho-synth`, recombined news sentences). Kho imports the file in a child process
//! (time, peak memory), then the bench's query mix (built from the first tenth of the real news, whose
//! sentences the archive is made of) is timed in process, and the server is loaded over HTTP with wrk,
//! the response cache off, so that every request is searched. Prints one JSON line.
//!
//! ```sh
//! target/release/kho-bench scale --file /tmp/synth-100k.jsonl --index /tmp/scale-100k
//! ```

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::child::{self, IndexRun};
use crate::corpus;
use crate::http::HttpRun;
use crate::inproc::{self, QueryRun};
use crate::memory::disk_bytes;
use crate::queries::{self, BenchQuery};
use crate::systems::kho::KhoBench;
use crate::wrk::Wrk;

/// One scale's figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScaleRow {
    pub documents: usize,
    pub text_bytes: u64,
    /// `None` when the index was imported by an earlier run (`--existing`).
    pub import: Option<IndexRun>,
    pub index_bytes: u64,
    pub queries: QueryRun,
    /// wrk with the response cache off; `None` with `--no-wrk`.
    pub wrk_uncached: Option<HttpRun>,
}

/// Runs one scale: `file` imported into `index` (which must not exist yet), or, when `existing`, `index`
/// as an earlier run left it.
pub fn run(
    data: &Path,
    file: &Path,
    index: &Path,
    existing: bool,
    rounds: usize,
    http_secs: f64,
    wrk: bool,
) -> Result<()> {
    let wrk = if wrk { Some(Wrk::find()?) } else { None };
    let text = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?.len();
    let documents = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(file)?)).count();
    let import = if existing {
        eprintln!("{documents} documents of {} already in {}", file.display(), index.display());
        None
    } else {
        eprintln!("importing {documents} documents from {}", file.display());
        let (import, _) = child::run::<IndexRun>(&[
            "index-one",
            "--system",
            "kho",
            "--file",
            &file.to_string_lossy(),
            "--index",
            &index.to_string_lossy(),
        ])?;
        eprintln!("  {:.1} s, peak {:.0} MB", import.secs, import.peak_mb);
        Some(import)
    };
    let articles = corpus::load(data)?;
    let searcher = KhoBench::open(index, true)?;
    let year = searcher.top_year("việt nam")?;
    let mix: Vec<BenchQuery> = queries::build(corpus::take(&articles, 0.1), year);
    let queries = inproc::measure(&searcher, &mix, rounds)?;
    drop(searcher);
    eprintln!("  queries p50 {:.2} ms, p99 {:.2} ms", queries.latency.p50_ms, queries.latency.p99_ms);
    let wrk_uncached = match &wrk {
        Some(wrk) => {
            let work = tempfile::Builder::new().prefix("kho-scale").tempdir()?;
            let http_mix = queries::build_distinct(corpus::take(&articles, 0.1), year, queries::HTTP_DISTINCT);
            let run = wrk.measure(work.path(), index, &http_mix, http_secs, 0)?;
            for level in &run.levels {
                eprintln!(
                    "  wrk {} conn: {:.0} req/s, p99 {:.1} ms",
                    level.connections, level.rps, level.latency.p99_ms
                );
            }
            Some(run)
        }
        None => None,
    };
    let row = ScaleRow { documents, text_bytes: text, import, index_bytes: disk_bytes(index), queries, wrk_uncached };
    println!("{}", serde_json::to_string(&row)?);
    Ok(())
}
