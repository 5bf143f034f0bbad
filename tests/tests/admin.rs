//! The admin API over HTTP, on the real server on a loopback port with a real index on disk: the key
//! (401 without it or with a wrong one; the routes absent without a configured key), uploads of real files
//! (a law's DOCX from the shared data) searchable at once, names made safe and never overwriting, unreadable
//! and oversized uploads refused without leaving files behind, deletion out of the index and off the disk,
//! and reindexing in the background.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{corpus_dir, Fetched, TestServer};
use kho_server::admin::AdminKey;
use kho_server::archive::ArchiveRoots;
use kho_server::config::{AdminConfig, WebConfig};
use serde_json::Value;

const KEY: &str = "kiem-thu-khoa-quan-tri-0123456789";
const MAX_UPLOAD_BYTES: u64 = 256 * 1024;
const LAW_DOCX: &str = "LUATANNINHMANG.docx";

/// The shared test files (`../shared/data` beside the checkout).
fn shared_docx(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/docx").join(name)
}

struct Fixture {
    dir: tempfile::TempDir,
    corpus: PathBuf,
    server: TestServer,
}

impl Fixture {
    fn uploads(&self) -> PathBuf {
        self.corpus.join("uploads")
    }

    /// The names in the upload folder, hidden ones included, sorted.
    fn uploaded_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.uploads())
            .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// A small archive of two bundled corpus files, indexed, and the server over it with the admin API on.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("news")).unwrap();
    for name in ["ben-tre-hoi-thao-chia-se-kinh-nghiem-sxsh-2011.html", "ca-mau-che-bien-thuy-san-sxsh-2013.txt"] {
        std::fs::copy(corpus_dir().join("news").join(name), corpus.join("news").join(name)).unwrap();
    }
    let index_dir = dir.path().join("index");
    let admin = AdminConfig {
        key: AdminKey::new(KEY).unwrap(),
        index_dir: index_dir.clone(),
        upload_dir: corpus.join("uploads"),
        reindex_paths: vec![corpus.clone()],
        max_upload_bytes: MAX_UPLOAD_BYTES,
    };
    let web = WebConfig { archive: ArchiveRoots::new([corpus.clone()]), admin: Some(admin), ..WebConfig::default() };
    let server = TestServer::start_web(&index_dir, &corpus, web);
    Fixture { dir, corpus, server }
}

