//! Finding dictionary phrases in a text: the machinery the three gazetteers share.
//!
//! # Tokens, not characters
//!
//! A text is cut by Kho's own tokenizer ([`crate::analysis::tokenize`]), so the gazetteers see exactly the
//! syllables the index sees: NFC or NFD input, old or new tone placement ("Thanh Hoá" = "Thanh Hóa") and case
//! do not matter. Each [`TextToken`] keeps two forms, the exact one (diacritics kept) and the folded one
//! (diacritics removed), and remembers whether the original word began with a capital.
//!
//! # Phrases live in a trie of folded syllables
//!
//! A [`PhraseTable`] stores every name and alias as a path of folded syllables ("ben" → "tre"), built once.
//! [`PhraseTable::scan`] walks the text once, left to right: at each token it follows the trie as far as the
//! text allows and keeps the longest phrase that accepts the words it walked over; the matched
//! tokens are then consumed. Longest-match-and-consume is what keeps "Vĩnh Long An Giang" from yielding
//! "Long An", and lets a "stop phrase" such as "Thái Bình Dương" (the Pacific) swallow the "Bình Dương" in it.
//!
//! # Folded to find, exact to accept
//!
//! Folding makes "Ben Tre" (typed without diacritics) find Bến Tre, but it also makes "huệ" (a lily, a
//! given name) look like "Huế" and "đưa" (to bring) look like "dừa" (coconut). So a phrase accepts a text
//! token when the exact forms are equal, or, for phrases of two or more syllables only, when the text token
//! has no diacritics at all (the writer did not type them). A single syllable is too short to be guessed:
//! it must be written exactly. Phrases that are also ordinary words ("hòa bình", peace) can further demand
//! that every syllable is capitalized in the original text.
//!
//! # Compounds
//!
//! The tokenizer emits an abbreviation or date both whole and in parts: "TP.HCM" gives "tphcm", "tp", "hcm".
//! Each token knows which token follows it in the text ([`TextToken::next`]): after the whole "tphcm"
//! comes whatever follows "TP.HCM", after the part "tp" comes "hcm". A phrase can thus match the whole
//! ("TPHCM") or run through the parts ("TP HCM"), and after a match the scan resumes after the matched
//! token, so parts of a matched compound are never matched again. Dictionary phrases are read the same
//! way, keeping only the whole of each compound ([`phrase_tokens`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::analysis::{fold_diacritics, tokenize, Form};

/// Longest phrase (in syllables) a [`PhraseTable`] accepts; longer ones would only cost time.
pub const MAX_PHRASE_TOKENS: usize = 16;

/// One token of a text, in the forms matching needs.
#[derive(Debug, Clone)]
pub struct TextToken {
    /// Lowercase NFC with canonical tone placement and i/y spelling ("hóa", "tphcm").
    pub exact: String,
    /// [`Self::exact`] without diacritics ("hoa").
    pub folded: String,
    /// The original word carried no diacritics ("Hoa", "HCM"), so it may be an unaccented spelling.
    pub unaccented: bool,
    /// The original word began with an uppercase letter.
    pub capitalized: bool,
    /// Index of the token that follows this one in the text (skipping the parts of a compound), or the
    /// number of tokens at the end.
    pub next: usize,
}

/// A text cut into [`TextToken`]s, once, for all the gazetteers.
#[derive(Debug, Clone, Default)]
pub struct TokenizedText {
    pub tokens: Vec<TextToken>,
}

