//! Assembling the documents the index stores, from a file a run read ([`file_document`]) or from a
//! JSON Lines record (`jsonl`), through one place ([`assemble`]), so that both come out
//! alike: facet tags found in the title and body, captions, the title trimmed, a date chosen by the
//! same rule ([`document_date`]) and hashes and ids made the same way ([`sha256_hex`], [`document_id`]).
//!
//! What the two ways in still decide for themselves: a file's title may come from its manifest, a legal
//! heading (`legal`), its own metadata, its first line or its name, and its body has hard line wraps
//! repaired; a record's title and body are taken as given, the heading filling in what it lacks.
//!
//! # A legal document's heading
//!
//! When the body opens with a legal heading (`legal`), its number and issuer are kept, and its
//! title, kind and signing date take their place in this order of trust:
//!
//! | | file | JSON Lines record |
//! | --- | --- | --- |
//! | title | manifest > heading > file properties > first line > file name | record > heading |
//! | kind | manifest > heading > folder name | record > heading > `other` |
//! | date | manifest > heading > file properties > body text | record > heading > body text |
//!
//! The heading's date wins over a file's properties whichever is later: properties say when the file
//! was saved (the shared law DOCX files say 2025-12-31 for laws of 2006–2018), the heading when the
//! document was signed, which is the date a reader means. A file's hash is that of its bytes, a record's that of what it says
//! ([`record_hash`]).

use std::path::Path;

use kho_core::analysis::normalize_text;
use kho_core::metadata::{extract_metadata, Tag};
use kho_core::schema::{kind_value, KhoDocument};
use sha2::{Digest, Sha256};

use crate::captions::find_captions;
use crate::date::{find_date, normalize_iso_date};
use crate::extract::Extracted;
use crate::legal::recognise;
use crate::walk::SourceFile;
use crate::wraps::repair_line_wraps;

/// Longest title derived from a document's first line.
const MAX_DERIVED_TITLE_CHARS: usize = 160;

/// The document completed: the title trimmed, and the provinces, sectors and organizations the title
/// and body mention and the body's captions found. Near-duplicate band keys are left empty: they are
/// set when duplicates are folded.
pub(crate) fn assemble(mut doc: KhoDocument) -> KhoDocument {
    doc.title = doc.title.trim().to_owned();
    let found = extract_metadata(&doc.title, &doc.body);
    let slugs = |tags: Vec<Tag>| tags.into_iter().map(|t| t.slug).collect();
    doc.provinces = slugs(found.provinces);
    doc.sectors = slugs(found.sectors);
    doc.organizations = slugs(found.organizations);
    doc.captions = find_captions(&doc.body);
    doc.dup_bands = Vec::new();
    doc
}

/// The document of a file a run read, whose bytes hash to `hash`.
pub(crate) fn file_document(file: &SourceFile, extracted: Extracted, hash: String) -> KhoDocument {
    // NFC first, so that everything derived from the text (title, date) is the same for NFD input.
    // Then words split by hard line wraps are joined, before anything reads the text.
    let extracted = Extracted {
        title: extracted.title.map(|t| normalize_text(&t).into_owned()),
        body: repair_line_wraps(&normalize_text(&extracted.body)).into_owned(),
        ..extracted
    };
    let manifest = file.manifest.as_ref();
    // A legal document's heading says what it is better than the file's properties or its folder do;
    // only the manifest, written by a person for this archive, says more.
    let legal = recognise(&extracted.body).unwrap_or_default();
    let title = manifest
        .and_then(|m| m.title.clone())
        .or(legal.title)
        .or(extracted.title.filter(|t| !t.trim().is_empty()))
        .or_else(|| first_line(&extracted.body))
        .unwrap_or_else(|| file_stem(&file.path));
    let given_dates = [manifest.and_then(|m| m.date.as_deref()), legal.date.as_deref(), extracted.date.as_deref()];
    let date = document_date(given_dates, &extracted.body);
    let kind = manifest
        .and_then(|m| m.kind.as_deref())
        .map(kind_value)
        .or(legal.kind)
        .unwrap_or_else(|| file.kind_hint.as_str().to_owned());
    assemble(KhoDocument {
        id: document_id(&file.key),
        path: file.key.clone(),
        title,
        kind,
        format: file.format.as_str().to_owned(),
        date,
        hash,
        sources: vec![file.key.clone()],
        author: extracted.author.map(|a| normalize_text(a.trim()).into_owned()).filter(|a| !a.is_empty()),
        number: legal.number,
        issuer: legal.issuer,
        ocr_confidence: extracted.ocr.as_ref().map(|ocr| ocr.confidence.round().clamp(0.0, 100.0) as u8),
        ocr_pages: extracted.ocr.map(|ocr| ocr.pages).unwrap_or_default(),
        body: extracted.body,
        ..KhoDocument::default()
    })
}

/// A document's date: the first of the `given` dates (in order of trust) that is a valid ISO date, else
/// the first date its body mentions.
pub(crate) fn document_date<'a>(given: impl IntoIterator<Item = Option<&'a str>>, body: &str) -> Option<String> {
    given.into_iter().flatten().find_map(normalize_iso_date).or_else(|| find_date(body))
}

/// The hash of a document that has no file of its own (a JSON Lines record): of everything it says,
/// its sources included, so that a record re-imported unchanged is skipped and a changed one replaced.
pub(crate) fn record_hash(title: &str, body: &str, sources: &[String], date: &Option<String>, kind: &str) -> String {
    let fingerprint = format!("{}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{}", title, body, sources.join("\u{2}"), date, kind);
    sha256_hex(fingerprint.as_bytes())
}

/// A stable id from the source key: the same file keeps its id across runs.
pub fn document_id(key: &str) -> String {
    sha256_hex(key.as_bytes())[..16].to_owned()
}

/// SHA-256, in lowercase hexadecimal.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first non-blank line, trimmed and cut to [`MAX_DERIVED_TITLE_CHARS`].
fn first_line(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.chars().take(MAX_DERIVED_TITLE_CHARS).collect())
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_short() {
        assert_eq!(document_id("corpus/news/a.html"), document_id("corpus/news/a.html"));
        assert_ne!(document_id("corpus/news/a.html"), document_id("corpus/news/b.html"));
        assert_eq!(document_id("x").len(), 16);
    }

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(first_line("\n\n  Hội thảo SXSH  \nnội dung").as_deref(), Some("Hội thảo SXSH"));
        assert_eq!(first_line("  \n "), None);
    }

    #[test]
    fn dates_come_from_the_most_trusted_source_then_the_text() {
        let body = "Hội thảo ngày 14/4/2011 tại Bến Tre";
        let cases: [([Option<&str>; 2], Option<&str>); 4] = [
            ([Some("2012-05-20"), Some("2013-01-02")], Some("2012-05-20")),
            ([Some("not a date"), Some("2013-01-02")], Some("2013-01-02")),
            ([None, Some("20130102")], Some("2011-04-14")),
            ([None, None], Some("2011-04-14")),
        ];
        for (given, want) in cases {
            assert_eq!(document_date(given, body).as_deref(), want, "{given:?}");
        }
    }
}
