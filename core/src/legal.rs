//! Legal documents' number and issuer as searchable keys.
//!
//! A legal document's number ("24/2018/QH14", "1419/QĐ-TTg") is stored as printed and indexed as one
//! key ([`number_key`]: lowercase, diacritics folded, spaces dropped), so that typing it in any case,
//! with or without the Đ's bar, finds the document whose number it is: the tokenizer alone would cut
//! it into "24/2018", "24", "2018", "qh14" and match documents that merely cite it. A query word that
//! [`looks_like_number`] is therefore also looked up as a key (see `query::build`), and `number:`
//! filters on the key. The issuing body is stored as named ("Bộ Công Thương") and filtered by its
//! [`issuer_key`].

use crate::analysis::{fold_diacritics, normalize_text};

/// The indexed key of a document number: "1419/QĐ-TTg" and "1419/qd-ttg" are both "1419/qd-ttg".
pub fn number_key(number: &str) -> String {
    let text: String = normalize_text(number).chars().filter(|c| !c.is_whitespace()).collect();
    fold_diacritics(&text.to_lowercase()).into_owned()
}

/// The indexed key of an issuing body: "Bộ Công Thương" and "bo cong  thuong" are "bo cong thuong".
pub fn issuer_key(issuer: &str) -> String {
    let text = normalize_text(issuer).to_lowercase();
    fold_diacritics(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// True for a word shaped like a document number: digits, then at least one slash, and a letter after
/// a slash ("24/2018/QH14", "1419/QĐ-TTg", "45/BC-UBND"); not a date ("14/4/2011") or a range.
pub fn looks_like_number(word: &str) -> bool {
    let mut parts = word.split('/');
    let first = parts.next().unwrap_or_default();
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    let well_formed = rest
        .iter()
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '&')));
    well_formed && rest.iter().any(|part| part.chars().any(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_keys() {
        let cases = [
            ("24/2018/QH14", true, "24/2018/qh14"),
            ("1419/QĐ-TTg", true, "1419/qd-ttg"),
            ("1419/qd-ttg", true, "1419/qd-ttg"),
            ("13/2023/NĐ-CP", true, "13/2023/nd-cp"),
            ("01/2016/TTLT-BTNMT-BTC", true, "01/2016/ttlt-btnmt-btc"),
            ("14/4/2011", false, "14/4/2011"),
            ("2009-2013", false, "2009-2013"),
            ("QH14", false, "qh14"),
            ("24/", false, "24/"),
            ("a/b", false, "a/b"),
        ];
        for (word, number, key) in cases {
            assert_eq!(looks_like_number(word), number, "{word}");
            assert_eq!(number_key(word), key, "{word}");
        }
        assert_eq!(number_key("24 / 2018 / QH14"), "24/2018/qh14");
        assert_eq!(issuer_key(" Bộ  Công Thương "), "bo cong thuong");
    }
}
