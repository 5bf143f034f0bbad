//! The whole benchmark: for each fraction of the news, index with every system (each in a child
//! process), then time the query mix (in process; the Xapian peer in its own process); at the largest
//! fraction also the incremental re-import, the HTTP load tests (in-process load generator with the
//! server's response cache off, then wrk with it on as shipped and off) and the cold start.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kho_server::response_cache::DEFAULT_CACHE_ENTRIES;
use serde::{Deserialize, Serialize};

use crate::child::{self, ColdStart, IndexRun};
use crate::corpus::{self, Article};
use crate::http::HttpRun;
use crate::inproc::{self, QueryRun};
use crate::memory::disk_bytes;
use crate::queries::{self, BenchQuery};
use crate::systems::xapian::XapianPeer;
use crate::systems::{self, kho::KhoBench, SystemName};
use crate::wrk::Wrk;

/// What the parent was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    pub fractions: Vec<f64>,
    pub http_secs: f64,
    pub rounds: usize,
    pub work_dir: Option<PathBuf>,
    /// Run the Xapian peer (needs `bench/peers/setup.sh`).
    pub peer: bool,
    /// Load the server with wrk too (needs `bench/peers/setup.sh`).
    pub wrk: bool,
}

/// The programs besides kho-bench that a run uses.
struct Tools {
    xapian: Option<XapianPeer>,
    wrk: Option<Wrk>,
}

impl Tools {
    /// The systems measured, in the report's order.
    fn systems(&self) -> Vec<SystemName> {
        SystemName::ALL.into_iter().filter(|s| s.in_process() || self.xapian.is_some()).collect()
    }
}

/// Indexing figures of one system at one scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indexing {
    pub system: SystemName,
    pub run: IndexRun,
    pub index_bytes: u64,
}

/// Everything measured at one fraction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scale {
    pub fraction: f64,
    pub articles: usize,
    pub text_bytes: u64,
    pub indexing: Vec<Indexing>,
    pub queries: Vec<(SystemName, QueryRun)>,
    /// Kho without facet counts, to see what they cost.
    pub kho_without_facets: QueryRun,
}

/// The incremental re-import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Incremental {
    pub changed: usize,
    pub run: IndexRun,
}

/// Cold start, as the child measured it and as the parent saw it (process start included).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cold {
    pub child: ColdStart,
    pub wall_ms: f64,
}

/// All results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub queries: usize,
    /// Distinct queries of the mix as Kho gets them (what the server's response cache can hold).
    #[serde(default)]
    pub distinct_queries: usize,
    /// Distinct queries of the mix the uncached HTTP runs rotate through ([`queries::HTTP_DISTINCT`]).
    #[serde(default)]
    pub http_distinct_queries: usize,
    pub year: Option<u64>,
    pub scales: Vec<Scale>,
    pub incremental: Option<Incremental>,
    /// The in-process load generator, the server's response cache off.
    pub http: Option<HttpRun>,
    /// wrk, in its own process, against the server as shipped (response cache on).
    pub wrk: Option<HttpRun>,
    /// wrk against the server with its response cache off (`--cache-entries 0`).
    #[serde(default)]
    pub wrk_uncached: Option<HttpRun>,
    pub cold: Option<Cold>,
    /// Xapian's version, when the peer ran.
    pub xapian_version: Option<String>,
    /// wrk's version line, when it ran.
    pub wrk_version: Option<String>,
}

/// Runs everything.
pub fn run(options: &Options) -> Result<Results> {
    // The tools first: a missing one should fail the run before anything long.
    let tools = Tools {
        xapian: if options.peer {
            eprintln!("compiling the Xapian peer");
            Some(XapianPeer::build()?)
        } else {
            None
        },
        wrk: if options.wrk { Some(Wrk::find()?) } else { None },
    };
    eprintln!("reading {}", options.data.display());
    let articles = corpus::load(&options.data)?;
    eprintln!("{} articles", articles.len());
    let mut fractions = options.fractions.clone();
    fractions.sort_by(f64::total_cmp);
    let largest = fractions.last().copied().unwrap_or(1.0);
    let query_source = corpus::take(&articles, 0.1);
    let mut results = Results {
        queries: 0,
        distinct_queries: 0,
        http_distinct_queries: 0,
        year: None,
        scales: Vec::new(),
        incremental: None,
        http: None,
        wrk: None,
        wrk_uncached: None,
        cold: None,
        xapian_version: tools.xapian.as_ref().map(|x| x.version.clone()),
        wrk_version: tools.wrk.as_ref().map(|w| w.version.clone()),
    };
    let mut year_chosen = false;
    for &fraction in &fractions {
        let work = match &options.work_dir {
            Some(dir) => tempfile::Builder::new().prefix("kho-bench").tempdir_in(dir)?,
            None => tempfile::Builder::new().prefix("kho-bench").tempdir()?,
        };
        let subset = corpus::take(&articles, fraction);
        let file = work.path().join("news.jsonl");
        corpus::write_jsonl(&file, subset, None)?;
        let scale = index_all(&tools, work.path(), &file, fraction, subset)?;
        let kho_index = SystemName::Kho.index_path(work.path());
        if !year_chosen {
            // From the smallest fraction, once, so that every scale runs the same queries.
            results.year = KhoBench::open(&kho_index, true)?.top_year("việt nam")?;
            year_chosen = true;
        }
        let mix = queries::build(query_source, results.year);
        results.queries = mix.len();
        results.distinct_queries = mix.iter().map(BenchQuery::kho).collect::<HashSet<_>>().len();
        let scale = query_all(&tools, scale, work.path(), &mix, options.rounds)?;
        if fraction == largest {
            results.incremental = Some(incremental(work.path(), &file, subset)?);
            // Every request searched: thousands of distinct queries, as a public search box sees them.
            let http_mix = queries::build_distinct(query_source, results.year, queries::HTTP_DISTINCT);
            results.http_distinct_queries = http_mix.len();
            results.http = Some(http(work.path(), &kho_index, &http_mix, options.http_secs)?);
            if let Some(wrk) = &tools.wrk {
                // As shipped (the small mix, all of it cached), then with every request searched: the cached
                // figures alone would flatter it.
                let secs = options.http_secs;
                results.wrk = Some(wrk_run(wrk, work.path(), &kho_index, &mix, secs, DEFAULT_CACHE_ENTRIES)?);
                results.wrk_uncached = Some(wrk_run(wrk, work.path(), &kho_index, &http_mix, secs, 0)?);
            }
            results.cold = Some(cold(&kho_index, &mix)?);
        }
        results.scales.push(scale);
    }
    Ok(results)
}

