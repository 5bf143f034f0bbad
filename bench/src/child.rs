//! Work run in a child process of this binary, so its memory and start-up are its own: indexing one
//! system, the HTTP benchmark, and the cold start. The child prints one JSON line; the parent reads it.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::memory;
use crate::systems::{self, IndexCounts, SystemName};

/// What an indexing child measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexRun {
    pub secs: f64,
    pub peak_mb: f64,
    pub counts: IndexCounts,
}

/// What a cold-start child measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ColdStart {
    /// From opening the index to the first answer, inside the child.
    pub open_to_answer_ms: f64,
    /// Of which: opening the index and building the server state (reader, suggestions).
    pub open_ms: f64,
    /// Of which: the first search.
    pub first_search_ms: f64,
    pub hits: usize,
}

/// Child side of `index-one`.
pub fn index_one(system: SystemName, file: &Path, index: &Path) -> Result<()> {
    let started = Instant::now();
    let counts = systems::index(system, file, index)?;
    let run = IndexRun { secs: started.elapsed().as_secs_f64(), peak_mb: memory::peak_mb(), counts };
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

/// Child side of `cold-start`: open the index as the server does, then answer one query.
pub fn cold_start(index: &Path, query: &str) -> Result<()> {
    let started = Instant::now();
    let kho = kho_core::index::open_index(index)?;
    let state = kho_server::AppState::new(kho)?;
    let opened = started.elapsed();
    let response = state.searcher.search(&kho_core::search::SearchRequest::new(query))?;
    let total = started.elapsed();
    let result = ColdStart {
        open_to_answer_ms: total.as_secs_f64() * 1e3,
        open_ms: opened.as_secs_f64() * 1e3,
        first_search_ms: (total - opened).as_secs_f64() * 1e3,
        hits: response.hits.len(),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

/// Runs this binary with `args` and parses the JSON line it prints last; also returns the wall time.
pub fn run<T: DeserializeOwned>(args: &[&str]) -> Result<(T, f64)> {
    let exe = std::env::current_exe().context("finding this binary")?;
    run_program(&exe, args)
}

/// Runs `program` with `args` and parses the JSON line it prints last; also returns the wall time.
pub fn run_program<T: DeserializeOwned>(program: &Path, args: &[&str]) -> Result<(T, f64)> {
    let name = program.file_name().map_or_else(|| program.display().to_string(), |n| n.to_string_lossy().into_owned());
    let started = Instant::now();
    let output = Command::new(program).args(args).output().with_context(|| format!("running {name} {args:?}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!("{name} {args:?} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed = last_json_line(&stdout).with_context(|| format!("reading the answer of {name} {args:?}"))?;
    Ok((parsed, wall))
}

/// The last line of `stdout` that starts with `{`, parsed.
pub fn last_json_line<T: DeserializeOwned>(stdout: &str) -> Result<T> {
    let line = stdout.lines().rev().find(|l| l.trim_start().starts_with('{')).context("no JSON line in the output")?;
    serde_json::from_str(line).with_context(|| format!("reading {line:?}"))
}
