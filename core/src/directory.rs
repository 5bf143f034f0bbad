//! The directory a searching process opens an index through: tantivy's memory-mapped directory, except
//! that the document stores (`.store` files) are read with `pread` instead of through a mapping.
//!
//! Why: a search reads each hit's stored document, a 4 KB block somewhere in a store of tens of
//! megabytes. Through a mapping, the kernel maps the pages around each faulting page as well (fault-around,
//! 64 KB; `MADV_RANDOM` does not turn it off), so the hits of a few hundred distinct queries left 52 MB of
//! the 60 MB store of 45,000 news articles in the server's resident memory. Read with `pread`, a block
//! is copied once into the block the store reader decompresses, and the file's pages stay in the page
//! cache, shared and reclaimable, instead of in the process. Postings, positions and term dictionaries are
//! read all over for every query and stay mapped.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// tantivy's [`MmapDirectory`], with document stores read by `pread` (see the module's notes).
#[derive(Clone, Debug)]
pub struct SearchDirectory {
    mmap: MmapDirectory,
    root: PathBuf,
}

impl SearchDirectory {
    pub fn open(root: &Path) -> Result<SearchDirectory, OpenDirectoryError> {
        Ok(SearchDirectory { mmap: MmapDirectory::open(root)?, root: root.to_owned() })
    }
}

/// True for the files read by `pread`: the document stores.
fn is_read_by_pread(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "store")
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !is_read_by_pread(path) {
            return self.mmap.get_file_handle(path);
        }
        let full_path = self.root.join(path);
        let io_error = |io_error| OpenReadError::wrap_io_error(io_error, full_path.clone());
        let file = File::open(&full_path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_owned()),
            _ => io_error(error),
        })?;
        let len = file.metadata().map_err(io_error)?.len();
        let len = usize::try_from(len).map_err(|_| io_error(std::io::Error::other("file too large")))?;
        Ok(Arc::new(PreadFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mmap.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mmap.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mmap.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mmap.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mmap.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mmap.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mmap.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mmap.watch(watch_callback)
    }
}

/// A file read with positioned reads; its length is fixed when it is opened (tantivy's files are written
/// once).
#[derive(Debug)]
struct PreadFile {
    file: File,
    len: usize,
}

impl HasLen for PreadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PreadFile {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            let message = format!("bytes {range:?} of a file of {} bytes", self.len);
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, message));
        }
        let mut buffer = vec![0; range.len()];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_files_are_read_by_pread_and_others_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("a.store"), &bytes).unwrap();
        std::fs::write(dir.path().join("a.idx"), &bytes).unwrap();
        let directory = SearchDirectory::open(dir.path()).unwrap();
        for name in ["a.store", "a.idx"] {
            let slice = directory.open_read(Path::new(name)).unwrap();
            assert_eq!(slice.len(), bytes.len());
            assert_eq!(slice.read_bytes_slice(4090..4200).unwrap().as_slice(), &bytes[4090..4200], "{name}");
            assert_eq!(slice.read_bytes().unwrap().as_slice(), &bytes[..], "{name}");
            assert!(slice.read_bytes_slice(5..5).unwrap().is_empty());
        }
        let handle = directory.get_file_handle(Path::new("a.store")).unwrap();
        assert!(handle.read_bytes(9_990..10_001).is_err(), "a read past the end is an error, not a panic");
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
