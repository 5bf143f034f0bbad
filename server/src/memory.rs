//! Keeping the server's heap small with glibc's allocator, which otherwise holds on to freed memory:
//! - each thread that allocates may get an arena of its own (up to eight per core), and memory freed in
//!   one stays there, fragmented; under load the server's resident memory grew by ~90 MB that way
//!   (measured at 50% of the news: 184 MB of heap after 8 and 64 connections, 108 MB with one arena);
//! - the suggestion build allocates and frees tens of megabytes (phrase counts) that stay resident.
//!
//! Elsewhere (musl, macOS, Windows) these are no-ops.

/// Caps glibc's malloc arenas at `arenas` (call early, before the worker threads allocate).
pub fn limit_malloc_arenas(arenas: i32) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// `M_ARENA_MAX` of glibc's `<malloc.h>`.
        const M_ARENA_MAX: i32 = -8;
        extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt only sets an allocator parameter; any value is accepted or rejected (0).
        let _ = unsafe { mallopt(M_ARENA_MAX, arenas) };
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = arenas;
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
