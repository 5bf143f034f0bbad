//! One document as a reference for a bibliography: RIS (Zotero, EndNote, Mendeley import it) and
//! BibTeX (LaTeX). Served by `GET /api/documents/{id}/citation?format=ris|bibtex`.
//!
//! The document's kind becomes a reference type: news → `NEWS` / `@article`, reports → `RPRT` /
//! `@techreport`, laws → `STAT` / `@misc`, other legal and administrative documents (decrees, decisions,
//! circulars, official letters) → `GOVDOC` / `@misc`, the seminar toolkit → `GEN` / `@manual`, anything
//! else → `GEN` / `@misc`. Kinds are matched without diacritics or case, in English or Vietnamese
//! ("law", "Luật", "quyết định").
//!
//! Text stays UTF-8, Vietnamese letters included: RIS readers and biber take UTF-8, and escaping
//! "ạ" as `{\d{a}}` would lose the tone marks LaTeX cannot stack. BibTeX's special characters are
//! escaped (`{`, `}`, `\`, `%`, `&`, `$`, `#`, `_`, `~`, `^`); the title and the author are wrapped in
//! an extra pair of braces, so a style neither lowercases the title nor splits a Vietnamese name or an
//! agency ("Sở Công Thương Bến Tre") as "Last, First".

use kho_core::analysis::fold_diacritics;
use kho_core::search::DocumentRecord;

/// The two citation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationFormat {
    Ris,
    Bibtex,
}

impl CitationFormat {
    /// `ris` or `bibtex` (also `bib`), in any case; an error message otherwise.
    pub fn parse(format: Option<&str>) -> Result<CitationFormat, String> {
        match format.map(str::trim).unwrap_or("").to_ascii_lowercase().as_str() {
            "ris" => Ok(CitationFormat::Ris),
            "bibtex" | "bib" => Ok(CitationFormat::Bibtex),
            other => {
                Err(format!("Tham số format phải là ris hoặc bibtex / format must be ris or bibtex, not {other:?}"))
            }
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            CitationFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            CitationFormat::Bibtex => "application/x-bibtex; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            CitationFormat::Ris => "ris",
            CitationFormat::Bibtex => "bib",
        }
    }

    /// The citation of `citation` in this format.
    pub fn write(self, citation: &Citation) -> String {
        match self {
            CitationFormat::Ris => ris(citation),
            CitationFormat::Bibtex => bibtex(citation),
        }
    }
}

/// What a citation says about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub record: DocumentRecord,
    /// The public path (relative to its archive root), for the note.
    pub path: String,
    /// Where the document can be read: the web address it came from, or its page on this Kho.
    pub url: Option<String>,
}

/// The reference type of a kind: RIS type and BibTeX entry type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceType {
    pub ris: &'static str,
    pub bibtex: &'static str,
}

/// The reference type for a document of this kind (see the module doc).
pub fn reference_type(kind: &str) -> ReferenceType {
    let folded = fold_diacritics(kind.trim()).to_lowercase();
    let is = |names: &[&str]| names.contains(&folded.as_str());
    let (ris, bibtex) = if is(&["news", "tin tuc", "bai bao", "article"]) {
        ("NEWS", "article")
    } else if is(&["report", "bao cao", "techreport"]) {
        ("RPRT", "techreport")
    } else if is(&["law", "statute", "luat", "bo luat", "phap lenh", "hien phap"]) {
        ("STAT", "misc")
    } else if is(&[
        "decree",
        "decision",
        "circular",
        "resolution",
        "directive",
        "official letter",
        "nghi dinh",
        "quyet dinh",
        "thong tu",
        "thong tu lien tich",
        "nghi quyet",
        "chi thi",
        "cong van",
        "thong bao",
        "to trinh",
        "ke hoach",
    ]) {
        ("GOVDOC", "misc")
    } else if is(&["toolkit", "guide", "manual", "huong dan", "tai lieu huong dan"]) {
        ("GEN", "manual")
    } else {
        ("GEN", "misc")
    };
    ReferenceType { ris, bibtex }
}

