//! `POST /api/documents`: one uploaded file stored in the archive and indexed.
//!
//! The form is `multipart/form-data` with a `file` field (the document, its name giving its format) and
//! optional `kind` and `title` fields. The file streams to a hidden temporary file in the upload folder
//! (`<corpus>/uploads/`; hidden files are skipped by the indexer's walk and the watcher), counted against
//! the upload limit as it comes (413 `upload_too_large` past it). It then takes its final name — the
//! uploaded name made safe by [`sanitize_file_name`], with `-2`, `-3`… added when a file of that name is
//! already there, never overwriting one (a hard link, which fails rather than replaces) — and is indexed
//! by the indexer's [`index_file`], the same pipeline `kho-index` runs. The answer is 201 with the
//! document's id; a file the indexer cannot read is removed again and answered 422 `unreadable_file`
//! with the indexer's reason.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kho_indexer::{index_file, FileFacts, FileOutcome, IndexFileError, DEFAULT_FILE_TIMEOUT};
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use super::key::AdminAccess;
use super::WriteError;
use crate::error::ApiError;
use crate::state::AppState;

/// The folder under the corpus where uploads are stored.
pub const UPLOAD_FOLDER: &str = "uploads";
/// Room for the form's other fields and boundaries above the file's own limit.
pub const FORM_OVERHEAD_BYTES: u64 = 64 * 1024;
/// Longest `kind` or `title` accepted, in characters.
const MAX_TEXT_FIELD_CHARS: usize = 500;
/// Longest stored file name, in characters (extension included).
const MAX_NAME_CHARS: usize = 120;

/// The answer to an upload.
#[derive(Debug, Serialize)]
struct Uploaded {
    id: String,
    /// Where the file is stored, relative to its archive root (`uploads/…`).
    path: String,
    /// `indexed`: a document of its own; `duplicate`: the same text as the document `id`, which now lists
    /// the file among its sources; `unchanged`: the same bytes were indexed at this path already.
    status: &'static str,
}

