//! `DELETE /api/documents/{id}`: a document out of the index, and its uploaded file off the disk.
//!
//! Only files in the upload folder are deleted from the disk (the document's own file and any upload
//! among its sources); a document indexed from the archive's own folders is removed from the index only,
//! its file left where the archive keeps it. Such a document comes back when the archive is reindexed
//! (`POST /api/reindex`) or its file changes while the corpus is watched: to remove it for good, remove
//! its file from the archive.

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::Json;
use kho_indexer::delete_document;
use serde::Serialize;

use super::key::AdminAccess;
use crate::error::ApiError;
use crate::state::AppState;

/// The answer to a deletion.
#[derive(Debug, Serialize)]
pub struct Deleted {
    id: String,
    deleted: bool,
    /// Uploaded files removed from the disk, relative to their archive root.
    removed_files: Vec<String>,
}

/// `DELETE /api/documents/{id}`.
pub async fn delete(
    _: AdminAccess,
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Deleted>, ApiError> {
    let Some(admin) = state.admin.clone() else {
        return Err(ApiError::not_found("not_found", "Không có trang này / no such route"));
    };
    let removed = tokio::task::spawn_blocking(move || {
        let deleted = admin
            .write(|| delete_document(&admin.config.index_dir, &id), |e| e.is_index_locked())
            .map_err(|e| e.into_api_error())?;
        let Some(deleted) = deleted else {
            return Err(ApiError::not_found("document_not_found", "Không tìm thấy tài liệu / no such document"));
        };
        let mut removed = Vec::new();
        let files = std::iter::once(&deleted.path).chain(deleted.sources.iter().filter(|s| **s != deleted.path));
        for file in files {
            if is_upload(Path::new(file), &admin.config.upload_dir) {
                match std::fs::remove_file(file) {
                    Ok(()) => removed.push(file.clone()),
                    Err(error) => tracing::warn!(path = %file, error = %error, "uploaded file not removed"),
                }
            }
        }
        Ok((deleted.id, removed))
    })
    .await??;
    state.searcher.reload().map_err(|e| ApiError::internal(&e))?;
    let (id, removed) = removed;
    tracing::info!(id = %id, removed_files = removed.len(), "document deleted");
    let removed_files = removed.iter().map(|file| state.web.archive.public_path(file)).collect();
    Ok(Json(Deleted { id, deleted: true, removed_files }))
}

/// Whether `file` is a file directly in the upload folder (both resolved, links followed).
fn is_upload(file: &Path, upload_dir: &Path) -> bool {
    let (Ok(file), Ok(dir)) = (std::fs::canonicalize(file), std::fs::canonicalize(upload_dir)) else {
        return false;
    };
    file.parent() == Some(dir.as_path()) && file.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_in_the_upload_folder_are_uploads() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = dir.path().join("corpus/uploads");
        std::fs::create_dir_all(uploads.join("sub")).unwrap();
        std::fs::write(uploads.join("a.txt"), "a").unwrap();
        std::fs::write(uploads.join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("corpus/c.txt"), "c").unwrap();
        let cases = [
            (uploads.join("a.txt"), true),
            (uploads.join("../uploads/a.txt"), true),
            (uploads.join("sub/b.txt"), false),
            (uploads.join("../c.txt"), false),
            (uploads.join("missing.txt"), false),
            (uploads.clone(), false),
        ];
        for (file, want) in cases {
            assert_eq!(is_upload(&file, &uploads), want, "{}", file.display());
        }
    }
}
