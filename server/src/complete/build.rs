//! Builds the completion index from the stored documents (the local index's, or a cluster's): every
//! document's title, and the phrases of two and four syllables that several documents use ("hội thảo",
//! "bến tre", "sản xuất sạch hơn"). Most Vietnamese words are two syllables, so these are one or two
//! whole words; three syllables would mostly cut a word in half ("hội thảo sản").
//!
//! Phrases never cross punctuation, never start or end with a function word ("của", "và", "các"…), a
//! single letter or a number, and a four-syllable phrase is kept only when both its halves are frequent
//! phrases themselves (two whole words, not "hội thảo có sự"), so they read as things someone would
//! search for. Counting is per document (a phrase repeated in one document counts once); each document
//! contributes its title and the first [`MAX_BODY_WORDS`] words of its body. When too many distinct
//! phrases are being tracked, the rarest are dropped until half the limit is left: first those seen once,
//! then, if that is not enough, those seen twice, and so on (the bar never comes down again). Memory stays
//! bounded on a large archive, and each pruning is paid for by the half-limit of new phrases it makes room
//! for: pruning only the phrases seen once pruned again after every document once an archive had more
//! frequent phrases than the limit (a million synthetic articles did not finish in 15 minutes).

use std::collections::{HashMap, HashSet};

use kho_cluster::{ClusterError, ClusterSearcher};
use kho_core::analysis::normalize::is_combining_mark;
use kho_core::fxhash::FxBuildHasher;
use kho_core::index::KhoIndex;
use tantivy::schema::{Field, Value};
use tantivy::{Searcher, TantivyDocument};

use super::index::{CompletionIndex, Phrase, Title};
use kho_core::analysis::fold_key;

/// Words of a body that count towards phrases.
const MAX_BODY_WORDS: usize = 2_000;
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
    "qua", "ra", "rất", "sau", "sẽ", "sự", "tại", "thì", "theo", "trên", "trong", "trước", "từ", "và", "vào", "về",
    "vì", "với", "ở",
];

/// Reads every stored document the searcher sees.
pub fn build(searcher: &Searcher, index: &KhoIndex) -> tantivy::Result<CompletionIndex> {
    let fields = &index.fields;
    let mut builder = CompletionBuilder::default();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(STORE_CACHE_BLOCKS)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            builder.add(text_of(&doc, fields.id), text_of(&doc, fields.title), &text_of(&doc, fields.body));
        }
    }
    Ok(builder.finish())
}

/// Reads every document of the cluster (`page` per query).
pub fn build_from_cluster(cluster: &ClusterSearcher, page: usize) -> Result<CompletionIndex, ClusterError> {
    let mut builder = CompletionBuilder::default();
    cluster.for_each_document(page, |document| builder.add(document.id, document.title, &document.body))?;
    Ok(builder.finish())
}

/// The titles and phrase counts of documents given one at a time, wherever they are stored.
struct CompletionBuilder {
    titles: Vec<Title>,
    counter: PhraseCounter,
    documents: u64,
}

impl Default for CompletionBuilder {
    fn default() -> CompletionBuilder {
        CompletionBuilder { titles: Vec::new(), counter: PhraseCounter::new(MAX_TRACKED_PHRASES), documents: 0 }
    }
}

impl CompletionBuilder {
    fn add(&mut self, id: String, title: String, body: &str) {
        self.documents += 1;
        self.counter.add_document(&title, body);
        if !title.trim().is_empty() {
            self.titles.push(Title { id, key: fold_key(&title), text: title });
        }
    }

    fn finish(self) -> CompletionIndex {
        // In a handful of documents a phrase used once is still worth suggesting.
        let min_documents = if self.documents >= 10 { 2 } else { 1 };
        CompletionIndex::new(self.counter.into_phrases(min_documents), self.titles)
    }
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned).unwrap_or_default()
}

/// A word's id in the counter's vocabulary.
type WordId = u32;

