//! The index's fields, and the document the indexer writes.
//!
//! Title and body are indexed twice: `title`/`body` with the folded analyzer (stored, so snippets can be
//! cut from them; folding is what lets an unaccented query highlight the accented original), and
//! `title_exact`/`body_exact` with the exact analyzer (not stored), which ranks diacritic-exact matches
//! first.

use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

use crate::analysis::{normalize_text, EXACT_ANALYZER, FOLDED_ANALYZER, PAIRS_ANALYZER};
use crate::legal::{issuer_key, number_key};

/// The built-in kinds of the cleaner-production archive. Kinds are an open vocabulary: a document's kind
/// is a label ([`KhoDocument::kind`]), one of these names or any other an archive uses ("law", "quyết
/// định"), indexed, faceted and shown as given; these four have Vietnamese names (see [`kind_value`] and
/// [`kind_label`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// News articles from provincial departments' sites.
    News,
    /// Workshop reports: agendas, speakers, results.
    Report,
    /// Documents of the seminar toolkit: guides, checklists, templates.
    Toolkit,
    /// Anything the manifest or folder does not classify.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::News, Kind::Report, Kind::Toolkit, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Report => "report",
            Kind::Toolkit => "toolkit",
            Kind::Other => "other",
        }
    }

    /// The label shown to Vietnamese users.
    pub fn label_vi(self) -> &'static str {
        match self {
            Kind::News => "Tin tức",
            Kind::Report => "Báo cáo hội thảo",
            Kind::Toolkit => "Tài liệu hướng dẫn",
            Kind::Other => "Tài liệu khác",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The kind label stored for `text`: a built-in kind's name in any case ("News" → "news"), otherwise
/// the text as given (NFC, trimmed); "other" when empty.
pub fn kind_value(text: &str) -> String {
    let text = normalize_text(text.trim());
    if text.is_empty() {
        return Kind::Other.as_str().to_owned();
    }
    match Kind::parse(&text.to_lowercase()) {
        Some(kind) => kind.as_str().to_owned(),
        None => text.into_owned(),
    }
}

/// What users read for a kind label: a built-in kind's Vietnamese name, any other label as it is.
pub fn kind_label(value: &str) -> String {
    Kind::parse(value).map_or_else(|| value.to_owned(), |kind| kind.label_vi().to_owned())
}

/// Handles to every field of Kho's schema.
#[derive(Debug, Clone)]
pub struct KhoSchema {
    pub schema: Schema,
    /// Stable document id (STRING, stored, fast).
    pub id: Field,
    /// Source path or URL; the key that re-indexing replaces or removes by.
    pub path: Field,
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    /// Adjacent syllable pairs of title and body (see `Form::Pairs`): word-level matching.
    pub pairs: Field,
    pub kind: Field,
    pub format: Field,
    /// `YYYY-MM-DD`, or absent.
    pub date: Field,
    pub year: Field,
    /// SHA-256 of the source bytes, to skip unchanged files (stored only: it is read, never searched).
    pub hash: Field,
    /// Facets: slugs of the provinces, industry sectors and organizations a document mentions.
    pub province: Field,
    pub sector: Field,
    pub organization: Field,
    /// Every place the document was found: its own path or URL, and those of its near-duplicates.
    pub source: Field,
    /// Figure and table captions ("Hình 1. …"), one value each; also part of the body.
    pub captions: Field,
    /// Locality-sensitive hashes of the body's MinHash signature (indexed, not stored): documents that
    /// share one are candidates for being the same article, found without comparing every pair.
    pub dup_band: Field,
    /// The author the file's own properties give (DOCX/PPTX/ODT core properties, PDF Info).
    pub author: Field,
    /// A legal document's number as printed ("24/2018/QH14"), stored; searched through `number_key`.
    pub number: Field,
    /// The number's key (`crate::legal::number_key`), indexed, not stored.
    pub number_key: Field,
    /// A legal document's issuing body as named ("Quốc hội"), stored and a facet.
    pub issuer: Field,
    /// The issuer's key (`crate::legal::issuer_key`), what `issuer:` filters on.
    pub issuer_key: Field,
    /// Whether some of the body was read by OCR (indexed, stored, fast: `true`/`false`).
    pub ocr: Field,
    /// The pages (from 1) whose text OCR read (stored).
    pub ocr_pages: Field,
    /// OCR's mean word confidence, in percent (stored), for a document with OCR text.
    pub ocr_confidence: Field,
}

impl KhoSchema {
    pub fn new() -> KhoSchema {
        let mut builder = Schema::builder();
        let folded_stored = text_options(FOLDED_ANALYZER).set_stored();
        // No positions for the exact body: phrases are matched on `body` (see `query::body_exact_query`).
        let exact_body = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(EXACT_ANALYZER).set_index_option(IndexRecordOption::WithFreqs),
        );
        let exact = text_options(EXACT_ANALYZER);
        let id = builder.add_text_field("id", STRING | STORED | FAST);
        let path = builder.add_text_field("path", STRING | STORED);
        let title = builder.add_text_field("title", folded_stored.clone());
        let title_exact = builder.add_text_field("title_exact", exact);
        let body = builder.add_text_field("body", folded_stored);
        let body_exact = builder.add_text_field("body_exact", exact_body);
        let pairs = builder.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(PAIRS_ANALYZER).set_index_option(IndexRecordOption::Basic),
            ),
        );
        let kind = builder.add_text_field("kind", STRING | STORED | FAST);
        let format = builder.add_text_field("format", STRING | STORED);
        let date = builder.add_text_field("date", STRING | STORED | FAST);
        let year = builder.add_u64_field("year", INDEXED | STORED | FAST);
        let hash = builder.add_text_field("hash", STORED);
        let province = builder.add_text_field("province", STRING | STORED | FAST);
        let sector = builder.add_text_field("sector", STRING | STORED | FAST);
        let organization = builder.add_text_field("organization", STRING | STORED | FAST);
        let source = builder.add_text_field("source", STRING | STORED);
        let captions = builder.add_text_field("captions", text_options(FOLDED_ANALYZER).set_stored());
        let dup_band = builder.add_u64_field("dup_band", INDEXED);
        let author = builder.add_text_field("author", text_options(FOLDED_ANALYZER).set_stored());
        let number = builder.add_text_field("number", STORED);
        let number_key = builder.add_text_field("number_key", STRING);
        let issuer = builder.add_text_field("issuer", STRING | STORED | FAST);
        let issuer_key = builder.add_text_field("issuer_key", STRING);
        let ocr = builder.add_bool_field("ocr", INDEXED | STORED | FAST);
        let ocr_pages = builder.add_u64_field("ocr_pages", STORED);
        let ocr_confidence = builder.add_u64_field("ocr_confidence", STORED);
        KhoSchema {
            schema: builder.build(),
            id,
            path,
            title,
            title_exact,
            body,
            body_exact,
            pairs,
            kind,
            format,
            date,
            year,
            hash,
            province,
            sector,
            organization,
            source,
            captions,
            dup_band,
            author,
            number,
            number_key,
            issuer,
            issuer_key,
            ocr,
            ocr_pages,
            ocr_confidence,
        }
    }
}

