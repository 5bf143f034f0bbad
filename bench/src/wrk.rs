//! HTTP load from wrk (Debian's `wrk` package), a load generator in its own process: the Kho server runs
//! alone in a child process (`kho-bench serve-only`), is warmed up with every query once, then wrk sends
//! `GET /api/search?q=…` rotating through the query mix (`bench/wrk/search.lua`) at 1, 8 and 64
//! connections, with 2 threads (1 at 1 connection: wrk needs a connection per thread). The warm-up fills
//! the server's response cache when it has one, so a run with the cache on measures cached answers.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::child;
use crate::http::{self, HttpRun, Level, ServerReport, CONNECTIONS};
use crate::queries::BenchQuery;
use crate::stats::Latency;
use crate::systems::xapian::SETUP;

/// The Lua script, built into kho-bench so it runs from any working directory.
const SCRIPT: &str = include_str!("../wrk/search.lua");
/// wrk's threads (`-t`), fewer when there are fewer connections.
const THREADS: usize = 2;
/// A request slower than this is a timeout (an error), as for the in-process load generator.
const TIMEOUT_SECS: u64 = 10;

/// The wrk program found on this machine.
pub struct Wrk {
    /// Its version line (`wrk debian/4.1.0-3+b2 [epoll]`).
    pub version: String,
}

impl Wrk {
    /// Finds wrk; the error says to run the setup script when it is missing.
    pub fn find() -> Result<Wrk> {
        // `wrk --version` prints its version and usage, and exits with 1.
        let output = Command::new("wrk").arg("--version").output().with_context(|| {
            format!("wrk not found: run `{SETUP}` (as root; installs wrk and the Xapian peer's packages from Debian) or pass --no-wrk")
        })?;
        let text = String::from_utf8_lossy(&output.stdout);
        let first = text.lines().next().unwrap_or("wrk");
        let version = first.split(" Copyright").next().unwrap_or(first).trim().to_owned();
        Ok(Wrk { version })
    }

    /// Serves `index` in a child process with a response cache of `cache_entries` (0: off) and loads it
    /// with wrk at every level, `secs` seconds each.
    pub fn measure(
        &self,
        work: &Path,
        index: &Path,
        mix: &[BenchQuery],
        secs: f64,
        cache_entries: usize,
    ) -> Result<HttpRun> {
        let paths: Vec<String> = mix.iter().map(|q| http::search_path(&q.kho())).collect();
        let paths_file = work.join("wrk-paths.txt");
        std::fs::write(&paths_file, paths.join("\n"))?;
        let script = work.join("wrk-search.lua");
        std::fs::write(&script, SCRIPT)?;
        let mut server = Server::start(index, cache_entries)?;
        let addr: SocketAddr = server.started.addr.parse().context("the server's address")?;
        http::warm_up(addr, &paths)?;
        let seconds = secs.round().max(1.0) as u64;
        let mut levels = Vec::new();
        for connections in CONNECTIONS {
            let threads = THREADS.min(connections);
            let args = [
                format!("-t{threads}"),
                format!("-c{connections}"),
                format!("-d{seconds}s"),
                format!("--timeout={TIMEOUT_SECS}s"),
                "-s".to_owned(),
                script.to_string_lossy().into_owned(),
                format!("http://{addr}"),
                "--".to_owned(),
                paths_file.to_string_lossy().into_owned(),
                threads.to_string(),
            ];
            let output = Command::new("wrk").args(&args).output().context("running wrk")?;
            if !output.status.success() {
                bail!("wrk {} failed ({}): {}", args.join(" "), output.status, String::from_utf8_lossy(&output.stderr));
            }
            let summary: Summary = child::last_json_line(&String::from_utf8_lossy(&output.stdout))
                .with_context(|| format!("reading the output of wrk {}", args.join(" ")))?;
            levels.push(summary.level(connections, threads));
        }
        let stopped = server.stop()?;
        Ok(HttpRun {
            suggestions_ms: server.started.suggestions_ms,
            rss_before_mb: server.started.rss_mb,
            rss_after_mb: stopped.rss_mb,
            rss_anon_mb: stopped.rss_anon_mb,
            rss_file_mb: stopped.rss_file_mb,
            peak_mb: stopped.peak_mb,
            levels,
        })
    }
}

