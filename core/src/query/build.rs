//! The tantivy query of a parsed query: each word as exact and folded clauses over title and body, the
//! pairs of adjacent words, exclusions, and filters (see [`super::ranking`] for the weights).

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::ranking::{Ranking, Strictness, EXACT_BOOST, FOLDED_FALLBACK_BOOST, NUMBER_BOOST, PAIR_BOOST, TITLE_BOOST};
use super::{Filter, Item, ParsedQuery};
use crate::analysis::{analyze, has_diacritics, Form};
use crate::legal::{looks_like_number, number_key};
use crate::schema::KhoSchema;

/// Translates a parsed query into a tantivy query over Kho's fields, with these ranking features.
pub fn build_query(
    parsed: &ParsedQuery,
    fields: &KhoSchema,
    strictness: Strictness,
    ranking: &Ranking,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let group_occur = match strictness {
        Strictness::AllWords => Occur::Must,
        Strictness::AnyWord => Occur::Should,
    };
    for group in &parsed.groups {
        let alternatives: Vec<Box<dyn Query>> =
            group.iter().filter_map(|item| item_query(item, fields, ranking)).collect();
        match alternatives.len() {
            0 => {}
            1 => clauses.extend(alternatives.into_iter().map(|q| (group_occur, q))),
            _ => clauses.push((group_occur, Box::new(BooleanQuery::union(alternatives)))),
        }
    }
    if ranking.pairs {
        clauses.extend(pair_queries(parsed, fields).into_iter().map(|q| (Occur::Should, q)));
    }
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

fn item_query(item: &Item, fields: &KhoSchema, ranking: &Ranking) -> Option<Box<dyn Query>> {
    let words = words_query(item, fields, ranking)?;
    // A word shaped like a document number ("24/2018/QH14") also matches the document whose number it
    // is, as a whole key, and ranks it above the documents that cite it.
    match item {
        Item::Word(word) if looks_like_number(word) => {
            let key = Term::from_field_text(fields.number_key, &number_key(word));
            let own = BoostQuery::new(Box::new(TermQuery::new(key, IndexRecordOption::Basic)), NUMBER_BOOST);
            Some(Box::new(BooleanQuery::union(vec![words, Box::new(own)])))
        }
        _ => Some(words),
    }
}

fn words_query(item: &Item, fields: &KhoSchema, ranking: &Ranking) -> Option<Box<dyn Query>> {
    let (folded, exact) = analyze_item(item)?;
    let exact = exact.filter(|_| ranking.exact_first);
    let Some(exact) = exact else {
        return Some(Box::new(BooleanQuery::union(folded_clauses(fields, &folded, 1.0, ranking.title))));
    };
    let mut clauses = vec![body_exact_query(fields, &exact, &folded, EXACT_BOOST)];
    if ranking.title {
        clauses.push(tokens_query(fields.title_exact, &exact, EXACT_BOOST * TITLE_BOOST));
    }
    clauses.extend(folded_clauses(fields, &folded, FOLDED_FALLBACK_BOOST, ranking.title));
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
    // The exact form can lose a token the folded form keeps (a word just over the token length limit in
    // its accented bytes): then the item is matched folded only.
    let exact = has_diacritics(text).then(|| analyze(text, Form::Exact)).filter(|exact| !exact.is_empty());
    Some((folded, exact))
}

/// The folded tokens in the body, and in the title (weighted [`TITLE_BOOST`] times more) unless
/// `with_title` is false.
fn folded_clauses(fields: &KhoSchema, folded: &[String], boost: f32, with_title: bool) -> Vec<Box<dyn Query>> {
    let mut clauses = vec![tokens_query(fields.body, folded, boost)];
    if with_title {
        clauses.push(tokens_query(fields.title, folded, boost * TITLE_BOOST));
    }
    clauses
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
    let Some(exact) = exact else {
        return Some(Box::new(BooleanQuery::union(folded_clauses(fields, &folded, 1.0, true))));
    };
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
    // No token matches nothing (tantivy's phrase query panics on fewer than two terms).
    if tokens.is_empty() {
        return Box::new(EmptyQuery);
    }
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
            Box::new(TermQuery::new(Term::from_field_text(fields.kind, kind), IndexRecordOption::Basic))
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
        // A province of today matches the former provinces it absorbed (see `metadata::provinces`).
        Filter::Facet { field: "province", value } => {
            let members: Vec<Box<dyn Query>> = crate::metadata::provinces::filter_members(value)
                .into_iter()
                .map(|slug| -> Box<dyn Query> {
                    Box::new(TermQuery::new(Term::from_field_text(fields.province, slug), IndexRecordOption::Basic))
                })
                .collect();
            Box::new(BooleanQuery::union(members))
        }
        Filter::Facet { field, value } => {
            let field = match *field {
                "sector" => fields.sector,
                _ => fields.organization,
            };
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        }
        Filter::Title(text) => item_in_title(text, fields),
        Filter::Number(key) => {
            Box::new(TermQuery::new(Term::from_field_text(fields.number_key, key), IndexRecordOption::Basic))
        }
        Filter::Issuer(key) => {
            Box::new(TermQuery::new(Term::from_field_text(fields.issuer_key, key), IndexRecordOption::Basic))
        }
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
    use crate::query::parse_query;

    /// Found by the `query` fuzz target: a word whose accented form is over the token length limit while
    /// its folded form is not used to build a phrase query of no term, which panics in tantivy.
    #[test]
    fn words_the_exact_form_drops_do_not_panic() {
        let fields = KhoSchema::new();
        for q in [format!("z\u{b}hình{}u", "C".repeat(75)), format!("hình{}", "c".repeat(76)), "ấ".repeat(40)] {
            let parsed = parse_query(&q).unwrap();
            for strictness in [Strictness::AllWords, Strictness::AnyWord] {
                let _ = build_query(&parsed, &fields, strictness, &Ranking::default());
            }
        }
    }

    #[test]
    fn highlight_terms_are_folded() {
        let parsed = parse_query("Sản xuất \"sạch hơn\" -sách").unwrap();
        assert_eq!(highlight_terms(&parsed), ["hon", "sach", "san", "xuat"]);
    }
}
