//! A Kho query as a Sphinx full-text query over the encoded terms (see [`crate::terms`]), for finding the
//! candidates Kho then ranks itself.
//!
//! It follows `kho_core::query::build` clause for clause as far as matching goes: a word or phrase matches
//! its folded tokens in the body or title (a phrase: the tokens in a row), its exact tokens when typed with
//! diacritics, and a document number's key; all words are required (`AllWords`) or any is enough
//! (`AnyWord`); exclusions are `-( … )`; filters are terms of their fields, except years and dates, which
//! are ranges over attributes ([`attribute_filters`]: `year`, and `date_key`, the date as `YYYYMMDD`).
//! Word pairs are alternatives that only add to Sphinx's ranking, as they only add to Kho's score.

use kho_core::analysis::{analyze, has_diacritics, Form};
use kho_core::legal::{looks_like_number, number_key};
use kho_core::query::{Filter, Item, ParsedQuery, Strictness};
use kho_core::schema::KhoSchema;
use tantivy::schema::Field;

use crate::terms::encode;

/// The Sphinx query for `parsed` (synonyms already expanded); empty when it matches every document (a
/// query of exclusions, years or dates alone: see [`attribute_filters`] and [`exclusions_query`]).
pub fn sphinx_query(parsed: &ParsedQuery, fields: &KhoSchema, strictness: Strictness) -> String {
    let groups: Vec<String> = parsed
        .groups
        .iter()
        .filter_map(|group| any_of(group.iter().filter_map(|item| item_query(item, fields)).collect()))
        .collect();
    let words = match strictness {
        // Sphinx's `|` binds tighter than its implicit AND: the AND of the groups is put in parentheses.
        Strictness::AllWords => match groups.len() {
            0 => None,
            1 => groups.into_iter().next(),
            _ => Some(format!("({})", groups.join(" "))),
        },
        Strictness::AnyWord => any_of(groups),
    };
    // In the any-word tier, a document with a pair of the query's words has those words, so adding the
    // pairs as alternatives matches no other document: it only ranks the documents with them higher, as
    // Kho's pair clauses do. (A pair is two words of the query, not all of them: the all-words tier cannot
    // take them as alternatives; and Sphinx 2.2's MAYBE, meant for this, filters like an AND.)
    let pairs = match strictness {
        Strictness::AnyWord => pair_words(parsed, fields),
        Strictness::AllWords => Vec::new(),
    };
    let words = match words {
        Some(words) if !pairs.is_empty() => Some(format!("({words} | {})", pairs.join(" | "))),
        other => other,
    };
    let mut required: Vec<String> = words.into_iter().collect();
    required.extend(parsed.filters.iter().filter_map(|filter| filter_query(filter, fields)));
    if required.is_empty() {
        // Sphinx cannot run a query of exclusions alone; Kho applies them to the candidates.
        return String::new();
    }
    let mut query = required.join(" ");
    for item in &parsed.exclusions {
        if let Some(excluded) = item_query(item, fields) {
            query.push_str(" -");
            query.push_str(&excluded);
        }
    }
    query
}

/// The query's year and date filters as SphinxQL conditions on the `year` and `date_key` attributes
/// (to be joined with `AND`).
pub fn attribute_filters(parsed: &ParsedQuery) -> Vec<String> {
    parsed
        .filters
        .iter()
        .filter_map(|filter| match filter {
            Filter::Years { from, to } => Some(format!("year BETWEEN {from} AND {to}")),
            Filter::Dates { from, to } => {
                Some(format!("date_key BETWEEN {} AND {}", date_key(from), date_key_upper(to)))
            }
            _ => None,
        })
        .collect()
}