fn index_all(tools: &Tools, work: &Path, file: &Path, fraction: f64, subset: &[Article]) -> Result<Scale> {
    let mut indexing = Vec::new();
    for system in tools.systems() {
        let index = system.index_path(work);
        eprintln!("{:>4}%: indexing {} articles with {}", fraction * 100.0, subset.len(), system.label());
        let run = match (&tools.xapian, system) {
            (Some(xapian), SystemName::Xapian) => xapian.index(file, &index)?,
            _ => index_child(system, file, &index)?,
        };
        eprintln!("       {:.1} s, peak {:.0} MB", run.secs, run.peak_mb);
        indexing.push(Indexing { system, run, index_bytes: disk_bytes(&index) });
    }
    Ok(Scale {
        fraction,
        articles: subset.len(),
        text_bytes: subset.iter().map(Article::text_bytes).sum(),
        indexing,
        queries: Vec::new(),
        kho_without_facets: QueryRun::default(),
    })
}

pub(crate) fn index_child(system: SystemName, file: &Path, index: &Path) -> Result<IndexRun> {
    let system_arg = serde_json::to_value(system)?.as_str().context("system name")?.to_owned();
    let (run, _wall) = child::run::<IndexRun>(&[
        "index-one",
        "--system",
        &system_arg,
        "--file",
        &file.to_string_lossy(),
        "--index",
        &index.to_string_lossy(),
    ])?;
    Ok(run)
}

fn query_all(tools: &Tools, mut scale: Scale, work: &Path, mix: &[BenchQuery], rounds: usize) -> Result<Scale> {
    for system in tools.systems() {
        eprintln!("       querying {} ({} queries x {rounds})", system.label(), mix.len());
        let index = system.index_path(work);
        let run = match (&tools.xapian, system) {
            (Some(xapian), SystemName::Xapian) => xapian.measure(&index, mix, rounds, work)?,
            _ => inproc::measure(&*systems::open(system, &index)?, mix, rounds)?,
        };
        eprintln!("       p50 {:.2} ms, p99 {:.2} ms", run.latency.p50_ms, run.latency.p99_ms);
        scale.queries.push((system, run));
    }
    let without = KhoBench::open(&SystemName::Kho.index_path(work), false)?;
    scale.kho_without_facets = inproc::measure(&without, mix, rounds)?;
    Ok(scale)
}

fn incremental(work: &Path, file: &Path, subset: &[Article]) -> Result<Incremental> {
    // Same path as the first import: Kho's default source is `file#id`, so another name would change every document.
    let changed = corpus::write_jsonl(file, subset, Some(100))?;
    eprintln!("       incremental: {changed} bodies changed, re-importing");
    let run = index_child(SystemName::Kho, file, &SystemName::Kho.index_path(work))?;
    eprintln!("       {:.1} s", run.secs);
    Ok(Incremental { changed, run })
}

fn http(work: &Path, index: &Path, mix: &[BenchQuery], secs: f64) -> Result<HttpRun> {
    let queries_file = work.join("queries.txt");
    let lines: Vec<String> = mix.iter().map(BenchQuery::kho).collect();
    std::fs::write(&queries_file, lines.join("\n"))?;
    eprintln!("       HTTP, in-process load, response cache off: 1, 8, 64 connections, {secs} s each");
    // Cache off: this load generator measures the search itself, every request.
    let (run, _) = child::run::<HttpRun>(&[
        "serve",
        "--index",
        &index.to_string_lossy(),
        "--queries",
        &queries_file.to_string_lossy(),
        "--secs",
        &secs.to_string(),
        "--cache-entries",
        "0",
    ])?;
    print_levels(&run);
    Ok(run)
}

/// One wrk run against a server with a response cache of `cache_entries` (0: off).
fn wrk_run(
    wrk: &Wrk,
    work: &Path,
    index: &Path,
    mix: &[BenchQuery],
    secs: f64,
    cache_entries: usize,
) -> Result<HttpRun> {
    eprintln!(
        "       HTTP with {}, response cache of {cache_entries} entries: 1, 8, 64 connections, {secs} s each",
        wrk.version
    );
    let run = wrk.measure(work, index, mix, secs, cache_entries)?;
    print_levels(&run);
    Ok(run)
}

fn print_levels(run: &HttpRun) {
    for level in &run.levels {
        eprintln!("       {} conn: {:.0} req/s, {} errors", level.connections, level.rps, level.errors);
    }
}

fn cold(index: &Path, mix: &[BenchQuery]) -> Result<Cold> {
    let query = mix.first().map(BenchQuery::kho).unwrap_or_else(|| "việt nam".to_owned());
    let (child, wall) =
        child::run::<ColdStart>(&["cold-start", "--index", &index.to_string_lossy(), "--query", &query])?;
    Ok(Cold { child, wall_ms: wall * 1e3 })
}
