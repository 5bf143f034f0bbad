//! `kill -9` in the middle of a bulk import leaves the last committed index searchable, and the next run
//! completes the work without duplicates. Runs the real `kho-index` binary as a child process.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kho_core::index::open_index;
use kho_core::search::{KhoSearcher, SearchRequest};

const DOCUMENTS: usize = 20_000;
const WORDS: [&str; 24] = [
    "sản",
    "xuất",
    "sạch",
    "hơn",
    "nhà",
    "máy",
    "đường",
    "tiết",
    "kiệm",
    "nước",
    "điện",
    "than",
    "hội",
    "thảo",
    "doanh",
    "nghiệp",
    "công",
    "nghệ",
    "môi",
    "trường",
    "chất",
    "thải",
    "giảm",
    "năng",
];

/// A JSON Lines archive of distinct documents, each with a unique word `hosoN`.
fn write_archive(path: &Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state: u64 = 42;
    for i in 0..DOCUMENTS {
        let mut body = format!("hoso{i}");
        for _ in 0..60 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            body.push(' ');
            body.push_str(WORDS[(state >> 33) as usize % WORDS.len()]);
        }
        let line = serde_json::json!({"id": format!("doc-{i}"), "title": format!("Hồ sơ {i}"), "body": body});
        writeln!(out, "{line}").unwrap();
    }
}

/// Documents in the last commit of the index at `dir` (0 while there is none).
fn committed_docs(dir: &Path) -> u64 {
    let Ok(meta) = std::fs::read_to_string(dir.join("meta.json")) else { return 0 };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&meta) else { return 0 };
    meta["segments"].as_array().map_or(0, |segments| {
        segments
            .iter()
            .map(|s| s["max_doc"].as_u64().unwrap_or(0) - s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0))
            .sum()
    })
}

#[test]
fn kill_during_import_then_resume() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive.jsonl");
    write_archive(&archive);
    let index_dir = dir.path().join("index");

    let mut child = Command::new(env!("CARGO_BIN_EXE_kho-index"))
        .args(["--json", "--index"])
        .arg(&index_dir)
        .arg("--jsonl")
        .arg(&archive)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    while committed_docs(&index_dir) == 0 {
        assert!(child.try_wait().unwrap().is_none(), "the import finished before it could be interrupted");
        assert!(Instant::now() < deadline, "no commit within the deadline");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // The last commit is intact and searchable.
    let committed = committed_docs(&index_dir);
    assert!(committed > 0 && committed < DOCUMENTS as u64, "interrupted mid-way: {committed}");
    let searcher = KhoSearcher::new(open_index(&index_dir).unwrap()).unwrap();
    assert_eq!(searcher.num_docs(), committed);
    assert_eq!(searcher.search(&SearchRequest::new("hoso0")).unwrap().total, 1);

    // The next run completes the work; nothing is indexed twice.
    let output = Command::new(env!("CARGO_BIN_EXE_kho-index"))
        .args(["--json", "--index"])
        .arg(&index_dir)
        .arg("--jsonl")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["unchanged"].as_u64().unwrap(), committed, "{report}");
    assert_eq!(report["indexed"].as_u64().unwrap() + committed, DOCUMENTS as u64, "{report}");
    let searcher = KhoSearcher::new(open_index(&index_dir).unwrap()).unwrap();
    assert_eq!(searcher.num_docs(), DOCUMENTS as u64);
    let last = format!("hoso{}", DOCUMENTS - 1);
    assert_eq!(searcher.search(&SearchRequest::new(last)).unwrap().total, 1);
}
