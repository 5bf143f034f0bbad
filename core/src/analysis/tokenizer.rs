//! The Vietnamese tokenizer: splits text into syllables, numbers, dates and abbreviations, and
//! normalizes each token (NFC, lowercase, tone placement, and folding for the folded form).
//!
//! Spaces separate syllables in Vietnamese, so a token is a run of letters, digits and combining
//! marks. Marks count as part of the word so that NFD text ("Vie\u{323}\u{302}t") is not cut in pieces;
//! the token's text is then normalized to NFC, while its offsets still point into the original text,
//! which is what the snippet highlighter needs.
//!
//! Two kinds of compounds are kept whole, followed by their parts, so both can be searched:
//! - numbers and dates: "14/4/2011" gives "14/4/2011", "14", "4", "2011"; "14-04-2011" and
//!   "14.4.2011" give the same date token as "14/4/2011"; "2009-2013" gives itself, "2009", "2013";
//! - abbreviations with dots or "&": "TP.HCM" gives "tphcm", "tp", "hcm"; "TN&MT" gives "tnmt",
//!   "tn", "mt", so "TPHCM" and "HCM" find "TP.HCM".
//!
//! The same tokenizer runs at query time, so a compound in a query becomes the same sequence.

use crate::fxhash::FxBuildHasher;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::fold::fold_diacritics;
use super::normalize::{is_combining_mark, normalize_text};
use super::spelling::{canonical_i_y, canonical_ng};
use super::tone::canonical_tone_placement;

/// Tokens longer than this (in bytes) are garbage, not words: they are skipped.
const MAX_TOKEN_BYTES: usize = 80;
/// An abbreviation's part is at most this many letters ("TP", "HCM", "UBND").
const MAX_ABBREVIATION_PART: usize = 6;

/// Which indexed form the tokenizer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Diacritics kept: "sạch" and "sách" stay different.
    Exact,
    /// Diacritics removed: "sạch", "sách" and "sach" are all "sach".
    Folded,
    /// Adjacent syllables of the folded form, joined: "sản xuất sạch" gives "san_xuat", "xuat_sach".
    /// Vietnamese words are mostly two syllables, so pairs stand for words: a document with "nước thải"
    /// matches the pair "nuoc_thai", one with "nước" and "thải" far apart does not. Pairs never span
    /// punctuation.
    Pairs,
}

/// A tantivy tokenizer for Vietnamese text, producing one [`Form`].
#[derive(Debug, Clone)]
pub struct VietnameseTokenizer {
    form: Form,
}

impl VietnameseTokenizer {
    pub fn new(form: Form) -> Self {
        VietnameseTokenizer { form }
    }
}

