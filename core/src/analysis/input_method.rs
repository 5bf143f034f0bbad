//! Telex and VNI typed with the input method off: "hooij thaor" is "hội thảo", "ho65i tha3o" too.
//!
//! Vietnamese keyboards turn key sequences into letters: in Telex "aa" → â, "aw" → ă, "dd" → đ, "ee" → ê,
//! "oo" → ô, "ow" → ơ, "uw"/"w" → ư, and a final s f r x j adds a tone (sắc, huyền, hỏi, ngã, nặng); in VNI
//! the digits 1-5 are the tones, 6 a circumflex, 7 a horn, 8 a breve and 9 the stroke of đ. When the
//! input method is off, the keys arrive as they were typed. We convert a word only when the result is one
//! well-formed Vietnamese syllable; whether to use it is decided by the searcher, which knows whether
//! the index has the word.

use unicode_normalization::UnicodeNormalization;

use super::tone::canonical_tone_placement;

const GRAVE: char = '\u{0300}';
const ACUTE: char = '\u{0301}';
const TILDE: char = '\u{0303}';
const HOOK: char = '\u{0309}';
const DOT: char = '\u{0323}';

/// The syllable a Telex-typed word stands for, if it is one and differs from the word.
pub fn telex_to_vietnamese(word: &str) -> Option<String> {
    if !word.is_ascii() || word.len() < 2 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut letters: Vec<char> = Vec::with_capacity(lower.len());
    let mut tone: Option<char> = None;
    let mut seen_vowel = false;
    for c in lower.chars() {
        let last = letters.last().copied();
        match (c, last) {
            ('s' | 'f' | 'r' | 'x' | 'j', _) if seen_vowel => tone = Some(telex_tone(c)),
            ('a', Some('a')) => replace_last(&mut letters, 'â'),
            ('e', Some('e')) => replace_last(&mut letters, 'ê'),
            ('o', Some('o')) => replace_last(&mut letters, 'ô'),
            ('d', Some('d')) => replace_last(&mut letters, 'đ'),
            ('w', Some('a')) => replace_last(&mut letters, 'ă'),
            ('w', Some('o')) => horn_o(&mut letters),
            ('w', Some('u')) => replace_last(&mut letters, 'ư'),
            ('w', _) => {
                // "w" alone is ư; "uow" is the "ươ" pair.
                letters.push('ư');
                seen_vowel = true;
            }
            (c, _) => {
                seen_vowel |= is_plain_vowel(c);
                letters.push(c);
            }
        }
    }
    finish(word, &letters, tone)
}

/// The syllable a VNI-typed word ("ho65i", "tru7o7ng2") stands for, if it is one and differs.
pub fn vni_to_vietnamese(word: &str) -> Option<String> {
    let bytes = word.as_bytes();
    if !word.is_ascii() || bytes.first().is_none_or(|b| !b.is_ascii_alphabetic()) {
        return None;
    }
    if !bytes.iter().any(|b| (b'1'..=b'9').contains(b)) || !bytes.iter().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    // "A4", "B2": one letter and a digit is a code, not a syllable.
    if bytes.iter().filter(|b| b.is_ascii_alphabetic()).count() < 2 {
        return None;
    }
    let mut letters: Vec<char> = Vec::with_capacity(word.len());
    let mut tone: Option<char> = None;
    for c in word.to_ascii_lowercase().chars() {
        match c {
            '1' => tone = Some(ACUTE),
            '2' => tone = Some(GRAVE),
            '3' => tone = Some(HOOK),
            '4' => tone = Some(TILDE),
            '5' => tone = Some(DOT),
            '6' => apply_to_last(&mut letters, &[('a', 'â'), ('e', 'ê'), ('o', 'ô')])?,
            '7' => vni_horn(&mut letters)?,
            '8' => apply_to_last(&mut letters, &[('a', 'ă')])?,
            '9' => apply_to_last(&mut letters, &[('d', 'đ')])?,
            '0' => return None,
            letter => letters.push(letter),
        }
    }
    finish(word, &letters, tone)
}

fn telex_tone(key: char) -> char {
    match key {
        's' => ACUTE,
        'f' => GRAVE,
        'r' => HOOK,
        'x' => TILDE,
        _ => DOT,
    }
}

fn replace_last(letters: &mut [char], with: char) {
    if let Some(last) = letters.last_mut() {
        *last = with;
    }
}

