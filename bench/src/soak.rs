//! Soak: the server held at saturation for a long time (10 minutes by default), once with its response
//! cache on as shipped and once with it off, to show that it neither fails nor grows under sustained load.
//!
//! The server runs alone in a child process (`kho-bench serve-only`, the one wrk loads) over a Kho index
//! of the news set; the load generator runs in this process: `--connections` keep-alive connections,
//! each sending `GET /api/search?q=…` one after another through the benchmark's query mix (its distinct
//! queries in turn, every connection at its own offset). The run is cut into slices of `--interval`
//! seconds (10 by default); after each slice the slice's requests, errors (non-200 answers, timeouts,
//! broken connections), req/s and p99 are recorded with the server's resident memory (VmRSS, RssAnon from
//! `/proc/PID/status`). Memory is judged flat when, after the warm-up (the first `WARM_UP_SECS`), its
//! highest sample is within 10% of its lowest.
//!
//! `kho-bench soak [--data DIR] [--fraction F] [--secs 600] [--interval 10] [--connections 8]
//! [--out docs/soak.md]` writes its report to `--out`; `docs/benchmarks.md` links to it.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use kho_server::response_cache::DEFAULT_CACHE_ENTRIES;
use serde::Serialize;

use crate::corpus;
use crate::http;
use crate::machine;
use crate::queries::{self, BenchQuery};
use crate::run::index_child;
use crate::systems::SystemName;
use crate::wrk::Server;

/// Seconds of load after which memory should no longer grow (the first slices fill caches and arenas).
pub const WARM_UP_SECS: f64 = 60.0;
/// The largest spread of resident memory after warm-up that counts as flat.
const FLAT_WITHIN: f64 = 0.10;

/// What to soak.
#[derive(Debug, Clone)]
pub struct SoakOptions {
    pub data: PathBuf,
    pub fraction: f64,
    pub secs: f64,
    pub interval: f64,
    pub connections: usize,
    pub work_dir: Option<PathBuf>,
}

/// One slice of a soak run.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// Seconds since the load started, at the slice's end.
    pub at_secs: f64,
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p99_ms: f64,
    /// The server's resident memory after the slice.
    pub rss_mb: f64,
    pub rss_anon_mb: f64,
}

/// One soak run: a server with a response cache of `cache_entries` (0: off) held at saturation.
#[derive(Debug, Clone, Serialize)]
pub struct SoakRun {
    pub cache_entries: usize,
    pub rss_before_mb: f64,
    pub samples: Vec<Sample>,
}

impl SoakRun {
    pub fn requests(&self) -> usize {
        self.samples.iter().map(|s| s.requests).sum()
    }

    pub fn errors(&self) -> usize {
        self.samples.iter().map(|s| s.errors).sum()
    }

    pub fn secs(&self) -> f64 {
        self.samples.last().map_or(0.0, |s| s.at_secs)
    }

    /// The lowest and highest resident memory after warm-up, and the spread `(max - min) / min`.
    pub fn rss_after_warm_up(&self) -> (f64, f64, f64) {
        let after: Vec<f64> = self.samples.iter().filter(|s| s.at_secs > WARM_UP_SECS).map(|s| s.rss_mb).collect();
        let min = after.iter().copied().fold(f64::INFINITY, f64::min);
        let max = after.iter().copied().fold(0.0, f64::max);
        if after.is_empty() {
            return (0.0, 0.0, 0.0);
        }
        (min, max, (max - min) / min.max(1e-9))
    }

    /// The mean req/s after warm-up.
    pub fn rps_after_warm_up(&self) -> f64 {
        let after: Vec<&Sample> = self.samples.iter().filter(|s| s.at_secs > WARM_UP_SECS).collect();
        let requests: usize = after.iter().map(|s| s.requests - s.errors).sum();
        let first = self.samples.iter().rev().find(|s| s.at_secs <= WARM_UP_SECS).map_or(0.0, |s| s.at_secs);
        requests as f64 / (self.secs() - first).max(1e-9)
    }
}

/// Everything a soak measured.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    pub machine: String,
    pub command: String,
    pub date: String,
    pub articles: usize,
    pub distinct_queries: usize,
    pub connections: usize,
    pub interval: f64,
    pub runs: Vec<SoakRun>,
    /// What else the machine was running, at the start and at the end (the load average and the busiest
    /// other processes), for the reader to weigh the figures.
    pub load_start: String,
    pub load_end: String,
}