impl TokenizedText {
    pub fn new(text: &str) -> TokenizedText {
        let raw = tokenize(text, Form::Exact);
        let nexts: Vec<usize> = (0..raw.len())
            .map(|i| {
                let mut next = i + 1;
                while next < raw.len() && raw[next].offset_from < raw[i].offset_to {
                    next += 1;
                }
                next
            })
            .collect();
        let tokens = raw
            .into_iter()
            .zip(nexts)
            .map(|(token, next)| {
                let folded = fold_diacritics(&token.text).into_owned();
                let capitalized =
                    text.get(token.offset_from..).and_then(|s| s.chars().next()).is_some_and(char::is_uppercase);
                TextToken { unaccented: folded == token.text, exact: token.text, folded, capitalized, next }
            })
            .collect();
        TokenizedText { tokens }
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Index of the token after `index` (see [`TextToken::next`]); the length past the end.
    pub fn next_of(&self, index: usize) -> usize {
        self.tokens.get(index).map_or(self.tokens.len(), |t| t.next)
    }

    /// True when the token at `index` is the folded word `folded`.
    pub fn is_word(&self, index: usize, folded: &str) -> bool {
        self.tokens.get(index).is_some_and(|t| t.folded == folded)
    }
}

/// The exact-form syllables of a dictionary phrase, read by the same tokenizer as texts; of a compound
/// ("TP.HCM", "TN&MT") only the whole is kept, as in the main path through a text.
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    let mut kept = Vec::new();
    let mut covered_to = 0;
    for token in tokenize(phrase, Form::Exact) {
        if !kept.is_empty() && token.offset_from < covered_to {
            continue;
        }
        covered_to = token.offset_to;
        kept.push(token.text);
    }
    kept
}

/// The syllables of a user-typed value in exact form (diacritics kept), for [`LookupIndex`].
pub fn lookup_syllables(value: &str) -> Vec<String> {
    phrase_tokens(value)
}

/// Facet values by the ways users may type them, for filters such as `province:tp.hcm`.
///
/// A value is looked up by its syllables run together, so spacing and punctuation do not matter ("TP.HCM",
/// "tp hcm", "TPHCM", "tp-hcm" are all "tphcm"); first with diacritics, then folded. A folded key that
/// two values share ("giay" is both "giấy", paper, and "giày", shoes) is ambiguous and only the exact
/// spellings find them.
#[derive(Debug, Clone, Default)]
pub struct LookupIndex {
    exact: HashMap<String, usize>,
    /// `None` once two values claimed the key.
    folded: HashMap<String, Option<usize>>,
    conflicts: Vec<String>,
}

impl LookupIndex {
    /// Registers `form` as a way of typing `value`.
    pub fn insert(&mut self, form: &str, value: usize) {
        let exact: String = lookup_syllables(form).concat();
        if exact.is_empty() {
            return;
        }
        let folded = fold_diacritics(&exact).into_owned();
        match self.exact.get(&exact) {
            Some(&other) if other != value => self.conflicts.push(exact),
            Some(_) => {}
            None => {
                self.exact.insert(exact, value);
            }
        }
        let entry = self.folded.entry(folded).or_insert(Some(value));
        if *entry != Some(value) {
            *entry = None;
        }
    }

    /// The value of a user-typed string.
    pub fn get(&self, value: &str) -> Option<usize> {
        self.get_syllables(&lookup_syllables(value))
    }

    /// The value spelled by these exact-form syllables.
    pub fn get_syllables(&self, syllables: &[String]) -> Option<usize> {
        let exact = syllables.concat();
        if exact.is_empty() {
            return None;
        }
        if let Some(&value) = self.exact.get(&exact) {
            return Some(value);
        }
        self.folded.get(fold_diacritics(&exact).as_ref()).copied().flatten()
    }

    /// Exact spellings registered for two values (the first keeps them); should be empty.
    pub fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// Folded keys shared by several values, which only their exact spellings resolve.
    pub fn ambiguous_folded(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.folded.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys
    }
}

/// A dictionary phrase and the value it stands for.
#[derive(Debug, Clone)]
struct Phrase<V> {
    value: V,
    /// Exact-form syllables.
    exact: Vec<String>,
    /// Every syllable must be capitalized in the text ("Hòa Bình", not "hòa bình").
    needs_capitals: bool,
}

impl<V> Phrase<V> {
    /// Whether the text tokens at `path` (one per syllable) spell this phrase acceptably.
    fn accepts(&self, text: &TokenizedText, path: &[usize]) -> bool {
        let guessable = self.exact.len() > 1;
        path.iter().zip(&self.exact).all(|(&index, exact)| {
            let token = &text.tokens[index];
            let spelled = token.exact == *exact || (guessable && token.unaccented);
            spelled && (!self.needs_capitals || token.capitalized)
        })
    }
}

/// FNV-1a, a simple and fast hash for the short syllable keys of the trie (the standard SipHash guards
/// against hash flooding, which fixed dictionary keys do not need, at several times the cost).
#[derive(Debug, Clone, Copy)]
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[derive(Debug, Clone, Default)]
struct TrieNode {
    children: HashMap<String, usize, BuildHasherDefault<Fnv1a>>,
    /// Indexes into [`PhraseTable::phrases`] of the phrases that end here, in insertion order.
    phrases: Vec<usize>,
}

