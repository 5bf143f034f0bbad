//! Work spread over the machine's cores without losing the input's order: the first half of every
//! indexing run (a file read and extracted, or a JSON Lines record parsed, then its document assembled:
//! metadata tags, captions, near-duplicate signature) is independent from one document to the next, so it
//! runs on one worker per core while the caller consumes the results in order. The writing half stays
//! on tantivy's own indexing threads.
//!
//! [`map_ordered`] reads its input on a thread of its own, hands it out in batches round-robin (batch `k`
//! to worker `k % workers`) and takes the results back in the same round, so the order is kept without a
//! reordering buffer. The channels are bounded, so a slow consumer holds the readers back instead of
//! letting batches pile up in memory; and when the consumer stops (an error), the workers and the reader
//! see their channel closed and stop too.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Batches waiting in each channel.
const QUEUED_BATCHES: usize = 4;

/// Worker threads: one per core.
pub(crate) fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).max(1)
}

/// Applies `work` to every item of `items` on [`worker_count`] threads, `batch` items at a time, and
/// calls `sink` with each result in the order of the items. Stops at `sink`'s first error and returns it.
pub(crate) fn map_ordered<T, R, E>(
    items: impl Iterator<Item = T> + Send,
    batch: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let workers = worker_count();
    let batch = batch.max(1);
    std::thread::scope(|scope| {
        let mut inputs: Vec<SyncSender<Vec<T>>> = Vec::with_capacity(workers);
        let mut outputs: Vec<Receiver<Vec<R>>> = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (to_worker, worker_in) = sync_channel::<Vec<T>>(QUEUED_BATCHES);
            let (worker_out, from_worker) = sync_channel::<Vec<R>>(QUEUED_BATCHES);
            let work = &work;
            scope.spawn(move || {
                for items in worker_in {
                    let results: Vec<R> = items.into_iter().map(work).collect();
                    if worker_out.send(results).is_err() {
                        return; // the consumer stopped
                    }
                }
            });
            inputs.push(to_worker);
            outputs.push(from_worker);
        }
        scope.spawn(move || distribute(items, batch, inputs));
        // The results, batch k from worker k % workers, until the worker of the next batch has no more.
        let mut next = 0;
        while let Ok(results) = outputs[next % workers].recv() {
            for result in results {
                sink(result)?;
            }
            next += 1;
        }
        Ok(())
    })
}

/// Sends `items` in batches round-robin to the workers; stops when one is gone.
fn distribute<T>(items: impl Iterator<Item = T>, batch: usize, inputs: Vec<SyncSender<Vec<T>>>) {
    let mut items = items.peekable();
    let mut next = 0;
    while items.peek().is_some() {
        let chunk: Vec<T> = items.by_ref().take(batch).collect();
        if inputs[next % inputs.len()].send(chunk).is_err() {
            return;
        }
        next += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_items() {
        for (count, batch) in [(0, 3), (1, 1), (10, 3), (1000, 7), (64, 64), (65, 64)] {
            let mut seen = Vec::new();
            let done: Result<(), ()> = map_ordered(
                0..count,
                batch,
                |n: u32| n * 2,
                |n| {
                    seen.push(n);
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            assert_eq!(seen, (0..count).map(|n| n * 2).collect::<Vec<_>>(), "{count} items, batches of {batch}");
        }
    }

    #[test]
    fn stops_at_the_first_error() {
        let mut seen = 0;
        let done = map_ordered(
            0..100_000u32,
            10,
            |n| n,
            |n| {
                seen += 1;
                if n == 25 {
                    Err(n)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(done, Err(25));
        assert_eq!(seen, 26);
    }
}
