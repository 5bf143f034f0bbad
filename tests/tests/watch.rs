//! Watch mode: a file dropped into the watched folder is searchable through the running server
//! without a restart, a changed file shows its new text and a deleted one disappears. The server and
//! the watcher are the real ones (`kho-serve --watch` runs exactly `spawn_corpus_watcher`).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{hit_paths, TestServer};

/// How long a change may take to show before the test gives up (a deadline, not a speed target).
const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn dropped_changed_and_deleted_files_show_in_search_without_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("archive");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("hoi-thao.txt"), "Hội thảo sản xuất sạch hơn tại Bến Tre ngày 14/4/2011")
        .expect("write");
    let index = dir.path().join("index");
    let server = TestServer::start(&index, &folder);
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = kho_server::spawn_corpus_watcher(&index, &folder, Duration::from_millis(200), Arc::clone(&stop));

    // Asked twice: the second answer comes from the server's response cache, which a commit must not
    // outlive (the waits below ask the same query again after each change).
    assert_eq!(paths_for(&server, "nhà máy giấy"), Vec::<String>::new());
    assert_eq!(paths_for(&server, "nhà máy giấy"), Vec::<String>::new());
    // Written under another name and renamed, as a careful copy does; the rename is what the folder sees.
    let partial = dir.path().join("giay.part");
    std::fs::write(&partial, "Nhà máy giấy Hùng Lâm áp dụng sản xuất sạch hơn, giảm 20% lượng nước").expect("write");
    std::fs::rename(&partial, folder.join("nha-may-giay.txt")).expect("rename");
    let took = wait_for(&server, "nhà máy giấy", |paths| paths.iter().any(|p| p.ends_with("nha-may-giay.txt")));
    eprintln!("new file searchable after {:.2} s", took.as_secs_f64());

    std::fs::write(folder.join("nha-may-giay.txt"), "Nhà máy giấy Hùng Lâm tiết kiệm điện năng nhờ biến tần")
        .expect("rewrite");
    wait_for(&server, "biến tần", |paths| paths.iter().any(|p| p.ends_with("nha-may-giay.txt")));
    assert_eq!(paths_for(&server, "\"giảm 20% lượng nước\""), Vec::<String>::new(), "old text gone");

    std::fs::remove_file(folder.join("nha-may-giay.txt")).expect("remove");
    wait_for(&server, "nhà máy giấy", |paths| paths.is_empty());
    assert_eq!(paths_for(&server, "Bến Tre").len(), 1, "the other file stays");

    stop.store(true, Ordering::Relaxed);
    watcher.join().expect("watcher stops");
}

fn paths_for(server: &TestServer, q: &str) -> Vec<String> {
    hit_paths(&server.search(q))
}

/// Polls the search until `done` holds for its hits; returns how long that took.
fn wait_for(server: &TestServer, q: &str, done: impl Fn(&[String]) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let paths = paths_for(server, q);
        if done(&paths) {
            return start.elapsed();
        }
        assert!(start.elapsed() < DEADLINE, "{q:?} still gives {paths:?} after {DEADLINE:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
