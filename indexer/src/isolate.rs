//! One file's text extraction, isolated from the run: on a thread of its own with a deadline, and
//! under `catch_unwind`.
//!
//! A crafted or pathological file can keep a parser busy for hours, and parsers of untrusted files can
//! panic on input their authors did not foresee; either is one bad file, reported with its reason, not
//! a failed run. Threads cannot be killed, so an extraction past its deadline finishes in the
//! background and its result is dropped.

use std::any::Any;
use std::panic::UnwindSafe;
use std::time::Duration;

use crate::extract::{read_content, Content, ExtractError, Format};

/// Why an isolated extraction gave no text. The messages are the reasons shown in a run's report.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IsolationError {
    /// The parser did not finish within the time allowed (or its thread could not be started).
    #[error("{} parser timed out after {} s", .format.as_str(), .after.as_secs_f64())]
    TimedOut { format: Format, after: Duration },
    /// The parser panicked, with this message.
    #[error("{} parser failed: {message}", .format.as_str())]
    Panicked { format: Format, message: String },
    /// The parser found the file unreadable.
    #[error(transparent)]
    Extract(#[from] ExtractError),
}

/// Reads `bytes` as `format` on a thread of its own, waiting at most `timeout` for it. Scans are only
/// found here, not read: OCR runs after, as subprocesses it can kill (see `ocr`).
pub(crate) fn extract_isolated(format: Format, bytes: Vec<u8>, timeout: Duration) -> Result<Content, IsolationError> {
    match run_with_timeout(timeout, move || catch_panic(|| read_content(format, &bytes))) {
        None => Err(IsolationError::TimedOut { format, after: timeout }),
        Some(Err(message)) => Err(IsolationError::Panicked { format, message }),
        Some(Ok(extracted)) => Ok(extracted?),
    }
}

/// `work`'s result, or `None` when it did not finish within `timeout`.
fn run_with_timeout<T: Send + 'static>(timeout: Duration, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("kho-extract".to_owned()).spawn(move || {
        // The receiver is gone when the wait timed out: nobody needs the result any more.
        let _ = sender.send(work());
    });
    if spawned.is_err() {
        return None;
    }
    receiver.recv_timeout(timeout).ok()
}

/// `work`'s result, or the message of the panic that ended it.
fn catch_panic<T>(work: impl FnOnce() -> T + UnwindSafe) -> Result<T, String> {
    std::panic::catch_unwind(work).map_err(|payload| panic_message(&*payload))
}

/// The message a panic was raised with; "unknown panic" when its payload is not text.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_work_times_out_and_fast_work_does_not() {
        assert_eq!(run_with_timeout(Duration::from_secs(30), || 7), Some(7));
        let slow = run_with_timeout(Duration::from_millis(20), || std::thread::sleep(Duration::from_secs(2)));
        assert_eq!(slow, None);
    }

    #[test]
    fn panics_are_caught_with_their_message() {
        assert_eq!(catch_panic(|| 7), Ok(7));
        assert_eq!(catch_panic::<()>(|| std::panic::panic_any("boom")), Err("boom".to_owned()));
        assert_eq!(catch_panic::<()>(|| std::panic::panic_any(format!("page {}", 3))), Err("page 3".to_owned()));
        assert_eq!(catch_panic::<()>(|| std::panic::panic_any(42)), Err("unknown panic".to_owned()));
    }

    #[test]
    fn reasons_read_as_before() {
        let cases = [
            (
                IsolationError::TimedOut { format: Format::Pdf, after: Duration::from_millis(1) },
                "pdf parser timed out after 0.001 s",
            ),
            (
                IsolationError::TimedOut { format: Format::Html, after: Duration::from_secs(120) },
                "html parser timed out after 120 s",
            ),
            (IsolationError::Panicked { format: Format::Docx, message: "boom".to_owned() }, "docx parser failed: boom"),
            (IsolationError::Extract(ExtractError::PdfEncrypted), "PDF is encrypted"),
        ];
        for (error, reason) in cases {
            assert_eq!(error.to_string(), reason);
        }
    }

    #[test]
    fn extraction_errors_pass_through() {
        let got = extract_isolated(Format::Text, b"\xFF".to_vec(), Duration::from_secs(30));
        assert!(matches!(got, Err(IsolationError::Extract(ExtractError::InvalidUtf8 { .. }))), "{got:?}");
        let got = extract_isolated(Format::Text, "Hội thảo".as_bytes().to_vec(), Duration::from_secs(30));
        assert!(matches!(got, Ok(Content::Text(ref e)) if e.body == "Hội thảo"), "{got:?}");
    }
}
