//! Spelling variants of the final "i"/"y": "kỹ" and "kĩ", "lý" and "lí", "quý" and "quí", "tỷ" and "tỉ"
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

fn is_initial_consonant_letter(c: char) -> bool {
    matches!(c, 'b' | 'c' | 'd' | 'đ' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'r' | 's' | 't' | 'v' | 'x')
}

#[cfg(test)]
mod tests {
    use super::*;

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
