//! Keeping the server's heap small with glibc's allocator, which otherwise holds on to freed memory:
//! - each thread that allocates may get an arena of its own (up to eight per core), and memory freed in
//!   one stays there, fragmented; under load the server's resident memory grew by ~90 MB that way
//!   (measured at 50% of the news: 184 MB of heap after 8 and 64 connections, 108 MB with one arena);
//! - the suggestion build allocates and frees tens of megabytes (phrase counts) that stay resident;
//! - freed memory at the top of a heap is given back only past the trim threshold, which glibc raises
//!   (up to 64 MB) each time a large block is freed; held at 1 MiB, the heap after the suggestion build
//!   and a load of 2 x 8 connections was 96 / 103-107 MB instead of 114-122 / 123-130 MB (100% of the
//!   news, `kho-serve --cache-entries 0` with `GLIBC_TUNABLES=glibc.malloc.trim_threshold=1048576`, two
//!   runs each; with this `mallopt`, 96 / 107 MB; req/s the same within the noise). `kho-bench`'s
//!   server, measured after its whole load, went from 110 to 106 MB of heap.
//!
//! Elsewhere (musl, macOS, Windows) these are no-ops.

/// The trim threshold held fixed (see the module's notes).
const TRIM_THRESHOLD_BYTES: i32 = 1 << 20;

/// Caps glibc's malloc arenas at `arenas` and holds its trim threshold at [`TRIM_THRESHOLD_BYTES`] (call
/// early, before the worker threads allocate).
pub fn limit_malloc_arenas(arenas: i32) {
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

/// Returns the free parts of the heap to the system.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only releases memory the allocator holds free; it is thread-safe.
        let _ = unsafe { malloc_trim(0) };
    }
}
