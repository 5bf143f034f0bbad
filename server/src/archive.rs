//! Where original files may be served from: the configured archive roots, and the one check that
//! a document's stored `path` stays inside them.
//!
//! A stored path is relative to the server's working directory or absolute. It is refused unless it
//! is inside a root both as written (with `.` and `..` resolved lexically) and as the file system
//! resolves it (symbolic links followed), so neither `../` in a path nor a link inside the archive can
//! reach a file elsewhere.

use std::path::{Component, Path, PathBuf};

/// Why a document's original file cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginalError {
    /// The path, lexically or after following links, is outside every archive root.
    #[error("the original file is outside the archive")]
    OutsideArchive,
    /// Inside the archive, but not (or no longer) a readable regular file.
    #[error("the original file is not there")]
    Missing,
    /// The document came from a URL, not a file.
    #[error("the original is not a local file")]
    NotLocal,
}

/// The folders whose files may be downloaded.
#[derive(Debug, Clone, Default)]
pub struct ArchiveRoots {
    /// Each root as configured, made absolute and resolved lexically.
    written: Vec<PathBuf>,
    /// Each root with symbolic links resolved.
    resolved: Vec<PathBuf>,
}

impl ArchiveRoots {
    /// No roots: no original can be downloaded.
    pub fn none() -> ArchiveRoots {
        ArchiveRoots::default()
    }

    /// These folders; relative ones are taken from the working directory. A folder that does not exist
    /// is skipped with a warning.
    pub fn new(roots: impl IntoIterator<Item = PathBuf>) -> ArchiveRoots {
        let mut archive = ArchiveRoots::default();
        for root in roots {
            match std::fs::canonicalize(&root) {
                Ok(resolved) if resolved.is_dir() => {
                    archive.written.push(lexically_absolute(&root));
                    archive.resolved.push(resolved);
                }
                Ok(_) | Err(_) => {
                    tracing::warn!(root = %root.display(), "archive root is not a folder: originals under it cannot be downloaded");
                }
            }
        }
        archive
    }

    /// True when no root is configured.
    pub fn is_empty(&self) -> bool {
        self.resolved.is_empty()
    }

    /// The file to serve for a document stored with `stored_path`, if it may be served.
    pub fn resolve(&self, stored_path: &str) -> Result<PathBuf, OriginalError> {
        if stored_path.contains("://") {
            return Err(OriginalError::NotLocal);
        }
        let written = lexically_absolute(Path::new(stored_path));
        if !self.written.iter().any(|root| written.starts_with(root)) {
            return Err(OriginalError::OutsideArchive);
        }
        let resolved = std::fs::canonicalize(&written).map_err(|_| OriginalError::Missing)?;
        if !self.resolved.iter().any(|root| resolved.starts_with(root)) {
            return Err(OriginalError::OutsideArchive);
        }
        if !resolved.is_file() {
            return Err(OriginalError::Missing);
        }
        Ok(resolved)
    }
}

impl ArchiveRoots {
    /// A stored path as public responses show it: relative to the archive root it is under, and never
    /// the server's absolute path (a file outside every root shows its name alone). URLs are kept, and a
    /// JSON Lines record's source (`archive.jsonl#id`) keeps its `#id`.
    pub fn public_path(&self, stored: &str) -> String {
        if stored.contains("://") {
            return stored.to_owned();
        }
        let (file, record) = match stored.split_once('#') {
            Some((file, id)) if file.ends_with(".jsonl") || file.ends_with(".gz") => (file, Some(id)),
            _ => (stored, None),
        };
        let written = lexically_absolute(Path::new(file));
        let inside = self.written.iter().find_map(|root| written.strip_prefix(root).ok());
        let shown = match inside {
            Some(relative) => relative.to_string_lossy().into_owned(),
            None if Path::new(file).is_absolute() || file.contains("..") => {
                written.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned())
            }
            None => file.to_owned(),
        };
        match record {
            Some(id) => format!("{shown}#{id}"),
            None => shown,
        }
    }
}

/// `path` made absolute against the working directory, with `.` and `..` resolved without touching the
/// file system (`..` at the root stays at the root).
fn lexically_absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")).join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dots_lexically() {
        assert_eq!(lexically_absolute(Path::new("/srv/kho/../etc/./passwd")), PathBuf::from("/srv/etc/passwd"));
        assert_eq!(lexically_absolute(Path::new("/../../etc")), PathBuf::from("/etc"));
    }

    #[test]
    fn public_paths_are_relative_to_their_root() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        std::fs::create_dir_all(archive.join("news")).unwrap();
        let roots = ArchiveRoots::new([archive.clone()]);
        let text = |p: PathBuf| p.to_string_lossy().into_owned();
        assert_eq!(roots.public_path(&text(archive.join("news/a.html"))), "news/a.html");
        assert_eq!(roots.public_path(&text(dir.path().join("elsewhere/secret.pdf"))), "secret.pdf");
        assert_eq!(roots.public_path(&format!("{}#bt-2011", text(archive.join("x.jsonl")))), "x.jsonl#bt-2011");
        assert_eq!(roots.public_path("/srv/import/news.jsonl.gz#7"), "news.jsonl.gz#7");
        assert_eq!(roots.public_path("https://sct.bentre.gov.vn/a#top"), "https://sct.bentre.gov.vn/a#top");
        assert_eq!(roots.public_path("../../etc/passwd"), "passwd");
        assert_eq!(ArchiveRoots::none().public_path("/srv/kho/corpus/news/a.html"), "a.html");
        assert_eq!(ArchiveRoots::none().public_path("news10.jsonl#test/1"), "news10.jsonl#test/1");
    }

    #[test]
    fn serves_only_files_inside_a_root() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(archive.join("news")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(archive.join("news/a.txt"), "a").unwrap();
        std::fs::write(outside.join("secret.txt"), "s").unwrap();
        let roots = ArchiveRoots::new([archive.clone()]);
        let text = |p: PathBuf| p.to_string_lossy().into_owned();

        assert!(roots.resolve(&text(archive.join("news/a.txt"))).is_ok());
        assert_eq!(roots.resolve(&text(archive.join("news/b.txt"))), Err(OriginalError::Missing));
        assert_eq!(roots.resolve(&text(archive.join("news"))), Err(OriginalError::Missing));
        assert_eq!(roots.resolve(&text(outside.join("secret.txt"))), Err(OriginalError::OutsideArchive));
        assert_eq!(
            roots.resolve(&text(archive.join("news/../../outside/secret.txt"))),
            Err(OriginalError::OutsideArchive)
        );
        assert_eq!(roots.resolve("https://example.org/a.html"), Err(OriginalError::NotLocal));
        assert_eq!(ArchiveRoots::none().resolve(&text(archive.join("news/a.txt"))), Err(OriginalError::OutsideArchive));

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.join("secret.txt"), archive.join("news/link.txt")).unwrap();
            assert_eq!(roots.resolve(&text(archive.join("news/link.txt"))), Err(OriginalError::OutsideArchive));
        }
    }
}