/// The counting maps hash millions of keys while building: FxHash instead of SipHash. The keys come
/// from the archive, not from requests.
type CountingMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// Counts in how many documents each phrase appears. Words are interned once and phrases counted as
/// packed word ids, so counting allocates nothing per occurrence.
#[derive(Debug)]
struct PhraseCounter {
    /// Distinct phrases tracked before the rarest are dropped.
    max_tracked: usize,
    /// Phrases seen in fewer documents are dropped at the next pruning (raised when dropping those
    /// is not enough).
    keep_from: u32,
    words: Vec<String>,
    /// Ids by written form: both as written ("Bến") and as counted ("bến"), so most lookups allocate
    /// nothing.
    ids: CountingMap<String, WordId>,
    /// Whether each word may stand at the edge of a phrase.
    edge_ok: Vec<bool>,
    pairs: CountingMap<u64, u32>,
    quads: CountingMap<u128, u32>,
    /// Reused between documents: the runs of word ids, and the phrases of one document.
    runs: Vec<Vec<WordId>>,
    doc_pairs: Vec<u64>,
    doc_quads: Vec<u128>,
}

impl PhraseCounter {
    fn new(max_tracked: usize) -> PhraseCounter {
        PhraseCounter {
            max_tracked,
            keep_from: 2,
            words: Vec::new(),
            ids: CountingMap::default(),
            edge_ok: Vec::new(),
            pairs: CountingMap::default(),
            quads: CountingMap::default(),
            runs: Vec::new(),
            doc_pairs: Vec::new(),
            doc_quads: Vec::new(),
        }
    }

    fn add_document(&mut self, title: &str, body: &str) {
        let mut runs = std::mem::take(&mut self.runs);
        runs.clear();
        self.word_runs(title, usize::MAX, &mut runs);
        self.word_runs(body, MAX_BODY_WORDS, &mut runs);
        self.doc_pairs.clear();
        self.doc_quads.clear();
        for run in &runs {
            for w in run.windows(2) {
                if self.edge_ok[w[0] as usize] && self.edge_ok[w[1] as usize] {
                    self.doc_pairs.push(u64::from(w[0]) << 32 | u64::from(w[1]));
                }
            }
            for w in run.windows(4) {
                if self.edge_ok[w[0] as usize] && self.edge_ok[w[3] as usize] {
                    let packed = w.iter().fold(0u128, |acc, id| acc << 32 | u128::from(*id));
                    self.doc_quads.push(packed);
                }
            }
        }
        self.runs = runs;
        self.doc_pairs.sort_unstable();
        self.doc_pairs.dedup();
        self.doc_quads.sort_unstable();
        self.doc_quads.dedup();
        for pair in &self.doc_pairs {
            *self.pairs.entry(*pair).or_insert(0) += 1;
        }
        for quad in &self.doc_quads {
            *self.quads.entry(*quad).or_insert(0) += 1;
        }
        if self.tracked() > self.max_tracked {
            self.prune();
        }
    }

    fn tracked(&self) -> usize {
        self.pairs.len() + self.quads.len()
    }

    /// Drops the rarest phrases until at most half the limit are left.
    fn prune(&mut self) {
        loop {
            let keep_from = self.keep_from;
            self.pairs.retain(|_, count| *count >= keep_from);
            self.quads.retain(|_, count| *count >= keep_from);
            if self.tracked() <= self.max_tracked / 2 {
                return;
            }
            self.keep_from += 1;
        }
    }

