//! A result list in files other programs read: CSV (RFC 4180, for spreadsheets) and JSON Lines (for
//! scripts), one row per document. How the rows reach the client, streamed, is `routes::export`.
//!
//! CSV choices, for the Vietnamese office worker who opens the file in Excel:
//! - UTF-8 with a byte-order mark: without it Excel reads the file as the Windows code page and every
//!   Vietnamese letter comes out garbled (LibreOffice, Python's `utf-8-sig` and the `csv` crates skip
//!   the mark);
//! - CRLF line ends and fields quoted when they hold a comma, a quote or a line break (quotes doubled),
//!   as RFC 4180 says;
//! - a cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
//!   a title crafted as a formula is shown, not run (OWASP's advice against CSV injection).
//!
//! Several values in one cell (provinces) are joined with `"; "`; JSON Lines keeps them as a list.

use kho_core::analysis::fold_diacritics;
use kho_core::facets::NamedValue;
use kho_core::search::DocumentRecord;
use serde::Serialize;

use crate::archive::ArchiveRoots;

/// The formats `/api/search?format=` offers besides its JSON page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

/// The columns of the CSV export, in order (the keys of a JSON Lines row too).
pub const CSV_COLUMNS: [&str; 8] = ["id", "title", "kind", "date", "number", "provinces", "path", "url"];

/// The UTF-8 byte-order mark that starts the CSV export (see the module doc).
pub const UTF8_BOM: &str = "\u{feff}";