/// Builds the index and soaks the server with the cache on, then off.
pub fn soak(options: &SoakOptions, command: String, date: String) -> Result<SoakReport> {
    let work = match &options.work_dir {
        Some(dir) => tempfile::Builder::new().prefix("kho-soak").tempdir_in(dir)?,
        None => tempfile::Builder::new().prefix("kho-soak").tempdir()?,
    };
    eprintln!("reading {}", options.data.display());
    let articles = corpus::load(&options.data)?;
    let subset = corpus::take(&articles, options.fraction);
    let file = work.path().join("news.jsonl");
    corpus::write_jsonl(&file, subset, None)?;
    let index = SystemName::Kho.index_path(work.path());
    eprintln!("indexing {} articles", subset.len());
    let indexed = index_child(SystemName::Kho, &file, &index)?;
    eprintln!("indexed in {:.1} s", indexed.secs);
    let mix = queries::build(corpus::take(&articles, 0.1), None);
    let paths: Vec<String> = mix.iter().map(|q| http::search_path(&q.kho())).collect();
    let distinct = mix.iter().map(BenchQuery::kho).collect::<HashSet<_>>().len();
    let load_start = machine_load();
    let mut runs = Vec::new();
    for cache_entries in [DEFAULT_CACHE_ENTRIES, 0] {
        runs.push(soak_one(&index, &paths, cache_entries, options)?);
    }
    Ok(SoakReport {
        machine: machine::describe(),
        command,
        date,
        articles: subset.len(),
        distinct_queries: distinct,
        connections: options.connections,
        interval: options.interval,
        runs,
        load_start,
        load_end: machine_load(),
    })
}

fn soak_one(index: &Path, paths: &[String], cache_entries: usize, options: &SoakOptions) -> Result<SoakRun> {
    let mut server = Server::start(index, cache_entries)?;
    let addr: SocketAddr = server.started.addr.parse().context("the server's address")?;
    let pid = server.pid();
    let rss_before_mb = process_status_kb(pid, "VmRSS") as f64 / 1024.0;
    eprintln!("soak, cache {cache_entries}: {} s at {} connections", options.secs, options.connections);
    http::warm_up(addr, paths)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let paths = Arc::new(paths.to_vec());
    let started = Instant::now();
    let mut samples = Vec::new();
    while started.elapsed().as_secs_f64() < options.secs {
        let slice = options.interval.min(options.secs - started.elapsed().as_secs_f64()).max(0.1);
        let level = runtime.block_on(http::load(addr, Arc::clone(&paths), options.connections, slice, usize::MAX))?;
        let sample = Sample {
            at_secs: started.elapsed().as_secs_f64(),
            requests: level.requests,
            errors: level.errors,
            rps: level.rps,
            p99_ms: level.latency.p99_ms,
            rss_mb: process_status_kb(pid, "VmRSS") as f64 / 1024.0,
            rss_anon_mb: process_status_kb(pid, "RssAnon") as f64 / 1024.0,
        };
        eprintln!(
            "  {:>5.0} s: {:>6} requests, {} errors, {:>7.0} req/s, p99 {:.1} ms, RSS {:.0} MB (anon {:.0})",
            sample.at_secs,
            sample.requests,
            sample.errors,
            sample.rps,
            sample.p99_ms,
            sample.rss_mb,
            sample.rss_anon_mb
        );
        samples.push(sample);
    }
    server.stop()?;
    Ok(SoakRun { cache_entries, rss_before_mb, samples })
}

