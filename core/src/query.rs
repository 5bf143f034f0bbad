//! The user's query language, and its translation into a tantivy query.
//!
//! Syntax: words (all required), `"quoted phrases"`, `-word` or `-"phrase"` to exclude, `a OR b`,
//! and filters `kind:news|report|toolkit`, `year:2011`, `year:2009..2013`. We parse it ourselves rather
//! than with tantivy's QueryParser because every word must be analyzed twice (exact and folded) and
//! ranked by which form matched, and because errors must be explained to the user.
//!
//! Ranking: each word matches the folded fields; a word typed with diacritics also matches the exact
//! fields with a higher boost, so "sạch" ranks documents with "sạch" above those with only "sách".
//! Title matches weigh more than body matches, and each pair of adjacent query words found as a word
//! ("nước thải" as `nuoc_thai` in the `pairs` field) adds a bonus. (A sloppy phrase of all the words
//! was tried as a proximity bonus too: it read the positions of every matching document, a fifth of a
//! query's instructions, for no measurable gain in nDCG@10 over the pairs; see bench/profiles.)

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{analyze, has_diacritics, normalize_text, Form};
use crate::schema::{KhoSchema, Kind};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most words and phrases in one query.
pub const MAX_QUERY_ITEMS: usize = 100;

const TITLE_BOOST: f32 = 1.0;
const EXACT_BOOST: f32 = 1.0;
/// Weight of a folded-only match for a word typed with diacritics: "sách" matching a query "sạch" must
/// not outrank a real "sạch", even when it is in the title or repeated many times.
const FOLDED_FALLBACK_BOOST: f32 = 0.1;
const PAIR_BOOST: f32 = 1.0;

/// A query the user must fix, with a stable code and a message in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub code: &'static str,
    pub message: String,
}

impl QueryError {
    fn new(code: &'static str, vi: &str, en: &str) -> QueryError {
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
    fn text(&self) -> &str {
        match self {
            Item::Word(t) | Item::Phrase(t) => t,
        }
    }
}

/// A restriction on metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Kind(Kind),
    Years {
        from: u64,
        to: u64,
    },
    /// Dates as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` prefixes, both ends included.
    Dates {
        from: String,
        to: String,
    },
    /// A facet value (slug) of `province`, `sector` or `organization`.
    Facet {
        field: &'static str,
        value: String,
    },
    /// Words that must appear in the title.
    Title(String),
    /// Words that must appear together in one figure or table caption ("Hình 1. …").
    Caption(String),
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

enum Lexeme {
    Or,
    Item { item: Item, negated: bool },
}

fn lex(text: &str) -> Result<Vec<Lexeme>, QueryError> {
    let mut lexemes = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-' && text[start + 1..].starts_with(|n: char| !n.is_whitespace() && n != '-');
        if negated {
            chars.next();
        }
        let Some(&(item_start, first)) = chars.peek() else {
            break;
        };
        if first == '"' {
            chars.next();
            let body_start = item_start + 1;
            let Some(len) = text[body_start..].find('"') else {
                return Err(QueryError::new(
                    "unbalanced_quote",
                    "Thiếu dấu ngoặc kép đóng cụm từ",
                    "a quoted phrase is missing its closing quote",
                ));
            };
            let phrase = text[body_start..body_start + len].trim().to_owned();
            while chars.peek().is_some_and(|&(i, _)| i <= body_start + len) {
                chars.next();
            }
            if !phrase.is_empty() {
                lexemes.push(Lexeme::Item { item: Item::Phrase(phrase), negated });
            }
            continue;
        }
        let mut end = text.len();
        while let Some(&(i, ch)) = chars.peek() {
            if ch.is_whitespace() || ch == '"' {
                end = i;
                break;
            }
            chars.next();
        }
        let word = &text[item_start..end];
        // `title:"a phrase"`: the filter takes the quoted text as its value.
        if word.ends_with(':') && text[end..].starts_with('"') {
            let body_start = end + 1;
            let Some(len) = text[body_start..].find('"') else {
                return Err(QueryError::new(
                    "unbalanced_quote",
                    "Thiếu dấu ngoặc kép đóng cụm từ",
                    "a quoted phrase is missing its closing quote",
                ));
            };
            let value = format!("{word}{}", text[body_start..body_start + len].trim());
            while chars.peek().is_some_and(|&(i, _)| i <= body_start + len) {
                chars.next();
            }
            lexemes.push(Lexeme::Item { item: Item::Word(value), negated });
            continue;
        }
        if word == "OR" && !negated {
            lexemes.push(Lexeme::Or);
        } else {
            lexemes.push(Lexeme::Item { item: Item::Word(word.to_owned()), negated });
        }
    }
    Ok(lexemes)
}

