//! Shared by the end-to-end tests: a real index built from real files, and the real server on a
//! loopback port.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use kho_indexer::{index_paths, IndexOptions, IndexReport};
use kho_server::archive::ArchiveRoots;
use kho_server::config::WebConfig;
use kho_server::{app, prepare_index, serve, AppState};
use serde_json::Value;

/// The project's bundled sample corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("corpus")
}

/// Indexes the files under `path` into `index_dir` with the real indexer.
pub fn index(index_dir: &Path, path: &Path) -> IndexReport {
    let options = IndexOptions::new(index_dir, vec![path.to_owned()]);
    index_paths(&options).expect("indexing run")
}

/// The real server on 127.0.0.1 with a free port, stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts the server over the index in `index_dir` (built from `corpus` if missing).
    pub fn start(index_dir: &Path, corpus: &Path) -> TestServer {
        let index = prepare_index(index_dir, corpus).expect("index ready");
        TestServer::with_state(AppState::new(index).expect("state").with_web_config(corpus_root(corpus)))
    }

    /// Starts the server with the synonym dictionary in `synonyms` (reloaded when it changes).
    pub fn start_with_synonyms(index_dir: &Path, corpus: &Path, synonyms: &Path) -> TestServer {
        let index = prepare_index(index_dir, corpus).expect("index ready");
        let source = kho_core::synonyms::SynonymSource::from_file(synonyms).expect("synonyms");
        let state = AppState::with_synonyms(index, std::sync::Arc::new(source)).expect("state");
        TestServer::with_state(state.with_web_config(corpus_root(corpus)))
    }

    /// Starts the server with this web configuration (allowed origins, archive roots), once its search
    /// suggestions are built.
    pub fn start_web(index_dir: &Path, corpus: &Path, web: WebConfig) -> TestServer {
        let index = prepare_index(index_dir, corpus).expect("index ready");
        let state = AppState::new(index).expect("state").with_web_config(web);
        assert!(state.completions.wait_until_built(std::time::Duration::from_secs(60)), "suggestions built");
        TestServer::with_state(state)
    }

    /// Starts the server on the cluster described in `spec_file` instead of a local index (`--cluster`).
    pub fn start_cluster(spec_file: &Path) -> TestServer {
        let spec = kho_cluster::ClusterSpec::load(spec_file).expect("cluster description");
        let synonyms = std::sync::Arc::new(kho_core::synonyms::SynonymSource::builtin());
        TestServer::with_state(AppState::on_cluster(&spec, synonyms).expect("state on the cluster"))
    }

    /// Any request, with these headers; the answer whatever its status.
    pub fn fetch(&self, method: &str, path_and_query: &str, headers: &[(&str, &str)]) -> Fetched {
        self.send(method, path_and_query, headers, None)
    }

    /// Any request, with these headers and this body (if any); the answer whatever its status.
    pub fn send(&self, method: &str, path_and_query: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Fetched {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let mut request = agent.request(method, &self.url(path_and_query));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let sent = match body {
            Some(body) => request.send_bytes(body),
            None => request.call(),
        };
        let response = match sent {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(e) => panic!("{method} {path_and_query} failed: {e}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                response.all(&name).into_iter().map(|v| (name.to_lowercase(), v.to_owned())).collect::<Vec<_>>()
            })
            .collect();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut body).expect("body");
        Fetched { status, headers, body }
    }

    fn with_state(state: AppState) -> TestServer {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                serve(listener, app(state), async {
                    let _ = rx.await;
                })
                .await
                .expect("server runs");
            });
        });
        TestServer { addr, shutdown: Some(tx), thread: Some(thread) }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.addr, path_and_query)
    }

    /// GET a path; returns the status and the body as text (for any status).
    pub fn get(&self, path_and_query: &str) -> (u16, String) {
        let agent = ureq::AgentBuilder::new().build();
        match agent.get(&self.url(path_and_query)).call() {
            Ok(response) => (response.status(), response.into_string().expect("body")),
            Err(ureq::Error::Status(status, response)) => (status, response.into_string().expect("body")),
            Err(e) => panic!("request {path_and_query} failed: {e}"),
        }
    }

    /// GET a path and parse the JSON body.
    pub fn get_json(&self, path_and_query: &str) -> (u16, Value) {
        let (status, body) = self.get(path_and_query);
        let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
        (status, json)
    }

    /// `/api/search` for `q` (URL-encoded here).
    pub fn search(&self, q: &str) -> Value {
        let (status, json) = self.get_json(&format!("/api/search?q={}&size=20", encode(q)));
        assert_eq!(status, 200, "search {q:?}: {json}");
        json
    }
}

/// As kho-serve does: the corpus is an archive root, so public paths are relative to it.
fn corpus_root(corpus: &Path) -> WebConfig {
    WebConfig { archive: ArchiveRoots::new([corpus.to_owned()]), ..WebConfig::default() }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A response: status, headers (names in lowercase) and body.
pub struct Fetched {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a header, joined with ", ".
    pub fn header_values(&self, name: &str) -> String {
        let name = name.to_lowercase();
        self.headers.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(", ")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Percent-encodes a query value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The `path` of every hit, in order.
pub fn hit_paths(response: &Value) -> Vec<String> {
    response["hits"].as_array().expect("hits").iter().map(|h| h["path"].as_str().unwrap_or("").to_owned()).collect()
}