/// A field of `/proc/PID/status` in kB (0 when unknown).
fn process_status_kb(pid: u32, field: &str) -> u64 {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return 0 };
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The load average and the five busiest processes (by CPU), from `/proc/loadavg` and `ps`.
fn machine_load() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    let busiest = std::process::Command::new("ps")
        .args(["-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .take(5)
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    format!("load average {} (1, 5, 15 min); busiest processes (% CPU, name): {busiest}", load.join(" "))
}

/// The report, as Markdown.
pub fn markdown(report: &SoakReport) -> String {
    let mut out = String::new();
    out.push_str("# Kho soak test\n\nGenerated by `kho-bench soak` (crate `bench/`, `bench/src/soak.rs`); do not edit the numbers by hand.\n\n");
    out.push_str(&format!(
        "- Machine: {}\n- Command: `{}` (from the workspace root)\n- Date: {}\n",
        report.machine, report.command, report.date
    ));
    out.push_str(&format!(
        "- Data: the first {} articles of `vietnews` indexed by `kho-index --jsonl`'s import; the query mix of kho-bench ({} distinct queries, words and 2-3 word phrases from titles, half without diacritics), in turn.\n",
        report.articles, report.distinct_queries
    ));
    out.push_str(&format!(
        "- Load: {} keep-alive connections from kho-bench's own HTTP client (in the parent process), one request at a time each, no pause: saturation. The server (`kho-bench serve-only`, the real `kho_server::app`) runs alone in a child process; one pass over the mix warms it up first. Every {} s: the slice's requests, errors (non-200, timeouts over 10 s, broken connections), req/s, p99, and the server's VmRSS and RssAnon from `/proc/PID/status`.\n",
        report.connections, report.interval
    ));
    out.push_str(&format!(
        "- The machine is shared (2 cores): at the start, {}; at the end, {}.\n\n",
        report.load_start, report.load_end
    ));
    out.push_str("## Summary\n\n| run | seconds | requests | errors | req/s after warm-up | RSS before load (MB) | RSS after warm-up, min-max (MB) | spread | flat within 10% | 0 errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
    for run in &report.runs {
        let (min, max, spread) = run.rss_after_warm_up();
        out.push_str(&format!(
            "| {} | {:.0} | {} | {} | {:.0} | {:.0} | {:.0}-{:.0} | {:.1}% | {} | {} |\n",
            run_label(run.cache_entries),
            run.secs(),
            run.requests(),
            run.errors(),
            run.rps_after_warm_up(),
            run.rss_before_mb,
            min,
            max,
            spread * 100.0,
            if spread <= FLAT_WITHIN { "met" } else { "**missed**" },
            if run.errors() == 0 { "met" } else { "**missed**" },
        ));
    }
    out.push_str(&format!("\nWarm-up: the first {WARM_UP_SECS:.0} s of load.\n"));
    for run in &report.runs {
        out.push_str(&format!(
            "\n## {}\n\n| at (s) | requests | errors | req/s | p99 (ms) | VmRSS (MB) | RssAnon (MB) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            run_label(run.cache_entries)
        ));
        for s in &run.samples {
            out.push_str(&format!(
                "| {:.0} | {} | {} | {:.0} | {:.1} | {:.1} | {:.1} |\n",
                s.at_secs, s.requests, s.errors, s.rps, s.p99_ms, s.rss_mb, s.rss_anon_mb
            ));
        }
    }
    out
}

fn run_label(cache_entries: usize) -> String {
    if cache_entries == 0 {
        "Response cache off (`--cache-entries 0`): every request searched".to_owned()
    } else {
        format!("Response cache on ({cache_entries} entries, as shipped)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(at_secs: f64, rss_mb: f64) -> Sample {
        Sample { at_secs, requests: 100, errors: 0, rps: 10.0, p99_ms: 1.0, rss_mb, rss_anon_mb: rss_mb / 2.0 }
    }

    #[test]
    fn memory_is_judged_after_warm_up() {
        let run = SoakRun {
            cache_entries: 0,
            rss_before_mb: 100.0,
            samples: vec![sample(10.0, 120.0), sample(60.0, 200.0), sample(70.0, 200.0), sample(80.0, 210.0)],
        };
        let (min, max, spread) = run.rss_after_warm_up();
        assert_eq!((min, max), (200.0, 210.0));
        assert!((spread - 0.05).abs() < 1e-9);
        assert_eq!((run.requests(), run.errors()), (400, 0));
        assert!((run.rps_after_warm_up() - 10.0).abs() < 1e-9, "{}", run.rps_after_warm_up());
        let text = markdown(&SoakReport {
            machine: "m".into(),
            command: "c".into(),
            date: "d".into(),
            articles: 1,
            distinct_queries: 1,
            connections: 8,
            interval: 10.0,
            runs: vec![run],
            load_start: "l".into(),
            load_end: "l".into(),
        });
        assert!(text.contains("| 80 | 100 | 0 | 10 | 1.0 | 210.0 | 105.0 |"), "{text}");
        assert!(text.contains("| 200-210 | 5.0% | met | met |"), "{text}");
    }

    #[test]
    fn reads_process_status() {
        assert!(process_status_kb(std::process::id(), "VmRSS") > 0);
        assert_eq!(process_status_kb(std::process::id(), "NoSuchField"), 0);
    }
}