fn parse_filter(text: &str) -> Result<Option<Filter>, QueryError> {
    let Some((name, value)) = text.split_once(':') else {
        return Ok(None);
    };
    if value.is_empty() {
        return Ok(None);
    }
    match name.to_lowercase().as_str() {
        "title" | "tieude" => Ok(Some(Filter::Title(value.to_owned()))),
        "caption" | "chuthich" | "chú_thích" | "hinh" | "hình" => Ok(Some(Filter::Caption(value.to_owned()))),
        "date" | "ngay" | "ngày" => parse_dates(value).map(Some),
        field @ ("province" | "tinh" | "tỉnh") => facet_filter(field, "province", value),
        field @ ("sector" | "nganh" | "ngành") => facet_filter(field, "sector", value),
        field @ ("organization" | "org") => facet_filter(field, "organization", value),
        "kind" | "loai" | "loại" => {
            Kind::parse(&value.to_lowercase()).map(|k| Some(Filter::Kind(k))).ok_or_else(|| {
                QueryError::new(
                    "bad_filter",
                    &format!("Loại tài liệu không hợp lệ: {value} (news, report, toolkit)"),
                    &format!("unknown kind: {value} (news, report, toolkit)"),
                )
            })
        }
        "year" | "nam" | "năm" => parse_years(value).map(Some),
        _ => Ok(None),
    }
}

fn facet_filter(typed: &str, field: &'static str, value: &str) -> Result<Option<Filter>, QueryError> {
    let slug = crate::metadata::resolve_facet_value(field, value).ok_or_else(|| {
        QueryError::new(
            "bad_filter",
            &format!("Không biết giá trị {typed}:{value}"),
            &format!("unknown value in {typed}:{value}"),
        )
    })?;
    Ok(Some(Filter::Facet { field, value: slug.to_owned() }))
}

fn parse_dates(value: &str) -> Result<Filter, QueryError> {
    let bad = || {
        QueryError::new(
            "bad_filter",
            &format!("Ngày không hợp lệ: {value} (ví dụ date:2011-04 hoặc date:2011-04-01..2012-03-31)"),
            &format!("bad date: {value} (e.g. date:2011-04 or date:2011-04-01..2012-03-31)"),
        )
    };
    let valid = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        let lengths_ok =
            matches!(parts.iter().map(|p| p.len()).collect::<Vec<_>>().as_slice(), [4] | [4, 2] | [4, 2, 2]);
        lengths_ok && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let (from, to) = value.split_once("..").unwrap_or((value, value));
    if !valid(from) || !valid(to) || from > to {
        return Err(bad());
    }
    Ok(Filter::Dates { from: from.to_owned(), to: to.to_owned() })
}

fn parse_years(value: &str) -> Result<Filter, QueryError> {
    let bad = || {
        QueryError::new(
            "bad_filter",
            &format!("Năm không hợp lệ: {value} (ví dụ year:2011 hoặc year:2009..2013)"),
            &format!("bad year: {value} (e.g. year:2011 or year:2009..2013)"),
        )
    };
    let year = |s: &str| s.parse::<u64>().ok().filter(|y| (1000..=9999).contains(y));
    match value.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (year(from).ok_or_else(bad)?, year(to).ok_or_else(bad)?);
            if from > to {
                return Err(bad());
            }
            Ok(Filter::Years { from, to })
        }
        None => year(value).map(|y| Filter::Years { from: y, to: y }).ok_or_else(bad),
    }
}

/// How strictly the words of a query must all match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Every word (group) must match.
    AllWords,
    /// Any word may match; more matches rank higher. The fallback when no document has them all.
    AnyWord,
}

