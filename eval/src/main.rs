//! kho-eval: how well Kho finds the relevant documents of labelled Vietnamese sets, next to plain
//! tantivy and SQLite FTS5, with questions typed with and without diacritics.
//!
//! Run from the workspace root: `cargo run --release -p kho-eval` reads the BEIR sets in
//! `../shared/data`, builds a known-item set from the news articles there, prints a markdown table and
//! regenerates `docs/relevance.md`. The BEIR sets are real questions nobody on the team wrote, so the
//! figures say how the product's query language copes with natural-language questions, not how well it
//! was tuned to a test; the known-item set is a reader looking for an article by a sentence they remember.

mod beir;
mod diagnose;
mod evaluate;
mod known_item;
mod metrics;
mod report;
mod systems;
mod telex;
mod train;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

use beir::BeirSet;
use evaluate::{evaluate_set, timed, SetResults};
use report::Provenance;
use systems::SystemKind;

/// A set the evaluation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetSpec {
    /// A labelled BEIR set, as its folder under the data folder.
    Beir(&'static str),
    /// The known-item set built from `vietnews/val.jsonl.gz` (see [`known_item`]).
    KnownItem,
}

/// Every set, in the report's order.
const SETS: [SetSpec; 4] = [
    SetSpec::Beir("alqac2023/set2023"),
    SetSpec::Beir("alqac2023/set102023"),
    SetSpec::Beir("uit-regwiki-qa"),
    SetSpec::KnownItem,
];

impl SetSpec {
    /// The name in reports.
    fn name(self) -> &'static str {
        match self {
            SetSpec::Beir(folder) => folder,
            SetSpec::KnownItem => known_item::NAME,
        }
    }

    /// Whether `--set wanted` selects this set: a BEIR set by its folder or last name, the known-item set
    /// by `known-item` or its full name.
    fn is_selected_by(self, wanted: &str) -> bool {
        match self {
            SetSpec::Beir(folder) => folder == wanted || folder.rsplit('/').next() == Some(wanted),
            SetSpec::KnownItem => wanted == known_item::KEY || wanted == known_item::NAME,
        }
    }

    fn key(self) -> &'static str {
        match self {
            SetSpec::Beir(folder) => folder,
            SetSpec::KnownItem => known_item::KEY,
        }
    }

    fn load(self, args: &Args) -> Result<BeirSet> {
        match self {
            SetSpec::Beir(folder) => beir::load_set(&args.data, folder),
            SetSpec::KnownItem => known_item::load(&args.data, args.known_item_queries),
        }
    }
}
/// Where a full run writes its report, relative to the workspace root.
const DEFAULT_OUT: &str = "docs/relevance.md";

