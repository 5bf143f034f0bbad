//! The in-memory completion index: frequent phrases and document titles, looked up by prefix.
//!
//! Phrases are sorted by key, so the ones starting with the typed prefix are one contiguous range
//! (found by binary search). Titles are found by a prefix of any of their words ("ben tre" finds
//! "Hội thảo … tỉnh Bến Tre"): every word start of every title is one entry, sorted by the key from
//! there to the end of the title, which again makes the matches one range. Titles that begin with the
//! prefix are kept apart and looked at first; of the others at most [`MAX_INNER_SCAN`] entries are
//! looked at, so a one-letter prefix on a large archive stays fast.

use std::collections::HashSet;

/// Most title entries looked at for matches inside titles.
pub const MAX_INNER_SCAN: usize = 20_000;
/// The longest end of a query completed by a phrase, in words.
const MAX_TAIL_WORDS: usize = 4;

use kho_core::analysis::{fold_diacritics, fold_prefix, has_diacritics};
use serde::Serialize;

/// A phrase of two or three words that many documents use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The folded key it is matched by.
    pub key: String,
    /// Its most frequent written form, lowercase.
    pub text: String,
    /// How many documents contain it.
    pub documents: u32,
}

/// A document's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub id: String,
    pub text: String,
    pub key: String,
}

/// What a completion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompletionKind {
    /// A phrase to search for.
    Phrase,
    /// A document's title; choosing it opens the document.
    Title,
}

/// One completion for the search box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub text: String,
    pub kind: CompletionKind,
    /// The document, for a title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A word start inside a title: the title's position and the byte offset of the word in its key.
#[derive(Debug, Clone, Copy)]
struct TitleWord {
    title: u32,
    offset: u32,
}

/// Phrases and titles, ready for prefix lookups.
#[derive(Debug, Default)]
pub struct CompletionIndex {
    phrases: Vec<Phrase>,
    titles: Vec<Title>,
    /// The first word of every title, sorted by title key.
    title_starts: Vec<TitleWord>,
    /// Every other word start, sorted by the key from there on.
    title_inner_words: Vec<TitleWord>,
}