/// The query's exclusions as one Sphinx query matching any of them, when the query has nothing else
/// to match (no words and no filter Sphinx matches as words): its documents are then every document
/// but these.
pub fn exclusions_query(parsed: &ParsedQuery, fields: &KhoSchema) -> Option<String> {
    if !sphinx_query(parsed, fields, Strictness::AllWords).is_empty() {
        return None;
    }
    any_of(parsed.exclusions.iter().filter_map(|item| item_query(item, fields)).collect())
}

/// A date as the number Sphinx filters on: `YYYY-MM-DD` as `YYYYMMDD`, a month (`YYYY-MM`) as
/// `YYYYMM00`, a year as `YYYY0000`, so that numbers compare as Kho compares the date texts (a shorter
/// prefix sorts first); 0 for a date of no such shape (the indexer writes `YYYY-MM-DD`).
pub fn date_key(date: &str) -> u32 {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = date.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let Some(year) = digits(0..4) else { return 0 };
    let dash = |at: usize| date.as_bytes().get(at) == Some(&b'-');
    let month = if dash(4) { digits(5..7) } else { None };
    let day = if month.is_some() && dash(7) { digits(8..10) } else { None };
    year * 10_000 + month.unwrap_or(0) * 100 + day.unwrap_or(0)
}

/// The largest key of a date that a filter's upper end (a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` prefix,
/// included) admits: every day of that year or month.
fn date_key_upper(prefix: &str) -> u32 {
    let key = date_key(prefix);
    match prefix.len() {
        4 => key + 9999,
        7 => key + 99,
        _ => key,
    }
}

/// The words of one item: a single word, or alternatives in parentheses.
fn item_query(item: &Item, fields: &KhoSchema) -> Option<String> {
    let text = match item {
        Item::Word(text) | Item::Phrase(text) => text.as_str(),
    };
    let folded = analyze(text, Form::Folded);
    if folded.is_empty() {
        return None;
    }
    let mut alternatives = vec![phrase(fields.body, &folded), phrase(fields.title, &folded)];
    if has_diacritics(text) {
        let exact = analyze(text, Form::Exact);
        if !exact.is_empty() {
            alternatives.push(phrase(fields.body_exact, &exact));
            alternatives.push(phrase(fields.title_exact, &exact));
        }
    }
    if matches!(item, Item::Word(word) if looks_like_number(word)) {
        alternatives.push(encode(fields.number_key, &number_key(text)));
    }
    any_of(alternatives)
}