/// The tokens of one text in one form, read from the text's [`Analysis`] into one reused [`Token`].
pub struct VietnameseTokenStream {
    analysis: Rc<Analysis>,
    form: Form,
    /// The next unit of the analysis to look at.
    next: usize,
    /// Pairs: the unit of the previous plain word, while no punctuation or compound intervened.
    previous: Option<usize>,
    emitted: usize,
    token: Token,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream {
        VietnameseTokenStream {
            analysis: analysis_of(text),
            form: self.form,
            next: 0,
            previous: None,
            emitted: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for VietnameseTokenStream {
    fn advance(&mut self) -> bool {
        let analysis = Rc::clone(&self.analysis);
        NORMS.with(|norms| {
            let norms = norms.borrow();
            match self.form {
                Form::Pairs => self.advance_pair(&analysis, &norms),
                form => self.advance_token(&analysis, &norms, form),
            }
        })
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl VietnameseTokenStream {
    fn advance_token(&mut self, analysis: &Analysis, norms: &Norms, form: Form) -> bool {
        while let Some(unit) = analysis.units.get(self.next) {
            self.next += 1;
            let text = analysis.form_of(norms, unit, form);
            if text.is_empty() || text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            self.emit(unit.from, unit.to, &[text]);
            return true;
        }
        false
    }

    fn advance_pair(&mut self, analysis: &Analysis, norms: &Norms) -> bool {
        while let Some(unit) = analysis.units.get(self.next) {
            let at = self.next;
            self.next += 1;
            if !unit.word {
                self.previous = None; // numbers and abbreviations break a word
                continue;
            }
            let word = analysis.form_of(norms, unit, Form::Folded);
            if word.is_empty() || word.len() > MAX_TOKEN_BYTES {
                self.previous = None;
                continue;
            }
            let Some(before) = self.previous.replace(at).and_then(|i| analysis.units.get(i)) else { continue };
            if analysis.text[before.to..unit.from].chars().all(char::is_whitespace) {
                let before_word = analysis.form_of(norms, before, Form::Folded);
                self.emit(before.from, unit.to, &[before_word, "_", word]);
                return true;
            }
        }
        false
    }

    fn emit(&mut self, from: usize, to: usize, texts: &[&str]) {
        self.token.text.clear();
        for text in texts {
            self.token.text.push_str(text);
        }
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.emitted;
        self.token.position_length = 1;
        self.emitted += 1;
    }
}

/// Splits `text` into normalized tokens of the given form.
pub fn tokenize(text: &str, form: Form) -> Vec<Token> {
    let mut stream = VietnameseTokenizer::new(form).token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// A text cut into units (a word, a compound, a compound's part), each with its exact and folded forms.
/// Every form's tokens are read from it, and the last few texts analyzed on a thread are kept: indexing
/// reads a title or body three times (folded, exact, pairs), and it is cut and normalized once.
pub struct Analysis {
    text: Box<str>,
    units: Vec<Unit>,
    /// Normalized forms that are not in the shared table (ASCII tokens, or when the table is full).
    own: String,
}

#[derive(Debug, Clone)]
struct Unit {
    /// Offsets in the text.
    from: usize,
    to: usize,
    /// A plain word (not a number or abbreviation compound, nor one of its parts).
    word: bool,
    norm: Norm,
}

#[derive(Debug, Clone)]
enum Norm {
    /// Index in [`Norms::forms`].
    Shared(usize),
    /// Ranges of [`Analysis::own`].
    Own { exact: Range, folded: Range },
}

impl Analysis {
    fn form_of<'a>(&'a self, norms: &'a Norms, unit: &Unit, form: Form) -> &'a str {
        match (&unit.norm, form) {
            (Norm::Shared(id), Form::Exact) => norms.forms.get(*id).map_or("", |(exact, _)| exact),
            (Norm::Shared(id), _) => norms.forms.get(*id).map_or("", |(_, folded)| folded),
            (Norm::Own { exact, .. }, Form::Exact) => &self.own[exact.clone()],
            (Norm::Own { folded, .. }, _) => &self.own[folded.clone()],
        }
    }
}

/// Texts remembered per thread.
const RECENT_ANALYSES: usize = 4;

thread_local! {
    static RECENT: RefCell<VecDeque<Rc<Analysis>>> = const { RefCell::new(VecDeque::new()) };
    static NORMS: RefCell<Norms> = RefCell::new(Norms::default());
}

/// The analysis of `text`, from this thread's recent ones or made now.
fn analysis_of(text: &str) -> Rc<Analysis> {
    let found = RECENT.with(|recent| recent.borrow().iter().find(|a| *a.text == *text).cloned());
    if let Some(analysis) = found {
        return analysis;
    }
    let (units, own) = NORMS.with(|norms| analyze_units(text, &mut norms.borrow_mut()));
    let analysis = Rc::new(Analysis { text: text.into(), units, own });
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if recent.len() >= RECENT_ANALYSES {
            recent.pop_back();
        }
        recent.push_front(Rc::clone(&analysis));
    });
    analysis
}

/// Calls `each(offset_from, offset_to, token_text)` for every token that [`tokenize`] gives in `form`
/// (exact or folded; pairs go through [`tokenize`]), without building the tokens or remembering the
/// text: the snippet highlighter's scan of a stored body. `each` must not tokenize.
pub fn for_each_token(text: &str, form: Form, mut each: impl FnMut(usize, usize, &str)) {
    if form == Form::Pairs {
        for token in tokenize(text, form) {
            each(token.offset_from, token.offset_to, &token.text);
        }
        return;
    }
    NORMS.with(|norms| {
        let (units, own) = analyze_units(text, &mut norms.borrow_mut());
        let analysis = Analysis { text: Box::default(), units, own };
        let norms = norms.borrow();
        for unit in &analysis.units {
            let token = analysis.form_of(&norms, unit, form);
            if !token.is_empty() && token.len() <= MAX_TOKEN_BYTES {
                each(unit.from, unit.to, token);
            }
        }
    });
}

/// Calls `each(offset_from, offset_to, folded_text)` for every token that [`tokenize`] gives in the folded
/// form, but normalizes a plain word only when `may_match(first byte of its folded form)`; the others
/// come with `None` (they still count for a passage's length). A short word starting with an ASCII letter
/// or digit folds to a text starting with that character in lowercase (NFC, lowercasing, tone placement,
/// i/y spelling and folding all keep it), and never to nothing or to more than [`MAX_TOKEN_BYTES`].
/// `each` must not tokenize.
pub fn for_each_folded_token(
    text: &str,
    may_match: impl Fn(u8) -> bool,
    mut each: impl FnMut(usize, usize, Option<&str>),
) {
    NORMS.with(|norms| {
        let mut norms = norms.borrow_mut();
        let mut own = String::new();
        for_each_unit(text, |raw, offsets, word| {
            let cannot_match = word
                && raw.len() <= MAX_UNMATCHED_BYTES
                && raw
                    .as_bytes()
                    .first()
                    .is_some_and(|&b| b.is_ascii_alphanumeric() && !may_match(b.to_ascii_lowercase()));
            if cannot_match {
                each(offsets.start, offsets.end, None);
                return;
            }
            own.clear();
            let token = match norms.normalize(raw, &mut own) {
                Norm::Shared(id) => norms.forms.get(id).map_or("", |(_, folded)| folded),
                Norm::Own { folded, .. } => &own[folded],
            };
            if !token.is_empty() && token.len() <= MAX_TOKEN_BYTES {
                each(offsets.start, offsets.end, Some(token));
            }
        });
    });
}

/// Longest word (in bytes) that [`for_each_folded_token`] may leave unnormalized: even a 4.5-fold growth
/// (lowercasing, then decomposing Hangul) keeps it within [`MAX_TOKEN_BYTES`].
const MAX_UNMATCHED_BYTES: usize = 16;

fn analyze_units(text: &str, norms: &mut Norms) -> (Vec<Unit>, String) {
    let mut units = Vec::new();
    let mut own = String::new();
    for_each_unit(text, |raw, offsets, word| {
        let norm = norms.normalize(raw, &mut own);
        units.push(Unit { from: offsets.start, to: offsets.end, word, norm });
    });
    (units, own)
}

/// Calls `unit(raw_text, offsets, is_plain_word)` for every unit of `text` in order: a plain word, or a
/// number or abbreviation compound (its canonical text) followed by its parts.
fn for_each_unit(text: &str, mut unit: impl FnMut(&str, Range, bool)) {
    for_each_span(text, |span| match span {
        Span::Word(range) => unit(&text[range.clone()], range, true),
        Span::Number { whole, parts } => {
            let whole_text = canonical_number(&text[whole.clone()], &parts, text);
            unit(&whole_text, whole, false);
            for part in parts {
                unit(strip_leading_zeros(&text[part.clone()]), part, false);
            }
        }
        Span::Abbreviation { whole, parts } => {
            let joined: String = parts.iter().map(|p| &text[p.clone()]).collect();
            unit(&joined, whole, false);
            for part in parts {
                unit(&text[part.clone()], part, false);
            }
        }
    });
}

/// The exact and folded forms of the non-ASCII raw tokens seen on this thread. Vietnamese has a few
/// thousand distinct syllables, so the same raw tokens come back all the time: remembering their
/// normalized forms saves the decomposition work of every later occurrence.
#[derive(Default)]
struct Norms {
    index: HashMap<Box<str>, usize, FxBuildHasher>,
    forms: Vec<(Box<str>, Box<str>)>,
}

/// Most raw tokens remembered per thread (each a few dozen bytes). Past it, new tokens are normalized
/// every time they are seen.
const NORMALIZED_CACHE_ENTRIES: usize = 200_000;

impl Norms {
    /// The normalized forms of `raw`: shared, or appended to `own`.
    fn normalize(&mut self, raw: &str, own: &mut String) -> Norm {
        if raw.is_ascii() {
            let start = own.len();
            own.push_str(raw);
            own[start..].make_ascii_lowercase();
            if own[start..].starts_with("ng") {
                if let Cow::Owned(spelled) = canonical_ng(&own[start..]) {
                    own.truncate(start);
                    own.push_str(&spelled);
                }
            }
            // Only a final "y" has an i/y variant.
            if !own.ends_with('y') {
                return Norm::Own { exact: start..own.len(), folded: start..own.len() };
            }
            if let Cow::Owned(spelled) = canonical_i_y(&own[start..]) {
                own.truncate(start);
                own.push_str(&spelled);
            }
            return Norm::Own { exact: start..own.len(), folded: start..own.len() };
        }
        if let Some(&id) = self.index.get(raw) {
            return Norm::Shared(id);
        }
        let (exact, folded) = normalize_non_ascii(raw);
        if self.forms.len() < NORMALIZED_CACHE_ENTRIES {
            let id = self.forms.len();
            self.forms.push((exact.into(), folded.into()));
            self.index.insert(raw.into(), id);
            return Norm::Shared(id);
        }
        let start = own.len();
        own.push_str(&exact);
        let middle = own.len();
        own.push_str(&folded);
        Norm::Own { exact: start..middle, folded: middle..own.len() }
    }
}

/// NFC, lowercase (including Đ), canonical tone placement and i/y spelling, and folding for [`Form::Folded`].
pub fn normalize_token(raw: &str, form: Form) -> String {
    NORMS.with(|norms| {
        let mut norms = norms.borrow_mut();
        let mut own = String::new();
        match norms.normalize(raw, &mut own) {
            Norm::Shared(id) => {
                let (exact, folded) = &norms.forms[id];
                if form == Form::Exact { exact } else { folded }.to_string()
            }
            Norm::Own { exact, folded } => own[if form == Form::Exact { exact } else { folded }].to_owned(),
        }
    })
}

/// The exact and folded forms of a non-ASCII token.
fn normalize_non_ascii(raw: &str) -> (String, String) {
    let nfc = normalize_text(raw);
    let lower = nfc.to_lowercase();
    let placed = canonical_tone_placement(&lower);
    let spelled = canonical_i_y(&canonical_ng(&placed)).into_owned();
    let folded = fold_diacritics(&spelled).into_owned();
    (spelled, folded)
}

type Range = std::ops::Range<usize>;

#[derive(Debug, PartialEq, Eq)]
enum Span {
    Word(Range),
    Number { whole: Range, parts: Vec<Range> },
    Abbreviation { whole: Range, parts: Vec<Range> },
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Vietnamese letters (Latin-1, Latin Extended-A/B and Extended Additional) without the table lookup.
    match u32::from(c) {
        0xC0..=0x24F => c != '\u{D7}' && c != '\u{F7}',
        0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// Cuts `text` into words, number compounds and abbreviation compounds, in order.
fn for_each_span(text: &str, mut span: impl FnMut(Span)) {
    let mut runs = WordRuns { text, at: 0 }.peekable();
    while let Some(first) = runs.next() {
        // Only a run followed by a separator that can join it to the next is worth classifying.
        let kind = match runs.peek() {
            Some(next) if is_joining_gap(&text[first.end..next.start]) => run_kind(&text[first.clone()]),
            _ => RunKind::Other,
        };
        if kind == RunKind::Other {
            span(Span::Word(first));
            continue;
        }
        // Extend while the next run is joined by a single separator and has the same kind.
        let mut parts = vec![first];
        while let Some(next) = runs.peek() {
            let end = parts.last().map_or(next.start, |last| last.end);
            let gap = &text[end..next.start];
            let next_kind = run_kind(&text[next.clone()]);
            let joins = match kind {
                RunKind::Digits => matches!(gap, "/" | "-" | "." | ",") && next_kind == RunKind::Digits,
                RunKind::Capitalized => matches!(gap, "." | "&") && next_kind == RunKind::Capitalized,
                RunKind::Other => false,
            };
            if !joins {
                break;
            }
            parts.extend(runs.next());
        }
        let whole = parts[0].start..parts[parts.len() - 1].end;
        if parts.len() == 1 {
            span(Span::Word(whole));
        } else if kind == RunKind::Digits {
            span(Span::Number { whole, parts });
        } else if parts.iter().any(|p| is_all_uppercase(&text[p.clone()])) {
            span(Span::Abbreviation { whole, parts });
        } else {
            parts.into_iter().for_each(|part| span(Span::Word(part)));
        }
    }
}

/// The separators that [`for_each_span`] may join runs across.
fn is_joining_gap(gap: &str) -> bool {
    matches!(gap, "/" | "-" | "." | "," | "&")
}

/// The runs of word characters of a text.
struct WordRuns<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for WordRuns<'_> {
    type Item = Range;

    fn next(&mut self) -> Option<Range> {
        let bytes = self.text.as_bytes();
        let mut start: Option<usize> = None;
        while let Some(&byte) = bytes.get(self.at) {
            // ASCII without decoding; other characters one at a time.
            let (is_word, len) = if byte.is_ascii() {
                (byte.is_ascii_alphanumeric(), 1)
            } else {
                match self.text.get(self.at..).and_then(|rest| rest.chars().next()) {
                    Some(c) => (is_word_char(c), c.len_utf8()),
                    None => (false, 1),
                }
            };
            match (is_word, start) {
                (true, None) => start = Some(self.at),
                (false, Some(s)) => return Some(s..self.at),
                _ => {}
            }
            self.at += len;
        }
        start.map(|s| s..self.text.len())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Digits,
    /// Letters only, starting with a capital, short enough to be part of an abbreviation.
    Capitalized,
    Other,
}

fn run_kind(run: &str) -> RunKind {
    if run.bytes().all(|b| b.is_ascii_digit()) {
        return RunKind::Digits;
    }
    let starts_upper = run.chars().next().is_some_and(char::is_uppercase);
    let short = run.chars().count() <= MAX_ABBREVIATION_PART;
    if starts_upper && short && run.chars().all(|c| c.is_alphabetic() || is_combining_mark(c)) {
        return RunKind::Capitalized;
    }
    RunKind::Other
}

fn is_all_uppercase(run: &str) -> bool {
    run.chars().count() >= 2 && run.chars().all(|c| c.is_uppercase() || is_combining_mark(c))
}

/// "04" → "4" for days and months; longer digit groups ("000" in "1.500.000") keep their zeros.
fn strip_leading_zeros(digits: &str) -> &str {
    if digits.len() > 2 {
        return digits;
    }
    match digits.trim_start_matches('0') {
        "" => "0",
        stripped => stripped,
    }
}

/// A day/month/year date in any of "/", "-", "." becomes "d/m/yyyy" without leading zeros;
/// other numbers keep their text.
fn canonical_number(whole: &str, parts: &[Range], text: &str) -> String {
    let looks_like_date = parts.len() == 3
        && text[parts[0].clone()].len() <= 2
        && text[parts[1].clone()].len() <= 2
        && text[parts[2].clone()].len() == 4
        && !whole.contains(',');
    if !looks_like_date {
        return whole.to_owned();
    }
    let day = strip_leading_zeros(&text[parts[0].clone()]);
    let month = strip_leading_zeros(&text[parts[1].clone()]);
    format!("{day}/{month}/{}", &text[parts[2].clone()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the token texts (and, for the first token, its offsets) of `text` in `form`.
    fn assert_tokens(text: &str, form: Form, expected: &[&str]) {
        let tokens = tokenize(text, form);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, expected, "text {text:?} form {form:?}");
        for (i, token) in tokens.iter().enumerate() {
            assert_eq!(token.position, i, "positions are consecutive in {text:?}");
            assert!(text.is_char_boundary(token.offset_from) && text.is_char_boundary(token.offset_to));
        }
    }

    #[test]
    fn exact_form() {
        let cases: &[(&str, &[&str])] = &[
            ("Sản xuất sạch hơn", &["sản", "xuất", "sạch", "hơn"]),
            ("Hội thảo SXSH tại Bến Tre.", &["hội", "thảo", "sxsh", "tại", "bến", "tre"]),
            ("ĐƯỜNG Đông", &["đường", "đông"]),
            ("Vie\u{0323}\u{0302}t Nam", &["việt", "nam"]), // NFD
            ("Vi\u{00EA}\u{0323}t", &["việt"]),             // composed
            ("\u{00D0}ồng Nai", &["đồng", "nai"]),          // eth look-alike
            ("hoà bình, thuỷ sản, khoẻ", &["hòa", "bình", "thủy", "sản", "khỏe"]), // tone placement
            ("ngày 14/4/2011", &["ngày", "14/4/2011", "14", "4", "2011"]),
            ("14-04-2011", &["14/4/2011", "14", "4", "2011"]),
            ("giai đoạn 2009-2013", &["giai", "đoạn", "2009-2013", "2009", "2013"]),
            ("1.500.000 đồng", &["1.500.000", "1", "500", "000", "đồng"]),
            ("TP.HCM", &["tphcm", "tp", "hcm"]),
            ("Tp.HCM", &["tphcm", "tp", "hcm"]),
            ("Sở TN&MT", &["sở", "tnmt", "tn", "mt"]),
            ("Bến Tre.Trong", &["bến", "tre", "trong"]), // not an abbreviation
            // a hard line wrap inside "quá": without its "q", "uá" is placed like "úa"
            ("q\nuá trình", &["q", "úa", "trình"]),
            ("", &[]),
            ("— !? …", &[]),
        ];
        for (text, expected) in cases {
            assert_tokens(text, Form::Exact, expected);
        }
    }

    #[test]
    fn folded_form() {
        let cases: &[(&str, &[&str])] = &[
            ("Sản xuất sạch hơn", &["san", "xuat", "sach", "hon"]),
            ("sách", &["sach"]),
            ("Vie\u{0323}\u{0302}t Nam", &["viet", "nam"]),
            ("ĐƯỜNG \u{00D0}ông", &["duong", "dong"]),
            ("hoà thuỷ", &["hoa", "thuy"]),
            ("lý lí ly", &["li", "li", "li"]),
            ("TP.HCM", &["tphcm", "tp", "hcm"]),
        ];
        for (text, expected) in cases {
            assert_tokens(text, Form::Folded, expected);
        }
    }

    #[test]
    fn pairs_form() {
        let cases: &[(&str, &[&str])] = &[
            ("Sản xuất sạch hơn", &["san_xuat", "xuat_sach", "sach_hon"]),
            ("nước thải, khí thải", &["nuoc_thai", "khi_thai"]),
            ("ngày 14/4/2011 tại Bến Tre", &["tai_ben", "ben_tre"]),
            ("Vie\u{0323}\u{0302}t Nam", &["viet_nam"]),
            ("một", &[]),
        ];
        for (text, expected) in cases {
            assert_tokens(text, Form::Pairs, expected);
        }
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Hội thảo Vie\u{0323}\u{0302}t";
        let tokens = tokenize(text, Form::Folded);
        let originals: Vec<&str> = tokens.iter().map(|t| &text[t.offset_from..t.offset_to]).collect();
        assert_eq!(originals, ["Hội", "thảo", "Vie\u{0323}\u{0302}t"]);
    }

    #[test]
    fn skips_overlong_tokens() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_tokens(&format!("{long} ok"), Form::Exact, &["ok"]);
    }

    #[test]
    fn word_char_fast_path_agrees_with_unicode() {
        for c in (0..0x2000u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric() || is_combining_mark(c), "{c:?}");
        }
    }

    #[test]
    fn forms_of_one_text_share_its_analysis() {
        let text = "Hội thảo SXSH ngày 14/4/2011 tại TP.HCM, thuỷ sản";
        let fresh: Vec<Vec<Token>> = [Form::Exact, Form::Folded, Form::Pairs].map(|f| tokenize(text, f)).into();
        for _ in 0..3 {
            for (form, expected) in [Form::Exact, Form::Folded, Form::Pairs].into_iter().zip(&fresh) {
                let again = tokenize(text, form);
                let same = again.iter().zip(expected).all(|(a, b)| {
                    (a.text.as_str(), a.position, a.offset_from, a.offset_to)
                        == (b.text.as_str(), b.position, b.offset_from, b.offset_to)
                });
                assert!(same && again.len() == expected.len(), "{form:?}");
            }
        }
        assert_eq!(normalize_token("Thuỷ", Form::Exact), "thủy");
        assert_eq!(normalize_token("Thuỷ", Form::Folded), "thuy");
        assert_eq!(normalize_token("LY", Form::Folded), "li");
    }

    #[test]
    fn folded_scan_skips_only_words_that_cannot_match() {
        let text = "ÝÁ Y y I\u{0307}x A\u{0301}b 1\u{0301} Quý LY hoà THUỶ Đà 14/4/2011 TP.HCM Kelvin\u{212A} ⱥȺ";
        let mut all = Vec::new();
        for_each_folded_token(text, |_| true, |from, to, token| all.push((from, to, token.map(str::to_owned))));
        let expected: Vec<_> =
            tokenize(text, Form::Folded).into_iter().map(|t| (t.offset_from, t.offset_to, Some(t.text))).collect();
        assert_eq!(all, expected);
        // Skipping every word keeps the same tokens, and each skipped one starts with its raw first letter.
        let mut skipped = Vec::new();
        for_each_folded_token(text, |_| false, |from, to, token| skipped.push((from, to, token.is_none())));
        assert_eq!(skipped.len(), expected.len());
        for ((from, to, was_skipped), (_, _, folded)) in skipped.iter().zip(&expected) {
            let first = text.as_bytes()[*from].to_ascii_lowercase();
            let folded = folded.as_deref().unwrap_or_default();
            if *was_skipped {
                assert_eq!(folded.as_bytes()[0], first, "{:?}", &text[*from..*to]);
            }
        }
    }

    #[test]
    fn runs_as_a_tantivy_tokenizer() {
        let mut tokenizer = VietnameseTokenizer::new(Form::Folded);
        let mut stream = tokenizer.token_stream("Bộ Công Thương");
        let mut seen = Vec::new();
        while let Some(token) = stream.next() {
            seen.push(token.text.clone());
        }
        assert_eq!(seen, ["bo", "cong", "thuong"]);
    }
}