/// A phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch<V> {
    pub value: V,
    /// Index of the first token.
    pub first: usize,
    /// Index of the last token.
    pub last: usize,
    /// Index of the token after the match (where a scan resumes).
    pub after: usize,
}

/// Phrases keyed by their folded syllables, for longest-match lookups.
#[derive(Debug, Clone)]
pub struct PhraseTable<V> {
    nodes: Vec<TrieNode>,
    phrases: Vec<Phrase<V>>,
}

impl<V: Copy + PartialEq> Default for PhraseTable<V> {
    fn default() -> Self {
        PhraseTable::new()
    }
}

impl<V: Copy + PartialEq> PhraseTable<V> {
    pub fn new() -> PhraseTable<V> {
        PhraseTable { nodes: vec![TrieNode::default()], phrases: Vec::new() }
    }

    /// Adds `phrase` for `value`. The same spelling added twice keeps the first value (earlier entries win),
    /// which [`Self::conflicts`] reports so that tests can keep the data unambiguous.
    pub fn insert(&mut self, phrase: &str, value: V, needs_capitals: bool) {
        let exact = phrase_tokens(phrase);
        if exact.is_empty() || exact.len() > MAX_PHRASE_TOKENS {
            return;
        }
        let mut node = 0;
        for syllable in &exact {
            let folded = fold_diacritics(syllable).into_owned();
            node = match self.nodes[node].children.get(&folded) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.insert(folded, child);
                    child
                }
            };
        }
        let duplicate = self.nodes[node]
            .phrases
            .iter()
            .any(|&p| self.phrases[p].exact == exact && self.phrases[p].needs_capitals == needs_capitals);
        if !duplicate {
            self.nodes[node].phrases.push(self.phrases.len());
            self.phrases.push(Phrase { value, exact, needs_capitals });
        }
    }

    /// Spellings added for two different values (only the first one is ever found), as
    /// "phrase syllables" strings; empty when the dictionary is unambiguous.
    pub fn conflicts(&self) -> Vec<String> {
        let mut found = Vec::new();
        for node in &self.nodes {
            for (i, &a) in node.phrases.iter().enumerate() {
                for &b in &node.phrases[i + 1..] {
                    let (a, b) = (&self.phrases[a], &self.phrases[b]);
                    if a.exact == b.exact && a.value != b.value {
                        found.push(a.exact.join(" "));
                    }
                }
            }
        }
        found
    }

    /// The longest acceptable phrase starting at token `start`.
    pub fn longest_at(&self, text: &TokenizedText, start: usize) -> Option<PhraseMatch<V>> {
        let mut path = [0usize; MAX_PHRASE_TOKENS];
        let mut depth = 0;
        let mut node = 0;
        let mut index = start;
        let mut best = None;
        while index < text.len() && depth < MAX_PHRASE_TOKENS {
            let Some(&child) = self.nodes[node].children.get(&text.tokens[index].folded) else { break };
            node = child;
            path[depth] = index;
            depth += 1;
            let accepted =
                self.nodes[node].phrases.iter().map(|&p| &self.phrases[p]).find(|p| p.accepts(text, &path[..depth]));
            if let Some(phrase) = accepted {
                best = Some(PhraseMatch { value: phrase.value, first: start, last: index, after: text.next_of(index) });
            }
            index = text.next_of(index);
        }
        best
    }

    /// Every phrase in `text`, left to right, longest first, each token used at most once.
    pub fn scan(&self, text: &TokenizedText, mut on_match: impl FnMut(PhraseMatch<V>)) {
        let mut index = 0;
        while index < text.len() {
            match self.longest_at(text, index) {
                Some(found) => {
                    index = found.after;
                    on_match(found);
                }
                None => index += 1,
            }
        }
    }
}

/// Mention counts of facet values, remembering where each was first seen, for ranking.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// (value index, weight, first position), in order of first appearance.
    entries: Vec<(usize, u32, usize)>,
}

