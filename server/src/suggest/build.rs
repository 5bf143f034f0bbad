//! Builds the suggestion index from what the index stores: every document's title, and the phrases of
//! two and three words that several documents use ("sản xuất sạch hơn", "bến tre", "hội thảo").
//!
//! Phrases never cross punctuation, and never start or end with a function word ("của", "và", "các"…),
//! so they read as things someone would search for. Counting is per document (a phrase repeated in one
//! document counts once); each document contributes its title and the first
//! [`MAX_BODY_WORDS`] words of its body, and when too many distinct phrases are being tracked the ones
//! seen only once are dropped, which keeps memory bounded on a large archive.

use std::collections::{HashMap, HashSet};

use kho_core::analysis::normalize::is_combining_mark;
use kho_core::index::KhoIndex;
use tantivy::schema::{Field, Value};
use tantivy::{Searcher, TantivyDocument};

use super::fold::fold_key;
use super::index::{Phrase, SuggestionIndex, Title};

/// Words of a body that count towards phrases.
const MAX_BODY_WORDS: usize = 5_000;
/// Distinct phrases tracked before those seen in one document only are dropped.
const MAX_TRACKED_PHRASES: usize = 2_000_000;
/// Phrases kept in the index, the most used first.
const MAX_PHRASES: usize = 50_000;
/// Longer "words" are codes or garbage, not something to suggest.
const MAX_WORD_CHARS: usize = 20;
/// Store blocks cached while reading every document in order.
const STORE_CACHE_BLOCKS: usize = 10;

/// Vietnamese function words: a phrase starting or ending with one is not suggested.
const FUNCTION_WORDS: &[&str] = &[
    "bị", "bởi", "các", "cho", "có", "còn", "của", "cũng", "do", "đã", "đang", "để", "đến", "đó", "được", "gồm",
    "giữa", "hay", "hoặc", "khi", "không", "là", "lại", "mà", "một", "này", "nên", "nhằm", "như", "nhưng", "những",
    "qua", "ra", "rất", "sau", "sẽ", "tại", "thì", "theo", "trên", "trong", "trước", "từ", "và", "vào", "về", "vì",
    "với", "ở",
];

/// Reads every stored document the searcher sees.
pub fn build(searcher: &Searcher, index: &KhoIndex) -> tantivy::Result<SuggestionIndex> {
    let fields = &index.fields;
    let mut titles = Vec::new();
    let mut counter = PhraseCounter::default();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(STORE_CACHE_BLOCKS)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let title = text_of(&doc, fields.title);
            counter.add_document(&title, &text_of(&doc, fields.body));
            if !title.trim().is_empty() {
                titles.push(Title { id: text_of(&doc, fields.id), key: fold_key(&title), text: title });
            }
        }
    }
    let min_documents = if searcher.num_docs() >= 10 { 2 } else { 1 };
    Ok(SuggestionIndex::new(counter.into_phrases(min_documents), titles))
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned).unwrap_or_default()
}

/// Counts in how many documents each phrase appears.
#[derive(Debug, Default)]
struct PhraseCounter {
    documents: HashMap<String, u32>,
}

impl PhraseCounter {
    fn add_document(&mut self, title: &str, body: &str) {
        let mut phrases: HashSet<String> = HashSet::new();
        for run in word_runs(title, usize::MAX).into_iter().chain(word_runs(body, MAX_BODY_WORDS)) {
            for size in [2, 3] {
                phrases.extend(run.windows(size).filter(|words| is_phrase(words)).map(|words| words.join(" ")));
            }
        }
        for phrase in phrases {
            *self.documents.entry(phrase).or_insert(0) += 1;
        }
        if self.documents.len() > MAX_TRACKED_PHRASES {
            self.documents.retain(|_, count| *count > 1);
        }
    }

    /// Phrases in at least `min_documents` documents, the written forms of one key merged ("hoà bình"
    /// and "hòa bình") under the most frequent one.
    fn into_phrases(self, min_documents: u32) -> Vec<Phrase> {
        let mut by_key: HashMap<String, (String, u32, u32)> = HashMap::new();
        for (text, count) in self.documents {
            let entry = by_key.entry(fold_key(&text)).or_insert_with(|| (text.clone(), 0, 0));
            if count > entry.1 || (count == entry.1 && text < entry.0) {
                entry.0 = text;
                entry.1 = count;
            }
            entry.2 += count;
        }
        let mut phrases: Vec<Phrase> = by_key
            .into_iter()
            .filter(|(_, (_, _, total))| *total >= min_documents)
            .map(|(key, (text, _, documents))| Phrase { key, text, documents })
            .collect();
        phrases.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.key.cmp(&b.key)));
        phrases.truncate(MAX_PHRASES);
        phrases
    }
}

/// The lowercase words of `text`, in runs that punctuation breaks, at most `max_words` in all.
fn word_runs(text: &str, max_words: usize) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut words = 0;
    for c in text.chars().chain(std::iter::once('.')) {
        if c.is_alphanumeric() || is_combining_mark(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            let finished = std::mem::take(&mut word);
            words += 1;
            if finished.chars().count() > MAX_WORD_CHARS {
                runs.push(std::mem::take(&mut run));
            } else {
                run.push(finished.to_lowercase());
            }
            if words >= max_words {
                break;
            }
        }
        if !c.is_whitespace() {
            runs.push(std::mem::take(&mut run));
        }
    }
    runs.push(run);
    runs.retain(|r| r.len() >= 2);
    runs
}

/// True for words worth suggesting together: no function word at either end, no one-letter word, and
/// not only numbers.
fn is_phrase(words: &[String]) -> bool {
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return false };
    !FUNCTION_WORDS.contains(&first.as_str())
        && !FUNCTION_WORDS.contains(&last.as_str())
        && words.iter().all(|w| w.chars().count() > 1)
        && !words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_punctuation() {
        let runs = word_runs("Sản xuất sạch hơn, tại Bến Tre. Năm 2011", usize::MAX);
        assert_eq!(runs, [vec!["sản", "xuất", "sạch", "hơn"], vec!["tại", "bến", "tre"], vec!["năm", "2011"]]);
        assert_eq!(word_runs("một hai ba bốn", 2), [vec!["một", "hai"]]);
    }

    #[test]
    fn counts_documents_and_merges_spellings() {
        let mut counter = PhraseCounter::default();
        counter.add_document("Hoà bình", "hoà bình và hoà bình");
        counter.add_document("", "Hòa bình của các bạn");
        counter.add_document("", "hoà bình");
        let phrases = counter.into_phrases(2);
        assert_eq!(phrases, [Phrase { key: "hoa binh".into(), text: "hoà bình".into(), documents: 3 }]);
    }

    #[test]
    fn skips_function_words_at_the_edges() {
        let words = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert!(is_phrase(&words("sản xuất")));
        assert!(is_phrase(&words("sản xuất sạch")));
        assert!(!is_phrase(&words("của doanh")));
        assert!(!is_phrase(&words("doanh nghiệp và")));
        assert!(!is_phrase(&words("2011 2012")));
        assert!(is_phrase(&words("năm 2011")));
    }
}
