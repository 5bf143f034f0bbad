//! A cluster of `searchd` processes on this machine, on loopback ports: for the tests, the measurements
//! of docs/scale-out.md, and for trying Kho on a cluster before deploying one (`kho-cluster local`).
//!
//! Each node gets its own folder (configuration, shards, binlog, logs) under the given directory and runs
//! in the foreground (`--nodetach`) as a child of this process, so dropping the [`LocalCluster`] stops
//! every node it started, and nothing else.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::spec::{ClusterSpec, NodeSpec};
use crate::sphinxql::Connection;

/// How long a node may take to start answering.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a local cluster could not be started.
#[derive(Debug, thiserror::Error)]
pub enum LocalClusterError {
    #[error(
        "searchd (Sphinx 2.2) is not installed: install the Debian package sphinxsearch \
         (apt-get install -y sphinxsearch)"
    )]
    NotInstalled(#[source] std::io::Error),
    #[error("cannot prepare {}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("searchd node {node} did not start: {log}")]
    NodeFailed { node: usize, log: String },
}

/// Running `searchd` nodes on 127.0.0.1, stopped when dropped.
pub struct LocalCluster {
    pub spec: ClusterSpec,
    /// Each node's folder.
    pub dirs: Vec<PathBuf>,
    children: Vec<Option<Child>>,
}

/// Checks that `searchd` can be run, with the reason and the package to install when not.
pub fn searchd_installed() -> Result<(), LocalClusterError> {
    Command::new("searchd")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|_| ())
        .map_err(LocalClusterError::NotInstalled)
}

impl LocalCluster {
    /// Starts `nodes` nodes under `dir` holding `shards` shards, `replicas` copies of each, and waits
    /// until every node answers. `fields` are the searched fields' names (see
    /// [`crate::terms::searched_field_names`]).
    pub fn start(
        dir: &Path,
        nodes: usize,
        shards: usize,
        replicas: usize,
        fields: &[String],
    ) -> Result<LocalCluster, LocalClusterError> {
        searchd_installed()?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| LocalClusterError::Io { path, source }
        };
        let mut node_specs = Vec::new();
        for _ in 0..nodes {
            node_specs.push(NodeSpec { sql: free_port(dir)?, api: free_port(dir)? });
        }
        let spec = ClusterSpec { nodes: node_specs, shards, replicas };
        let mut cluster = LocalCluster { spec, dirs: Vec::new(), children: Vec::new() };
        for node in 0..nodes {
            let node_dir = dir.join(format!("node{node}"));
            std::fs::create_dir_all(&node_dir).map_err(io(&node_dir))?;
            let conf = node_dir.join("sphinx.conf");
            std::fs::write(&conf, cluster.spec.node_config(node, &node_dir, fields)).map_err(io(&conf))?;
            cluster.dirs.push(node_dir);
            cluster.children.push(None);
            cluster.start_node(node)?;
        }
        Ok(cluster)
    }

    /// Starts node `node` again (after [`LocalCluster::stop_node`]), and waits until it answers.
    pub fn start_node(&mut self, node: usize) -> Result<(), LocalClusterError> {
        let node_dir = &self.dirs[node];
        let output = node_dir.join("searchd.out");
        let out =
            std::fs::File::create(&output).map_err(|source| LocalClusterError::Io { path: output.clone(), source })?;
        let err = out.try_clone().map_err(|source| LocalClusterError::Io { path: output.clone(), source })?;
        let child = Command::new("searchd")
            .arg("--config")
            .arg(node_dir.join("sphinx.conf"))
            .arg("--nodetach")
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(LocalClusterError::NotInstalled)?;
        self.children[node] = Some(child);
        let started = Instant::now();
        loop {
            if Connection::open(&self.spec.nodes[node].sql, Duration::from_secs(1)).is_ok() {
                return Ok(());
            }
            let exited = self.children[node].as_mut().and_then(|c| c.try_wait().ok().flatten()).is_some();
            if exited || started.elapsed() > START_TIMEOUT {
                let log = std::fs::read_to_string(&output).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                self.stop_node(node);
                return Err(LocalClusterError::NodeFailed {
                    node,
                    log: tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills node `node` at once (SIGKILL: a crashed machine, not a clean shutdown).
    pub fn stop_node(&mut self, node: usize) {
        if let Some(mut child) = self.children.get_mut(node).and_then(Option::take) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Writes the cluster's description, for `kho-index --cluster` and `kho-serve --cluster`.
    pub fn write_spec(&self, path: &Path) -> Result<(), LocalClusterError> {
        let json = serde_json::to_string_pretty(&self.spec).unwrap_or_default();
        std::fs::write(path, json).map_err(|source| LocalClusterError::Io { path: path.to_owned(), source })
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        for node in 0..self.children.len() {
            self.stop_node(node);
        }
    }
}

/// A loopback address with a port no one listens on now.
fn free_port(dir: &Path) -> Result<String, LocalClusterError> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|source| LocalClusterError::Io { path: dir.to_owned(), source })?;
    let addr = listener.local_addr().map_err(|source| LocalClusterError::Io { path: dir.to_owned(), source })?;
    Ok(addr.to_string())
}
