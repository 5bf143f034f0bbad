//! The HTML of the web pages, one module per part: [`layout`] (the frame every page shares),
//! [`results`], [`facets`] and [`timeline`] (the search page), [`document`] and [`highlight`] (one document).
//!
//! Every text that comes from the index or the request is escaped here with [`escape`]; the only
//! HTML taken as is are the search response's `title_html` and `snippet`, which core escapes and marks
//! up with `<mark>` only.

pub mod document;
pub mod facets;
pub mod highlight;
pub mod layout;
pub mod results;
pub mod timeline;

use kho_core::search::Sort;

/// Text made safe for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// A query-string value, percent-encoded (space as `+`).
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The link to the first page of results for `q`, in this order.
pub fn search_link(q: &str, sort: Sort) -> String {
    match sort {
        Sort::Relevance => format!("/?q={}", url_encode(q)),
        Sort::Date => format!("/?q={}&sort=date", url_encode(q)),
    }
}

/// The link to a document, carrying the query so its words are highlighted, and jumping to the first
/// match.
pub fn document_link(id: &str, q: &str) -> String {
    let id = url_encode(id);
    if q.trim().is_empty() {
        return format!("/documents/{id}");
    }
    format!("/documents/{id}?q={}#first-match", url_encode(q))
}

/// `2011-04-14` as Vietnamese write it, `14/04/2011`; anything else as it is.
pub fn format_date(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(year), Some(month), Some(day)) if iso.len() == 10 => format!("{day}/{month}/{year}"),
        _ => iso.to_owned(),
    }
}

/// A count with Vietnamese digit grouping: `12.345`.
pub fn format_count(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// Milliseconds with a decimal comma: `2,1 ms`.
pub fn format_ms(ms: f64) -> String {
    format!("{ms:.1} ms").replace('.', ",")
}

/// The Vietnamese half of a bilingual message ("Tiếng Việt / English").
pub fn vietnamese_part(message: &str) -> &str {
    message.split(" / ").next().unwrap_or(message)
}

/// The file name at the end of a stored path.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_queries_for_links() {
        assert_eq!(url_encode("sạch hơn"), "s%E1%BA%A1ch+h%C6%A1n");
        assert_eq!(url_encode("a&b=c"), "a%26b%3Dc");
        assert_eq!(document_link("ab/..", "x y"), "/documents/ab%2F..?q=x+y#first-match");
        assert_eq!(search_link("a b", Sort::Date), "/?q=a+b&sort=date");
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(escape(r#"<script>"x"</script>"#), "&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
    }

    #[test]
    fn formats_for_vietnamese_readers() {
        assert_eq!(format_date("2011-04-14"), "14/04/2011");
        assert_eq!(format_date("2011"), "2011");
        assert_eq!(format_count(12345), "12.345");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_ms(2.14), "2,1 ms");
        assert_eq!(vietnamese_part("Thiếu dấu / missing quote"), "Thiếu dấu");
        assert_eq!(file_name("corpus/news/a.html"), "a.html");
    }
}
