//! The query's words marked in a document's full text.
//!
//! The query is parsed with the core's parser and its words folded as the index folds them, so an
//! unaccented query marks the accented original ("sach" marks "sạch" and "sách", as the search did).
//! The text is tokenized with the same Vietnamese tokenizer; each token whose folded form is a query
//! word is wrapped in `<mark>`, everything else escaped. The first mark gets `id="first-match"`.

use std::collections::HashSet;
use std::ops::Range;

use kho_core::analysis::{tokenize, Form};
use kho_core::query::{highlight_terms, parse_query};

use super::escape;

/// The anchor of the first match.
pub const FIRST_MATCH_ID: &str = "first-match";

/// Marks the words of one query.
pub struct QueryHighlighter {
    terms: HashSet<String>,
    matches: usize,
}

impl QueryHighlighter {
    /// A highlighter for `q`, or `None` when it has no words to look for (empty, invalid, only filters).
    pub fn new(q: &str) -> Option<QueryHighlighter> {
        let parsed = parse_query(q).ok()?;
        let terms: HashSet<String> = highlight_terms(&parsed).into_iter().collect();
        (!terms.is_empty()).then_some(QueryHighlighter { terms, matches: 0 })
    }

    /// How many words were marked so far.
    pub fn matches(&self) -> usize {
        self.matches
    }

    /// `text` escaped, with the query's words marked.
    pub fn mark(&mut self, text: &str) -> String {
        let ranges = merge(
            tokenize(text, Form::Folded)
                .into_iter()
                .filter(|token| self.terms.contains(&token.text))
                .map(|token| token.offset_from..token.offset_to)
                .collect(),
        );
        let mut html = String::with_capacity(text.len() + ranges.len() * 16);
        let mut written = 0;
        for range in ranges {
            let (Some(before), Some(word)) = (text.get(written..range.start), text.get(range.clone())) else {
                continue;
            };
            html.push_str(&escape(before));
            if self.matches == 0 {
                html.push_str(&format!(r#"<mark id="{FIRST_MATCH_ID}">"#));
            } else {
                html.push_str("<mark>");
            }
            html.push_str(&escape(word));
            html.push_str("</mark>");
            self.matches += 1;
            written = range.end;
        }
        html.push_str(&escape(text.get(written..).unwrap_or("")));
        html
    }
}

/// Sorted, overlapping ranges joined (a date token and its parts cover the same text).
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_accented_words_for_an_unaccented_query() {
        let mut highlighter = QueryHighlighter::new("san xuat sach").unwrap();
        let html = highlighter.mark("Sản xuất sạch hơn <b>, sách");
        assert_eq!(
            html,
            r#"<mark id="first-match">Sản</mark> <mark>xuất</mark> <mark>sạch</mark> hơn &lt;b&gt;, <mark>sách</mark>"#
        );
        assert_eq!(highlighter.matches(), 4);
        assert_eq!(highlighter.mark("sạch"), "<mark>sạch</mark>", "only one first match");
    }

    #[test]
    fn marks_dates_once() {
        let mut highlighter = QueryHighlighter::new("14/4/2011").unwrap();
        assert_eq!(highlighter.mark("ngày 14/04/2011."), r#"ngày <mark id="first-match">14/04/2011</mark>."#);
    }

    #[test]
    fn no_words_no_highlighter() {
        assert!(QueryHighlighter::new("").is_none());
        assert!(QueryHighlighter::new("kind:news").is_none());
        assert!(QueryHighlighter::new("\"unclosed").is_none());
    }
}
