//! Two spelling steps of a syllable (lowercase NFC).
//!
//! [`canonical_ng`]: "ngh" is written before i, e and ê, "ng" before every other vowel; "nghành" (a very
//! common slip for "ngành") and "ngiệp" (for "nghiệp") are not Vietnamese syllables, so they are read as
//! the syllable they can only mean. Correct spellings are untouched.
//!
//! [`canonical_i_y`]: spelling variants of the final "i"/"y": "kỹ" and "kĩ", "lý" and "lí", "quý" and "quí", "tỷ" and "tỉ"
//! are the same syllable written two ways (both are in use, in official text too).
//!
//! When a syllable's only vowel is a final "y" after a consonant (or after the "qu" consonant), it is
//! written "i", keeping the tone. "y" after another vowel is a different sound ("tay" is not "tai") and
//! a syllable that is just "y" ("ý kiến") has no variant, so both are left alone.

use std::borrow::Cow;

use super::tone::split_tone;

/// Returns the syllable with a lone final "y" written "i" (lowercase NFC input).
pub fn canonical_i_y(syllable: &str) -> Cow<'_, str> {
    let mut chars = syllable.char_indices().rev();
    let Some((last_at, last)) = chars.next() else { return Cow::Borrowed(syllable) };
    let (letter, tone) = split_tone(last);
    if letter != 'y' {
        return Cow::Borrowed(syllable);
    }
    let before = &syllable[..last_at];
    let after_consonant = before.chars().last().is_some_and(is_initial_consonant_letter);
    let after_qu = before == "qu";
    let only_consonants_before = before.chars().all(is_initial_consonant_letter) || after_qu;
    if !(after_consonant || after_qu) || !only_consonants_before {
        return Cow::Borrowed(syllable);
    }
    let mut out = String::with_capacity(syllable.len());
    out.push_str(before);
    match tone {
        Some(tone) => out.extend(unicode_normalization::UnicodeNormalization::nfc(['i', tone].into_iter())),
        None => out.push('i'),
    }
    Cow::Owned(out)
}

/// Returns the syllable with "ngh"/"ng" as the vowel after it requires: "nghành" → "ngành", "ngiệp" →
/// "nghiệp", "ngê" → "nghê" (lowercase NFC input).
pub fn canonical_ng(syllable: &str) -> Cow<'_, str> {
    let Some(rest) = syllable.strip_prefix("ng") else { return Cow::Borrowed(syllable) };
    let (has_h, vowels) = match rest.strip_prefix('h') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let Some(vowel) = vowels.chars().next() else { return Cow::Borrowed(syllable) };
    let front = matches!(split_tone(vowel).0, 'i' | 'e' | 'ê');
    let back = matches!(split_tone(vowel).0, 'a' | 'ă' | 'â' | 'o' | 'ô' | 'ơ' | 'u' | 'ư');
    match (has_h, front, back) {
        (true, _, true) => Cow::Owned(format!("ng{vowels}")),
        (false, true, _) => Cow::Owned(format!("ngh{vowels}")),
        _ => Cow::Borrowed(syllable),
    }
}

fn is_initial_consonant_letter(c: char) -> bool {
    matches!(c, 'b' | 'c' | 'd' | 'đ' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'r' | 's' | 't' | 'v' | 'x')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_ng_and_ngh_as_the_vowel_requires() {
        let cases = [
            ("nghành", "ngành"),
            ("nghanh", "nganh"),
            ("nghọc", "ngọc"),
            ("nghười", "người"),
            ("ngiệp", "nghiệp"),
            ("ngiep", "nghiep"),
            ("ngề", "nghề"),
            // correct spellings: untouched
            ("ngành", "ngành"),
            ("nghiệp", "nghiệp"),
            ("nghe", "nghe"),
            ("người", "người"),
            ("ngủ", "ngủ"),
            ("ng", "ng"),
            ("ngh", "ngh"),
            ("nga", "nga"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_ng(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn writes_lone_final_y_as_i() {
        let cases = [
            ("kỹ", "kĩ"),
            ("kĩ", "kĩ"),
            ("lý", "lí"),
            ("lí", "lí"),
            ("quý", "quí"),
            ("quy", "qui"),
            ("tỷ", "tỉ"),
            ("mỹ", "mĩ"),
            ("hy", "hi"),
            ("thy", "thi"),
            // not a lone final y: untouched
            ("tay", "tay"),
            ("thủy", "thủy"),
            ("ý", "ý"),
            ("yêu", "yêu"),
            ("quyết", "quyết"),
            ("huy", "huy"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical_i_y(input), expected, "input {input:?}");
        }
    }
}