/// What the script's `done()` prints (microseconds).
#[derive(Debug, Clone, Deserialize, Serialize)]
struct Summary {
    requests: usize,
    duration_us: u64,
    connect_errors: usize,
    read_errors: usize,
    write_errors: usize,
    /// Responses with a status other than 2xx or 3xx (counted in `requests` too).
    status_errors: usize,
    timeouts: usize,
    mean_us: f64,
    p50_us: f64,
    p95_us: f64,
    p99_us: f64,
    max_us: f64,
}

impl Summary {
    fn level(&self, connections: usize, threads: usize) -> Level {
        let failed = self.connect_errors + self.read_errors + self.write_errors + self.timeouts;
        let secs = self.duration_us as f64 / 1e6;
        let ok = self.requests.saturating_sub(self.status_errors);
        Level {
            connections,
            threads,
            requests: self.requests + failed,
            errors: self.status_errors + failed,
            secs,
            rps: ok as f64 / secs.max(1e-9),
            latency: Latency {
                samples: self.requests,
                mean_ms: self.mean_us / 1e3,
                p50_ms: self.p50_us / 1e3,
                p95_ms: self.p95_us / 1e3,
                p99_ms: self.p99_us / 1e3,
                max_ms: self.max_us / 1e3,
            },
        }
    }
}

/// The `serve-only` child: killed if dropped before [`Server::stop`].
pub(crate) struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    pub(crate) started: ServerReport,
}

impl Server {
    /// The child's process id (to read its memory from `/proc`).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn start(index: &Path, cache_entries: usize) -> Result<Server> {
        let exe = std::env::current_exe().context("finding this binary")?;
        let mut child = Command::new(exe)
            .args(["serve-only", "--index", &index.to_string_lossy(), "--cache-entries", &cache_entries.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting kho-bench serve-only")?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            bail!("no pipes to kho-bench serve-only");
        };
        let mut server =
            Server { child, stdin: Some(stdin), stdout: BufReader::new(stdout), started: ServerReport::default() };
        server.started = server.read_report().context("waiting for kho-bench serve-only to listen")?;
        Ok(server)
    }

    fn read_report(&mut self) -> Result<ServerReport> {
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            bail!("kho-bench serve-only exited");
        }
        child::last_json_line(&line)
    }

    /// Closes the child's standard input, reads its last report and waits for it to exit.
    pub(crate) fn stop(&mut self) -> Result<ServerReport> {
        if let Some(mut stdin) = self.stdin.take() {
            stdin.flush()?;
        }
        let report = self.read_report().context("waiting for kho-bench serve-only to stop")?;
        let status = self.child.wait()?;
        if !status.success() {
            bail!("kho-bench serve-only exited with {status}");
        }
        Ok(report)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scripts_summary() {
        let stdout = "Running 2s test @ http://127.0.0.1:1234\n  2 threads and 8 connections\n\
            {\"requests\":1000,\"duration_us\":2000000,\"bytes\":5,\"connect_errors\":0,\"read_errors\":1,\
            \"write_errors\":0,\"status_errors\":10,\"timeouts\":2,\"mean_us\":1500.5,\"p50_us\":1200,\
            \"p95_us\":3000,\"p99_us\":4000,\"max_us\":9000}\n";
        let level = child::last_json_line::<Summary>(stdout).unwrap().level(8, 2);
        assert_eq!((level.connections, level.threads, level.requests, level.errors), (8, 2, 1003, 13));
        assert!((level.rps - 495.0).abs() < 1e-9);
        assert_eq!((level.latency.p50_ms, level.latency.p99_ms, level.latency.max_ms), (1.2, 4.0, 9.0));
    }

    #[test]
    fn the_script_reads_paths_and_prints_json() {
        assert!(SCRIPT.contains("function request()") && SCRIPT.contains("function done("));
        assert!(SCRIPT.contains("\"p99_us\":%d"));
    }
}
