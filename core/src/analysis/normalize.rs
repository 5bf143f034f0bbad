//! Unicode normalization: the first step for documents and queries alike.
//!
//! Vietnamese text reaches us in three shapes that look identical on screen:
//! - NFC, one code point per letter: "ệ" is U+1EC7;
//! - NFD, base letter plus marks: "e" U+0065, U+0323 (dot below), U+0302 (circumflex);
//! - "composed", as old input methods typed it: "ê" U+00EA followed by a combining tone such as U+0323.
//!
//! A tokenizer that sees NFD splits "Việt" into "Vie" + "t", and a folding filter that only knows
//! precomposed letters leaves the marks in place, so everything is brought to NFC before analysis.
//! We also replace the look-alike "Ð" (U+00D0, Icelandic eth) by "Đ" (U+0110), since Vietnamese
//! documents typed on foreign keyboards use it for the Vietnamese letter.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `text` in NFC with the eth look-alikes replaced by đ/Đ; borrows when nothing changes.
pub fn normalize_text(text: &str) -> Cow<'_, str> {
    let needs_nfc = !matches!(is_nfc_quick(text.chars()), IsNormalized::Yes);
    let has_eth = text.contains(['\u{00D0}', '\u{00F0}']);
    if !needs_nfc && !has_eth {
        return Cow::Borrowed(text);
    }
    let nfc: String = if needs_nfc { text.nfc().collect() } else { text.to_owned() };
    if !has_eth {
        return Cow::Owned(nfc);
    }
    Cow::Owned(nfc.chars().map(replace_eth).collect())
}

fn replace_eth(c: char) -> char {
    match c {
        '\u{00D0}' => '\u{0110}',
        '\u{00F0}' => '\u{0111}',
        other => other,
    }
}

/// True for the combining marks that Vietnamese uses (and the rest of the combining block), which
/// belong to the letter before them.
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_every_input_shape_to_nfc() {
        let cases = [
            // (input, expected)
            ("Việt Nam", "Việt Nam"),                 // already NFC
            ("Vie\u{0323}\u{0302}t Nam", "Việt Nam"), // NFD
            ("Vi\u{00EA}\u{0323}t Nam", "Việt Nam"),  // composed: ê + dot below
            ("s\u{0061}\u{0309}n xu\u{00E2}\u{0301}t", "sản xuất"),
            ("h\u{01A1}\u{0300}i", "hời"),  // ơ + grave
            ("\u{00D0}\u{00F4}ng", "Đông"), // eth look-alike
            ("\u{00F0}\u{01B0}\u{01A1}\u{0300}ng", "đường"),
            ("SXSH 14/4/2011", "SXSH 14/4/2011"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_text(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn borrows_when_already_normal() {
        assert!(matches!(normalize_text("sản xuất sạch hơn"), Cow::Borrowed(_)));
    }

    #[test]
    fn recognizes_combining_marks() {
        for c in ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}', '\u{0302}', '\u{031B}'] {
            assert!(is_combining_mark(c), "{c:?}");
        }
        for c in ['a', 'ệ', '/', ' '] {
            assert!(!is_combining_mark(c), "{c:?}");
        }
    }
}