    /// Appends the runs of word ids of `text` (punctuation breaks runs), at most `max_words` words.
    fn word_runs(&mut self, text: &str, max_words: usize, runs: &mut Vec<Vec<WordId>>) {
        let mut run: Vec<WordId> = Vec::new();
        let mut word = String::new();
        let mut words = 0;
        for c in text.chars().chain(std::iter::once('.')) {
            if c.is_alphanumeric() || is_combining_mark(c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words += 1;
                if word.chars().count() > MAX_WORD_CHARS {
                    runs.push(std::mem::take(&mut run));
                } else {
                    run.push(self.intern(&word));
                }
                word.clear();
                if words >= max_words {
                    break;
                }
            }
            if !c.is_whitespace() && !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
        if run.len() >= 2 {
            runs.push(run);
        }
    }

    fn intern(&mut self, raw: &str) -> WordId {
        if let Some(id) = self.ids.get(raw) {
            return *id;
        }
        let word = lowercase_unless_acronym(raw);
        if let Some(id) = self.ids.get(&word).copied() {
            self.ids.insert(raw.to_owned(), id);
            return id;
        }
        let id = WordId::try_from(self.words.len()).unwrap_or(WordId::MAX);
        self.edge_ok.push(can_edge_a_phrase(&word));
        self.words.push(word.clone());
        if raw != word {
            self.ids.insert(raw.to_owned(), id);
        }
        self.ids.insert(word, id);
        id
    }

    fn text_of(&self, ids: &[WordId]) -> String {
        ids.iter().map(|id| self.words.get(*id as usize).map_or("", String::as_str)).collect::<Vec<_>>().join(" ")
    }

    /// Phrases in at least `min_documents` documents, the written forms of one key merged ("hoà bình"
    /// and "hòa bình") under the most frequent one; a four-syllable phrase only when both its halves
    /// are phrases.
    fn into_phrases(self, min_documents: u32) -> Vec<Phrase> {
        let mut by_key: HashMap<String, (String, u32, u32)> = HashMap::new();
        let mut add = |text: String, count: u32| {
            let entry = by_key.entry(fold_key(&text)).or_insert_with(|| (text.clone(), 0, 0));
            if count > entry.1 || (count == entry.1 && text < entry.0) {
                entry.0 = text;
                entry.1 = count;
            }
            entry.2 += count;
        };
        // Written forms seen in fewer documents than asked are dropped before merging: nearly all the
        // distinct phrases are seen once, and turning them into text would be most of the work.
        for (pair, count) in self.pairs.iter().filter(|(_, count)| **count >= min_documents) {
            add(self.text_of(&[(pair >> 32) as WordId, *pair as WordId]), *count);
        }
        for (quad, count) in self.quads.iter().filter(|(_, count)| **count >= min_documents) {
            let ids = [(quad >> 96) as WordId, (quad >> 64) as WordId, (quad >> 32) as WordId, *quad as WordId];
            add(self.text_of(&ids), *count);
        }
        let mut phrases: Vec<Phrase> = by_key
            .into_iter()
            .filter(|(_, (_, _, total))| *total >= min_documents)
            .map(|(key, (text, _, documents))| Phrase { key, text, documents })
            .collect();
        let pairs: HashSet<String> =
            phrases.iter().filter(|p| p.key.split(' ').count() == 2).map(|p| p.key.clone()).collect();
        phrases.retain(|p| {
            let words: Vec<&str> = p.key.split(' ').collect();
            words.len() != 4 || (pairs.contains(&words[..2].join(" ")) && pairs.contains(&words[2..].join(" ")))
        });
        phrases.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.key.cmp(&b.key)));
        phrases.truncate(MAX_PHRASES);
        phrases
    }
}

/// A word in lowercase, unless it is an acronym: two to six letters, all capitals, no diacritics.
fn lowercase_unless_acronym(word: &str) -> String {
    let letters = word.chars().count();
    if (2..=6).contains(&letters) && word.chars().all(|c| c.is_ascii_uppercase()) {
        return word.to_owned();
    }
    word.to_lowercase()
}

