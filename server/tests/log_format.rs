//! `kho-serve --log-format json`: the real binary writes one JSON object per log line, and the lines
//! written while serving a request carry its request id.

use std::io::{BufRead, BufReader, Read};
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

fn get(address: &str, path: &str, request_id: &str) -> String {
    use std::io::Write;
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nX-Request-Id: {request_id}\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn json_log_lines_carry_the_request_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(corpus.join("hoi-thao.txt"), "Hội thảo sản xuất sạch hơn tại Bến Tre").expect("write");
    let child = Command::new(env!("CARGO_BIN_EXE_kho-serve"))
        .arg("--index")
        .arg(dir.path().join("index"))
        .arg("--corpus")
        .arg(&corpus)
        .args(["--bind", "127.0.0.1:0", "--log-format", "json"])
        .env("RUST_LOG", "info,kho_server=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kho-serve");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().expect("stdout");
    let (lines_tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_json = || -> serde_json::Value {
        let line = lines.recv_timeout(Duration::from_secs(60)).expect("a log line");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"))
    };
    let address = loop {
        let line = next_json();
        if line["fields"]["message"] == "kho is serving" {
            break line["fields"]["address"].as_str().expect("address").to_owned();
        }
    };
    let answer = get(&address, "/api/search?q=h%E1%BB%99i+th%E1%BA%A3o", "log-test-7");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("x-request-id: log-test-7"), "{answer}");
    loop {
        let line = next_json();
        if line["fields"]["message"] == "served" {
            assert_eq!(line["span"]["id"], "log-test-7", "{line}");
            assert_eq!(line["fields"]["status"], 200, "{line}");
            assert_eq!(line["span"]["path"], "/api/search", "{line}");
            break;
        }
    }
}