/// RIS: one `TAG  - value` line per field, CRLF line ends, ending with `ER  - `.
fn ris(citation: &Citation) -> String {
    let record = &citation.record;
    let mut lines: Vec<(&str, String)> = vec![("TY", reference_type(&record.kind).ris.to_owned())];
    lines.push(("TI", record.title.clone()));
    if let Some(author) = &record.author {
        lines.push(("AU", author.clone()));
    }
    if let Some(date) = &record.date {
        if let Some(year) = year_of(date) {
            lines.push(("PY", year.to_owned()));
        }
        // RIS dates are YYYY/MM/DD/other; a date known to the month or year only leaves the rest empty.
        let parts: Vec<&str> = date.split('-').collect();
        lines.push((
            "DA",
            format!(
                "{}/{}/{}/",
                parts.first().unwrap_or(&""),
                parts.get(1).unwrap_or(&""),
                parts.get(2).unwrap_or(&"")
            ),
        ));
    }
    if let Some(number) = &record.number {
        lines.push(("M1", number.clone()));
    }
    if let Some(url) = &citation.url {
        lines.push(("UR", url.clone()));
    }
    lines.push(("AN", record.id.clone()));
    lines.push(("DB", "Kho".to_owned()));
    lines.push(("LA", "vi".to_owned()));
    if !citation.path.is_empty() && Some(&citation.path) != citation.url.as_ref() {
        lines.push(("N1", format!("Tệp: {}", citation.path)));
    }
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {}\r\n", one_line(&value)));
    }
    out.push_str("ER  - \r\n");
    out
}

