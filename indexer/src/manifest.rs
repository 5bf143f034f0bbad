//! The optional `manifest.json` at the top of a folder: what each file is (kind, title, date).
//!
//! ```json
//! {"description": "…", "documents": [{"path": "news/a.html", "kind": "news", "title": "…", "date": "2011-04-14"}]}
//! ```
//! Paths are relative to the manifest's folder. Files the manifest does not list are classified by
//! the names of their folders (see [`kind_from_path`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kho_core::Kind;
use serde::Deserialize;

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What the manifest says of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    /// A built-in kind's name or any other label (kinds are an open vocabulary).
    pub kind: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ManifestFile {
    #[serde(default)]
    documents: Vec<ManifestEntry>,
}

/// A folder's manifest, by relative path.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    entries: HashMap<String, ManifestEntry>,
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read manifest {}", .path.display())]
pub struct ManifestError {
    pub path: PathBuf,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl Manifest {
    /// Loads `dir/manifest.json`; an absent manifest is an empty one.
    pub fn load(dir: &Path) -> Result<Manifest, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(ManifestError { path, source: Box::new(e) }),
        };
        let file: ManifestFile =
            serde_json::from_slice(&bytes).map_err(|e| ManifestError { path: path.clone(), source: Box::new(e) })?;
        let entries = file.documents.into_iter().map(|e| (e.path.trim_start_matches("./").to_owned(), e)).collect();
        Ok(Manifest { entries })
    }

    /// The entry for a path relative to the manifest's folder (with `/` separators).
    pub fn get(&self, relative: &str) -> Option<&ManifestEntry> {
        self.entries.get(relative)
    }
}

/// The kind a file's folder names suggest: `news/`, `reports/`, `toolkit/` (or Vietnamese names).
pub fn kind_from_path(relative: &str) -> Kind {
    for folder in relative.rsplit('/').skip(1) {
        match folder.to_lowercase().as_str() {
            "news" | "tin-tuc" | "tintuc" => return Kind::News,
            "report" | "reports" | "bao-cao" | "baocao" => return Kind::Report,
            "toolkit" | "tai-lieu" | "tailieu" | "bo-tai-lieu" => return Kind::Toolkit,
            _ => {}
        }
    }
    Kind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_folder() {
        let cases = [
            ("news/a.html", Kind::News),
            ("2012/tin-tuc/a.html", Kind::News),
            ("reports/b.pdf", Kind::Report),
            ("bao-cao/b.pdf", Kind::Report),
            ("toolkit/c.docx", Kind::Toolkit),
            ("misc/d.txt", Kind::Other),
            ("d.txt", Kind::Other),
        ];
        for (path, kind) in cases {
            assert_eq!(kind_from_path(path), kind, "path {path}");
        }
    }

    #[test]
    fn loads_entries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            r#"{"documents": [{"path": "news/a.html", "kind": "report", "title": "Tiêu đề", "date": "2011-04-14"}]}"#,
        )
        .unwrap();
        let manifest = Manifest::load(dir.path()).unwrap();
        let entry = manifest.get("news/a.html").unwrap();
        assert_eq!(entry.kind.as_deref(), Some("report"));
        assert_eq!(entry.title.as_deref(), Some("Tiêu đề"));
        assert!(Manifest::load(&dir.path().join("none")).unwrap().get("x").is_none());
        std::fs::write(dir.path().join(MANIFEST_FILE), "{not json").unwrap();
        assert!(Manifest::load(dir.path()).is_err());
    }
}