/// `POST /api/documents`.
pub async fn upload(_: AdminAccess, State(state): State<AppState>, mut form: Multipart) -> Result<Response, ApiError> {
    let Some(admin) = state.admin.clone() else {
        return Err(ApiError::not_found("not_found", "Không có trang này / no such route"));
    };
    let upload_dir = admin.config.upload_dir.clone();
    tokio::fs::create_dir_all(&upload_dir).await.map_err(|e| ApiError::internal(&e))?;
    let mut facts = FileFacts::default();
    let mut received: Option<(PathBuf, String)> = None;
    let result = read_form(&mut form, &upload_dir, admin.config.max_upload_bytes, &mut facts, &mut received).await;
    if let Err(error) = result {
        if let Some((temporary, _)) = &received {
            let _ = tokio::fs::remove_file(temporary).await;
        }
        return Err(error);
    }
    let Some((temporary, name)) = received else {
        return Err(ApiError::bad_request("missing_file", "Thiếu tệp (trường `file`) / the form has no `file` field"));
    };
    let indexed = tokio::task::spawn_blocking(move || {
        let stored = place(&temporary, &upload_dir, &name);
        let _ = std::fs::remove_file(&temporary);
        let stored = stored.map_err(|e| ApiError::internal(&e))?;
        let outcome = admin.write(
            || index_file(&admin.config.index_dir, &stored, &facts, DEFAULT_FILE_TIMEOUT),
            |error| matches!(error, IndexFileError::Index(e) if e.is_index_locked()),
        );
        match outcome {
            Ok(outcome) => Ok((stored, outcome)),
            Err(error) => {
                // A file that is not in the index is not kept in the archive either.
                let _ = std::fs::remove_file(&stored);
                Err(match error {
                    WriteError::Busy => super::index_busy(),
                    WriteError::Failed(IndexFileError::Unreadable { reason }) => ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "unreadable_file",
                        format!("Không đọc được tệp / the file cannot be read: {reason}"),
                    ),
                    WriteError::Failed(IndexFileError::Index(error)) => ApiError::internal(&error),
                })
            }
        }
    })
    .await??;
    let (stored, outcome) = indexed;
    state.searcher.reload().map_err(|e| ApiError::internal(&e))?;
    let path = state.web.archive.public_path(&stored.to_string_lossy());
    tracing::info!(id = %outcome.id(), path = %path, outcome = ?outcome, "document uploaded");
    let status = match outcome {
        FileOutcome::Indexed { .. } => "indexed",
        FileOutcome::Unchanged { .. } => "unchanged",
        FileOutcome::DuplicateOf { .. } => "duplicate",
    };
    let id = outcome.id().to_owned();
    let location = HeaderValue::from_str(&format!("/api/documents/{id}")).ok();
    let mut response = (StatusCode::CREATED, Json(Uploaded { id, path, status })).into_response();
    if let Some(location) = location {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// Reads the form's fields: the file into a temporary file in `upload_dir` (its path and safe name into
/// `received` as soon as it is created, so the caller can remove it on error), `kind` and `title` into
/// `facts`.
async fn read_form(
    form: &mut Multipart,
    upload_dir: &Path,
    max_bytes: u64,
    facts: &mut FileFacts,
    received: &mut Option<(PathBuf, String)>,
) -> Result<(), ApiError> {
    while let Some(field) = form.next_field().await.map_err(form_error)? {
        match field.name().unwrap_or_default() {
            "file" if received.is_none() => {
                let name = field.file_name().and_then(sanitize_file_name).ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "unreadable_file",
                        "Tên tệp không có phần mở rộng được hỗ trợ / the file name has no supported extension \
                         (.html .htm .txt .pdf .docx .pptx .odt)",
                    )
                })?;
                let temporary = upload_dir.join(temporary_name());
                *received = Some((temporary.clone(), name));
                save_field(field, &temporary, max_bytes).await?;
            }
            "file" => return Err(ApiError::bad_request("bad_upload", "Chỉ một tệp mỗi lần / one file per upload")),
            "kind" => facts.kind = text_field(field, "kind").await?,
            "title" => facts.title = text_field(field, "title").await?,
            _ => {}
        }
    }
    Ok(())
}

/// Streams a file field into `path`, refusing it once it passes `max_bytes`.
async fn save_field(mut field: Field<'_>, path: &Path, max_bytes: u64) -> Result<(), ApiError> {
    let mut file = tokio::fs::File::create_new(path).await.map_err(|e| ApiError::internal(&e))?;
    let mut written = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(form_error)? {
        written += chunk.len() as u64;
        if written > max_bytes {
            return Err(too_large(max_bytes));
        }
        file.write_all(&chunk).await.map_err(|e| ApiError::internal(&e))?;
    }
    file.flush().await.map_err(|e| ApiError::internal(&e))?;
    file.sync_all().await.map_err(|e| ApiError::internal(&e))?;
    Ok(())
}

/// A short text field, trimmed; `None` when empty.
async fn text_field(field: Field<'_>, name: &str) -> Result<Option<String>, ApiError> {
    let text = field.text().await.map_err(form_error)?;
    let text = text.trim();
    if text.chars().count() > MAX_TEXT_FIELD_CHARS {
        return Err(ApiError::bad_request(
            "bad_upload",
            format!("Trường `{name}` quá dài / the `{name}` field is longer than {MAX_TEXT_FIELD_CHARS} characters"),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// 413 for a file over the upload limit.
pub fn too_large(max_bytes: u64) -> ApiError {
    let mib = max_bytes / (1024 * 1024);
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_too_large",
        format!("Tệp quá lớn (tối đa {mib} MiB) / the file is larger than the upload limit ({max_bytes} bytes)"),
    )
}

/// A form that cannot be read: over the extractor's limit (413), or malformed (400).
fn form_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "upload_too_large", error.body_text());
    }
    ApiError::bad_request(
        "bad_upload",
        format!("Biểu mẫu tải lên không hợp lệ / malformed upload: {}", error.body_text()),
    )
}

