//! Tone placement: "hoà" and "hòa", "thuỷ" and "thủy", "khoẻ" and "khỏe" are the same syllable.
//!
//! Vietnamese writes a syllable's tone on one vowel of its nucleus, and two conventions disagree on
//! which one for the open nuclei "oa", "oe" and "uy" (and writers are inconsistent elsewhere too). We
//! strip the tone and put it back by one rule, the traditional one that most text uses:
//! 1. on the vowel with a vowel mark (ă â ê ô ơ ư), the last one if two have one ("ươ" → ơ);
//! 2. otherwise, with a final consonant, on the last vowel ("toán", "huỳnh");
//! 3. otherwise on the middle of three vowels ("ngoài") or the first of two ("hòa", "thủy", "mía").
//!
//! The "u" of "qu" and the "i" of "gi" before another vowel are consonant letters, not part of the
//! nucleus ("quý", "già"). Tokens that are not one Vietnamese syllable with one tone are left alone.

use std::borrow::Cow;

use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::UnicodeNormalization;

const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Returns the lowercase NFC syllable with its tone on the vowel the traditional rule chooses.
pub fn canonical_tone_placement(syllable: &str) -> Cow<'_, str> {
    if syllable.is_ascii() {
        return Cow::Borrowed(syllable);
    }
    match place_tone(syllable) {
        Some(placed) if placed != syllable => Cow::Owned(placed),
        _ => Cow::Borrowed(syllable),
    }
}

fn place_tone(syllable: &str) -> Option<String> {
    let mut letters: Vec<char> = Vec::with_capacity(syllable.len());
    let mut tone: Option<char> = None;
    for c in syllable.chars() {
        let (letter, letter_tone) = split_tone(c);
        if let Some(t) = letter_tone {
            if tone.is_some() {
                return None; // two tones: not one syllable
            }
            tone = Some(t);
        }
        if !is_vietnamese_letter(letter) {
            return None;
        }
        letters.push(letter);
    }
    let tone = tone?;
    let target = tone_position(&letters)?;
    let mut placed = String::with_capacity(syllable.len());
    for (i, &letter) in letters.iter().enumerate() {
        if i == target {
            // Through NFC rather than `compose`: "ộ" composes from "ọ" + circumflex, not "ô" + dot.
            placed.extend([letter, tone].into_iter().nfc());
        } else {
            placed.push(letter);
        }
    }
    Some(placed)
}

/// Splits a precomposed letter into the letter without its tone and the tone mark.
pub(crate) fn split_tone(c: char) -> (char, Option<char>) {
    if c.is_ascii() {
        return (c, None);
    }
    let mut base: Option<char> = None;
    let mut marks: Vec<char> = Vec::new();
    let mut tone = None;
    decompose_canonical(c, |part| {
        if TONE_MARKS.contains(&part) {
            tone = Some(part);
        } else if base.is_none() {
            base = Some(part);
        } else {
            marks.push(part);
        }
    });
    let Some(mut letter) = base else {
        return (c, None);
    };
    for mark in marks {
        letter = compose(letter, mark).unwrap_or(letter);
    }
    (letter, tone)
}

pub(crate) fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y')
}

fn has_vowel_mark(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

fn is_vietnamese_letter(c: char) -> bool {
    c.is_ascii_lowercase() || c == 'đ' || is_vowel(c)
}

/// The index in `letters` (a toneless syllable) that carries the tone, or `None` if the letters
/// are not shaped like one syllable (no vowel, or vowels separated by consonants).
fn tone_position(letters: &[char]) -> Option<usize> {
    let mut start = letters.iter().position(|&c| is_vowel(c))?;
    let mut end = start;
    while end < letters.len() && is_vowel(letters[end]) {
        end += 1;
    }
    if letters[end..].iter().any(|&c| is_vowel(c)) {
        return None;
    }
    let glide_consonant = start > 0
        && end - start >= 2
        && ((letters[start - 1] == 'q' && letters[start] == 'u')
            || (letters[start - 1] == 'g' && letters[start] == 'i'));
    if glide_consonant {
        start += 1;
    }
    let nucleus = &letters[start..end];
    if let Some(marked) = nucleus.iter().rposition(|&c| has_vowel_mark(c)) {
        return Some(start + marked);
    }
    let has_final_consonant = end < letters.len();
    let offset = match nucleus.len() {
        1 => 0,
        _ if has_final_consonant => nucleus.len() - 1,
        2 => 0,
        _ => 1,
    };
    Some(start + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_tones_by_the_traditional_rule() {
        let cases = [
            // new-style placement → traditional
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("uỷ", "ủy"),
            ("khoẻ", "khỏe"),
            ("hoá", "hóa"),
            ("toà", "tòa"),
            ("loã", "lõa"),
            // already traditional: unchanged
            ("hòa", "hòa"),
            ("thủy", "thủy"),
            ("khỏe", "khỏe"),
            // vowel marks win
            ("người", "người"),
            ("nươc", "nươc"),
            ("đường", "đường"),
            ("khuyến", "khuyến"),
            ("thuyền", "thuyền"),
            ("cứu", "cứu"),
            // final consonant: last vowel
            ("toán", "toán"),
            ("tòan", "toàn"), // misplaced by the writer
            ("huỳnh", "huỳnh"),
            ("hoạch", "hoạch"),
            // three vowels: the middle one
            ("ngoài", "ngoài"),
            ("ngòai", "ngoài"),
            ("hội", "hội"),
            ("việt", "việt"),
            ("ậy", "ậy"),
            ("xoáy", "xoáy"),
            // qu and gi are consonants
            ("quý", "quý"),
            ("quả", "quả"),
            ("già", "già"),
            ("giữa", "giữa"),
            ("gì", "gì"),
            ("quốc", "quốc"),
            // two-vowel open nuclei: the first
            ("mía", "mía"),
            ("múa", "múa"),
            ("cái", "cái"),
            ("sạch", "sạch"),
            // not a single toned syllable: untouched
            ("sach", "sach"),
            ("hơn", "hơn"),
            ("café", "café"),
            ("2011", "2011"),
            ("à", "à"),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_tone_placement(input), expected, "input {input:?}");
        }
    }
}