impl Default for KhoSchema {
    fn default() -> Self {
        KhoSchema::new()
    }
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// One document as the indexer writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KhoDocument {
    pub id: String,
    pub path: String,
    pub title: String,
    pub body: String,
    /// A built-in kind's name or any other label (see [`kind_value`]).
    pub kind: String,
    pub format: String,
    pub date: Option<String>,
    pub hash: String,
    /// Facet slugs (see `crate::metadata`).
    #[serde(default)]
    pub provinces: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub organizations: Vec<String>,
    /// Where the document was found (near-duplicates add theirs).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Figure and table captions found in the body.
    #[serde(default)]
    pub captions: Vec<String>,
    /// Near-duplicate band hashes of the body (see [`KhoSchema::dup_band`]); empty for short texts.
    #[serde(default)]
    pub dup_bands: Vec<u64>,
    /// The author from the file's metadata, if any.
    #[serde(default)]
    pub author: Option<String>,
    /// A legal document's number ("1419/QĐ-TTg"), from its heading.
    #[serde(default)]
    pub number: Option<String>,
    /// A legal document's issuing body ("Thủ tướng Chính phủ"), from its heading.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The pages (from 1) whose text OCR read; empty for a document read from text alone.
    #[serde(default)]
    pub ocr_pages: Vec<u32>,
    /// OCR's mean word confidence in percent, for a document with OCR text.
    #[serde(default)]
    pub ocr_confidence: Option<u8>,
}