/// Translates a parsed query into a tantivy query over Kho's fields.
pub fn build_query(parsed: &ParsedQuery, fields: &KhoSchema, strictness: Strictness) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let group_occur = match strictness {
        Strictness::AllWords => Occur::Must,
        Strictness::AnyWord => Occur::Should,
    };
    for group in &parsed.groups {
        let alternatives: Vec<Box<dyn Query>> = group.iter().filter_map(|item| item_query(item, fields)).collect();
        match alternatives.len() {
            0 => {}
            1 => clauses.extend(alternatives.into_iter().map(|q| (group_occur, q))),
            _ => clauses.push((group_occur, Box::new(BooleanQuery::union(alternatives)))),
        }
    }
    clauses.extend(pair_queries(parsed, fields).into_iter().map(|q| (Occur::Should, q)));
    for item in &parsed.exclusions {
        if let Some(q) = exclusion_query(item, fields) {
            clauses.push((Occur::MustNot, q));
        }
    }
    for filter in &parsed.filters {
        clauses.push((Occur::Must, filter_query(filter, fields)));
    }
    if !clauses.iter().any(|(occur, _)| *occur != Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The folded tokens of every positive item, for highlighting.
pub fn highlight_terms(parsed: &ParsedQuery) -> Vec<String> {
    let mut terms: Vec<String> = parsed.positive_items().flat_map(|item| analyze(item.text(), Form::Folded)).collect();
    terms.sort();
    terms.dedup();
    terms
}

fn item_query(item: &Item, fields: &KhoSchema) -> Option<Box<dyn Query>> {
    let (folded, exact) = analyze_item(item)?;
    let Some(exact) = exact else { return Some(Box::new(BooleanQuery::union(folded_clauses(fields, &folded, 1.0)))) };
    let mut clauses = vec![
        body_exact_query(fields, &exact, &folded, EXACT_BOOST),
        tokens_query(fields.title_exact, &exact, EXACT_BOOST * TITLE_BOOST),
    ];
    clauses.extend(folded_clauses(fields, &folded, FOLDED_FALLBACK_BOOST));
    Some(Box::new(BooleanQuery::union(clauses)))
}

/// The folded tokens of an item, and its exact tokens when it was typed with diacritics; `None` when it
/// has no word.
fn analyze_item(item: &Item) -> Option<(Vec<String>, Option<Vec<String>>)> {
    let text = item.text();
    let folded = analyze(text, Form::Folded);
    if folded.is_empty() {
        return None;
    }
    let exact = has_diacritics(text).then(|| analyze(text, Form::Exact));
    Some((folded, exact))
}

/// The folded tokens in the body, and in the title (weighted [`TITLE_BOOST`] times more).
fn folded_clauses(fields: &KhoSchema, folded: &[String], boost: f32) -> Vec<Box<dyn Query>> {
    vec![tokens_query(fields.body, folded, boost), tokens_query(fields.title, folded, boost * TITLE_BOOST)]
}

/// Words that must match in the title, exact-first like any word.
fn item_in_title(text: &str, fields: &KhoSchema) -> Box<dyn Query> {
    let folded = analyze(text, Form::Folded);
    if folded.is_empty() {
        return Box::new(AllQuery);
    }
    if !has_diacritics(text) {
        return tokens_query(fields.title, &folded, TITLE_BOOST);
    }
    let exact = analyze(text, Form::Exact);
    Box::new(BooleanQuery::union(vec![
        tokens_query(fields.title_exact, &exact, EXACT_BOOST * TITLE_BOOST),
        tokens_query(fields.title, &folded, FOLDED_FALLBACK_BOOST * TITLE_BOOST),
    ]))
}

/// An accented exclusion excludes only that exact word ("-sách" keeps "sạch"); an unaccented one
/// excludes every accented form.
fn exclusion_query(item: &Item, fields: &KhoSchema) -> Option<Box<dyn Query>> {
    let (folded, exact) = analyze_item(item)?;
    let Some(exact) = exact else { return Some(Box::new(BooleanQuery::union(folded_clauses(fields, &folded, 1.0)))) };
    Some(Box::new(BooleanQuery::union(vec![
        body_exact_query(fields, &exact, &folded, 1.0),
        tokens_query(fields.title_exact, &exact, 1.0),
    ])))
}

/// The exact tokens in the body. `body_exact` keeps no positions (they would be a seventh of the index,
/// a copy of `body`'s), so an accented phrase is matched as its folded phrase in `body` (scored 0, a
/// filter) with every exact word in `body_exact` (scored): "sản xuất sạch" finds "san xuat sach" as a
/// phrase where "sản", "xuất" and "sạch" all appear as typed.
fn body_exact_query(fields: &KhoSchema, exact: &[String], folded: &[String], boost: f32) -> Box<dyn Query> {
    if exact.len() < 2 {
        return tokens_query(fields.body_exact, exact, boost);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, tokens_query(fields.body, folded, 0.0))];
    let mut words: Vec<&String> = exact.iter().collect();
    words.sort();
    words.dedup();
    clauses.extend(
        words.into_iter().map(|word| (Occur::Must, tokens_query(fields.body_exact, std::slice::from_ref(word), boost))),
    );
    Box::new(BooleanQuery::new(clauses))
}

