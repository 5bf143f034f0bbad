//! Running an OCR tool as a subprocess with a deadline: past it the process is killed, so a page that
//! keeps Tesseract busy costs the time limit and nothing more (a thread could not be stopped; a
//! process can).

use std::ffi::OsStr;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How often a running process is checked for having ended.
const POLL: Duration = Duration::from_millis(20);

/// The most of a tool's standard error kept for a message.
const MAX_MESSAGE_CHARS: usize = 300;

/// Why a tool gave no output.
#[derive(Debug)]
pub(super) enum ProcessError {
    /// The program is not on the PATH (or not at the path given).
    NotFound,
    /// The deadline passed; the process was killed.
    TimedOut,
    /// It ended with a failure status; its standard error, trimmed.
    Failed { status: String, stderr: String },
    /// It could not be started or waited for.
    Io(std::io::Error),
}

/// Runs `program` with `args` until it ends or `deadline` passes; its standard output on success.
pub(super) fn run(program: &OsStr, args: &[&OsStr], deadline: Instant) -> Result<Vec<u8>, ProcessError> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => ProcessError::NotFound,
            _ => ProcessError::Io(err),
        })?;
    // The pipes are drained on threads of their own, so a chatty tool never blocks on a full pipe.
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                // Killing a process that has just ended is harmless; waiting reaps it either way.
                let _ = child.kill();
                let _ = child.wait();
                return Err(ProcessError::TimedOut);
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ProcessError::Io(err));
            }
        }
    };
    let output = stdout.map(join).unwrap_or_default();
    if status.success() {
        return Ok(output);
    }
    let stderr = String::from_utf8_lossy(&stderr.map(join).unwrap_or_default()).trim().to_owned();
    let stderr = stderr.chars().take(MAX_MESSAGE_CHARS).collect();
    Err(ProcessError::Failed { status: status.to_string(), stderr })
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error leaves what was read: the status says whether the tool succeeded.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn join(handle: std::thread::JoinHandle<Vec<u8>>) -> Vec<u8> {
    handle.join().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, within: Duration) -> Result<Vec<u8>, ProcessError> {
        run(OsStr::new("sh"), &[OsStr::new("-c"), OsStr::new(script)], Instant::now() + within)
    }

    #[test]
    fn output_status_and_deadline() {
        assert_eq!(sh("printf 'a\\tb'", Duration::from_secs(30)).expect("runs"), b"a\tb");
        match sh("echo oops >&2; exit 3", Duration::from_secs(30)) {
            Err(ProcessError::Failed { status, stderr }) => {
                assert!(status.contains('3'), "{status}");
                assert_eq!(stderr, "oops");
            }
            other => panic!("{other:?}"),
        }
        // Killed at the deadline: the script never reaches its `touch`.
        let marker = tempfile::tempdir().expect("temp dir");
        let touched = marker.path().join("touched");
        let script = format!("sleep 2; touch '{}'", touched.display());
        assert!(matches!(sh(&script, Duration::from_millis(100)), Err(ProcessError::TimedOut)));
        std::thread::sleep(Duration::from_secs(3));
        assert!(!touched.exists(), "the process outlived its deadline");
        let missing = run(OsStr::new("/nonexistent/kho-tool"), &[], Instant::now() + Duration::from_secs(5));
        assert!(matches!(missing, Err(ProcessError::NotFound)));
    }
}