/// True for a word a phrase may start or end with: not a function word, not one letter, not a number.
fn can_edge_a_phrase(word: &str) -> bool {
    !FUNCTION_WORDS.contains(&word) && word.chars().count() > 1 && !word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(text: &str, max_words: usize) -> Vec<Vec<String>> {
        let mut counter = PhraseCounter::new(MAX_TRACKED_PHRASES);
        let mut runs = Vec::new();
        counter.word_runs(text, max_words, &mut runs);
        runs.iter().map(|run| run.iter().map(|id| counter.words[*id as usize].clone()).collect()).collect()
    }

    #[test]
    fn runs_break_at_punctuation() {
        let runs = runs_of("Sản xuất sạch hơn, tại Bến Tre. Năm 2011 SXSH", usize::MAX);
        assert_eq!(runs, [vec!["sản", "xuất", "sạch", "hơn"], vec!["tại", "bến", "tre"], vec!["năm", "2011", "SXSH"]]);
        assert_eq!(runs_of("một hai ba bốn", 2), [vec!["một", "hai"]]);
    }

    #[test]
    fn counts_documents_and_merges_spellings() {
        let mut counter = PhraseCounter::new(MAX_TRACKED_PHRASES);
        counter.add_document("Hoà bình", "hoà bình và hoà bình");
        counter.add_document("", "Hòa bình của các bạn");
        counter.add_document("", "hoà bình");
        counter.add_document("", "hòa bình");
        counter.add_document("", "hoà bình, một lần: bình yên");
        let phrases = counter.into_phrases(2);
        assert_eq!(phrases, [Phrase { key: "hoa binh".into(), text: "hoà bình".into(), documents: 5 }]);
    }

    #[test]
    fn keeps_four_syllables_only_as_two_frequent_words() {
        let mut counter = PhraseCounter::new(MAX_TRACKED_PHRASES);
        for _ in 0..2 {
            counter.add_document("", "hội thảo sản xuất. hội thảo nhằm giới thiệu. sản xuất");
        }
        let texts: Vec<String> = counter.into_phrases(2).into_iter().map(|p| p.text).collect();
        assert!(texts.contains(&"hội thảo sản xuất".to_owned()), "{texts:?}");
        assert!(!texts.iter().any(|t| t.starts_with("hội thảo nhằm")), "{texts:?}");
    }

    #[test]
    fn pruning_keeps_the_frequent_phrases_within_the_limit() {
        // 40 phrases in every document, 300 documents each with 30 phrases of its own: far more distinct
        // phrases than the limit of 200, most of them seen once.
        let common: Vec<String> = (0..40).map(|i| format!("chung{i} cụm{i}")).collect();
        let mut counter = PhraseCounter::new(200);
        for d in 0..300 {
            let own: Vec<String> = (0..30).map(|i| format!("riêng{d}x{i} mục{d}x{i}")).collect();
            counter.add_document("", &format!("{}. {}", common.join(". "), own.join(". ")));
            assert!(counter.tracked() <= 200, "document {d}: {} tracked", counter.tracked());
        }
        let texts: Vec<String> = counter.into_phrases(2).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 40, "{texts:?}");
        assert!(texts.iter().all(|t| t.starts_with("chung")), "{texts:?}");
    }

    #[test]
    fn pruning_raises_the_bar_when_dropping_singletons_is_not_enough() {
        // Every phrase is seen in two documents: dropping those seen once frees nothing, so the bar
        // rises and the counter still stays within its limit (it pruned after every document before).
        let mut counter = PhraseCounter::new(100);
        for d in 0..200 {
            let text: Vec<String> = (0..20).map(|i| format!("từ{}x{i} ngữ{}x{i}", d / 2, d / 2)).collect();
            counter.add_document("", &text.join(". "));
            assert!(counter.tracked() <= 100, "document {d}: {} tracked", counter.tracked());
        }
        assert!(counter.keep_from > 2, "the bar was raised: {}", counter.keep_from);
    }

    #[test]
    fn edges_skip_function_words_letters_and_numbers() {
        for (word, ok) in
            [("sản", true), ("năm", true), ("SXSH", true), ("của", false), ("và", false), ("a", false), ("2011", false)]
        {
            assert_eq!(can_edge_a_phrase(word), ok, "{word}");
        }
        assert_eq!(lowercase_unless_acronym("SXSH"), "SXSH");
        assert_eq!(lowercase_unless_acronym("HỘI"), "hội");
        assert_eq!(lowercase_unless_acronym("Bến"), "bến");
    }
}
