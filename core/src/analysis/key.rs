//! The fold key: a text as every diacritic-blind comparison in Kho sees it.
//!
//! Each word (a run of letters and digits after NFC) becomes its folded token, exactly as the folded
//! index field holds it ([`normalize_token`] with [`Form::Folded`]: lowercase, canonical tone placement,
//! one i/y spelling, no diacritics), and the words are joined by one space; punctuation separates words.
//! Autocomplete matches titles and phrases on these keys, so "kĩ thuật", "kỹ thuật" and "ky thuat"
//! complete alike, as they search alike. A change here changes tokens: bump
//! [`super::ANALYSIS_VERSION`].

use super::normalize::normalize_text;
use super::tokenizer::{normalize_token, Form};

/// The key of a text: its folded words separated by one space.
pub fn fold_key(text: &str) -> String {
    let normalized = normalize_text(text);
    let mut key = String::with_capacity(normalized.len());
    for word in normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&normalize_token(word, Form::Folded));
    }
    key
}

/// The key of what the user has typed so far: as [`fold_key`], with one trailing space when the text
/// ends after a word ("ben " completes to "bến tre", not to "bentre").
pub fn fold_prefix(typed: &str) -> String {
    let mut key = fold_key(typed);
    let normalized = normalize_text(typed);
    if !key.is_empty() && normalized.chars().last().is_some_and(|c| !c.is_alphanumeric()) {
        key.push(' ');
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_key(text: &str, key: &str) {
        assert_eq!(fold_key(text), key, "{text:?}");
    }

    #[test]
    fn keys_ignore_case_diacritics_and_punctuation() {
        let cases = [
            ("Hội thảo: SXSH tại Bến Tre", "hoi thao sxsh tai ben tre"),
            ("hoi   thao", "hoi thao"),
            ("Đường", "duong"),
            ("Vie\u{0323}\u{0302}t Nam", "viet nam"),
            ("  TP.HCM  ", "tp hcm"),
            ("", ""),
        ];
        for (text, key) in cases {
            assert_key(text, key);
        }
    }

    /// The spellings search treats as one word have one key.
    #[test]
    fn keys_are_the_folded_tokens_of_search() {
        let same = [
            ["kĩ thuật", "kỹ thuật", "ky thuat"],
            ["hoà bình", "hòa bình", "hoa binh"],
            ["thuỷ lợi", "thủy lợi", "thuy loi"],
            ["quý", "quí", "QUY"],
            ["Lý luận", "lí luận", "ly luan"],
        ];
        for spellings in same {
            let keys: Vec<String> = spellings.iter().map(|s| fold_key(s)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{spellings:?} → {keys:?}");
            let tokens: Vec<String> =
                spellings[0].split_whitespace().map(|w| normalize_token(w, Form::Folded)).collect();
            assert_eq!(keys[0], tokens.join(" "));
        }
        assert_ne!(fold_key("tay"), fold_key("tai"), "y after a vowel is another sound");
    }

    #[test]
    fn prefixes_keep_a_finished_word() {
        assert_eq!(fold_prefix("bến "), "ben ");
        assert_eq!(fold_prefix("bến"), "ben");
        assert_eq!(fold_prefix("   "), "");
        assert_eq!(fold_prefix("kỹ "), "ki ");
    }
}
