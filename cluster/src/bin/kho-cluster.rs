//! `kho-cluster`: the tools around Kho's cluster backend (docs/scale-out.md).
//!
//! - `config`: the searchd configuration of one node of a cluster description;
//! - `local`: a cluster of searchd processes on this machine's loopback ports, until Ctrl-C;
//! - `bench`: the same questions asked of a local index and of loopback clusters of 1, 2, 3 … nodes:
//!   top-10 overlap, queries per second and latency percentiles.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use kho_cluster::local::LocalCluster;
use kho_cluster::{publish_index, ClusterSearcher, ClusterSpec};
use kho_core::search::{KhoSearcher, SearchRequest};

#[derive(Debug, Parser)]
#[command(name = "kho-cluster", version, about = "Kho on a cluster of Sphinx searchd nodes")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the searchd configuration of one node (start it with `searchd --config FILE`).
    Config {
        /// The cluster's description (JSON: nodes, shards, replicas).
        #[arg(long, env = "KHO_CLUSTER", value_name = "FILE")]
        cluster: PathBuf,
        /// The node, from 0, in the description's order.
        #[arg(long)]
        node: usize,
        /// Where the node keeps its shards, binlog, logs and pid file.
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
    },
    /// Run a cluster of searchd processes on 127.0.0.1 until Ctrl-C, and write its description.
    Local {
        /// Folder for the nodes' configurations and data.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, default_value_t = 3)]
        nodes: usize,
        #[arg(long, default_value_t = 3)]
        shards: usize,
        #[arg(long, default_value_t = 2)]
        replicas: usize,
        /// Where to write the cluster's description (for kho-index and kho-serve --cluster).
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
    },
    /// Ask the same questions of a local index and of loopback clusters of each size.
    Bench {
        /// The local Kho index: the reference, and what is published to each cluster.
        #[arg(long, value_name = "DIR")]
        index: PathBuf,
        /// Questions, one JSON object per line with a `text` (a BEIR queries.jsonl).
        #[arg(long, value_name = "FILE")]
        queries: PathBuf,
        /// How many questions (the first ones the query language accepts).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Cluster sizes to measure, comma-separated; each has as many shards as nodes.
        #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
        nodes: Vec<usize>,
        /// Copies of each shard (at most the node count).
        #[arg(long, default_value_t = 1)]
        replicas: usize,
        /// Candidates fetched per query tier.
        #[arg(long, default_value_t = kho_cluster::search::CANDIDATE_DEPTH)]
        depth: usize,
        /// Timed passes over the questions.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-cluster: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Config { cluster, node, data_dir } => {
            let spec = ClusterSpec::load(&cluster)?;
            anyhow::ensure!(node < spec.nodes.len(), "--node {node}: the cluster has {} nodes", spec.nodes.len());
            print!("{}", spec.node_config(node, &data_dir, &searched_field_names()?));
            Ok(())
        }
        Command::Local { dir, nodes, shards, replicas, spec } => {
            let cluster = LocalCluster::start(&dir, nodes, shards, replicas, &searched_field_names()?)?;
            cluster.write_spec(&spec)?;
            eprintln!("kho-cluster: {nodes} searchd nodes running; description in {} (Ctrl-C to stop)", spec.display());
            let stop = Arc::new(AtomicBool::new(false));
            for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot listen for signals")?;
            }
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok(())
        }
        Command::Bench { index, queries, limit, nodes, replicas, depth, rounds } => {
            bench(&index, &queries, limit, &nodes, replicas, depth, rounds)
        }
    }
}

fn searched_field_names() -> anyhow::Result<Vec<String>> {
    Ok(kho_cluster::terms::searched_field_names()?)
}

/// Latencies of one pass, and what they sum to.
struct Timings {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Timings {
    fn line(&self, label: &str) -> String {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = |p: f64| sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1];
        format!(
            "{label:<22} {:>8.1} q/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
            self.latencies.len() as f64 / self.wall.as_secs_f64(),
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3
        )
    }
}

fn timed(
    rounds: usize,
    questions: &[String],
    mut search: impl FnMut(&SearchRequest) -> anyhow::Result<()>,
) -> anyhow::Result<Timings> {
    let mut latencies = Vec::with_capacity(rounds * questions.len());
    let started = Instant::now();
    for _ in 0..rounds {
        for q in questions {
            let one = Instant::now();
            search(&SearchRequest::new(q.as_str()))?;
            latencies.push(one.elapsed());
        }
    }
    Ok(Timings { latencies, wall: started.elapsed() })
}

fn bench(
    index: &Path,
    queries: &Path,
    limit: usize,
    sizes: &[usize],
    replicas: usize,
    depth: usize,
    rounds: usize,
) -> anyhow::Result<()> {
    let local = KhoSearcher::new(kho_core::open_index(index)?)?;
    let text = std::fs::read_to_string(queries).with_context(|| format!("reading {}", queries.display()))?;
    let questions: Vec<String> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|q| q["text"].as_str().map(str::to_owned))
        .filter(|q| local.search(&SearchRequest::new(q.as_str())).is_ok())
        .take(limit)
        .collect();
    let expected: Vec<Vec<String>> = questions
        .iter()
        .map(|q| local.search(&SearchRequest::new(q.as_str())).map(|r| r.hits.into_iter().map(|h| h.id).collect()))
        .collect::<Result<_, _>>()?;
    println!(
        "{} documents, {} questions, {rounds} timed passes each, candidates per tier {depth}",
        local.num_docs(),
        questions.len()
    );
    let baseline = timed(rounds, &questions, |request| Ok(local.search(request).map(|_| ())?))?;
    println!("{}", baseline.line("local index"));
    let fields = searched_field_names()?;
    for &n in sizes {
        let dir = tempfile::tempdir()?;
        let cluster = LocalCluster::start(dir.path(), n, n, replicas.min(n), &fields)?;
        let published = Instant::now();
        let report = publish_index(index, &cluster.spec)?;
        let publish_time = published.elapsed();
        let searcher = ClusterSearcher::new(&cluster.spec)?.with_depth(depth);
        let mut overlap = 0.0;
        let mut misses = Vec::new();
        for (q, want) in questions.iter().zip(&expected) {
            let found: Vec<String> =
                searcher.search(&SearchRequest::new(q.as_str()))?.hits.into_iter().map(|h| h.id).collect();
            let share = match want.len() {
                0 => f64::from(u8::from(found.is_empty())),
                len => want.iter().filter(|id| found.contains(id)).count() as f64 / len as f64,
            };
            if share < 1.0 {
                misses.push(format!("{share:.1} {q}"));
            }
            overlap += share;
        }
        let timings = timed(rounds, &questions, |request| Ok(searcher.search(request).map(|_| ())?))?;
        let retrieval = timed(rounds, &questions, |request| Ok(searcher.retrieve(request).map(|_| ())?))?;
        println!("{}", retrieval.line(&format!("  {n}: Sphinx's part")));
        println!(
            "{}   top-10 overlap {:.3}   published {} docs in {:.1} s",
            timings.line(&format!("{n} node(s), {n} shard(s)")),
            overlap / questions.len() as f64,
            report.written,
            publish_time.as_secs_f64()
        );
        for miss in misses.iter().take(5) {
            println!("    below 1: {miss}");
        }
    }
    Ok(())
}
