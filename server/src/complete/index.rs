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
///
/// Their texts are kept in one buffer, each a span of it, not a string each: the index lives as long
/// as the server, and its 250,000 small strings (45,000 titles) were allocated in between the build's
/// counting tables, whose freed memory they then held in place (the heap stayed at 55 MB more than
/// the index needed).
#[derive(Debug, Default)]
pub struct CompletionIndex {
    /// Every key, text and id, one after another.
    texts: String,
    phrases: Vec<StoredPhrase>,
    titles: Vec<StoredTitle>,
    /// The first word of every title, sorted by title key.
    title_starts: Vec<TitleWord>,
    /// Every other word start, sorted by the key from there on.
    title_inner_words: Vec<TitleWord>,
}

/// Bytes `start..start + len` of [`CompletionIndex::texts`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
struct StoredPhrase {
    key: Span,
    text: Span,
    documents: u32,
}

#[derive(Debug, Clone, Copy)]
struct StoredTitle {
    id: Span,
    text: Span,
    key: Span,
}

impl CompletionIndex {
    pub fn new(mut phrases: Vec<Phrase>, mut titles: Vec<Title>) -> CompletionIndex {
        phrases.sort_by(|a, b| a.key.cmp(&b.key));
        // Titles in key then id order, whatever order the documents were read in (a local index's, a
        // cluster's): of several documents with the same title, the one suggested is always the same.
        titles.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.id.cmp(&b.id)));
        let phrase_bytes: usize = phrases.iter().map(|p| p.key.len() + p.text.len()).sum();
        let title_bytes: usize = titles.iter().map(|t| t.id.len() + t.text.len() + t.key.len()).sum();
        let mut index = CompletionIndex {
            texts: String::with_capacity(phrase_bytes + title_bytes),
            phrases: Vec::with_capacity(phrases.len()),
            titles: Vec::with_capacity(titles.len()),
            title_starts: Vec::new(),
            title_inner_words: Vec::new(),
        };
        let mut title_starts = Vec::with_capacity(titles.len());
        let mut title_inner_words = Vec::new();
        // Past 4 GB of text (u32 offsets), the rest is left out.
        for phrase in &phrases {
            let (Some(key), Some(text)) = (index.push_text(&phrase.key), index.push_text(&phrase.text)) else { break };
            index.phrases.push(StoredPhrase { key, text, documents: phrase.documents });
        }
        drop(phrases);
        for title in &titles {
            let Ok(title_position) = u32::try_from(index.titles.len()) else { break };
            let (Some(id), Some(text), Some(key)) =
                (index.push_text(&title.id), index.push_text(&title.text), index.push_text(&title.key))
            else {
                break;
            };
            index.titles.push(StoredTitle { id, text, key });
            title_starts.push(TitleWord { title: title_position, offset: 0 });
            let inner = title.key.match_indices(' ').filter_map(|(at, _)| u32::try_from(at + 1).ok());
            title_inner_words.extend(inner.map(|offset| TitleWord { title: title_position, offset }));
        }
        drop(titles);
        title_starts.sort_by(|a, b| index.title_suffix(*a).cmp(index.title_suffix(*b)));
        title_inner_words.sort_by(|a, b| index.title_suffix(*a).cmp(index.title_suffix(*b)));
        index.title_starts = title_starts;
        index.title_inner_words = title_inner_words;
        index.title_inner_words.shrink_to_fit();
        index
    }

    /// Appends `text` to the buffer; `None` past 4 GB.
    fn push_text(&mut self, text: &str) -> Option<Span> {
        let start = u32::try_from(self.texts.len()).ok()?;
        let len = u32::try_from(text.len()).ok()?;
        start.checked_add(len)?;
        self.texts.push_str(text);
        Some(Span { start, len })
    }

    fn text(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.texts.get(start..start + span.len as usize).unwrap_or("")
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
            .map(|p| Completion { text: self.text(p.text).to_owned(), kind: CompletionKind::Phrase, id: None })
            .collect();
        if phrases.is_empty() {
            phrases = self.complete_last_words(typed, &prefix, limit);
        }
        let titles: Vec<Completion> = self
            .titles_containing(&prefix, limit)
            .into_iter()
            .map(|t| Completion {
                text: self.text(t.text).to_owned(),
                kind: CompletionKind::Title,
                id: Some(self.text(t.id).to_owned()),
            })
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
                    let text = self.text(p.text);
                    let completion = if fold_completion { fold_diacritics(text) } else { text.into() };
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
    fn phrases_starting_with(&self, prefix: &str, limit: usize) -> Vec<&StoredPhrase> {
        let start = self.phrases.partition_point(|p| self.text(p.key) < prefix);
        let mut found: Vec<&StoredPhrase> =
            self.phrases[start..].iter().take_while(|p| self.text(p.key).starts_with(prefix)).collect();
        found.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.key.len.cmp(&b.key.len)));
        found.truncate(limit);
        found
    }

    /// Titles with a word starting with `prefix` (and the words after it continuing it): those that
    /// begin with it first, then the others; shorter ones first.
    fn titles_containing(&self, prefix: &str, limit: usize) -> Vec<&StoredTitle> {
        let starting = self.matching(&self.title_starts, prefix, self.title_starts.len());
        let mut seen: HashSet<u32> = starting.iter().copied().collect();
        let mut found = self.by_length(starting);
        if found.len() < limit {
            let inner = self.matching(&self.title_inner_words, prefix, MAX_INNER_SCAN);
            let inner: Vec<u32> = inner.into_iter().filter(|title| seen.insert(*title)).collect();
            found.extend(self.by_length(inner));
        }
        let mut texts = HashSet::new();
        found.into_iter().filter(|t| texts.insert(self.text(t.text))).take(limit).collect()
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

    fn by_length(&self, titles: Vec<u32>) -> Vec<&StoredTitle> {
        let mut found: Vec<&StoredTitle> = titles.into_iter().filter_map(|t| self.titles.get(t as usize)).collect();
        found.sort_by_key(|t| t.text.len);
        found
    }

    fn title_suffix(&self, word: TitleWord) -> &str {
        self.titles.get(word.title as usize).and_then(|t| self.text(t.key).get(word.offset as usize..)).unwrap_or("")
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
