//! The form suggestions are matched in: lowercase, without diacritics, words separated by one space.
//! "Hội thảo: SXSH" and "hoi thao sxsh" have the same key, so typing with or without diacritics, or
//! with composed (NFD) input, finds the same suggestions.

use kho_core::analysis::{fold_diacritics, normalize_text};

/// The key of a stored title or phrase: words of letters and digits, lowercase and folded, separated by
/// one space; punctuation separates words.
pub fn fold_key(text: &str) -> String {
    let normalized = normalize_text(text);
    let lower = normalized.to_lowercase();
    let folded = fold_diacritics(&lower);
    let mut key = String::with_capacity(folded.len());
    let mut between_words = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if between_words && !key.is_empty() {
                key.push(' ');
            }
            between_words = false;
            key.push(c);
        } else {
            between_words = true;
        }
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
            assert_eq!(fold_key(text), key, "{text:?}");
        }
    }

    #[test]
    fn prefixes_keep_a_finished_word() {
        assert_eq!(fold_prefix("bến "), "ben ");
        assert_eq!(fold_prefix("bến"), "ben");
        assert_eq!(fold_prefix("   "), "");
    }
}
