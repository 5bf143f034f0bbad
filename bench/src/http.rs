//! HTTP benchmark, run in a child process: the real Kho server (`kho_server::app` + `serve`) on
//! 127.0.0.1:0 over the built index, and a load generator in the same process: N keep-alive HTTP/1.1
//! connections (raw TCP) each sending `GET /api/search?q=…` from the query mix, one request at a time,
//! for a fixed time and at most a fixed number of requests.
//!
//! The same server also runs alone in a child process (`serve-only`) for a load generator of its own
//! process, wrk (see `crate::wrk`); the load generator here then only warms it up.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::memory;
use crate::stats::Latency;

/// Concurrent connections measured.
pub const CONNECTIONS: [usize; 3] = [1, 8, 64];
/// Most requests sent per level, whatever the time.
const MAX_REQUESTS: usize = 1_000_000;
/// A request slower than this counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One load level.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Level {
    pub connections: usize,
    /// wrk's threads (`-t`); 0 for the in-process load generator (tokio tasks on the server's runtime).
    #[serde(default)]
    pub threads: usize,
    pub requests: usize,
    pub errors: usize,
    pub secs: f64,
    pub rps: f64,
    pub latency: Latency,
}

/// The whole HTTP run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HttpRun {
    /// How long the server's first suggestion build took; load starts after it.
    #[serde(default)]
    pub suggestions_ms: f64,
    /// Resident memory with the index open, the server started and its suggestions built, before any
    /// request.
    pub rss_before_mb: f64,
    /// After warm-up and every load level.
    pub rss_after_mb: f64,
    /// The anonymous part of `rss_after_mb` (heap: caches, buffers), measured with it.
    #[serde(default)]
    pub rss_anon_mb: f64,
    /// The file-backed part of `rss_after_mb` (mostly the index's mapped pages), measured with it.
    #[serde(default)]
    pub rss_file_mb: f64,
    pub peak_mb: f64,
    pub levels: Vec<Level>,
}

/// Child side of `serve`: starts the server over `index` with a response cache of `cache_entries` (0: off),
/// runs every level with `queries`, prints JSON.
pub fn serve_and_load(index: &Path, queries: &[String], secs: f64, cache_entries: usize) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let run = runtime.block_on(async {
        let kho = kho_core::index::open_index(index)?;
        let state = kho_server::AppState::new(kho)?.with_cache_entries(cache_entries);
        let suggestions_ms = wait_for_suggestions(&state).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(kho_server::serve(listener, kho_server::app(state), async move {
            let _ = stopped.await;
        }));
        let rss_before_mb = memory::rss_mb();
        let paths: Arc<Vec<String>> = Arc::new(queries.iter().map(|q| search_path(q)).collect());
        let warm = load(addr, Arc::clone(&paths), 1, 30.0, paths.len()).await?;
        if warm.errors > 0 {
            bail!("{} of {} warm-up requests failed", warm.errors, warm.requests);
        }
        let mut levels = Vec::new();
        for connections in CONNECTIONS {
            levels.push(load(addr, Arc::clone(&paths), connections, secs, MAX_REQUESTS).await?);
        }
        let (rss_after_mb, rss_anon_mb, rss_file_mb) = (memory::rss_mb(), memory::rss_anon_mb(), memory::rss_file_mb());
        let _ = stop.send(());
        server.await??;
        Ok::<_, anyhow::Error>(HttpRun {
            suggestions_ms,
            rss_before_mb,
            rss_after_mb,
            rss_anon_mb,
            rss_file_mb,
            peak_mb: memory::peak_mb(),
            levels,
        })
    })?;
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

/// What the `serve-only` child prints when it is listening, and again when it stops.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServerReport {
    /// Where it listens (`127.0.0.1:PORT`).
    pub addr: String,
    /// How long the first suggestion build took (the server listens once it is done).
    #[serde(default)]
    pub suggestions_ms: f64,
    /// Resident memory now (before the first request; then after the last).
    pub rss_mb: f64,
    /// The anonymous part of `rss_mb` (heap: caches, buffers), measured with it.
    #[serde(default)]
    pub rss_anon_mb: f64,
    /// The file-backed part of `rss_mb` (mostly the index's mapped pages), measured with it.
    #[serde(default)]
    pub rss_file_mb: f64,
    pub peak_mb: f64,
}