impl Tally {
    /// Adds `weight` for `value`, seen at `position` (positions only need to grow through the document).
    pub fn add(&mut self, value: usize, weight: u32, position: usize) {
        match self.entries.iter_mut().find(|e| e.0 == value) {
            Some(entry) => entry.1 += weight,
            None => self.entries.push((value, weight, position)),
        }
    }

    /// The weight counted for `value`.
    pub fn weight(&self, value: usize) -> u32 {
        self.entries.iter().find(|e| e.0 == value).map_or(0, |e| e.1)
    }

    /// Values with their weights, heaviest first, ties by first appearance.
    pub fn ranked(&self) -> Vec<(usize, u32)> {
        let mut ranked = self.entries.clone();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        ranked.into_iter().map(|(value, weight, _)| (value, weight)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: &[(&str, u8, bool)]) -> PhraseTable<u8> {
        let mut table = PhraseTable::new();
        for &(phrase, value, capitals) in entries {
            table.insert(phrase, value, capitals);
        }
        table
    }

    fn found(table: &PhraseTable<u8>, text: &str) -> Vec<u8> {
        let text = TokenizedText::new(text);
        let mut values = Vec::new();
        table.scan(&text, |m| values.push(m.value));
        values
    }

    #[test]
    fn longest_match_consumes_tokens() {
        let table = table(&[("Long An", 1, false), ("An Giang", 2, false), ("Vĩnh Long", 3, false)]);
        assert_eq!(found(&table, "Vĩnh Long An Giang"), [3, 2]);
        assert_eq!(found(&table, "tỉnh Long An"), [1]);
    }

    #[test]
    fn single_syllables_must_be_exact_and_longer_phrases_may_be_unaccented() {
        let table = table(&[("dừa", 1, false), ("Bến Tre", 2, false)]);
        let cases: &[(&str, &[u8])] = &[
            ("chế biến dừa", &[1]),
            ("đưa về", &[]),
            ("dua", &[]), // unaccented single syllable: too ambiguous
            ("ben tre", &[2]),
            ("BẾN TRE", &[2]),
            ("Bên Tre", &[]), // wrong diacritics are not a typing shortcut
        ];
        for (text, expected) in cases {
            assert_eq!(found(&table, text), *expected, "{text:?}");
        }
    }

    #[test]
    fn capitals_can_be_required() {
        let table = table(&[("Hòa Bình", 1, true)]);
        assert_eq!(found(&table, "tỉnh Hòa Bình"), [1]);
        assert!(found(&table, "vì hòa bình").is_empty());
    }

    #[test]
    fn compounds_match_whole_or_through_their_parts() {
        let table = table(&[("TPHCM", 1, false), ("TP Cần Thơ", 2, false)]);
        assert_eq!(found(&table, "tại TP.HCM và TP.Cần Thơ"), [1, 2]);
        let text = TokenizedText::new("TP.HCM x");
        assert_eq!(text.tokens.iter().map(|t| t.next).collect::<Vec<_>>(), [3, 2, 3, 4]);
    }

    #[test]
    fn lookups_ignore_spacing_punctuation_and_missing_diacritics() {
        let mut index = LookupIndex::default();
        index.insert("TP.HCM", 1);
        index.insert("Bến Tre", 2);
        index.insert("Thanh Hóa", 3);
        index.insert("giấy", 4);
        index.insert("giày", 5);
        for (value, expected) in [
            ("tp hcm", Some(1)),
            ("TPHCM", Some(1)),
            ("tp-hcm", Some(1)),
            ("Tp. HCM", Some(1)),
            ("ben-tre", Some(2)),
            ("BẾN TRE", Some(2)),
            ("Thanh Hoa\u{0301}", Some(3)),
            ("Thanh Hoá", Some(3)),
            ("giấy", Some(4)),
            ("giày", Some(5)),
            ("giay", None),
            ("", None),
        ] {
            assert_eq!(index.get(value), expected, "{value:?}");
        }
        assert_eq!(index.ambiguous_folded(), ["giay"]);
        assert!(index.conflicts().is_empty());
    }

    #[test]
    fn tally_ranks_by_weight_then_first_appearance() {
        let mut tally = Tally::default();
        tally.add(7, 1, 0);
        tally.add(8, 2, 5);
        tally.add(9, 1, 6);
        tally.add(7, 1, 9);
        assert_eq!(tally.ranked(), [(7, 2), (8, 2), (9, 1)]);
    }
}
