//! Queries typed wrong, corrected against the index's own vocabulary.
//!
//! - Telex or VNI typed with the input method off ("hooij thaor", "ho65i tha3o"): a word the index does
//!   not know is replaced by the Vietnamese word it stands for when the index knows that one, and the
//!   search runs on the corrected query ("Kết quả cho: …").
//! - "Did you mean": the closest word of the index's own vocabulary to a word the index does not have.
//!   A word typed without diacritics is compared with the folded vocabulary; a word typed with
//!   diacritics is compared with the exact vocabulary, and only with words carrying the same tones in the
//!   same order, so a suggestion never turns "sạch" into "sách": the tone the user typed is kept.

use std::collections::BTreeSet;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::analysis::input_method::{telex_to_vietnamese, vni_to_vietnamese};
use crate::analysis::{analyze, fold_diacritics, has_diacritics, normalize_text, normalize_token, Form};
use crate::query::{Item, ParsedQuery};
use crate::schema::KhoSchema;

/// Replaces words typed in Telex or VNI with the input method off by the Vietnamese words they stand
/// for, when the index does not know the typed word but knows the converted one. Returns the query
/// as searched, if anything was replaced.
///
/// "Knows" is a document count of `stats`: the index's own, or a whole cluster's when the index holds
/// only a query's candidates (a query typed entirely in Telex has no candidates to look words up in).
pub fn correct_input_method(
    stats: &dyn Bm25StatisticsProvider,
    fields: &KhoSchema,
    raw: &str,
    parsed: &mut ParsedQuery,
) -> tantivy::Result<Option<String>> {
    let mut replaced: Vec<(String, String)> = Vec::new();
    for group in &mut parsed.groups {
        let [Item::Word(word)] = group.as_mut_slice() else { continue };
        if has_diacritics(word) {
            continue;
        }
        let Some(candidate) = telex_to_vietnamese(word).or_else(|| vni_to_vietnamese(word)) else { continue };
        if !unknown_word(stats, fields, word)? {
            continue;
        }
        let exact = normalize_token(&candidate, Form::Exact);
        if is_unknown(stats, fields.body_exact, &exact)? && is_unknown(stats, fields.title_exact, &exact)? {
            continue;
        }
        replaced.push((word.clone(), candidate.clone()));
        *word = candidate;
    }
    Ok(replace_words(raw, &replaced))
}

/// Where "did you mean" looks for the closest word: every word of a field, of some lengths.
pub trait Vocabulary {
    /// Calls `visit` with each distinct word of `field` (a token as indexed) of `min_chars` to
    /// `max_chars` characters, in any order; it may call it with others too.
    fn words(
        &self,
        field: Field,
        min_chars: usize,
        max_chars: usize,
        visit: &mut dyn FnMut(&str),
    ) -> tantivy::Result<()>;
}

/// The vocabulary of an index: its term dictionaries.
pub struct IndexVocabulary<'a>(pub &'a Searcher);

impl Vocabulary for IndexVocabulary<'_> {
    fn words(&self, field: Field, _: usize, _: usize, visit: &mut dyn FnMut(&str)) -> tantivy::Result<()> {
        for segment in self.0.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    visit(word);
                }
            }
        }
        Ok(())
    }
}

/// A query with each word the collection does not know (by the document counts of `stats`) replaced by
/// the closest word of `vocabulary`.
pub fn did_you_mean(
    stats: &dyn Bm25StatisticsProvider,
    vocabulary: &dyn Vocabulary,
    fields: &KhoSchema,
    raw: &str,
    parsed: &ParsedQuery,
) -> tantivy::Result<Option<String>> {
    let mut replaced: Vec<(String, String)> = Vec::new();
    for item in parsed.positive_items() {
        let Item::Word(word) = item else { continue };
        if !unknown_word(stats, fields, word)? {
            continue;
        }
        if let Some(closest) = closest_word(stats, vocabulary, fields.body, fields.body_exact, word)? {
            replaced.push((word.clone(), closest));
        }
    }
    Ok(replace_words(raw, &replaced))
}

