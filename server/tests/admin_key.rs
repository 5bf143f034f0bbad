//! `kho-serve` with `KHO_ADMIN_KEY`: the real binary turns the admin API on from the environment (401
//! without the key, the status with it), leaves it off without one (404), and refuses to start with a key
//! too short to be safe.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const KEY: &str = "khoa-quan-tri-tu-bien-moi-truong-42";

fn command(dir: &std::path::Path, key: Option<&str>) -> Command {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("mkdir");
    std::fs::write(corpus.join("hoi-thao.txt"), "Hội thảo sản xuất sạch hơn tại Bến Tre").expect("write");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kho-serve"));
    command
        .arg("--index")
        .arg(dir.join("index"))
        .arg("--corpus")
        .arg(&corpus)
        .args(["--bind", "127.0.0.1:0", "--log-format", "json"])
        .env("RUST_LOG", "info")
        .env_remove("KHO_ADMIN_KEY");
    if let Some(key) = key {
        command.env("KHO_ADMIN_KEY", key);
    }
    command
}

/// Starts the server and returns it with its address.
fn start(dir: &std::path::Path, key: Option<&str>) -> (Server, String) {
    let child = command(dir, key).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start kho-serve");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let line = lines.recv_timeout(Duration::from_secs(120)).expect("a log line");
        let json: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if json["fields"]["message"] == "kho is serving" {
            let address = json["fields"]["address"].as_str().expect("address").to_owned();
            return (server, address);
        }
    }
}

fn request(address: &str, method: &str, path: &str, authorization: Option<&str>) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    let auth = authorization.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn the_admin_key_comes_from_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, address) = start(dir.path(), Some(KEY));
    let refused = request(&address, "GET", "/api/reindex", None);
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(refused.contains("\"code\":\"unauthorized\""), "{refused}");
    let wrong = request(&address, "GET", "/api/reindex", Some("Bearer khoa-quan-tri-tu-bien-moi-truong-43"));
    assert!(wrong.starts_with("HTTP/1.1 401"), "{wrong}");
    let allowed = request(&address, "GET", "/api/reindex", Some(&format!("Bearer {KEY}")));
    assert!(allowed.starts_with("HTTP/1.1 200"), "{allowed}");
    assert!(allowed.contains("\"state\":\"idle\""), "{allowed}");
}

#[test]
fn without_a_key_the_admin_routes_do_not_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, address) = start(dir.path(), None);
    for (method, path) in [
        ("GET", "/api/reindex"),
        ("POST", "/api/reindex"),
        ("POST", "/api/documents"),
        ("DELETE", "/api/documents/abc"),
        ("GET", "/admin"),
    ] {
        let answer = request(&address, method, path, Some(&format!("Bearer {KEY}")));
        assert!(answer.starts_with("HTTP/1.1 404"), "{method} {path}: {answer}");
        assert!(answer.contains("\"code\":\"not_found\""), "{method} {path}: {answer}");
    }
}

#[test]
fn a_short_key_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = command(dir.path(), Some("trop-court")).output().expect("run kho-serve");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--admin-key") && stderr.contains("at least 16 characters"), "{stderr}");
}