/// One clause per pair of adjacent query words ("nước thải" → "nuoc_thai"): documents that have the
/// words as words, not as loose syllables, rank higher.
fn pair_queries(parsed: &ParsedQuery, fields: &KhoSchema) -> Vec<Box<dyn Query>> {
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for group in &parsed.groups {
        match group.first() {
            Some(Item::Word(word)) => runs.last_mut().map(|run| run.push(word.as_str())).unwrap_or_default(),
            _ => runs.push(Vec::new()),
        }
    }
    let mut pairs: Vec<String> = runs.iter().flat_map(|run| analyze(&run.join(" "), Form::Pairs)).collect();
    pairs.sort();
    pairs.dedup();
    pairs.iter().map(|pair| tokens_query(fields.pairs, std::slice::from_ref(pair), PAIR_BOOST)).collect()
}

fn tokens_query(field: Field, tokens: &[String], boost: f32) -> Box<dyn Query> {
    let query: Box<dyn Query> = if tokens.len() == 1 {
        Box::new(TermQuery::new(Term::from_field_text(field, &tokens[0]), IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new(tokens.iter().map(|t| Term::from_field_text(field, t)).collect()))
    };
    if (boost - 1.0).abs() < f32::EPSILON {
        return query;
    }
    Box::new(BoostQuery::new(query, boost))
}

fn filter_query(filter: &Filter, fields: &KhoSchema) -> Box<dyn Query> {
    match filter {
        Filter::Kind(kind) => {
            Box::new(TermQuery::new(Term::from_field_text(fields.kind, kind.as_str()), IndexRecordOption::Basic))
        }
        Filter::Years { from, to } => Box::new(RangeQuery::new(
            std::ops::Bound::Included(Term::from_field_u64(fields.year, *from)),
            std::ops::Bound::Included(Term::from_field_u64(fields.year, *to)),
        )),
        // "~" sorts after digits and "-", so "2011-12~" is above every date of December 2011.
        Filter::Dates { from, to } => Box::new(RangeQuery::new(
            std::ops::Bound::Included(Term::from_field_text(fields.date, from)),
            std::ops::Bound::Included(Term::from_field_text(fields.date, &format!("{to}~"))),
        )),
        Filter::Facet { field, value } => {
            let field = match *field {
                "province" => fields.province,
                "sector" => fields.sector,
                _ => fields.organization,
            };
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        }
        Filter::Title(text) => item_in_title(text, fields),
        // Captions are short: the folded words as a phrase, whatever accents were typed.
        Filter::Caption(text) => {
            let folded = analyze(text, Form::Folded);
            if folded.is_empty() {
                return Box::new(AllQuery);
            }
            tokens_query(fields.captions, &folded, 1.0)
        }
    }
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
                    filters: vec![Filter::Kind(Kind::Report), Filter::Years { from: 2009, to: 2013 }],
                    ..Default::default()
                },
            ),
            ("2009-2013", ParsedQuery { groups: vec![vec![word("2009-2013")]], ..Default::default() }),
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
            ("kind:poem", "bad_filter"),
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

    #[test]
    fn highlight_terms_are_folded() {
        let parsed = parse_query("Sản xuất \"sạch hơn\" -sách").unwrap();
        assert_eq!(highlight_terms(&parsed), ["hon", "sach", "san", "xuat"]);
    }
}