impl KhoDocument {
    /// The tantivy document; title and body are stored in NFC, so what is shown, what is indexed and
    /// the snippet offsets all agree.
    pub fn to_tantivy(&self, fields: &KhoSchema) -> TantivyDocument {
        let title = normalize_text(&self.title);
        let body = normalize_text(&self.body);
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, &self.id);
        doc.add_text(fields.path, &self.path);
        doc.add_text(fields.title, &title);
        doc.add_text(fields.title_exact, &title);
        doc.add_text(fields.body, &body);
        doc.add_text(fields.body_exact, &body);
        doc.add_text(fields.pairs, &title);
        doc.add_text(fields.pairs, &body);
        doc.add_text(fields.kind, &self.kind);
        doc.add_text(fields.format, &self.format);
        if let Some(date) = &self.date {
            doc.add_text(fields.date, date);
            if let Some(year) = date.get(0..4).and_then(|y| y.parse::<u64>().ok()) {
                doc.add_u64(fields.year, year);
            }
        }
        doc.add_text(fields.hash, &self.hash);
        for (field, values) in [
            (fields.province, &self.provinces),
            (fields.sector, &self.sectors),
            (fields.organization, &self.organizations),
            (fields.source, &self.sources),
            (fields.captions, &self.captions),
        ] {
            for value in values {
                doc.add_text(field, value);
            }
        }
        if let Some(author) = &self.author {
            doc.add_text(fields.author, normalize_text(author));
        }
        for band in &self.dup_bands {
            doc.add_u64(fields.dup_band, *band);
        }
        if let Some(number) = &self.number {
            doc.add_text(fields.number, normalize_text(number));
            doc.add_text(fields.number_key, number_key(number));
        }
        if let Some(issuer) = &self.issuer {
            doc.add_text(fields.issuer, normalize_text(issuer));
            doc.add_text(fields.issuer_key, issuer_key(issuer));
        }
        doc.add_bool(fields.ocr, !self.ocr_pages.is_empty());
        for page in &self.ocr_pages {
            doc.add_u64(fields.ocr_pages, u64::from(*page));
        }
        if let Some(confidence) = self.ocr_confidence {
            doc.add_u64(fields.ocr_confidence, u64::from(confidence));
        }
        doc
    }

    /// The document as stored in the index, for rewriting it (say, with one more source). Fields that
    /// are not stored (`dup_bands`) come back empty.
    pub fn from_stored(doc: &TantivyDocument, fields: &KhoSchema) -> KhoDocument {
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let texts = |field: Field| doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_owned).collect();
        KhoDocument {
            id: text(fields.id),
            path: text(fields.path),
            title: text(fields.title),
            body: text(fields.body),
            kind: text(fields.kind),
            format: text(fields.format),
            date: Some(text(fields.date)).filter(|d| !d.is_empty()),
            hash: text(fields.hash),
            provinces: texts(fields.province),
            sectors: texts(fields.sector),
            organizations: texts(fields.organization),
            sources: texts(fields.source),
            captions: texts(fields.captions),
            dup_bands: Vec::new(),
            author: Some(text(fields.author)).filter(|a| !a.is_empty()),
            number: Some(text(fields.number)).filter(|n| !n.is_empty()),
            issuer: Some(text(fields.issuer)).filter(|i| !i.is_empty()),
            ocr_pages: doc
                .get_all(fields.ocr_pages)
                .filter_map(|v| v.as_u64())
                .filter_map(|p| u32::try_from(p).ok())
                .collect(),
            ocr_confidence: doc
                .get_first(fields.ocr_confidence)
                .and_then(|v| v.as_u64())
                .and_then(|c| u8::try_from(c).ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_an_open_vocabulary() {
        let cases = [
            ("news", "news", "Tin tức"),
            (" Report ", "report", "Báo cáo hội thảo"),
            ("TOOLKIT", "toolkit", "Tài liệu hướng dẫn"),
            ("", "other", "Tài liệu khác"),
            ("law", "law", "law"),
            ("Quye\u{0302}\u{0301}t định", "Quyết định", "Quyết định"),
        ];
        for (given, value, label) in cases {
            assert_eq!(kind_value(given), value, "{given:?}");
            assert_eq!(kind_label(&kind_value(given)), label, "{given:?}");
        }
    }
}
