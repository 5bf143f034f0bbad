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

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::fold::fold_diacritics;
use super::normalize::{is_combining_mark, normalize_text};
use super::spelling::canonical_i_y;
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

/// The tokens of one text, computed up front.
pub struct VietnameseTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream {
        VietnameseTokenStream { tokens: tokenize(text, self.form), next: 0 }
    }
}

impl TokenStream for VietnameseTokenStream {
    fn advance(&mut self) -> bool {
        if self.next >= self.tokens.len() {
            return false;
        }
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Splits `text` into normalized tokens of the given form.
pub fn tokenize(text: &str, form: Form) -> Vec<Token> {
    if form == Form::Pairs {
        return syllable_pairs(text);
    }
    let mut tokens = Vec::new();
    for span in segment(text) {
        match span {
            Span::Word(range) => push_token(&mut tokens, text, range.clone(), range, form),
            Span::Number { whole, parts } => {
                let whole_text = canonical_number(&text[whole.clone()], &parts, text);
                push_token_text(&mut tokens, whole_text, whole, form);
                for part in parts {
                    let part_text = strip_leading_zeros(&text[part.clone()]).to_owned();
                    push_token_text(&mut tokens, part_text, part, form);
                }
            }
            Span::Abbreviation { whole, parts } => {
                let joined: String = parts.iter().map(|p| &text[p.clone()]).collect();
                push_token_text(&mut tokens, joined, whole, form);
                for part in parts {
                    push_token(&mut tokens, text, part.clone(), part, form);
                }
            }
        }
    }
    tokens
}

/// Folded syllable pairs of the plain words of `text` that only whitespace separates.
fn syllable_pairs(text: &str) -> Vec<Token> {
    let mut pairs = Vec::new();
    let mut previous: Option<(Range, String)> = None;
    for span in segment(text) {
        let Span::Word(range) = span else {
            previous = None; // numbers and abbreviations break a word
            continue;
        };
        let word = normalize_token(&text[range.clone()], Form::Folded);
        if word.is_empty() || word.len() > MAX_TOKEN_BYTES {
            previous = None;
            continue;
        }
        if let Some((before, before_word)) = previous.take() {
            if text[before.end..range.start].chars().all(char::is_whitespace) {
                pairs.push(Token {
                    offset_from: before.start,
                    offset_to: range.end,
                    position: pairs.len(),
                    text: format!("{before_word}_{word}"),
                    position_length: 1,
                });
            }
        }
        previous = Some((range, word));
    }
    pairs
}

fn push_token(
    tokens: &mut Vec<Token>,
    text: &str,
    src: std::ops::Range<usize>,
    offsets: std::ops::Range<usize>,
    form: Form,
) {
    push_token_text(tokens, text[src].to_owned(), offsets, form);
}

fn push_token_text(tokens: &mut Vec<Token>, raw: String, offsets: std::ops::Range<usize>, form: Form) {
    let normalized = normalize_token(&raw, form);
    if normalized.is_empty() || normalized.len() > MAX_TOKEN_BYTES {
        return;
    }
    let position = tokens.len();
    tokens.push(Token {
        offset_from: offsets.start,
        offset_to: offsets.end,
        position,
        text: normalized,
        position_length: 1,
    });
}

/// NFC, lowercase (including Đ), canonical tone placement and i/y spelling, and folding for [`Form::Folded`].
pub fn normalize_token(raw: &str, form: Form) -> String {
    if raw.is_ascii() {
        let lower = raw.to_ascii_lowercase();
        return canonical_i_y(&lower).into_owned();
    }
    // Vietnamese has a few thousand distinct syllables, so the same raw tokens come back all the time:
    // remembering their normalized forms saves the decomposition work of every later occurrence.
    NORMALIZED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((exact, folded)) = cache.get(raw) {
            return if form == Form::Exact { exact.clone() } else { folded.clone() };
        }
        let (exact, folded) = normalize_non_ascii(raw);
        if cache.len() >= NORMALIZED_CACHE_ENTRIES {
            cache.clear();
        }
        let result = if form == Form::Exact { exact.clone() } else { folded.clone() };
        cache.insert(raw.to_owned(), (exact, folded));
        result
    })
}

/// Most raw tokens remembered per thread (each a few dozen bytes).
const NORMALIZED_CACHE_ENTRIES: usize = 200_000;

thread_local! {
    static NORMALIZED: std::cell::RefCell<std::collections::HashMap<String, (String, String)>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The exact and folded forms of a non-ASCII token.
fn normalize_non_ascii(raw: &str) -> (String, String) {
    let nfc = normalize_text(raw);
    let lower = nfc.to_lowercase();
    let placed = canonical_tone_placement(&lower);
    let spelled = canonical_i_y(&placed);
    let folded = fold_diacritics(&spelled).into_owned();
    (spelled.into_owned(), folded)
}

type Range = std::ops::Range<usize>;

#[derive(Debug, PartialEq, Eq)]
enum Span {
    Word(Range),
    Number { whole: Range, parts: Vec<Range> },
    Abbreviation { whole: Range, parts: Vec<Range> },
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Cuts `text` into words, number compounds and abbreviation compounds.
fn segment(text: &str) -> Vec<Span> {
    let runs = word_runs(text);
    let mut spans = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        let mut j = i;
        let kind = run_kind(&text[runs[i].clone()]);
        if kind != RunKind::Other {
            // Extend while the next run is joined by a single separator and has the same kind.
            while j + 1 < runs.len() {
                let gap = &text[runs[j].end..runs[j + 1].start];
                let next_kind = run_kind(&text[runs[j + 1].clone()]);
                let joins = match kind {
                    RunKind::Digits => matches!(gap, "/" | "-" | "." | ",") && next_kind == RunKind::Digits,
                    RunKind::Capitalized => matches!(gap, "." | "&") && next_kind == RunKind::Capitalized,
                    RunKind::Other => false,
                };
                if !joins {
                    break;
                }
                j += 1;
            }
        }
        if j == i {
            spans.push(Span::Word(runs[i].clone()));
        } else {
            let parts: Vec<Range> = runs[i..=j].to_vec();
            let whole = runs[i].start..runs[j].end;
            if kind == RunKind::Digits {
                spans.push(Span::Number { whole, parts });
            } else if parts.iter().any(|p| is_all_uppercase(&text[p.clone()])) {
                spans.push(Span::Abbreviation { whole, parts });
            } else {
                spans.extend(parts.into_iter().map(Span::Word));
            }
        }
        i = j + 1;
    }
    spans
}

fn word_runs(text: &str) -> Vec<Range> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..text.len());
    }
    runs
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
