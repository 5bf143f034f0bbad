//! Xapian, the peer engine: Debian's Xapian 1.4 (`libxapian-dev`), driven by a small C++ program of ours,
//! `bench/peers/xapian_peer.cpp`, that kho-bench compiles with g++ at bench time (`pkg-config xapian-core`)
//! and runs as a child process. It indexes the same JSON Lines file (title, then abstract + body) and
//! answers the same query mix with a top-10 and `MSet::snippet` snippets, timing each query itself after a
//! warm-up pass, as kho-bench does for the in-process systems. `bench/peers/setup.sh` installs the packages;
//! `cargo test` needs none of it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use tempfile::TempDir;

use crate::child::{self, IndexRun};
use crate::inproc::QueryRun;
use crate::queries::BenchQuery;
use crate::stats::Latency;

use super::TOP;

/// The peer's source, built into kho-bench so it compiles from any working directory.
const SOURCE: &str = include_str!("../../peers/xapian_peer.cpp");
/// What installs the peer's packages.
pub const SETUP: &str = "bench/peers/setup.sh";

/// The compiled peer program.
pub struct XapianPeer {
    program: PathBuf,
    /// Xapian's version, as pkg-config gives it.
    pub version: String,
    _dir: TempDir,
}

/// What `xapian-peer search` prints.
#[derive(Debug, Deserialize)]
struct PeerQueries {
    latencies_ms: Vec<f64>,
    answered: usize,
    queries: usize,
    wall_secs: f64,
}

impl PeerQueries {
    fn into_run(mut self) -> QueryRun {
        let qps = self.latencies_ms.len() as f64 / self.wall_secs.max(1e-9);
        QueryRun {
            latency: Latency::of_ms(&mut self.latencies_ms),
            answered: self.answered,
            queries: self.queries,
            qps,
        }
    }
}

/// Runs `program args` and returns its standard output, or why it could not.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(program).args(args).output().with_context(|| format!("running {program}"))?;
    if !output.status.success() {
        bail!("{program} {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

impl XapianPeer {
    /// Compiles the peer in a temporary directory; the error says to run [`SETUP`] when Xapian, the JSON
    /// header or g++ is missing.
    pub fn build() -> Result<XapianPeer> {
        XapianPeer::compile().with_context(|| {
            format!("the Xapian peer could not be built: run `{SETUP}` (as root; installs libxapian-dev, nlohmann-json3-dev, g++, pkg-config and wrk from Debian) or pass --no-peer")
        })
    }

    fn compile() -> Result<XapianPeer> {
        let version = output("pkg-config", &["--modversion", "xapian-core"])?;
        let flags = output("pkg-config", &["--cflags", "--libs", "xapian-core"])?;
        let dir = tempfile::Builder::new().prefix("kho-bench-xapian").tempdir()?;
        let source = dir.path().join("xapian_peer.cpp");
        std::fs::write(&source, SOURCE)?;
        let program = dir.path().join("xapian-peer");
        let mut args: Vec<String> = vec!["-O2".into(), "-std=c++17".into(), source.to_string_lossy().into_owned()];
        args.extend(["-o".to_owned(), program.to_string_lossy().into_owned()]);
        args.extend(flags.split_whitespace().map(str::to_owned));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        output("g++", &args)?;
        Ok(XapianPeer { program, version, _dir: dir })
    }

    /// Indexes `file` into `index` in a child process.
    pub fn index(&self, file: &Path, index: &Path) -> Result<IndexRun> {
        let (run, _wall) = child::run_program(
            &self.program,
            &["index", "--file", &file.to_string_lossy(), "--index", &index.to_string_lossy()],
        )?;
        Ok(run)
    }

    /// Times the query mix (the words only, as every baseline gets them) over `index` in a child process:
    /// every query once to warm up, then `rounds` times, each timed by the peer.
    pub fn measure(&self, index: &Path, queries: &[BenchQuery], rounds: usize, work: &Path) -> Result<QueryRun> {
        let file = work.join("xapian-queries.txt");
        let lines: Vec<&str> = queries.iter().map(|q| q.text.as_str()).collect();
        std::fs::write(&file, lines.join("\n")).with_context(|| format!("writing {}", file.display()))?;
        let (peer, _wall): (PeerQueries, f64) = child::run_program(
            &self.program,
            &[
                "search",
                "--index",
                &index.to_string_lossy(),
                "--queries",
                &file.to_string_lossy(),
                "--rounds",
                &rounds.to_string(),
                "--top",
                &TOP.to_string(),
            ],
        )?;
        if peer.queries != queries.len() {
            bail!("the Xapian peer read {} queries of {}", peer.queries, queries.len());
        }
        Ok(peer.into_run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_peers_timings_like_the_in_process_ones() {
        let json = r#"{"latencies_ms":[3.0,1.0,2.0,4.0],"answered":2,"queries":2,"returned":20,"wall_secs":0.5}"#;
        let run = child::last_json_line::<PeerQueries>(&format!("noise\n{json}\n")).unwrap().into_run();
        assert_eq!((run.answered, run.queries, run.latency.samples), (2, 2, 4));
        assert_eq!((run.latency.p50_ms, run.latency.max_ms), (2.0, 4.0));
        assert!((run.qps - 8.0).abs() < 1e-9);
    }

    #[test]
    fn the_peers_index_report_is_an_index_run() {
        let json = r#"{"counts":{"duplicates":0,"failed":0,"indexed":1000,"unchanged":0},"peak_mb":35.8,"secs":2.1}"#;
        let run: IndexRun = child::last_json_line(json).unwrap();
        assert_eq!(run.counts.indexed, 1000);
        assert!((run.secs - 2.1).abs() < 1e-9);
    }
}