/// A `multipart/form-data` body: (field name, file name, bytes) each; its content type.
fn form(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----kho-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, bytes) in fields {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").unwrap();
        if let Some(file_name) = file_name {
            write!(body, "; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream").unwrap();
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(server: &TestServer, key: Option<&str>, fields: &[(&str, Option<&str>, &[u8])]) -> Fetched {
    let (content_type, body) = form(fields);
    let bearer = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("Content-Type", content_type.as_str())];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    server.send("POST", "/api/documents", &headers, Some(&body))
}

fn with_key(server: &TestServer, method: &str, path: &str) -> Fetched {
    server.send(
        method,
        path,
        &[("Authorization", &format!("Bearer {KEY}"))],
        if method == "POST" { Some(b"") } else { None },
    )
}

/// Polls `found` every 50 ms until it holds, for at most 20 s (no fixed sleeps: a loaded machine is slow).
fn eventually(what: &str, mut found: impl FnMut() -> bool) {
    let started = Instant::now();
    while !found() {
        assert!(started.elapsed() < Duration::from_secs(20), "not within 20 s: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn hit_ids(server: &TestServer, q: &str) -> Vec<String> {
    let response = server.search(q);
    response["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap_or("").to_owned()).collect()
}

fn assert_error(answer: &Fetched, status: u16, code: &str) -> Value {
    let body = answer.json();
    assert_eq!((answer.status, body["code"].as_str()), (status, Some(code)), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

#[test]
fn admin_api_over_http() {
    let fixture = fixture();
    let server = &fixture.server;
    let law = std::fs::read(shared_docx(LAW_DOCX)).expect("the shared DOCX files (../shared/data/docx)");

    // No key, a wrong key, another scheme: 401 on every admin route, and nothing stored. (The body is
    // small: the server answers before reading it, and a client still sending a large one sees a broken
    // pipe instead of the answer.)
    let small: &[u8] = b"Van ban ngan.";
    let refused = [
        upload(server, None, &[("file", Some("ngan.txt"), small)]),
        upload(server, Some("kiem-thu-khoa-quan-tri-0123456788"), &[("file", Some("ngan.txt"), small)]),
        server.send("DELETE", "/api/documents/0123456789abcdef", &[("Authorization", &format!("Basic {KEY}"))], None),
        server.send("POST", "/api/reindex", &[], Some(b"")),
        server.send("GET", "/api/reindex", &[("Authorization", "Bearer ")], None),
    ];
    for answer in &refused {
        assert_error(answer, 401, "unauthorized");
        assert!(answer.header("www-authenticate").is_some_and(|v| v.starts_with("Bearer")));
    }
    assert!(fixture.uploaded_names().is_empty(), "{:?}", fixture.uploaded_names());

    // A real DOCX, with a title and a kind of its own: 201 with its id, searchable by a phrase of its text.
    let answer = upload(
        server,
        Some(KEY),
        &[("title", None, "Luật An ninh mạng 2018".as_bytes()), ("kind", None, b"law"), ("file", Some(LAW_DOCX), &law)],
    );
    let uploaded = answer.json();
    assert_eq!(answer.status, 201, "{uploaded}");
    assert_eq!(uploaded["status"], "indexed", "{uploaded}");
    assert_eq!(uploaded["path"], format!("uploads/{LAW_DOCX}"), "public path, relative to the corpus");
    let id = uploaded["id"].as_str().expect("id").to_owned();
    assert_eq!(answer.header("location"), Some(format!("/api/documents/{id}").as_str()));
    assert_eq!(std::fs::read(fixture.uploads().join(LAW_DOCX)).unwrap(), law, "stored as uploaded");
    eventually("the upload is found by a phrase of its text", || {
        hit_ids(server, "\"bảo vệ an ninh quốc gia\"").contains(&id)
    });
    let (status, document) = server.get_json(&format!("/api/documents/{id}"));
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["title"], "Luật An ninh mạng 2018");
    assert_eq!(document["kind"], "law");
    assert_eq!(document["format"], "docx");
    assert!(hit_ids(server, "kind:law an ninh mạng").contains(&id));

    // The same name again never replaces the stored file: it is stored beside it, and found to be the
    // same document.
    let again = upload(server, Some(KEY), &[("file", Some(LAW_DOCX), &law)]);
    let again_json = again.json();
    assert_eq!((again.status, again_json["status"].as_str()), (201, Some("duplicate")), "{again_json}");
    assert_eq!(again_json["id"], id.as_str());
    assert_eq!(again_json["path"], "uploads/LUATANNINHMANG-2.docx");

    // A name that tries to leave the folder lands inside it, made safe.
    let text = "Quy trình xử lý nước thải dệt nhuộm xanhlamngoc tại khu công nghiệp Phố Nối.\n".repeat(3);
    let escaped = upload(server, Some(KEY), &[("file", Some("../../../ngoai kho?.txt"), text.as_bytes())]);
    let escaped_json = escaped.json();
    assert_eq!(escaped.status, 201, "{escaped_json}");
    assert_eq!(escaped_json["path"], "uploads/ngoai-kho.txt", "{escaped_json}");
    assert!(!fixture.dir.path().join("ngoai kho?.txt").exists() && !fixture.corpus.join("ngoai kho?.txt").exists());
    let text_id = escaped_json["id"].as_str().unwrap().to_owned();
    assert!(hit_ids(server, "xanhlamngoc").contains(&text_id));

    // Unreadable, unsupported, empty, missing and oversized uploads: refused with the reason, nothing kept.
    let before = fixture.uploaded_names();
    let broken = upload(server, Some(KEY), &[("file", Some("hong.docx"), b"PK\x03\x04 this is not a zip archive")]);
    let broken_json = assert_error(&broken, 422, "unreadable_file");
    assert!(
        broken_json["message"].as_str().unwrap().to_lowercase().contains("zip"),
        "the indexer's reason: {broken_json}"
    );
    assert_error(&upload(server, Some(KEY), &[("file", Some("chuong-trinh.exe"), b"MZ")]), 422, "unreadable_file");
    assert_error(&upload(server, Some(KEY), &[("file", Some("rong.txt"), b"   \n")]), 422, "unreadable_file");
    assert_error(&upload(server, Some(KEY), &[("title", None, b"no file")]), 400, "missing_file");
    let just_over = vec![b'a'; MAX_UPLOAD_BYTES as usize + 1];
    assert_error(&upload(server, Some(KEY), &[("file", Some("lon.txt"), &just_over)]), 413, "upload_too_large");
    assert_eq!(declared_too_large(server), 413, "a body announced far over the limit is refused unread");
    assert_eq!(fixture.uploaded_names(), before, "no file left behind by a refused upload");

    // Deleting removes the document from search and its stored uploads from the disk.
    let deleted = with_key(server, "DELETE", &format!("/api/documents/{id}"));
    let deleted_json = deleted.json();
    assert_eq!(deleted.status, 200, "{deleted_json}");
    let mut removed: Vec<&str> =
        deleted_json["removed_files"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    removed.sort_unstable();
    assert_eq!(removed, ["uploads/LUATANNINHMANG-2.docx", "uploads/LUATANNINHMANG.docx"]);
    assert!(!fixture.uploads().join(LAW_DOCX).exists());
    eventually("the deleted document is gone from search", || !hit_ids(server, "an ninh mạng").contains(&id));
    assert_eq!(server.get_json(&format!("/api/documents/{id}")).0, 404);
    assert_error(&with_key(server, "DELETE", &format!("/api/documents/{id}")), 404, "document_not_found");
    assert!(hit_ids(server, "xanhlamngoc").contains(&text_id), "other uploads stay");

    // Reindexing in the background picks up a file dropped into the archive by hand.
    std::fs::write(
        fixture.corpus.join("news/them-bang-tay.txt"),
        "Bản tin tiết kiệm điện tím hoa cà vangtimhoaca cho nhà máy.\n\nNội dung bổ sung về sản xuất sạch hơn.\n",
    )
    .unwrap();
    let started = with_key(server, "POST", "/api/reindex");
    let started_json = started.json();
    assert_eq!(started.status, 202, "{started_json}");
    assert_eq!(started_json["state"], "running");
    let mut last = Value::Null;
    eventually("the reindexing run ends", || {
        last = with_key(server, "GET", "/api/reindex").json();
        last["state"] != "running"
    });
    assert_eq!(last["state"], "done", "{last}");
    assert_eq!(last["report"]["indexed"], 1, "only the new file: {last}");
    assert!(hit_ids(server, "vangtimhoaca").len() == 1);
    assert!(hit_ids(server, "xanhlamngoc").contains(&text_id), "uploads are part of the archive reindexed");

    // The administration page exists when a key is configured, its script among the assets.
    let page = server.fetch("GET", "/admin", &[]);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"upload-form\"") && page.text().contains("/assets/admin.js"));
    assert_eq!(server.fetch("GET", "/assets/admin.js", &[]).status, 200);
}

/// Sends only the headers of an upload announcing 50 MiB and reads the answer, which must not wait for
/// the body.
fn declared_too_large(server: &TestServer) -> u16 {
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    write!(
        stream,
        "POST /api/documents HTTP/1.1\r\nHost: kho\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        50 * 1024 * 1024
    )
    .unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.contains("upload_too_large"), "{answer}");
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Without a configured key the admin routes do not exist: 404 `not_found`, whatever the request says.
#[test]
fn admin_routes_are_absent_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_web(&dir.path().join("index"), &corpus_dir(), WebConfig::default());
    // A small upload: the server answers 404 without reading the body and closes the connection, so a body
    // larger than the socket's buffers would end in a broken pipe on the client's side before the answer.
    let note = "Hội thảo sản xuất sạch hơn".as_bytes();
    let id = hit_ids(&server, "ben tre").first().cloned().expect("a document");
    let answers = [
        upload(&server, Some(KEY), &[("file", Some("ghi-chu.txt"), note)]),
        with_key(&server, "DELETE", &format!("/api/documents/{id}")),
        with_key(&server, "POST", "/api/reindex"),
        with_key(&server, "GET", "/api/reindex"),
        server.fetch("GET", "/admin", &[]),
    ];
    for answer in &answers {
        assert_error(answer, 404, "not_found");
    }
    assert_eq!(server.get_json(&format!("/api/documents/{id}")).0, 200, "nothing was deleted");
    assert!(!corpus_dir().join("uploads").exists(), "nothing was stored");
}
