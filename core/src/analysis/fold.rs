//! Diacritic folding: "Sản xuất sạch hơn" → "San xuat sach hon".
//!
//! Users often type without diacritics, so every document is also indexed in a folded form. Folding
//! removes tone marks (à á ả ã ạ) and vowel marks (ă â ê ô ơ ư) by decomposing each letter and dropping
//! its combining marks, and maps đ, Đ and the look-alike Ð/ð to d/D, which Unicode does not decompose.
//! Case is kept; lowercasing is a separate step.

use std::borrow::Cow;

use unicode_normalization::char::decompose_canonical;

use super::normalize::is_combining_mark;

/// Removes every tone and vowel mark and maps đ/Đ/Ð to d/D; borrows ASCII input unchanged.
pub fn fold_diacritics(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded_char(c, &mut folded);
    }
    Cow::Owned(folded)
}

fn push_folded_char(c: char, out: &mut String) {
    match c {
        'đ' | 'ð' => out.push('d'),
        'Đ' | 'Ð' => out.push('D'),
        c if c.is_ascii() => out.push(c),
        c if is_combining_mark(c) => {}
        c => decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
        }),
    }
}

/// True when `text` carries any Vietnamese diacritic (a mark that folding would remove, or đ).
pub fn has_diacritics(text: &str) -> bool {
    !text.is_ascii() && fold_diacritics(text) != text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_letters() {
        let cases = [
            ("sản xuất sạch hơn", "san xuat sach hon"),
            ("Hội thảo", "Hoi thao"),
            ("Đường", "Duong"),
            ("đường", "duong"),
            ("\u{00D0}ông", "Dong"), // Ð look-alike
            ("ăằắẳẵặ âầấẩẫậ", "aaaaaa aaaaaa"),
            ("ơờớởỡợ ưừứửữự", "oooooo uuuuuu"),
            ("ỳýỷỹỵ", "yyyyy"),
            ("Vie\u{0323}\u{0302}t", "Viet"), // NFD input folds too
            ("thuỷ", "thuy"),
            ("SXSH 14/4/2011", "SXSH 14/4/2011"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold_diacritics(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn detects_diacritics() {
        let cases = [("sạch", true), ("sach", false), ("đi", true), ("TP.HCM", false), ("", false)];
        for (input, expected) in cases {
            assert_eq!(has_diacritics(input), expected, "input {input:?}");
        }
    }
}