/// "ow" is ơ; after a "u" ("uow") the pair becomes "ươ".
fn horn_o(letters: &mut [char]) {
    replace_last(letters, 'ơ');
    let n = letters.len();
    if n >= 2 && letters[n - 2] == 'u' {
        letters[n - 2] = 'ư';
    }
}

fn vni_horn(letters: &mut [char]) -> Option<()> {
    let at = letters.iter().rposition(|&c| matches!(c, 'o' | 'u' | 'ơ' | 'ư'))?;
    letters[at] = match letters[at] {
        'o' => 'ơ',
        'u' => 'ư',
        other => other,
    };
    // "uo7" is "ươ" as well as "u7o7".
    if at >= 1 && letters[at] == 'ơ' && letters[at - 1] == 'u' {
        letters[at - 1] = 'ư';
    }
    Some(())
}

fn apply_to_last(letters: &mut [char], pairs: &[(char, char)]) -> Option<()> {
    let at = letters.iter().rposition(|c| pairs.iter().any(|(from, _)| from == c))?;
    let (_, to) = pairs.iter().find(|(from, _)| *from == letters[at])?;
    letters[at] = *to;
    Some(())
}

fn is_plain_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Puts the tone on the first vowel, lets tone placement move it where it belongs, and keeps the result
/// only if it is a well-formed syllable different from what was typed.
fn finish(typed: &str, letters: &[char], tone: Option<char>) -> Option<String> {
    if !is_syllable(letters) {
        return None;
    }
    let mut text = String::with_capacity(letters.len() * 3);
    let mut toned = tone.is_none();
    for &letter in letters {
        text.push(letter);
        if !toned && super::tone::is_vowel(letter) {
            if let Some(tone) = tone {
                text.push(tone);
            }
            toned = true;
        }
    }
    let nfc: String = text.nfc().collect();
    let placed = canonical_tone_placement(&nfc).into_owned();
    (placed != typed.to_lowercase()).then_some(placed)
}

const INITIALS: [&str; 27] = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "q",
    "r", "s", "t", "th", "tr", "v",
];
const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// One Vietnamese syllable: an initial consonant (or "x"), a vowel nucleus of at most three letters, and
/// a final consonant.
fn is_syllable(letters: &[char]) -> bool {
    let Some(first_vowel) = letters.iter().position(|&c| super::tone::is_vowel(c)) else { return false };
    let end = letters[first_vowel..]
        .iter()
        .position(|&c| !super::tone::is_vowel(c))
        .map_or(letters.len(), |i| i + first_vowel);
    let initial: String = letters[..first_vowel].iter().collect();
    let final_: String = letters[end..].iter().collect();
    let nucleus_len = end - first_vowel;
    (INITIALS.contains(&initial.as_str()) || initial == "x" || initial == "qu")
        && FINALS.contains(&final_.as_str())
        && (1..=3).contains(&nucleus_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_telex() {
        let cases = [
            ("hooij", Some("hội")),
            ("thaor", Some("thảo")),
            ("sanr", Some("sản")),
            ("xuaats", Some("xuất")),
            ("sachj", Some("sạch")),
            ("hown", Some("hơn")),
            ("nuwowcs", Some("nước")),
            ("truwowngf", Some("trường")),
            ("ddaij", Some("đại")),
            ("Bieenr", Some("biển")),
            ("hoaf", Some("hòa")),
            ("khoer", Some("khỏe")),
            ("quys", Some("quý")),
            ("tuwf", Some("từ")),
            ("cuar", Some("của")),
            // nothing to convert, or not a syllable
            ("ban", None),
            ("sach", None),
            ("SXSH", None),
            ("xyz", None),
            ("2011", None),
            ("sạch", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(telex_to_vietnamese(typed).as_deref(), expected, "typed {typed:?}");
        }
    }

    #[test]
    fn converts_vni() {
        let cases = [
            ("ho65i", Some("hội")),
            ("tha3o", Some("thảo")),
            ("sa3n", Some("sản")),
            ("xua6t1", Some("xuất")),
            ("sa5ch", Some("sạch")),
            ("ho7n", Some("hơn")),
            ("tru7o7ng2", Some("trường")),
            ("truong72", Some("trường")),
            ("d9a5i", Some("đại")),
            ("2011", None),
            ("A4", None),
            ("sach", None),
            ("x10", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(vni_to_vietnamese(typed).as_deref(), expected, "typed {typed:?}");
        }
    }
}
