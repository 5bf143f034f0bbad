//! The one place an index is opened or created. Tantivy stores only the analyzers' names, so
//! whoever opens an index must register ours first: both functions here do, for the indexer and
//! the server alike.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings};

use crate::analysis::register_analyzers;
pub use crate::analysis::ANALYSIS_VERSION;
use crate::directory::SearchDirectory;
use crate::schema::KhoSchema;

/// Why an index could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {}: build it with `kho-index --index {} PATH...`", .dir.display(), .dir.display())]
    Missing { dir: PathBuf },
    #[error("cannot create index directory {}", .dir.display())]
    CreateDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the index at {} was built with another schema: delete it and index again", .dir.display())]
    SchemaMismatch { dir: PathBuf },
    #[error(
        "the index at {} was built by another version of Kho's text analysis (v{found}, this Kho uses v{}): \
         delete it and index again",
        .dir.display(),
        ANALYSIS_VERSION
    )]
    StaleAnalysis { dir: PathBuf, found: String },
    #[error("cannot open index at {}", .dir.display())]
    Tantivy {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
}

/// An open index with Kho's analyzers registered, and its fields.
#[derive(Clone)]
pub struct KhoIndex {
    pub index: Index,
    pub fields: KhoSchema,
}

const ANALYSIS_VERSION_FILE: &str = "kho-analysis-version";

/// True when `dir` holds a tantivy index.
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir`, creating the directory and an empty index when there is none.
pub fn open_or_create_index(dir: &Path) -> Result<KhoIndex, IndexError> {
    let create_err = |source| IndexError::CreateDir { dir: dir.to_owned(), source };
    std::fs::create_dir_all(dir).map_err(create_err)?;
    if index_exists(dir) {
        check_analysis_version(dir)?;
    } else {
        std::fs::write(dir.join(ANALYSIS_VERSION_FILE), ANALYSIS_VERSION.to_string()).map_err(create_err)?;
    }
    let tantivy_err = |source| IndexError::Tantivy { dir: dir.to_owned(), source };
    let fields = KhoSchema::new();
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_err(e.into()))?;
    let index =
        Index::builder().schema(fields.schema.clone()).settings(index_settings()).open_or_create(directory).map_err(
            |e| match e {
                tantivy::TantivyError::SchemaError(_) => IndexError::SchemaMismatch { dir: dir.to_owned() },
                other => tantivy_err(other),
            },
        )?;
    finish_open(dir, index, fields)
}

/// The settings of a new index. The document store holds every title and body (about a third of the
/// index): zstd makes it a third smaller than tantivy's default (lz4, 16 KB blocks). A hit shown
/// decompresses its whole block, and zstd is slower to decompress than lz4, so blocks are 4 KB (one or
/// two articles) instead of 16: at 10% of the news that costs 15% more store than 16 KB blocks but 1.2 M
/// fewer instructions per query (5.3 M instead of 6.5 M, callgrind; see bench/profiles). On blocks that
/// small, levels above 7 find nothing more: level 7 compresses as small as 9 did, 1.8x as fast
/// (bench/profiles/import-speed.md, session 11).
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor { compression_level: Some(ZSTD_LEVEL) }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

const ZSTD_LEVEL: i32 = 7;
const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// Opens an existing index in `dir` for searching: its document stores are read with `pread` (see
/// [`crate::directory`]).
pub fn open_index(dir: &Path) -> Result<KhoIndex, IndexError> {
    if !index_exists(dir) {
        return Err(IndexError::Missing { dir: dir.to_owned() });
    }
    check_analysis_version(dir)?;
    let tantivy_err = |source| IndexError::Tantivy { dir: dir.to_owned(), source };
    let directory = SearchDirectory::open(dir).map_err(|e| tantivy_err(e.into()))?;
    let index = Index::open(directory).map_err(tantivy_err)?;
    finish_open(dir, index, KhoSchema::new())
}

/// A new empty index in memory, with Kho's schema and analyzers: the cluster backend fills one with a
/// query's candidates, and the cluster feeder reads Kho's analyzers from one. Its document store is not
/// compressed: it lives for one query, and zstd would cost more than the query.
pub fn create_in_ram() -> Result<KhoIndex, tantivy::TantivyError> {
    let fields = KhoSchema::new();
    let settings = IndexSettings { docstore_compression: Compressor::None, ..IndexSettings::default() };
    let index = Index::builder().schema(fields.schema.clone()).settings(settings).create_in_ram()?;
    register_analyzers(index.tokenizers());
    Ok(KhoIndex { index, fields })
}

fn check_analysis_version(dir: &Path) -> Result<(), IndexError> {
    let found = std::fs::read_to_string(dir.join(ANALYSIS_VERSION_FILE)).unwrap_or_else(|_| "?".to_owned());
    if found.trim() != ANALYSIS_VERSION.to_string() {
        return Err(IndexError::StaleAnalysis { dir: dir.to_owned(), found: found.trim().to_owned() });
    }
    Ok(())
}

fn finish_open(dir: &Path, index: Index, fields: KhoSchema) -> Result<KhoIndex, IndexError> {
    if index.schema() != fields.schema {
        return Err(IndexError::SchemaMismatch { dir: dir.to_owned() });
    }
    register_analyzers(index.tokenizers());
    Ok(KhoIndex { index, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_then_reopens_with_analyzers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        assert!(matches!(open_index(&path), Err(IndexError::Missing { .. })));
        let created = open_or_create_index(&path).unwrap();
        assert!(created.index.tokenizers().get(crate::analysis::FOLDED_ANALYZER).is_some());
        let reopened = open_index(&path).unwrap();
        assert!(reopened.index.tokenizers().get(crate::analysis::EXACT_ANALYZER).is_some());
    }
}