/// The word pairs of runs of words, as `build::pair_queries` makes them.
fn pair_words(parsed: &ParsedQuery, fields: &KhoSchema) -> Vec<String> {
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for group in &parsed.groups {
        match (group.first(), runs.last_mut()) {
            (Some(Item::Word(word)), Some(run)) => run.push(word.as_str()),
            _ => runs.push(Vec::new()),
        }
    }
    let mut pairs: Vec<String> =
        runs.iter().flat_map(|run| analyze(&run.join(" "), Form::Pairs)).map(|p| encode(fields.pairs, &p)).collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

fn filter_query(filter: &Filter, fields: &KhoSchema) -> Option<String> {
    match filter {
        Filter::Kind(kind) => Some(encode(fields.kind, kind)),
        Filter::Years { .. } | Filter::Dates { .. } => None,
        Filter::Facet { field: "province", value } => any_of(
            kho_core::metadata::provinces::filter_members(value)
                .into_iter()
                .map(|slug| encode(fields.province, slug))
                .collect(),
        ),
        Filter::Facet { field, value } => {
            let field = match *field {
                "sector" => fields.sector,
                _ => fields.organization,
            };
            Some(encode(field, value))
        }
        Filter::Title(text) => {
            let folded = analyze(text, Form::Folded);
            (!folded.is_empty()).then(|| phrase(fields.title, &folded))
        }
        Filter::Caption(text) => {
            let folded = analyze(text, Form::Folded);
            (!folded.is_empty()).then(|| phrase(fields.captions, &folded))
        }
        Filter::Number(key) => Some(encode(fields.number_key, key)),
        Filter::Issuer(key) => Some(encode(fields.issuer_key, key)),
    }
}

/// One token as a word, several as a phrase.
fn phrase(field: Field, tokens: &[String]) -> String {
    let words: Vec<String> = tokens.iter().map(|token| encode(field, token)).collect();
    match words.len() {
        1 => words.concat(),
        _ => format!("\"{}\"", words.join(" ")),
    }
}

/// Alternatives joined by `|` (in parentheses when there are several); `None` for none.
fn any_of(mut alternatives: Vec<String>) -> Option<String> {
    alternatives.dedup();
    match alternatives.len() {
        0 => None,
        1 => alternatives.pop(),
        _ => Some(format!("({})", alternatives.join(" | "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::query::parse_query;

    fn query(q: &str, strictness: Strictness) -> String {
        sphinx_query(&parse_query(q).unwrap(), &KhoSchema::new(), strictness)
    }

    #[test]
    fn words_are_required_or_alternatives() {
        let fields = KhoSchema::new();
        let body = |t: &str| encode(fields.body, t);
        let title = |t: &str| encode(fields.title, t);
        let pair = pair_words(&parse_query("sach hon").unwrap(), &fields);
        assert_eq!(pair.len(), 1, "{pair:?}");
        let both = format!("(({} | {}) ({} | {}))", body("sach"), title("sach"), body("hon"), title("hon"));
        assert_eq!(query("sach hon", Strictness::AllWords), both, "pairs would admit documents without every word");
        let either = format!("(({} | {}) | ({} | {}))", body("sach"), title("sach"), body("hon"), title("hon"));
        assert_eq!(query("sach hon", Strictness::AnyWord), format!("({either} | {})", pair[0]));
    }

    #[test]
    fn diacritics_phrases_exclusions_and_filters() {
        let fields = KhoSchema::new();
        let q = query("\"sạch hơn\" -sách kind:news year:2010..2011", Strictness::AllWords);
        let exact_phrase = format!("\"{} {}\"", encode(fields.body_exact, "sạch"), encode(fields.body_exact, "hơn"));
        assert!(q.contains(&exact_phrase), "{q}");
        assert!(q.contains(&format!(" -({}", encode(fields.body, "sach"))), "{q}");
        assert!(q.contains(&encode(fields.kind, "news")), "{q}");
        assert!(!q.contains(&encode(fields.year, "2010")), "years are attribute filters: {q}");
        let parsed = parse_query("sach year:2010..2011 date:2011-04..2012").unwrap();
        assert_eq!(
            attribute_filters(&parsed),
            ["year BETWEEN 2010 AND 2011", "date_key BETWEEN 20110400 AND 20129999"]
        );
    }

    #[test]
    fn date_keys_compare_as_the_texts() {
        let cases = [("2011-04-14", 20110414), ("2011-04", 20110400), ("2011", 20110000), ("", 0), ("14/04/2011", 0)];
        for (date, key) in cases {
            assert_eq!(date_key(date), key, "{date}");
        }
        // A filter's ends admit what Kho's text range admits: `from` <= date <= `to` followed by "~".
        assert_eq!(date_key_upper("2011-04-14"), 20110414);
        assert_eq!(date_key_upper("2011-04"), 20110499);
        assert!(date_key("2011-04") < date_key("2011-04-01"), "a month sorts before its days, as text");
    }

    #[test]
    fn exclusions_and_dates_alone_match_everything() {
        let parsed = parse_query("-sach date:2011").unwrap();
        assert_eq!(query("-sach date:2011", Strictness::AllWords), "");
        let fields = KhoSchema::new();
        assert_eq!(
            exclusions_query(&parsed, &fields),
            Some(format!("({} | {})", encode(fields.body, "sach"), encode(fields.title, "sach")))
        );
        assert_eq!(exclusions_query(&parse_query("sach -hon").unwrap(), &fields), None);
    }
}
