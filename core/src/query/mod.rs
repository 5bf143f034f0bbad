//! The user's query language: parsed here, turned into a tantivy query by `build`.
//!
//! Syntax: words (all required, then any as a fallback), `"quoted phrases"`, `-word` or `-"phrase"` to
//! exclude, `a OR b`, and filters (`kind:news`, `year:2009..2013`, `province:ben-tre`, `title:"nhà
//! máy"`, … — the one table of them is [`FilterField`]). We parse it ourselves rather than with
//! tantivy's QueryParser because every word must be analyzed twice (exact and folded) and ranked by which
//! form matched, and because errors must be explained to the user.
//!
//! - `lex`: the syntax's lexemes;
//! - `filter`: the filter table, filter values, and the page's operations on filters in a query string;
//! - `build`: the tantivy query of a parsed query;
//! - `question`: the words that ask ("là gì", "bao nhiêu"), which the second stage leaves out;
//! - `ranking`: the weights that order the results, and how strictly the words must all match.

mod build;
mod filter;
mod lex;
mod question;
mod ranking;

use crate::analysis::normalize_text;

pub use build::{build_query, highlight_terms};
pub use filter::{active_filters, split_terms, with_filter, without_filters, ActiveFilter, Filter, FilterField};
pub use question::asking_words;
pub use ranking::{Ranking, Strictness, LONG_QUERY_WORDS};

use filter::parse_filter;
use lex::{lex, Lexeme};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most words and phrases in one query.
pub const MAX_QUERY_ITEMS: usize = 100;

/// A query the user must fix, with a stable code and a message in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub code: &'static str,
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(code: &'static str, vi: &str, en: &str) -> QueryError {
        QueryError { code, message: format!("{vi} / {en}") }
    }
}

/// A word or a quoted phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Word(String),
    Phrase(String),
}

impl Item {
    pub(crate) fn text(&self) -> &str {
        match self {
            Item::Word(t) | Item::Phrase(t) => t,
        }
    }
}

/// A parsed query: groups are all required; the items of one group are alternatives (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Item>>,
    pub exclusions: Vec<Item>,
    pub filters: Vec<Filter>,
}

impl ParsedQuery {
    /// Every word and phrase the user is looking for (not the excluded ones).
    pub fn positive_items(&self) -> impl Iterator<Item = &Item> {
        self.groups.iter().flatten()
    }
}

