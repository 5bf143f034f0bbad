//! kho-bench: indexing, query latency, HTTP load and scale of Kho against plain tantivy, SQLite FTS5 and
//! Xapian on the Vietnamese news set; writes `docs/benchmarks.md`.
//!
//! `kho-bench [--data DIR] [--fraction 0.1,0.5,1.0] [--out FILE]` runs everything; `kho-bench soak` holds
//! the server at saturation for ten minutes (see `soak`); the other subcommands are the child processes
//! it starts (indexing one system, the HTTP server and load, the server alone for
//! wrk, the cold start). Xapian and wrk come from Debian: run `bench/peers/setup.sh` once (as root), or
//! leave them out with `--no-peer` / `--no-wrk`.

/// The allocator of kho-serve and kho-index: this binary's children stand for them (the import, the
/// server under wrk), so they allocate alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod child;
mod corpus;
mod http;
mod inproc;
mod machine;
mod memory;
mod queries;
mod report;
mod run;
mod scale;
mod soak;
mod stats;
mod systems;
mod wrk;

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use kho_server::response_cache::DEFAULT_CACHE_ENTRIES;

use crate::systems::SystemName;

#[derive(Debug, Parser)]
#[command(
    about = "Benchmarks Kho against plain tantivy, SQLite FTS5 and Xapian on Vietnamese news",
    after_help = "Xapian (the peer engine) and wrk come from Debian's packages: run bench/peers/setup.sh once, as root."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The shared data folder (with vietnews/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Fractions of the news to run at; the largest also gets HTTP, incremental and cold start.
    #[arg(long, value_delimiter = ',', default_value = "0.1,0.5,1.0")]
    fraction: Vec<f64>,
    /// Where to write the report.
    #[arg(long, default_value = "docs/benchmarks.md")]
    out: PathBuf,
    /// Seconds per HTTP load level.
    #[arg(long, default_value_t = 10.0)]
    http_secs: f64,
    /// Timed passes over the query mix.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Where temporary indexes go (default: the system's temporary folder).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Leave out the Xapian peer (otherwise it needs bench/peers/setup.sh).
    #[arg(long)]
    no_peer: bool,
    /// Leave out the wrk HTTP measurement (otherwise it needs bench/peers/setup.sh).
    #[arg(long)]
    no_wrk: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// (child) Index a JSON Lines file with one system; prints time and peak memory as JSON.
    IndexOne {
        #[arg(long, value_enum)]
        system: SystemName,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        index: PathBuf,
    },
    /// (child) Serve a Kho index and load it over HTTP; prints the results as JSON.
    Serve {
        #[arg(long)]
        index: PathBuf,
        /// One query per line.
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 10.0)]
        secs: f64,
        /// The server's response cache size (0: off, every request searched).
        #[arg(long, default_value_t = DEFAULT_CACHE_ENTRIES)]
        cache_entries: usize,
    },
    /// (child) Serve a Kho index on 127.0.0.1 until standard input closes; prints its address and memory
    /// as JSON when listening and again when stopping.
    ServeOnly {
        #[arg(long)]
        index: PathBuf,
        /// The server's response cache size (0: off, every request searched).
        #[arg(long, default_value_t = DEFAULT_CACHE_ENTRIES)]
        cache_entries: usize,
    },
    /// Soak: hold the server at saturation for --secs (cache on, then off), recording req/s, errors and its
    /// memory every --interval seconds; writes --out (docs/soak.md).
    Soak {
        /// Fraction of the news to index.
        #[arg(long, default_value_t = 1.0)]
        fraction: f64,
        /// Seconds of load per run (two runs: cache on, cache off).
        #[arg(long, default_value_t = 600.0)]
        secs: f64,
        /// Seconds per recorded slice.
        #[arg(long, default_value_t = 10.0)]
        interval: f64,
        /// Concurrent keep-alive connections.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Where to write the report.
        #[arg(long, default_value = "docs/soak.md")]
        out: PathBuf,
    },
    /// Import FILE (a larger archive, e.g. from kho-synth) into INDEX, time the query mix in process and
    /// over HTTP (wrk, response cache off); prints one row of the scaling table as JSON.
    Scale {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        index: PathBuf,
        /// INDEX already holds FILE (imported by an earlier run): time the queries and HTTP only (the
        /// row's `import` is then null).
        #[arg(long)]
        existing: bool,
    },
    /// (child) Open a Kho index and answer one query; prints the timings as JSON.
    ColdStart {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        query: String,
    },
}