/// Evaluates Kho, plain tantivy and SQLite FTS5 on labelled BEIR sets (nDCG@10, MRR@10, R@100).
#[derive(Debug, Parser)]
#[command(name = "kho-eval")]
struct Args {
    /// Folder holding the sets (alqac2023/set2023, alqac2023/set102023, uit-regwiki-qa) and the news
    /// articles of the known-item set (vietnews/val.jsonl.gz).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Report file; a full run (every set and system) writes docs/relevance.md when not given, other runs
    /// write nothing unless it is given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run one set only: its folder (alqac2023/set2023) or last name (set2023), or known-item.
    #[arg(long)]
    set: Option<String>,
    /// Queries of the known-item set (one for every k-th news article of the val split).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    known_item_queries: usize,
    /// Build and evaluate Kho only (quick iterations).
    #[arg(long)]
    kho_only: bool,
    /// Skip the ablation (Kho with each ranking feature switched off in turn), which runs by default.
    #[arg(long)]
    no_ablation: bool,
    /// Print to stderr the N queries per set and variant where the best baseline beats Kho the most.
    #[arg(long, value_name = "N", default_value_t = 0)]
    examples: usize,
    /// Write every query's metrics for every system and variant to this TSV file.
    #[arg(long, value_name = "FILE")]
    per_query: Option<PathBuf>,
    /// Learn the reranker's weights on the training questions of the chosen sets (see `train`), print
    /// them with each set's nDCG@10 before and after, and evaluate nothing else.
    #[arg(long)]
    train: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-eval: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let started = Instant::now();
    let args = Args::parse();
    let sets = chosen_sets(args.set.as_deref())?;
    if args.train {
        let loaded = sets.iter().map(|spec| spec.load(&args)).collect::<Result<Vec<_>>>()?;
        return train::train(&loaded);
    }
    let systems: &[SystemKind] = if args.kho_only { &[SystemKind::Kho] } else { &SystemKind::ALL };
    let mut results: Vec<SetResults> = Vec::new();
    let mut per_query = String::from(diagnose::PER_QUERY_HEADER);
    for spec in &sets {
        let name = spec.name();
        let set = timed(&format!("[{name}] load"), || spec.load(&args))?;
        eprintln!("[{name}] {} documents, {} judged queries", set.documents.len(), set.queries.len());
        let mut set_results = evaluate_set(&set, systems)?;
        if !args.no_ablation {
            set_results.ablation = evaluate::ablate(&set)?;
        }
        if args.examples > 0 {
            diagnose::print_examples(&set, &set_results, args.examples);
        }
        if args.per_query.is_some() {
            per_query.push_str(&diagnose::per_query_rows(&set, &set_results));
        }
        results.push(set_results);
    }
    println!("{}", report::metrics_table(&results, systems));
    if !args.no_ablation {
        println!("{}", report::ablation_table(&results));
    }
    if let Some(path) = &args.per_query {
        write_file(path, &per_query)?;
        eprintln!("wrote {}", path.display());
    }
    let full_run = sets.len() == SETS.len() && !args.kho_only;
    let out = args.out.clone().or_else(|| full_run.then(|| PathBuf::from(DEFAULT_OUT)));
    if let Some(out) = out {
        let provenance = Provenance {
            command: command_line(),
            date: date_utc()?,
            revision: core_revision(),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            seconds: started.elapsed().as_secs_f64(),
        };
        write_file(&out, &report::document(&provenance, &results, systems))?;
        eprintln!("wrote {}", out.display());
    }
    eprintln!("total: {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The sets to run: all, or the one `--set` names.
fn chosen_sets(wanted: Option<&str>) -> Result<Vec<SetSpec>> {
    let Some(wanted) = wanted else { return Ok(SETS.to_vec()) };
    let found: Vec<SetSpec> = SETS.into_iter().filter(|set| set.is_selected_by(wanted)).collect();
    if found.is_empty() {
        let keys: Vec<&str> = SETS.iter().map(|set| set.key()).collect();
        bail!("unknown set {wanted:?}: expected one of {}", keys.join(", "));
    }
    Ok(found)
}

/// The command that made the report, as typed from the workspace root.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).map(|a| shell_quote(&a)).collect();
    if args.is_empty() {
        return "cargo run --release -p kho-eval".to_owned();
    }
    format!("cargo run --release -p kho-eval -- {}", args.join(" "))
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The commit the evaluated kho-core comes from, and whether `core/` had uncommitted changes; `None`
/// outside a git checkout.
fn core_revision() -> Option<String> {
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git").args(args).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"])?;
    let dirty = !git(&["status", "--porcelain", "--", "core"])?.is_empty();
    Some(if dirty { format!("{commit} with uncommitted changes to core/") } else { commit })
}

/// The output of `date -u`, as the report's date.
fn date_utc() -> Result<String> {
    let output = std::process::Command::new("date").arg("-u").output().context("running `date -u`")?;
    if !output.status.success() {
        bail!("`date -u` failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_chosen_by_folder_or_last_name() {
        assert_eq!(chosen_sets(None).unwrap(), SETS);
        assert_eq!(chosen_sets(Some("set2023")).unwrap(), [SetSpec::Beir("alqac2023/set2023")]);
        assert_eq!(chosen_sets(Some("uit-regwiki-qa")).unwrap(), [SetSpec::Beir("uit-regwiki-qa")]);
        assert_eq!(chosen_sets(Some("known-item")).unwrap(), [SetSpec::KnownItem]);
        assert_eq!(chosen_sets(Some("vietnews-val known-item")).unwrap(), [SetSpec::KnownItem]);
        assert!(chosen_sets(Some("alqac2023")).is_err());
        assert!(chosen_sets(Some("vietnews")).is_err());
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("--set"), "--set");
        assert_eq!(shell_quote("../shared/data"), "../shared/data");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