/// Child side of `serve-only`: serves `index` on 127.0.0.1 with a response cache of `cache_entries` (0:
/// off), prints a [`ServerReport`] line, serves until its standard input closes, then prints another and
/// stops.
pub fn serve_until_stdin_closes(index: &Path, cache_entries: usize) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let kho = kho_core::index::open_index(index)?;
        let state = kho_server::AppState::new(kho)?.with_cache_entries(cache_entries);
        let suggestions_ms = wait_for_suggestions(&state).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?.to_string();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(kho_server::serve(listener, kho_server::app(state), async move {
            let _ = stopped.await;
        }));
        let report = || ServerReport {
            addr: addr.clone(),
            suggestions_ms,
            rss_mb: memory::rss_mb(),
            rss_anon_mb: memory::rss_anon_mb(),
            rss_file_mb: memory::rss_file_mb(),
            peak_mb: memory::peak_mb(),
        };
        println!("{}", serde_json::to_string(&report())?);
        tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink())).await??;
        let last = report();
        let _ = stop.send(());
        server.await??;
        println!("{}", serde_json::to_string(&last)?);
        Ok(())
    })
}

/// Waits for the server's first suggestion build (a background thread that reads every stored document at
/// start-up) and returns how long it took: load measured while it runs would measure the build too, not
/// the steady state.
async fn wait_for_suggestions(state: &kho_server::AppState) -> Result<f64> {
    let started = std::time::Instant::now();
    let suggestions = state.completions.clone();
    let built =
        tokio::task::spawn_blocking(move || suggestions.wait_until_built(std::time::Duration::from_secs(900))).await?;
    if !built {
        bail!("the suggestions were not built within 900 s");
    }
    Ok(started.elapsed().as_secs_f64() * 1e3)
}

/// Sends every path once over one connection to the server at `addr` (from another process); fails if
/// any request fails.
pub fn warm_up(addr: SocketAddr, paths: &[String]) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let warm = runtime.block_on(load(addr, Arc::new(paths.to_vec()), 1, 60.0, paths.len()))?;
    if warm.errors > 0 {
        bail!("{} of {} warm-up requests failed", warm.errors, warm.requests);
    }
    Ok(())
}

/// The request path of a query.
pub fn search_path(query: &str) -> String {
    format!("/api/search?q={}", percent_encode(query))
}

/// Per-connection results.
#[derive(Default)]
struct ConnStats {
    latencies_ms: Vec<f64>,
    errors: usize,
}

/// `connections` connections sending requests for `secs` seconds or `max_requests` requests in all.
pub(crate) async fn load(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    connections: usize,
    secs: f64,
    max_requests: usize,
) -> Result<Level> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(secs);
    let per_connection = max_requests.div_ceil(connections);
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let paths = Arc::clone(&paths);
            tokio::spawn(async move { connection(addr, &paths, c, connections, deadline, per_connection).await })
        })
        .collect();
    let mut all = ConnStats::default();
    for task in tasks {
        let stats = task.await?;
        all.latencies_ms.extend(stats.latencies_ms);
        all.errors += stats.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let requests = all.latencies_ms.len() + all.errors;
    Ok(Level {
        connections,
        threads: 0,
        requests,
        errors: all.errors,
        secs: elapsed,
        rps: all.latencies_ms.len() as f64 / elapsed.max(1e-9),
        latency: Latency::of_ms(&mut all.latencies_ms),
    })
}

/// One keep-alive connection; reconnects after an error.
async fn connection(
    addr: SocketAddr,
    paths: &[String],
    first: usize,
    step: usize,
    deadline: Instant,
    max_requests: usize,
) -> ConnStats {
    let mut stats = ConnStats::default();
    let mut stream: Option<TcpStream> = None;
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut next = first;
    while Instant::now() < deadline && stats.latencies_ms.len() + stats.errors < max_requests {
        let path = &paths[next % paths.len()];
        next += step;
        if stream.is_none() {
            match TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    stream = Some(s);
                }
                Err(_) => {
                    stats.errors += 1;
                    continue;
                }
            }
        }
        let Some(s) = stream.as_mut() else { continue };
        let t = Instant::now();
        match tokio::time::timeout(REQUEST_TIMEOUT, exchange(s, path, &mut buf)).await {
            Ok(Ok(200)) => stats.latencies_ms.push(t.elapsed().as_secs_f64() * 1e3),
            Ok(Ok(_)) => stats.errors += 1,
            Ok(Err(_)) | Err(_) => {
                stats.errors += 1;
                stream = None;
            }
        }
    }
    stats
}

/// Sends one GET and reads the whole response (Content-Length framed); returns the status code.
async fn exchange(stream: &mut TcpStream, path: &str, buf: &mut Vec<u8>) -> Result<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed");
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..header_end]).context("header not UTF-8")?;
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).context("no status")?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
        })
        .context("no content-length")?;
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed in the body");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(status)
}

/// Percent-encodes everything but unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_vietnamese_and_filters() {
        assert_eq!(percent_encode("sạch year:2017"), "s%E1%BA%A1ch%20year%3A2017");
    }
}