impl ExportFormat {
    /// The export `format` asks for: `None` for the JSON page (`json` or no format), an error message
    /// for any other value.
    pub fn parse(format: Option<&str>) -> Result<Option<ExportFormat>, String> {
        match format.map(str::trim).unwrap_or("").to_ascii_lowercase().as_str() {
            "" | "json" => Ok(None),
            "csv" => Ok(Some(ExportFormat::Csv)),
            "jsonl" | "ndjson" => Ok(Some(ExportFormat::Jsonl)),
            other => Err(format!(
                "Tham số format phải là json, csv hoặc jsonl / format must be json, csv or jsonl, not {other:?}"
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8; header=present",
            ExportFormat::Jsonl => "application/jsonl; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }

    /// What the file starts with: the mark and the header row for CSV, nothing for JSON Lines.
    pub fn preamble(self) -> String {
        match self {
            ExportFormat::Csv => format!("{UTF8_BOM}{}\r\n", CSV_COLUMNS.join(",")),
            ExportFormat::Jsonl => String::new(),
        }
    }

    /// Appends one row to `out`.
    pub fn write_row(self, out: &mut String, row: &ExportRow) {
        match self {
            ExportFormat::Csv => {
                let provinces = row.provinces.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; ");
                let cells = [
                    row.id.as_str(),
                    &row.title,
                    &row.kind,
                    row.date.as_deref().unwrap_or(""),
                    row.number.as_deref().unwrap_or(""),
                    &provinces,
                    &row.path,
                    row.url.as_deref().unwrap_or(""),
                ];
                for (position, cell) in cells.iter().enumerate() {
                    if position > 0 {
                        out.push(',');
                    }
                    push_csv_field(out, cell);
                }
                out.push_str("\r\n");
            }
            ExportFormat::Jsonl => {
                // Serializing plain strings and lists cannot fail; a row that somehow did is left out
                // rather than half written.
                if let Ok(line) = serde_json::to_string(row) {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
    }
}

/// One exported document as the public sees it: its path relative to its archive root, and its URL
/// when it came from the web.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: Option<String>,
    pub number: Option<String>,
    pub provinces: Vec<NamedValue>,
    /// As the search API shows it (relative to the archive root; the URL for a web page).
    pub path: String,
    /// The web address the document was taken from, if it came from one.
    pub url: Option<String>,
}

impl ExportRow {
    pub fn new(record: DocumentRecord, archive: &ArchiveRoots) -> ExportRow {
        let path = archive.public_path(&record.path);
        let url = web_address(&path).map(str::to_owned);
        ExportRow {
            id: record.id,
            title: record.title,
            kind: record.kind,
            date: record.date,
            number: record.number,
            provinces: record.provinces,
            path,
            url,
        }
    }
}

/// `path` when it is a web address.
pub fn web_address(path: &str) -> Option<&str> {
    (path.starts_with("http://") || path.starts_with("https://")).then_some(path)
}

/// Appends `value` as one CSV field (RFC 4180, with the formula guard of the module doc).
pub fn push_csv_field(out: &mut String, value: &str) {
    let guard = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = guard || value.contains([',', '"', '\n', '\r']);
    if !quote {
        out.push_str(value);
        return;
    }
    out.push('"');
    if guard {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// A download name for results of `q`: `kho-hoi-thao-ben-tre.csv` (the query without diacritics,
/// letters and digits only, at most 60 characters).
pub fn file_name(q: &str, format: ExportFormat) -> String {
    let folded = fold_diacritics(q).to_lowercase();
    let mut stem = String::from("kho");
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if stem.len() + 1 + word.len() > 60 {
            break;
        }
        stem.push('-');
        stem.push_str(word);
    }
    format!("{stem}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(value: &str) -> String {
        let mut out = String::new();
        push_csv_field(&mut out, value);
        out
    }

    #[test]
    fn quotes_csv_fields_as_rfc_4180_says() {
        let cases = [
            ("Hội thảo sản xuất sạch hơn", "Hội thảo sản xuất sạch hơn"),
            ("", ""),
            ("Bến Tre, Vĩnh Long", "\"Bến Tre, Vĩnh Long\""),
            ("Luật \"An ninh mạng\"", "\"Luật \"\"An ninh mạng\"\"\""),
            ("dòng một\ndòng hai", "\"dòng một\ndòng hai\""),
            ("a\r\nb", "\"a\r\nb\""),
            ("24/2018/QH14", "24/2018/QH14"),
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+84 123", "\"'+84 123\""),
            ("-1", "\"'-1\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("Số 1-2", "Số 1-2"),
        ];
        for (value, expected) in cases {
            assert_eq!(csv(value), expected, "{value:?}");
        }
    }

    fn row() -> ExportRow {
        ExportRow {
            id: "d1".to_owned(),
            title: "Luật An ninh mạng, 2018".to_owned(),
            kind: "law".to_owned(),
            date: Some("2018-06-12".to_owned()),
            number: Some("24/2018/QH14".to_owned()),
            provinces: vec![
                NamedValue { value: "ben-tre".to_owned(), name: "Bến Tre".to_owned() },
                NamedValue { value: "vinh-long".to_owned(), name: "Vĩnh Long".to_owned() },
            ],
            path: "luat/an-ninh-mang.docx".to_owned(),
            url: None,
        }
    }

    #[test]
    fn writes_a_csv_row_under_its_header() {
        let mut out = ExportFormat::Csv.preamble();
        ExportFormat::Csv.write_row(&mut out, &row());
        assert_eq!(
            out,
            "\u{feff}id,title,kind,date,number,provinces,path,url\r\n\
             d1,\"Luật An ninh mạng, 2018\",law,2018-06-12,24/2018/QH14,Bến Tre; Vĩnh Long,luat/an-ninh-mang.docx,\r\n"
        );
    }

    #[test]
    fn writes_one_json_object_per_line() {
        let mut out = ExportFormat::Jsonl.preamble();
        ExportFormat::Jsonl.write_row(&mut out, &row());
        ExportFormat::Jsonl.write_row(&mut out, &ExportRow { number: None, ..row() });
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["number"], "24/2018/QH14");
        assert_eq!(lines[0]["provinces"][1]["name"], "Vĩnh Long");
        assert!(lines[1]["number"].is_null());
        let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), CSV_COLUMNS.len());
    }

    #[test]
    fn parses_formats_and_names_files() {
        assert_eq!(ExportFormat::parse(None), Ok(None));
        assert_eq!(ExportFormat::parse(Some("json")), Ok(None));
        assert_eq!(ExportFormat::parse(Some("CSV")), Ok(Some(ExportFormat::Csv)));
        assert_eq!(ExportFormat::parse(Some("jsonl")), Ok(Some(ExportFormat::Jsonl)));
        assert!(ExportFormat::parse(Some("xlsx")).is_err());
        assert_eq!(file_name("Hội thảo Bến Tre kind:news", ExportFormat::Csv), "kho-hoi-thao-ben-tre-kind-news.csv");
        assert_eq!(file_name("đường", ExportFormat::Jsonl), "kho-duong.jsonl");
        assert!(file_name(&"dài ".repeat(50), ExportFormat::Csv).len() <= 64);
    }

    #[test]
    fn rows_show_public_paths_and_web_addresses() {
        let record = |path: &str| DocumentRecord {
            id: "x".to_owned(),
            title: "T".to_owned(),
            kind: "news".to_owned(),
            date: None,
            number: None,
            provinces: Vec::new(),
            path: path.to_owned(),
            format: "html".to_owned(),
            author: None,
        };
        let row = ExportRow::new(record("/srv/secret/a.html"), &ArchiveRoots::none());
        assert_eq!((row.path.as_str(), row.url.as_deref()), ("a.html", None));
        let row = ExportRow::new(record("https://sct.bentre.gov.vn/a"), &ArchiveRoots::none());
        assert_eq!(row.url.as_deref(), Some("https://sct.bentre.gov.vn/a"));
    }
}