impl CompletionIndex {
    pub fn new(mut phrases: Vec<Phrase>, mut titles: Vec<Title>) -> CompletionIndex {
        phrases.sort_by(|a, b| a.key.cmp(&b.key));
        // Titles in key then id order, whatever order the documents were read in (a local index's, a
        // cluster's): of several documents with the same title, the one suggested is always the same.
        titles.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.id.cmp(&b.id)));
        let mut title_starts = Vec::new();
        let mut title_inner_words = Vec::new();
        for (position, title) in titles.iter().enumerate() {
            let Ok(title_position) = u32::try_from(position) else { break };
            title_starts.push(TitleWord { title: title_position, offset: 0 });
            let inner = title.key.match_indices(' ').filter_map(|(at, _)| u32::try_from(at + 1).ok());
            title_inner_words.extend(inner.map(|offset| TitleWord { title: title_position, offset }));
        }
        let mut index = CompletionIndex { phrases, titles, title_starts: Vec::new(), title_inner_words: Vec::new() };
        title_starts.sort_by(|a, b| index.title_suffix(*a).cmp(index.title_suffix(*b)));
        title_inner_words.sort_by(|a, b| index.title_suffix(*a).cmp(index.title_suffix(*b)));
        index.title_starts = title_starts;
        index.title_inner_words = title_inner_words;
        index
    }

    /// How many phrases and titles it holds.
    pub fn len(&self) -> (usize, usize) {
        (self.phrases.len(), self.titles.len())
    }

    /// At most `limit` completions for what the user has typed: phrases first, then titles (at least
    /// half the list when there are that many).
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<Completion> {
        let prefix = fold_prefix(typed);
        if prefix.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut phrases: Vec<Completion> = self
            .phrases_starting_with(&prefix, limit)
            .into_iter()
            .map(|p| Completion { text: p.text.clone(), kind: CompletionKind::Phrase, id: None })
            .collect();
        if phrases.is_empty() {
            phrases = self.complete_last_words(typed, &prefix, limit);
        }
        let titles: Vec<Completion> = self
            .titles_containing(&prefix, limit)
            .into_iter()
            .map(|t| Completion { text: t.text.clone(), kind: CompletionKind::Title, id: Some(t.id.clone()) })
            .collect();
        let phrase_count = phrases.len().min(limit - titles.len().min(limit / 2));
        let mut seen = HashSet::new();
        phrases
            .into_iter()
            .take(phrase_count)
            .chain(titles)
            .filter(|s| seen.insert(s.text.to_lowercase()))
            .take(limit)
            .collect()
    }

    /// When no phrase starts with the whole query, phrases completing its last words (the longest end
    /// that some phrase completes, up to [`MAX_TAIL_WORDS`]), after the words before them as typed
    /// ("hoi thao san x" → "hoi thao san xuat").
    fn complete_last_words(&self, typed: &str, prefix: &str, limit: usize) -> Vec<Completion> {
        let typed_words: Vec<&str> = typed.split_whitespace().collect();
        let key_words: Vec<&str> = prefix.split(' ').filter(|w| !w.is_empty()).collect();
        if typed_words.len() != key_words.len() || key_words.len() < 2 {
            return Vec::new();
        }
        let trailing_space = if prefix.ends_with(' ') { " " } else { "" };
        for tail_len in (1..=MAX_TAIL_WORDS).rev() {
            let head_len = key_words.len().saturating_sub(tail_len);
            if head_len == 0 {
                continue;
            }
            let tail = format!("{}{trailing_space}", key_words[head_len..].join(" "));
            let head = typed_words[..head_len].join(" ");
            let fold_completion = !has_diacritics(&head);
            let completions: Vec<Completion> = self
                .phrases_starting_with(&tail, limit)
                .into_iter()
                .map(|p| {
                    // After words typed without diacritics, the completion is shown without them too.
                    let completion =
                        if fold_completion { fold_diacritics(&p.text).into_owned() } else { p.text.clone() };
                    Completion { text: format!("{head} {completion}"), kind: CompletionKind::Phrase, id: None }
                })
                .collect();
            if !completions.is_empty() {
                return completions;
            }
        }
        Vec::new()
    }

    /// The most used phrases whose key starts with `prefix`.
    fn phrases_starting_with(&self, prefix: &str, limit: usize) -> Vec<&Phrase> {
        let start = self.phrases.partition_point(|p| p.key.as_str() < prefix);
        let mut found: Vec<&Phrase> = self.phrases[start..].iter().take_while(|p| p.key.starts_with(prefix)).collect();
        found.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.key.len().cmp(&b.key.len())));
        found.truncate(limit);
        found
    }

    /// Titles with a word starting with `prefix` (and the words after it continuing it): those that
    /// begin with it first, then the others; shorter ones first.
    fn titles_containing(&self, prefix: &str, limit: usize) -> Vec<&Title> {
        let starting = self.matching(&self.title_starts, prefix, self.title_starts.len());
        let mut seen: HashSet<u32> = starting.iter().copied().collect();
        let mut found = self.by_length(starting);
        if found.len() < limit {
            let inner = self.matching(&self.title_inner_words, prefix, MAX_INNER_SCAN);
            let inner: Vec<u32> = inner.into_iter().filter(|title| seen.insert(*title)).collect();
            found.extend(self.by_length(inner));
        }
        let mut texts = HashSet::new();
        found.into_iter().filter(|t| texts.insert(t.text.as_str())).take(limit).collect()
    }

    /// The titles of the first `max_scan` entries of `words` whose suffix starts with `prefix`.
    fn matching(&self, words: &[TitleWord], prefix: &str, max_scan: usize) -> Vec<u32> {
        let start = words.partition_point(|w| self.title_suffix(*w) < prefix);
        words[start..]
            .iter()
            .take(max_scan)
            .take_while(|w| self.title_suffix(**w).starts_with(prefix))
            .map(|w| w.title)
            .collect()
    }

    fn by_length(&self, titles: Vec<u32>) -> Vec<&Title> {
        let mut found: Vec<&Title> = titles.into_iter().filter_map(|t| self.titles.get(t as usize)).collect();
        found.sort_by_key(|t| t.text.len());
        found
    }

    fn title_suffix(&self, word: TitleWord) -> &str {
        self.titles.get(word.title as usize).and_then(|t| t.key.get(word.offset as usize..)).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::analysis::fold_key;

    fn index() -> CompletionIndex {
        let phrase = |text: &str, documents| Phrase { key: fold_key(text), text: text.to_owned(), documents };
        let title = |id: &str, text: &str| Title { id: id.to_owned(), text: text.to_owned(), key: fold_key(text) };
        CompletionIndex::new(
            vec![
                phrase("sản xuất", 12),
                phrase("sản xuất sạch", 9),
                phrase("sạch hơn", 9),
                phrase("hội thảo", 10),
                phrase("bến tre", 2),
                phrase("sách hướng dẫn", 1),
                phrase("kỹ thuật", 3),
            ],
            vec![
                title("a", "Hội thảo chia sẻ kinh nghiệm SXSH tỉnh Bến Tre"),
                title("b", "Bến Tre: chế biến dừa"),
                title("c", "Hướng dẫn tổ chức hội thảo"),
            ],
        )
    }

    fn texts(completions: &[Completion]) -> Vec<&str> {
        completions.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn phrases_by_prefix_without_diacritics() {
        let index = index();
        assert_eq!(texts(&index.complete("san x", 2)), ["sản xuất", "sản xuất sạch"]);
        assert_eq!(index.complete("SẢN X", 8), index.complete("san x", 8));
        assert_eq!(texts(&index.complete("sach", 8)), ["sạch hơn", "sách hướng dẫn"]);
        assert!(index.complete("", 8).is_empty());
        assert!(index.complete("zzz", 8).is_empty());
    }

    #[test]
    fn titles_by_any_word_start() {
        let index = index();
        let found = index.complete("ben tre", 8);
        assert_eq!(
            texts(&found),
            ["bến tre", "Bến Tre: chế biến dừa", "Hội thảo chia sẻ kinh nghiệm SXSH tỉnh Bến Tre"],
        );
        assert_eq!(found[1].kind, CompletionKind::Title);
        assert_eq!(found[1].id.as_deref(), Some("b"));
        assert_eq!(texts(&index.complete("to chuc hoi", 8)), ["to chuc hoi thao", "Hướng dẫn tổ chức hội thảo"]);
    }

    #[test]
    fn completes_the_last_words() {
        let index = index();
        assert_eq!(texts(&index.complete("kinh te san xu", 8))[0], "kinh te san xuat");
        assert_eq!(texts(&index.complete("kinh tế sản xu", 8))[0], "kinh tế sản xuất");
    }

    /// The spellings search treats as one word complete alike: "kĩ" and "kỹ", "ky" unaccented.
    #[test]
    fn completes_as_search_folds() {
        let index = index();
        for typed in ["kĩ th", "kỹ th", "ky th", "KI TH"] {
            assert_eq!(texts(&index.complete(typed, 8)), ["kỹ thuật"], "{typed:?}");
        }
        assert_eq!(texts(&index.complete("phat trien ky thu", 8))[0], "phat trien ky thuat");
    }
}
