//! A fixed set of threads for searches. Searching is blocking CPU work; on tokio's blocking pool every
//! request in flight could get a thread of its own, each with its own allocator arena and thread-local
//! analysis caches, which only shares the same cores more thinly and costs memory. Here one thread per
//! core takes searches in turn from a queue, and the others wait without holding a thread.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

type Job = Box<dyn FnOnce() + Send>;

/// The search threads and their queue; the threads end when the pool is dropped.
pub struct SearchPool {
    queue: Mutex<Sender<Job>>,
}

/// Why a job gave no answer: it panicked, or the pool's threads are gone.
#[derive(Debug, thiserror::Error)]
#[error("the search thread failed")]
pub struct PoolError;

impl SearchPool {
    /// A pool of `threads` threads (at least one).
    pub fn new(threads: usize) -> std::io::Result<SearchPool> {
        let (sender, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads.max(1) {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new().name(format!("kho-search-{n}")).spawn(move || work(&receiver))?;
        }
        Ok(SearchPool { queue: Mutex::new(sender) })
    }

    /// One thread per core.
    pub fn per_core() -> std::io::Result<SearchPool> {
        SearchPool::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
    }

    /// Runs `job` on a pool thread and waits for its result without blocking the async runtime.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, PoolError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(job());
        });
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).send(job).map_err(|_| PoolError)?;
        answered.await.map_err(|_| PoolError)
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        // A panicking search drops its answer channel (the request gets an error); the thread goes on.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_survives_panics() {
        let pool = SearchPool::new(2).unwrap();
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
        assert!(pool.run(|| -> u32 { panic!("boom") }).await.is_err());
        let pool = Arc::new(pool);
        let tasks: Vec<_> = (0..8u32)
            .map(|i| {
                let pool = Arc::clone(&pool);
                tokio::spawn(async move { pool.run(move || i * 2).await })
            })
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap().unwrap(), i as u32 * 2);
        }
    }
}
