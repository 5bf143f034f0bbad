//! Is a word one Vietnamese syllable? Used where text must be repaired without a dictionary: a line
//! wrap that split "quá" into "q" + "uá" is undone only when the pieces are not syllables themselves.
//!
//! A Vietnamese syllable is an optional onset consonant (one of [`ONSETS`]), a rhyme (one of
//! [`RHYMES`]: an optional medial "o"/"u", a vowel nucleus and an optional final) and at most one
//! tone mark. Syllables ending in a stop ("c", "ch", "p", "t") take only the sắc or nặng tone. The check
//! is on spelling, not on the lexicon: "quớ" passes although no word is spelled so, but "q", "sxsh" and
//! "trình" split as "trìn" + "h" are told apart, which is what repairs need.

use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::UnicodeNormalization;

/// Tone marks as combining characters: huyền, sắc, ngã, hỏi, nặng.
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
const ACUTE: char = '\u{0301}';
const DOT_BELOW: char = '\u{0323}';

/// Onset consonants, longest first so that "ngh" is tried before "ng" and "n".
const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x",
];

/// Every rhyme of standard spelling, without tone.
const RHYMES: &[&str] = &[
    // a, ă, â
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt",
    "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây", // e, ê
    "e", "ec", "em", "en", "eng", "eo", "ep", "et", "ê", "êch", "êm", "ên", "ênh", "êng", "êp", "êt", "êu",
    // i, iê, y, yê
    "i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu", "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu", "y", "yêm",
    "yên", "yêng", "yêt", "yêu", // o, oo, ô, ơ
    "o", "oc", "oi", "om", "on", "ong", "op", "ot", "ooc", "oong", "ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", "ơ",
    "ơi", "ơm", "ơn", "ơp", "ơt", // u, uô, ư, ươ
    "u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut", "uôc", "uôi", "uôm", "uôn", "uông", "uôp", "uôt", "ư", "ưa",
    "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm", "ươn", "ương", "ươp", "ươt", "ươu",
    // medial o
    "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay", "oăc", "oăm", "oăn", "oăng",
    "oăt", "oe", "oem", "oen", "oeo", "oet", // medial u
    "uân", "uâng", "uât", "uây", "uê", "uêch", "uênh", "uêt", "uơ", "uy", "uya", "uych", "uyên", "uyêt", "uynh", "uyp",
    "uyt", "uyu",
];

/// Finals after which only the sắc and nặng tones are written.
const STOP_FINALS: [&str; 4] = ["c", "ch", "p", "t"];

/// True when `word` (any case, NFC or not) is spelled as one Vietnamese syllable.
pub fn is_vietnamese_syllable(word: &str) -> bool {
    let Some((toneless, tone)) = strip_tone(word) else {
        return false;
    };
    let rhyme_ok = |rhyme: &str| {
        RHYMES.contains(&rhyme)
            && match tone {
                Some(t) if STOP_FINALS.iter().any(|f| rhyme.ends_with(f)) => t == ACUTE || t == DOT_BELOW,
                _ => true,
            }
    };
    if rhyme_ok(&toneless) {
        return true;
    }
    ONSETS.iter().any(|onset| toneless.strip_prefix(onset).is_some_and(|rest| !rest.is_empty() && rhyme_ok(rest)))
}

/// The lowercase letters without the tone mark, and the tone; `None` for two tones or a non-letter.
fn strip_tone(word: &str) -> Option<(String, Option<char>)> {
    let mut letters = String::with_capacity(word.len());
    let mut tone = None;
    // NFC first, so that a tone written before a vowel mark (NFD order varies) is one letter again.
    for c in word.nfc().flat_map(char::to_lowercase) {
        let mut base: Option<char> = None;
        let mut failed = false;
        decompose_canonical(c, |part| {
            if TONE_MARKS.contains(&part) {
                if tone.replace(part).is_some() {
                    failed = true;
                }
                return;
            }
            base = match base {
                None => Some(part),
                // Vowel marks (circumflex, breve, horn) recompose with their letter.
                Some(letter) => compose(letter, part).or_else(|| {
                    failed = true;
                    None
                }),
            };
        });
        let letter = base?;
        if failed || !(letter.is_ascii_lowercase() || "ăâêôơưđ".contains(letter)) {
            return None;
        }
        letters.push(letter);
    }
    Some((letters, tone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_syllables(cases: &[(&str, bool)]) {
        for (word, want) in cases {
            assert_eq!(is_vietnamese_syllable(word), *want, "word {word:?}");
        }
    }

    #[test]
    fn accepts_syllables() {
        assert_syllables(&[
            ("quá", true),
            ("uá", true),
            ("trình", true),
            ("nghiệp", true),
            ("người", true),
            ("gì", true),
            ("giữa", true),
            ("quyết", true),
            ("khuyến", true),
            ("Việt", true),
            ("ĐƯỜNG", true),
            ("hoà", true),
            ("y", true),
            ("oà", true),
            ("xoong", true),
            ("hươu", true),
            ("tỉnh", true),
            // NFD input
            ("Vie\u{0323}\u{0302}t", true),
        ]);
    }

    #[test]
    fn rejects_non_syllables() {
        assert_syllables(&[
            ("", false),
            ("q", false),
            ("ng", false),
            ("tr", false),
            ("sxsh", false),
            ("cpi", false),
            ("quáq", false),
            ("trìn", true), // spelled like a syllable: the lexicon is not consulted
            ("h", false),
            ("chìnhh", false),
            ("việtnam", false),
            ("hoạ1", false),
            // a stop final with the huyền tone is not Vietnamese spelling
            ("tàc", false),
            ("ác", true),
            // two tones
            ("hoáà", false),
            ("café", false),
        ]);
    }
}
