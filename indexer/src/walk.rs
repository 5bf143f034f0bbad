//! Which files a run reads: every supported file under the paths given, in a stable order, each with
//! the key it is stored under and what its folder's manifest (or the folder names) say it is.
//!
//! A document's key is its path as the user named it (see [`key_of`]), so that the same archive indexed
//! as `corpus` or `./corpus/` is the same documents, and a run knows which indexed documents are gone:
//! those under a walked folder that the walk did not see. Hidden files and folders (`.git`, `.DS_Store`)
//! are skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use kho_core::Kind;
use walkdir::WalkDir;

use crate::error::IndexerError;
use crate::extract::Format;
use crate::manifest::{kind_from_path, Manifest, ManifestEntry, MANIFEST_FILE};

/// A file found by the walk.
pub(crate) struct SourceFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The key stored as `path` in the index: the path as the user named it, with `/` separators.
    pub key: String,
    pub format: Format,
    pub manifest: Option<ManifestEntry>,
    pub kind_hint: Kind,
}

/// What a walk found.
pub(crate) struct Walked {
    /// Every supported file, sorted by name within each path.
    pub files: Vec<SourceFile>,
    /// The key prefixes of the walked paths: a folder's key with a trailing `/`.
    prefixes: Vec<String>,
    /// The keys of the files named as paths themselves.
    named_files: Vec<String>,
}

impl Walked {
    /// Whether a document key lies under one of the walked paths, so that the walk would have seen
    /// its file if it still existed.
    pub(crate) fn covers(&self, key: &str) -> bool {
        // A file named on its own covers its key only: `a.htm` does not cover `a.html`.
        self.prefixes.iter().any(|prefix| key.starts_with(prefix.as_str())) || self.named_files.iter().any(|k| k == key)
    }
}

/// Every supported file under `paths`, and the walked paths' key prefixes; see [`Walked`].
pub(crate) fn collect_files(paths: &[PathBuf]) -> Result<Walked, IndexerError> {
    let mut files = Vec::new();
    let mut prefixes = Vec::new();
    let mut named_files = Vec::new();
    for root in paths {
        if root.is_file() {
            if let Some(format) = Format::from_path(root) {
                let key = key_of(root);
                named_files.push(key.clone());
                files.push(SourceFile {
                    path: root.clone(),
                    kind_hint: kind_from_path(&key),
                    key,
                    format,
                    manifest: None,
                });
            }
            continue;
        }
        if !root.is_dir() {
            return Err(IndexerError::PathNotFound(root.clone()));
        }
        let manifest = Manifest::load(root)?;
        let root_key = key_of(root);
        prefixes.push(format!("{root_key}/"));
        let walk = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| !is_hidden(e.file_name()));
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot walk");
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.file_name() == MANIFEST_FILE {
                continue;
            }
            let Some(format) = Format::from_path(entry.path()) else { continue };
            let relative = key_of(entry.path().strip_prefix(root).unwrap_or(entry.path()));
            files.push(SourceFile {
                path: entry.path().to_owned(),
                key: format!("{root_key}/{relative}"),
                format,
                manifest: manifest.get(&relative).cloned(),
                kind_hint: kind_from_path(&relative),
            });
        }
    }
    Ok(Walked { files, prefixes, named_files })
}

/// The path as the user wrote it, with "." and ".." resolved lexically, no trailing separator, and
/// `/` separators: "./corpus/" and "tests/../corpus" are both "corpus".
pub(crate) fn key_of(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let absolute = text.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// A dot file or dot folder, but not "." or "..".
fn is_hidden(name: &OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n.len() > 1 && n != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_on_its_own_covers_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.htm");
        std::fs::write(&file, "<p>x</p>").unwrap();
        let walked = collect_files(std::slice::from_ref(&file)).unwrap();
        let key = key_of(&file);
        assert!(walked.covers(&key));
        assert!(!walked.covers(&format!("{key}l")), "a.htm must not cover a.html");
        let folder = collect_files(&[dir.path().to_owned()]).unwrap();
        assert!(folder.covers(&key));
        assert!(!folder.covers(&format!("{}x/a.htm", key_of(dir.path()))));
    }

    #[test]
    fn keys_are_the_paths_as_named() {
        let cases = [
            ("corpus", "corpus"),
            ("./corpus/", "corpus"),
            ("corpus/news/a.html", "corpus/news/a.html"),
            ("/srv/kho/corpus", "/srv/kho/corpus"),
            ("/srv/kho/tests/../corpus", "/srv/kho/corpus"),
            ("../shared/data", "../shared/data"),
            (".", "."),
        ];
        for (path, key) in cases {
            assert_eq!(key_of(Path::new(path)), key, "path {path}");
        }
    }
}