fn main() -> Result<()> {
    run(Cli::parse())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::IndexOne { system, file, index }) => child::index_one(system, &file, &index),
        Some(Command::Serve { index, queries, secs, cache_entries }) => {
            let text = std::fs::read_to_string(&queries).with_context(|| format!("reading {}", queries.display()))?;
            let lines: Vec<String> = text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
            http::serve_and_load(&index, &lines, secs, cache_entries)
        }
        Some(Command::ServeOnly { index, cache_entries }) => http::serve_until_stdin_closes(&index, cache_entries),
        Some(Command::ColdStart { index, query }) => child::cold_start(&index, &query),
        Some(Command::Soak { fraction, secs, interval, connections, ref out }) => {
            let options = soak::SoakOptions {
                data: cli.data.clone(),
                fraction,
                secs,
                interval: interval.max(1.0),
                connections: connections.max(1),
                work_dir: cli.work_dir.clone(),
            };
            let args: Vec<String> = std::env::args().skip(1).collect();
            // Says which profile ran: the figures of an unoptimized build are not release figures.
            let profile = if cfg!(debug_assertions) { "" } else { "--release " };
            let command = format!("cargo run {profile}-p kho-bench -- {}", args.join(" "));
            let report = soak::soak(&options, command, utc_now())?;
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(out, soak::markdown(&report)).with_context(|| format!("writing {}", out.display()))?;
            eprintln!("wrote {}", out.display());
            Ok(())
        }
        Some(Command::Scale { file, index, existing }) => {
            scale::run(&cli.data, &file, &index, existing, cli.rounds.max(1), cli.http_secs, !cli.no_wrk)
        }
        None => bench(&cli),
    }
}

fn bench(cli: &Cli) -> Result<()> {
    let options = run::Options {
        data: cli.data.clone(),
        fractions: cli.fraction.clone(),
        http_secs: cli.http_secs,
        rounds: cli.rounds.max(1),
        work_dir: cli.work_dir.clone(),
        peer: !cli.no_peer,
        wrk: !cli.no_wrk,
    };
    let results = run::run(&options)?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let header = report::Header {
        machine: machine::describe(),
        command: format!("cargo run --release -p kho-bench -- {}", args.join(" ")).trim_end().to_owned(),
        date: utc_now(),
        http_secs: cli.http_secs,
        rounds: options.rounds,
    };
    if let Some(parent) = cli.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // The scaling section comes from `kho-bench scale` runs (hours at 1,000,000 documents): kept as it is.
    let kept = std::fs::read_to_string(&cli.out).ok().and_then(|old| scaling_section(&old).map(str::to_owned));
    let mut markdown = report::markdown(&header, &results);
    if let Some(section) = kept {
        markdown.push('\n');
        markdown.push_str(&section);
    }
    std::fs::write(&cli.out, markdown).with_context(|| format!("writing {}", cli.out.display()))?;
    eprintln!("wrote {}", cli.out.display());
    Ok(())
}

/// Heading of the section of the report that `kho-bench scale` rows fill, kept across runs.
const SCALING_HEADING: &str = "## Scaling to 1,000,000 documents";

/// The scaling section of an earlier report, from its heading to the end.
fn scaling_section(report: &str) -> Option<&str> {
    report.find(SCALING_HEADING).map(|at| &report[at..])
}

/// The current UTC time as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}
