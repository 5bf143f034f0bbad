//! The server's allocators, tuned for a small heap under concurrent searches.
//!
//! `kho-serve` allocates through mimalloc (its `#[global_allocator]`): every thread allocates from a heap of
//! its own, without locks, and memory one thread frees is given back to the heap that allocated it. With
//! glibc's malloc the server had to be held to two arenas to keep its heap small (with one per thread,
//! freed memory stayed fragmented in each: ~90 MB more under load), so the two search threads and the
//! async workers contended for those two locks (`__lll_lock_wait_private`, and `_int_malloc`,
//! `unlink_chunk`, `malloc_consolidate` at ~9% of the server's samples under wrk). Same index, same
//! queries, wrk at 8 connections with the response cache off, alternating builds: glibc 439 / 538 /
//! 493 req/s at 4.2 / 3.6 / 3.9 ms of CPU per request, mimalloc (purge delay 0) 635 / 576 / 647 req/s
//! at 3.0 / 3.4 / 3.0 ms (`bench/profiles/query-speed.md`, session 11).
//!
//! mimalloc returns freed memory to the system after a delay (1 s by default), and only when it
//! allocates again, so an idle server kept what its last burst freed: [`configure_allocators`]
//! makes the return immediate. glibc's malloc still serves the C libraries (zstd's contexts); it keeps
//! its arena cap and a fixed trim threshold, which glibc otherwise raises (up to 64 MB) each time a
//! large block is freed.
//!
//! Elsewhere than glibc (musl, macOS, Windows) the glibc calls are no-ops.

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` of `mimalloc.h` (mimalloc 3, which
/// `libmimalloc-sys` 0.1.49 builds by default), which the crate does not name.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// glibc's trim threshold, held fixed (see the module's notes).
const TRIM_THRESHOLD_BYTES: i32 = 1 << 20;

/// Makes mimalloc return freed memory at once, and caps glibc's malloc arenas at `arenas` with its trim
/// threshold at [`TRIM_THRESHOLD_BYTES`] (call early, before the worker threads allocate).
pub fn configure_allocators(arenas: i32) {
    // SAFETY: mi_option_set only stores an option value; the purge delay takes any number of milliseconds.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// `M_ARENA_MAX` and `M_TRIM_THRESHOLD` of glibc's `<malloc.h>`.
        const M_ARENA_MAX: i32 = -8;
        const M_TRIM_THRESHOLD: i32 = -1;
        extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt only sets an allocator parameter; any value is accepted or rejected (0).
        let _ = unsafe { mallopt(M_ARENA_MAX, arenas) };
        // SAFETY: as above.
        let _ = unsafe { mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) };
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = (arenas, TRIM_THRESHOLD_BYTES);
}

/// Returns the free parts of both heaps to the system.
pub fn release_free_memory() {
    // SAFETY: mi_collect only releases memory mimalloc holds free; it is thread-safe.
    unsafe { libmimalloc_sys::mi_collect(true) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only releases memory the allocator holds free; it is thread-safe.
        let _ = unsafe { malloc_trim(0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // The option's place is not named by the crate: check that it is the one whose default is
        // 1,000 ms (no neighbour's is) and that setting it takes.
        // SAFETY: reading and setting an option value.
        let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(before == 1000 || before == 0, "purge delay was {before}");
        configure_allocators(2);
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 0);
        release_free_memory();
    }
}