/// Parses the user's query.
pub fn parse_query(raw: &str) -> Result<ParsedQuery, QueryError> {
    let text = normalize_text(raw.trim());
    if text.is_empty() {
        return Err(QueryError::new("empty_query", "Hãy nhập từ cần tìm", "the query is empty"));
    }
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            "query_too_long",
            &format!("Câu tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự"),
            &format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let mut parsed = ParsedQuery::default();
    let mut pending_or = false;
    for lexeme in lex(&text)? {
        match lexeme {
            Lexeme::Or => {
                if parsed.groups.is_empty() || pending_or {
                    return Err(QueryError::new(
                        "misplaced_or",
                        "OR phải đứng giữa hai từ",
                        "OR must stand between two words",
                    ));
                }
                pending_or = true;
            }
            Lexeme::Item { item, negated: true } => {
                parsed.exclusions.push(item);
            }
            Lexeme::Item { item, negated: false } => {
                if let Item::Word(word) = &item {
                    if let Some(filter) = parse_filter(word)? {
                        parsed.filters.push(filter);
                        continue;
                    }
                }
                match (pending_or, parsed.groups.last_mut()) {
                    (true, Some(group)) => group.push(item),
                    _ => parsed.groups.push(vec![item]),
                }
                pending_or = false;
            }
        }
    }
    if pending_or {
        return Err(QueryError::new("misplaced_or", "OR phải đứng giữa hai từ", "OR must stand between two words"));
    }
    if parsed.groups.is_empty() && parsed.filters.is_empty() {
        return Err(QueryError::new(
            "no_search_terms",
            "Câu tìm kiếm cần ít nhất một từ không bị loại trừ",
            "the query needs at least one word that is not excluded",
        ));
    }
    if parsed.groups.iter().map(Vec::len).sum::<usize>() + parsed.exclusions.len() > MAX_QUERY_ITEMS {
        return Err(QueryError::new(
            "too_many_terms",
            &format!("Câu tìm kiếm có quá {MAX_QUERY_ITEMS} từ"),
            &format!("the query has more than {MAX_QUERY_ITEMS} words"),
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Item {
        Item::Word(w.to_owned())
    }

    #[test]
    fn parses_the_query_language() {
        let cases: Vec<(&str, ParsedQuery)> = vec![
            (
                "sản xuất sạch",
                ParsedQuery {
                    groups: vec![vec![word("sản")], vec![word("xuất")], vec![word("sạch")]],
                    ..Default::default()
                },
            ),
            (
                "\"sản xuất sạch hơn\" Bến Tre",
                ParsedQuery {
                    groups: vec![vec![Item::Phrase("sản xuất sạch hơn".into())], vec![word("Bến")], vec![word("Tre")]],
                    ..Default::default()
                },
            ),
            (
                "đường OR mía -sách",
                ParsedQuery {
                    groups: vec![vec![word("đường"), word("mía")]],
                    exclusions: vec![word("sách")],
                    ..Default::default()
                },
            ),
            (
                "hội thảo kind:report year:2009..2013",
                ParsedQuery {
                    groups: vec![vec![word("hội")], vec![word("thảo")]],
                    filters: vec![Filter::Kind("report".into()), Filter::Years { from: 2009, to: 2013 }],
                    ..Default::default()
                },
            ),
            ("2009-2013", ParsedQuery { groups: vec![vec![word("2009-2013")]], ..Default::default() }),
            // Kinds are an open vocabulary: built-in names in any case, other labels as given.
            (
                r#"luật kind:law kind:News kind:"Quyết định""#,
                ParsedQuery {
                    groups: vec![vec![word("luật")]],
                    filters: vec![
                        Filter::Kind("law".into()),
                        Filter::Kind("news".into()),
                        Filter::Kind("Quyết định".into()),
                    ],
                    ..Default::default()
                },
            ),
            (
                "mía title:\"nhà máy\" date:2011-04..2012",
                ParsedQuery {
                    groups: vec![vec![word("mía")]],
                    filters: vec![
                        Filter::Title("nhà máy".into()),
                        Filter::Dates { from: "2011-04".into(), to: "2012".into() },
                    ],
                    ..Default::default()
                },
            ),
            ("Vie\u{0323}\u{0302}t", ParsedQuery { groups: vec![vec![word("Việt")]], ..Default::default() }),
            (
                "caption:\"nhà máy\" hình:Liên",
                ParsedQuery {
                    filters: vec![Filter::Caption("nhà máy".into()), Filter::Caption("Liên".into())],
                    ..Default::default()
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_query(input).unwrap(), expected, "query {input:?}");
        }
    }

    #[test]
    fn explains_bad_queries() {
        let long = "a ".repeat(MAX_QUERY_CHARS);
        let cases = [
            ("", "empty_query"),
            ("   ", "empty_query"),
            ("\"sản xuất", "unbalanced_quote"),
            ("OR sạch", "misplaced_or"),
            ("sạch OR", "misplaced_or"),
            ("-sách", "no_search_terms"),
            ("year:20x1", "bad_filter"),
            ("year:2013..2009", "bad_filter"),
            ("date:2011-4", "bad_filter"),
            ("date:2012..2011", "bad_filter"),
            ("province:atlantis", "bad_filter"),
            (long.as_str(), "query_too_long"),
        ];
        for (input, code) in cases {
            let err = parse_query(input).unwrap_err();
            assert_eq!(err.code, code, "query {input:?}");
            assert!(err.message.contains(" / "), "bilingual message for {input:?}: {}", err.message);
        }
    }
}
