//! This process's memory, from `/proc/self/status` (Linux; zero elsewhere).

/// A `/proc/self/status` field in kB (`VmHWM` peak resident set, `VmRSS` current, `RssAnon` and `RssFile`
/// its parts), 0 when unknown.
pub fn status_kb(field: &str) -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return 0 };
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Current resident memory in MB.
pub fn rss_mb() -> f64 {
    status_kb("VmRSS") as f64 / 1024.0
}

/// Resident anonymous memory (heap, stacks: what the process allocated) in MB.
pub fn rss_anon_mb() -> f64 {
    status_kb("RssAnon") as f64 / 1024.0
}

/// Resident file-backed memory (mapped files: the index's segments, the program's code) in MB.
pub fn rss_file_mb() -> f64 {
    status_kb("RssFile") as f64 / 1024.0
}

/// Peak resident memory in MB.
pub fn peak_mb() -> f64 {
    status_kb("VmHWM") as f64 / 1024.0
}

/// Total size of the files under `path`, in bytes.
pub fn disk_bytes(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else { return 0 };
    if meta.is_file() {
        return meta.len();
    }
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries.flatten().map(|e| disk_bytes(&e.path())).sum()
}