/// True when no document has any of the word's folded tokens.
fn unknown_word(stats: &dyn Bm25StatisticsProvider, fields: &KhoSchema, word: &str) -> tantivy::Result<bool> {
    for token in analyze(word, Form::Folded) {
        if !is_unknown(stats, fields.body, &token)? || !is_unknown(stats, fields.title, &token)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `raw` with each whitespace-separated word in `replaced` swapped for its replacement; `None` when
/// nothing is replaced.
fn replace_words(raw: &str, replaced: &[(String, String)]) -> Option<String> {
    if replaced.is_empty() {
        return None;
    }
    let normalized = normalize_text(raw);
    let words = normalized
        .split_whitespace()
        .map(|w| replaced.iter().find(|(from, _)| from == w).map_or(w, |(_, to)| to.as_str()));
    Some(words.collect::<Vec<_>>().join(" "))
}

/// Most edits between a word and its suggestion.
const MAX_EDITS: usize = 2;

/// True when no document has this token in `field`.
fn is_unknown(stats: &dyn Bm25StatisticsProvider, field: Field, token: &str) -> tantivy::Result<bool> {
    Ok(stats.doc_freq(&Term::from_field_text(field, token))? == 0)
}

/// The vocabulary word closest to `word` (fewest edits, then most documents, then first in text order),
/// if one is close enough.
fn closest_word(
    stats: &dyn Bm25StatisticsProvider,
    vocabulary: &dyn Vocabulary,
    folded: Field,
    exact: Field,
    word: &str,
) -> tantivy::Result<Option<String>> {
    let accented = has_diacritics(word);
    let (field, target) = if accented {
        (exact, normalize_token(word, Form::Exact))
    } else {
        (folded, normalize_token(word, Form::Folded))
    };
    let target_chars: Vec<char> = target.chars().collect();
    if target_chars.len() < 3 || target_chars.iter().any(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let max_edits = if target_chars.len() <= 4 { 1 } else { MAX_EDITS };
    let tones = tone_signature(&target);
    // The words with the fewest edits; their document counts decide between them.
    let mut fewest = max_edits + 1;
    let mut closest: BTreeSet<String> = BTreeSet::new();
    let (min_chars, max_chars) = (target_chars.len().saturating_sub(max_edits), target_chars.len() + max_edits);
    vocabulary.words(field, min_chars, max_chars, &mut |candidate| {
        let length = candidate.chars().count();
        if length.abs_diff(target_chars.len()) > max_edits || candidate == target {
            return;
        }
        if accented && tone_signature(candidate) != tones {
            return;
        }
        let Some(edits) = bounded_levenshtein(&target_chars, candidate, fewest.min(max_edits)) else { return };
        if edits < fewest {
            fewest = edits;
            closest.clear();
        }
        if edits == fewest {
            closest.insert(candidate.to_owned());
        }
    })?;
    let mut best: Option<(u64, String)> = None;
    for candidate in closest {
        let docs = stats.doc_freq(&Term::from_field_text(field, &candidate))?;
        if best.as_ref().is_none_or(|(most, _)| docs > *most) {
            best = Some((docs, candidate));
        }
    }
    Ok(best.map(|(_, word)| word))
}

/// The tone and vowel marks of a word, in order: what folding removes.
fn tone_signature(word: &str) -> Vec<char> {
    let folded = fold_diacritics(word);
    word.chars().zip(folded.chars()).filter(|(a, b)| a != b).map(|(a, _)| a).collect()
}

/// Edit distance between `a` and `b` if it is at most `max`.
fn bounded_levenshtein(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_is_bounded() {
        let cases = [
            ("nghiep", "nghiep", 2, Some(0)),
            ("ngiep", "nghiep", 2, Some(1)),
            ("ngheip", "nghiep", 2, Some(2)),
            ("abc", "xyz", 2, None),
            ("sạch", "sách", 2, Some(1)),
        ];
        for (a, b, max, expected) in cases {
            let a: Vec<char> = a.chars().collect();
            assert_eq!(bounded_levenshtein(&a, b, max), expected, "{a:?} {b}");
        }
    }

    #[test]
    fn tone_signatures() {
        assert_eq!(tone_signature("sạch"), vec!['ạ']);
        assert_eq!(tone_signature("sách"), vec!['á']);
        assert_eq!(tone_signature("nghiệp"), vec!['ệ']);
        assert!(tone_signature("sach").is_empty());
    }
}