/// BibTeX: one entry, keyed `kho-` and the document id.
fn bibtex(citation: &Citation) -> String {
    let record = &citation.record;
    let kind = reference_type(&record.kind);
    let mut fields: Vec<(&str, String)> = vec![("title", format!("{{{}}}", bibtex_text(&record.title)))];
    if let Some(author) = &record.author {
        fields.push(("author", format!("{{{}}}", bibtex_text(author))));
    }
    if let Some(date) = &record.date {
        fields.push(("date", bibtex_text(date)));
        if let Some(year) = year_of(date) {
            fields.push(("year", year.to_owned()));
        }
    }
    if let Some(number) = &record.number {
        fields.push(("number", bibtex_text(number)));
    }
    if kind.bibtex == "misc" && !record.kind.is_empty() {
        fields.push(("type", bibtex_text(&kho_core::schema::kind_label(&record.kind))));
    }
    if let Some(url) = &citation.url {
        fields.push(("url", bibtex_url(url)));
    }
    if !citation.path.is_empty() && Some(&citation.path) != citation.url.as_ref() {
        fields.push(("note", format!("Tệp: {}", bibtex_text(&citation.path))));
    }
    fields.push(("langid", "vietnamese".to_owned()));
    let mut out = format!("@{}{{{},\n", kind.bibtex, citation_key(&record.id));
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// The BibTeX key: `kho-` and the id with anything but ASCII letters, digits, `-`, `_`, `.` and `:`
/// replaced by `-` (a key may not hold spaces, commas, braces or quotes).
pub fn citation_key(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') { c } else { '-' })
        .collect();
    format!("kho-{safe}")
}

/// Text for a BibTeX field value: special characters escaped, line breaks as spaces, UTF-8 kept.
pub fn bibtex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// A URL for BibTeX's verbatim `url` field: kept as is, except braces and spaces, percent-encoded.
fn bibtex_url(url: &str) -> String {
    url.replace('{', "%7B").replace('}', "%7D").replace(char::is_whitespace, "%20")
}

/// Line breaks and tabs as single spaces: both formats hold a field on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn year_of(date: &str) -> Option<&str> {
    date.get(0..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
}

/// A download name for a document's citation: `kho-<id>.ris`.
pub fn file_name(id: &str, format: CitationFormat) -> String {
    format!("{}.{}", citation_key(id), format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::facets::NamedValue;

    fn citation(kind: &str, number: Option<&str>, author: Option<&str>) -> Citation {
        Citation {
            record: DocumentRecord {
                id: "d6d079f7".to_owned(),
                title: "Luật An ninh mạng".to_owned(),
                kind: kind.to_owned(),
                date: Some("2018-06-12".to_owned()),
                number: number.map(str::to_owned),
                provinces: vec![NamedValue { value: "ha-noi".to_owned(), name: "Hà Nội".to_owned() }],
                path: "/srv/kho/luat/an-ninh-mang.docx".to_owned(),
                format: "docx".to_owned(),
                author: author.map(str::to_owned),
            },
            path: "luat/an-ninh-mang.docx".to_owned(),
            url: Some("http://kho.example/documents/d6d079f7".to_owned()),
        }
    }

    #[test]
    fn kinds_become_reference_types() {
        let cases = [
            ("news", "NEWS", "article"),
            ("report", "RPRT", "techreport"),
            ("Báo cáo", "RPRT", "techreport"),
            ("law", "STAT", "misc"),
            ("Luật", "STAT", "misc"),
            ("quyết định", "GOVDOC", "misc"),
            ("Nghị định", "GOVDOC", "misc"),
            ("công văn", "GOVDOC", "misc"),
            ("toolkit", "GEN", "manual"),
            ("other", "GEN", "misc"),
            ("", "GEN", "misc"),
            ("thơ", "GEN", "misc"),
        ];
        for (kind, ris, bibtex) in cases {
            assert_eq!(reference_type(kind), ReferenceType { ris, bibtex }, "{kind:?}");
        }
    }

    #[test]
    fn escapes_bibtex_special_characters_and_keeps_vietnamese() {
        let cases = [
            ("Luật An ninh mạng", "Luật An ninh mạng"),
            ("Ủy ban nhân dân tỉnh Bến Tre", "Ủy ban nhân dân tỉnh Bến Tre"),
            ("{Đường} mía", "\\{Đường\\} mía"),
            ("giảm 30% nước thải", "giảm 30\\% nước thải"),
            ("TN&MT", "TN\\&MT"),
            ("$5 #1 a_b", "\\$5 \\#1 a\\_b"),
            ("C:\\tep", "C:\\textbackslash{}tep"),
            ("~x^2", "\\textasciitilde{}x\\textasciicircum{}2"),
            ("dòng một\n\ndòng\thai", "dòng một dòng hai"),
        ];
        for (text, expected) in cases {
            assert_eq!(bibtex_text(text), expected, "{text:?}");
        }
        assert_eq!(citation_key("a b,{c}/đ"), "kho-a-b--c---");
        assert_eq!(bibtex_url("http://x/a b{c}"), "http://x/a%20b%7Bc%7D");
    }

    #[test]
    fn writes_a_bibtex_entry() {
        let entry = CitationFormat::Bibtex.write(&citation("law", Some("24/2018/QH14"), Some("Quốc hội")));
        assert_eq!(
            entry,
            "@misc{kho-d6d079f7,\n\
             \x20 title = {{Luật An ninh mạng}},\n\
             \x20 author = {{Quốc hội}},\n\
             \x20 date = {2018-06-12},\n\
             \x20 year = {2018},\n\
             \x20 number = {24/2018/QH14},\n\
             \x20 type = {law},\n\
             \x20 url = {http://kho.example/documents/d6d079f7},\n\
             \x20 note = {Tệp: luat/an-ninh-mang.docx},\n\
             \x20 langid = {vietnamese},\n\
             }\n"
        );
        let news = CitationFormat::Bibtex.write(&citation("news", None, None));
        assert!(news.starts_with("@article{kho-d6d079f7,\n"), "{news}");
        assert!(!news.contains("author") && !news.contains("number") && !news.contains("type ="), "{news}");
        // Braces balance, whatever the text.
        let mut odd = citation("report", Some("1}{"), Some("A } B"));
        odd.record.title = "Báo cáo {chưa đóng".to_owned();
        let entry = CitationFormat::Bibtex.write(&odd);
        let depth = entry.replace("\\{", "").replace("\\}", "").chars().fold(0i32, |depth, c| match c {
            '{' => depth + 1,
            '}' => depth - 1,
            _ => depth,
        });
        assert_eq!(depth, 0, "{entry}");
    }

    #[test]
    fn writes_a_ris_record() {
        let record = CitationFormat::Ris.write(&citation("report", Some("12/BC-SCT"), None));
        assert_eq!(
            record,
            "TY  - RPRT\r\n\
             TI  - Luật An ninh mạng\r\n\
             PY  - 2018\r\n\
             DA  - 2018/06/12/\r\n\
             M1  - 12/BC-SCT\r\n\
             UR  - http://kho.example/documents/d6d079f7\r\n\
             AN  - d6d079f7\r\n\
             DB  - Kho\r\n\
             LA  - vi\r\n\
             N1  - Tệp: luat/an-ninh-mang.docx\r\n\
             ER  - \r\n"
        );
        let mut month_only = citation("news", None, Some("Trần Thị Liên"));
        month_only.record.date = Some("2011-04".to_owned());
        month_only.record.title = "Hội thảo\nsản xuất sạch hơn".to_owned();
        let record = CitationFormat::Ris.write(&month_only);
        assert!(record.contains("TY  - NEWS\r\n"), "{record}");
        assert!(record.contains("TI  - Hội thảo sản xuất sạch hơn\r\n"), "{record}");
        assert!(record.contains("AU  - Trần Thị Liên\r\n"), "{record}");
        assert!(record.contains("DA  - 2011/04//\r\n"), "{record}");
        assert!(!record.contains("M1"), "{record}");
    }

    #[test]
    fn parses_formats() {
        assert_eq!(CitationFormat::parse(Some("RIS")), Ok(CitationFormat::Ris));
        assert_eq!(CitationFormat::parse(Some("bib")), Ok(CitationFormat::Bibtex));
        assert!(CitationFormat::parse(None).is_err());
        assert!(CitationFormat::parse(Some("endnote")).is_err());
        assert_eq!(file_name("a/b", CitationFormat::Bibtex), "kho-a-b.bib");
    }
}
