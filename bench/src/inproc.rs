//! In-process query latency: every query once to warm up, then every query `rounds` times, timed one by
//! one.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::queries::BenchQuery;
use crate::stats::Latency;
use crate::systems::Searcher;

/// Latency of one system over the mix.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueryRun {
    pub latency: Latency,
    /// Queries that returned at least one hit.
    pub answered: usize,
    pub queries: usize,
    /// Queries per second on one thread.
    pub qps: f64,
}

/// Times `searcher` over `queries`.
pub fn measure(searcher: &dyn Searcher, queries: &[BenchQuery], rounds: usize) -> Result<QueryRun> {
    let mut answered = 0;
    for query in queries {
        answered += usize::from(searcher.search(query)? > 0);
    }
    let mut durations: Vec<Duration> = Vec::with_capacity(queries.len() * rounds);
    let started = Instant::now();
    for _ in 0..rounds {
        for query in queries {
            let t = Instant::now();
            std::hint::black_box(searcher.search(query)?);
            durations.push(t.elapsed());
        }
    }
    let qps = durations.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
    Ok(QueryRun { latency: Latency::of(&durations), answered, queries: queries.len(), qps })
}
