//! kho-faults: `kill -9` at random moments of `kho-index`, then restart, and check that nothing is lost
//! or doubled.
//!
//! Two archives are made in a temporary folder: a folder of text files and a JSON Lines file, every
//! document with a word of its own (`hosoN`). For each, `kho-index` (the release binary next to this
//! one) is started on the archive again and again and killed with SIGKILL after a random delay drawn
//! over the length of a whole run, `--kills` times in all. Before each start a tenth of the documents
//! is rewritten, so that every run has work to do and is interrupted in the middle of it. After every
//! kill the index must open and hold no document twice. A last run without a kill must then leave
//! every document exactly once.
//!
//! ```sh
//! cargo build --release -p kho-indexer -p kho-bench && target/release/kho-faults --kills 20
//! ```

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use kho_core::index::open_index;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// Kills kho-index with SIGKILL at random moments and checks the index after each restart.
#[derive(Debug, Parser)]
#[command(name = "kho-faults")]
struct Args {
    /// Kills in all, split evenly between the folder and the JSON Lines archive.
    #[arg(long, default_value_t = 20)]
    kills: usize,
    /// Documents in each archive.
    #[arg(long, default_value_t = 20_000)]
    documents: usize,
    /// Seed of the random delays.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const WORDS: [&str; 16] = [
    "sản",
    "xuất",
    "sạch",
    "hơn",
    "nhà",
    "máy",
    "đường",
    "tiết",
    "kiệm",
    "nước",
    "hội",
    "thảo",
    "doanh",
    "nghiệp",
    "môi",
    "trường",
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-faults: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    let kho_index = std::env::current_exe()?.with_file_name("kho-index");
    if !kho_index.is_file() {
        bail!("{} not found: build it with `cargo build --release -p kho-indexer`", kho_index.display());
    }
    let work = tempfile::tempdir()?;
    let folder = work.path().join("folder");
    let jsonl = work.path().join("archive.jsonl");
    write_archives(&folder, &jsonl, args.documents)?;
    let mut rng = args.seed;
    let mut failures = 0;
    for (mode, source) in [("folder", vec![folder.clone()]), ("jsonl", vec![PathBuf::from("--jsonl"), jsonl.clone()])] {
        let index = work.path().join(format!("index-{mode}"));
        let full = timed_run(&kho_index, &work.path().join("probe"), &source)?;
        println!("{mode}: a whole run takes {:.2} s", full.as_secs_f64());
        let mut worst_doubles = 0;
        let mut interrupted = 0;
        let mut estimate = full;
        for kill in 0..args.kills / 2 {
            rewrite_tenth(&folder, &jsonl, args.documents, kill)?;
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            // A moment within the length of a run like this one: the last run's, when it was seen to end.
            let delay = estimate.mul_f64(((rng >> 33) as f64 / (1u64 << 31) as f64).min(1.0));
            let mut child = Command::new(&kho_index)
                .arg("--index")
                .arg(&index)
                .args(&source)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let started = Instant::now();
            let mut finished = false;
            while started.elapsed() < delay {
                if child.try_wait()?.is_some() {
                    finished = true;
                    estimate = started.elapsed();
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            interrupted += usize::from(!finished);
            child.kill().ok(); // SIGKILL
            child.wait()?;
            let (docs, distinct) = census(&index)?;
            worst_doubles = worst_doubles.max(docs - distinct);
            println!(
                "{mode}: kill {:>2} after {:>6.0} ms{}: index opens, {docs} documents, {} doubled",
                kill + 1,
                delay.as_secs_f64() * 1e3,
                if finished { " (the run had finished)" } else { "" },
                docs - distinct
            );
        }
        let status =
            Command::new(&kho_index).arg("--index").arg(&index).args(&source).stdout(Stdio::null()).status()?;
        let (docs, distinct) = census(&index)?;
        let lost = args.documents.saturating_sub(distinct);
        println!(
            "{mode}: {interrupted} of {} runs killed before they finished; after the last run ({status}): \
             {docs} documents, {distinct} distinct, {lost} lost, {} doubled",
            args.kills / 2,
            docs - distinct
        );
        if !status.success() || lost > 0 || docs != distinct || worst_doubles > 0 {
            failures += 1;
        }
    }
    if failures > 0 {
        bail!("documents were lost or doubled");
    }
    println!("{} kills: 0 lost, 0 doubled", args.kills / 2 * 2);
    Ok(())
}

/// A folder of `n` text files and a JSON Lines file of `n` records, each document with a word of its own.
fn write_archives(folder: &Path, jsonl: &Path, n: usize) -> Result<()> {
    std::fs::create_dir_all(folder)?;
    let mut lines = std::io::BufWriter::new(std::fs::File::create(jsonl)?);
    let mut state: u64 = 42;
    for i in 0..n {
        let mut body = format!("hoso{i}");
        for _ in 0..80 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            body.push(' ');
            body.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
        }
        std::fs::write(folder.join(format!("ho-so-{i:05}.txt")), format!("Hồ sơ {i}\n\n{body}"))?;
        writeln!(
            lines,
            "{}",
            serde_json::json!({"id": format!("doc-{i}"), "title": format!("Hồ sơ {i}"), "body": body})
        )?;
    }
    lines.flush()?;
    Ok(())
}

/// Rewrites the `round`-th tenth of the documents (a new sentence at the end of each), in both archives.
fn rewrite_tenth(folder: &Path, jsonl: &Path, n: usize, round: usize) -> Result<()> {
    let tenth = (n / 10).max(1);
    let range = (round % 10) * tenth..((round % 10) * tenth + tenth).min(n);
    for i in range.clone() {
        let file = folder.join(format!("ho-so-{i:05}.txt"));
        let text = std::fs::read_to_string(&file)?;
        std::fs::write(&file, format!("{text}\nBổ sung lần {round}."))?;
    }
    let text = std::fs::read_to_string(jsonl)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(jsonl)?);
    for (i, line) in text.lines().enumerate() {
        if !range.contains(&i) {
            writeln!(out, "{line}")?;
            continue;
        }
        let mut record: serde_json::Value = serde_json::from_str(line)?;
        let body = format!("{} Bổ sung lần {round}.", record["body"].as_str().unwrap_or_default());
        record["body"] = serde_json::Value::String(body);
        writeln!(out, "{record}")?;
    }
    out.flush()?;
    Ok(())
}

/// How long one whole run takes on a new index.
fn timed_run(kho_index: &Path, index: &Path, source: &[PathBuf]) -> Result<Duration> {
    let started = Instant::now();
    let status = Command::new(kho_index).arg("--index").arg(index).args(source).stdout(Stdio::null()).status()?;
    if !status.success() {
        bail!("kho-index failed on the intact archive: {status}");
    }
    Ok(started.elapsed())
}

/// The index's live documents and how many distinct paths (sources) they have; (0, 0) before the
/// first commit. An index that exists but does not open is an error.
fn census(index: &Path) -> Result<(usize, usize)> {
    if !index.join("meta.json").is_file() {
        return Ok((0, 0));
    }
    let kho = open_index(index).with_context(|| format!("opening {} after a kill", index.display()))?;
    let reader = kho.index.reader()?;
    let searcher = reader.searcher();
    let mut keys = HashSet::new();
    let mut docs = 0;
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let key = doc.get_first(kho.fields.path).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            keys.insert(key);
            docs += 1;
        }
    }
    Ok((docs, keys.len()))
}
