//! Word 97-2003 documents (`.doc`): the text, and title, author and creation date from the
//! SummaryInformation property set.
//!
//! A `.doc` is a compound file (a small file system of streams, [MS-CFB]); the `cfb` crate reads it.
//! The text is found as Word itself finds it ([MS-DOC] §2.4.1): the File Information Block at the start
//! of the `WordDocument` stream says which table stream (`0Table` or `1Table`) holds the piece table
//! (the CLX), and how many characters the main text, footnotes, headers, comments, endnotes and text
//! boxes have; the piece table maps those character positions to runs of bytes in `WordDocument`,
//! each either 8-bit Windows-1252 ("compressed") or UTF-16 ([`pieces`]). Word's control characters
//! become paragraph breaks, tabs and line breaks; field instructions are dropped and field results kept.
//! The main text, footnotes, endnotes and text boxes are read, in that order; headers, footers and
//! comments are not (they repeat on every page, or are not the document).
//!
//! Why our own reader over the `cfb` crate, rather than Debian's antiword or catdoc: `cfb` is a small,
//! maintained crate with no dependencies of note that only reads the container; the FIB and piece table
//! take a few hundred lines, run in-process (no subprocess to install, time out or kill, and the same
//! isolation and fuzzing as every other format), and give UTF-16 text as stored, where antiword and
//! catdoc convert through their own character maps and drop what those maps lack (both are also
//! unmaintained since the 2000s). What we do not read: text marked deleted by tracked changes and hidden
//! text (that takes the character properties), and Word 6/95 files (a different FIB), which are
//! reported as such, as are encrypted files.
//!
//! Text in a legacy Vietnamese font (`.VnTime`) is stored as the Windows-1252 characters of the font's
//! bytes, and comes out so ("ViÖt"): converting it needs the runs' fonts, from the character properties,
//! which this reader does not parse.
//!
//! [MS-CFB]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-cfb/
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

mod pieces;
mod properties;

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::{ExtractError, Extracted};
use crate::isolate::panic_message;
use pieces::{document_text, Fib};

/// The largest stream read from a compound file: a `.doc` is at most a few hundred megabytes.
const MAX_STREAM_BYTES: u64 = 512 * 1024 * 1024;

/// Extracts a Word 97-2003 document's text and properties; see the module docs.
pub fn extract_doc_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    catch_unwind(AssertUnwindSafe(|| extract(bytes)))
        .unwrap_or_else(|panic| Err(ExtractError::Doc(format!("parser panicked: {}", panic_message(&*panic)))))
}

fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|err| ExtractError::Doc(format!("not a compound file: {err}")))?;
    let word = read_stream(&mut file, "/WordDocument")?
        .ok_or_else(|| ExtractError::Doc("no WordDocument stream (not a Word document)".to_owned()))?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(ExtractError::DocEncrypted);
    }
    let table_name = if fib.table_one { "/1Table" } else { "/0Table" };
    let table = read_stream(&mut file, table_name)?
        .ok_or_else(|| ExtractError::Doc(format!("no {} stream", &table_name[1..])))?;
    let body = document_text(&fib, &word, &table)?;
    let properties = read_stream(&mut file, "/\u{5}SummaryInformation")?
        .map(|stream| properties::summary_information(&stream))
        .unwrap_or_default();
    Ok(Extracted {
        title: properties.title,
        body,
        date: properties.created,
        author: properties.author,
        ..Extracted::default()
    })
}

/// A stream's bytes; `None` when the compound file has no such stream.
fn read_stream(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, path: &str) -> Result<Option<Vec<u8>>, ExtractError> {
    if !file.is_stream(path) {
        return Ok(None);
    }
    let stream = file.open_stream(path).map_err(|err| ExtractError::Doc(format!("cannot open {path}: {err}")))?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_STREAM_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|err| ExtractError::Doc(format!("cannot read {path}: {err}")))?;
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A compound file with the given streams.
    fn compound_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        for (path, bytes) in streams {
            file.create_stream(path).expect("stream").write_all(bytes).expect("write");
        }
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    #[test]
    fn files_that_are_not_word_documents_are_errors() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty", Vec::new(), "not a compound file"),
            ("text", b"Hello".to_vec(), "not a compound file"),
            ("no WordDocument", compound_file(&[("/Other", b"x")]), "no WordDocument stream"),
            ("a short FIB", compound_file(&[("/WordDocument", b"\xEC\xA5")]), "File Information Block"),
            ("not Word's magic", compound_file(&[("/WordDocument", &[0u8; 1024])]), "not a Word 97-2003"),
        ];
        for (label, bytes, want) in cases {
            match extract_doc_text(&bytes) {
                Err(ExtractError::Doc(reason)) => assert!(reason.contains(want), "{label}: {reason}"),
                other => panic!("{label}: {other:?}"),
            }
        }
    }
}