/// A hidden name, unique within this process's life, for a file still arriving.
fn temporary_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!(".upload-{}-{nanos}-{}.partial", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Gives the received file its final name in `dir`: `name`, or `stem-2.ext`, `stem-3.ext`… when taken.
/// A hard link fails when the name exists, so a file is never replaced, even by a concurrent upload.
fn place(temporary: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    for attempt in 1..10_000u32 {
        let candidate = match attempt {
            1 => name.to_owned(),
            n => format!("{stem}-{n}.{extension}"),
        };
        let target = dir.join(&candidate);
        match std::fs::hard_link(temporary, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("too many files named {name}")))
}

/// A safe file name from an uploaded one, or `None` when nothing usable (a supported extension) is left.
///
/// Only the last component of a path counts (`../../etc/passwd` is `passwd`, `C:\x\a.pdf` is `a.pdf`);
/// letters (Vietnamese ones too, in NFC), digits, `-`, `_` and `.` are kept, any other run of characters
/// becomes one `-`; leading dots and dashes go (no hidden files; a name left empty is `tai-lieu`), the extension is lowercased and must be
/// one the indexer reads, and the name is cut to a reasonable length.
pub fn sanitize_file_name(uploaded: &str) -> Option<String> {
    let last = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let last = kho_core::analysis::normalize_text(last);
    let mut safe = String::new();
    for c in last.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            safe.push(c);
        } else if !safe.ends_with('-') {
            safe.push('-');
        }
    }
    let (stem, extension) = safe.rsplit_once('.')?;
    let extension = extension.to_lowercase();
    kho_indexer::extract::Format::from_path(Path::new(&format!("x.{extension}")))?;
    let stem = stem.trim_matches(['.', '-']);
    let stem: String = stem.chars().take(MAX_NAME_CHARS - extension.chars().count() - 1).collect();
    let stem = stem.trim_end_matches(['.', '-']);
    let stem = if stem.is_empty() { "tai-lieu" } else { stem };
    Some(format!("{stem}.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_are_made_safe() {
        let cases = [
            ("Báo cáo SXSH 2011.docx", Some("Báo-cáo-SXSH-2011.docx")),
            ("../../etc/passwd.txt", Some("passwd.txt")),
            ("..\\..\\windows\\a.PDF", Some("a.pdf")),
            ("/abs/path/x.html", Some("x.html")),
            (".hidden.html", Some("hidden.html")),
            ("....", None),
            ("noextension", None),
            ("virus.exe", None),
            ("a\u{0}b\nc.txt", Some("a-b-c.txt")),
            (".pdf", Some("tai-lieu.pdf")),
            ("-.pdf", Some("tai-lieu.pdf")),
            ("x..", None),
        ];
        for (uploaded, want) in cases {
            assert_eq!(sanitize_file_name(uploaded).as_deref(), want, "{uploaded:?}");
        }
        let long = format!("{}.pdf", "ả".repeat(400));
        let safe = sanitize_file_name(&long).unwrap();
        assert_eq!(safe.chars().count(), MAX_NAME_CHARS);
        assert!(safe.ends_with(".pdf"));
    }

    #[test]
    fn placing_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join(".a.partial");
        std::fs::write(&first, "one").unwrap();
        let second = dir.path().join(".b.partial");
        std::fs::write(&second, "two").unwrap();
        let placed = [place(&first, dir.path(), "a.txt").unwrap(), place(&second, dir.path(), "a.txt").unwrap()];
        assert_eq!(placed[0], dir.path().join("a.txt"));
        assert_eq!(placed[1], dir.path().join("a-2.txt"));
        assert_eq!(std::fs::read_to_string(&placed[0]).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&placed[1]).unwrap(), "two");
    }
}
