//! A known-item set built from the news articles of `vietnews/val.jsonl.gz`: a reader remembers a
//! sentence of an article they read and types what they remember of it; the one relevant document is
//! that article.
//!
//! - Documents: every article of the val split, title as title and the abstract, a blank line and the body
//!   as text (as Kho's JSON Lines import puts them).
//! - Queries: one for every k-th article (k = articles / queries), or the next article of its stride
//!   when it has no long enough sentence. A body sentence (split after `.`, `!` or `?` followed by white
//!   space, and at line ends) of at least [`MIN_SENTENCE_WORDS`] words is drawn at random, and a window of
//!   [`WINDOW`] consecutive words of it (each stripped of surrounding punctuation) is the query. Every
//!   second query is *misremembered*: one of its words is replaced by a random word of another article
//!   that the target does not contain (compared lowercased and without diacritics), and another word is
//!   dropped, so the target lacks a query word and the query lacks one of the sentence's words.
//! - Judgments: the article itself, gain 1. Near-duplicate articles are not judged relevant.
//!
//! Every draw comes from [`SplitMix64`] seeded by [`SEED`] and the query's number, so the set is the
//! same on every run and machine.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Result};
use kho_core::analysis::{fold_diacritics, normalize_text};
use serde::Deserialize;

use crate::beir::{BeirSet, Document, Judgments, Query};

/// The set's name in reports and in `--set`'s error message.
pub const NAME: &str = "vietnews-val known-item";
/// What `--set` selects it by.
pub const KEY: &str = "known-item";
/// The articles, relative to the data folder.
const FILE: &str = "vietnews/val.jsonl.gz";
/// The split whose articles are used.
const SPLIT: &str = "val";
/// Words in a remembered window.
pub const WINDOW: usize = 12;
/// The fewest words of a sentence a window is taken from.
pub const MIN_SENTENCE_WORDS: usize = 14;
/// The seed of every draw.
const SEED: u64 = 0x6b68_6f2d_6576_616c;
/// Draws of a replacement word before giving up on misremembering a query.
const REPLACEMENT_DRAWS: usize = 1000;

#[derive(Debug, Clone, Deserialize)]
struct Article {
    id: String,
    #[serde(default)]
    split: String,
    #[serde(default)]
    title: String,
    #[serde(default, rename = "abstract")]
    summary: String,
    #[serde(default)]
    body: String,
}

impl Article {
    /// The document Kho's import makes of the article.
    fn into_document(self) -> Document {
        let summary = self.summary.trim();
        let text = if summary.is_empty() { self.body } else { format!("{summary}\n\n{}", self.body) };
        Document { id: self.id, title: self.title, text }
    }
}

/// Loads the val articles of `data` and builds `queries` known-item queries over them.
pub fn load(data: &Path, queries: usize) -> Result<BeirSet> {
    let path = data.join(FILE);
    let articles = read_articles(&path)?;
    if articles.len() < 2 {
        bail!("{}: {} articles of the {SPLIT} split, need at least 2", path.display(), articles.len());
    }
    let queries = build_queries(&articles, queries)?;
    if queries.is_empty() {
        bail!("{}: no article has a sentence of {MIN_SENTENCE_WORDS} words", path.display());
    }
    let documents = articles.into_iter().map(Article::into_document).collect();
    Ok(BeirSet { name: NAME.to_owned(), documents, queries })
}

fn read_articles(path: &Path) -> Result<Vec<Article>> {
    kho_baselines::data::read_jsonl_gz(path, |article: &Article| article.split == SPLIT)
}

/// `wanted` queries (fewer if some strides have no long sentence), one per stride of articles.
fn build_queries(articles: &[Article], wanted: usize) -> Result<Vec<Query>> {
    if wanted == 0 || wanted > articles.len() {
        bail!("asked for {wanted} known-item queries over {} articles: expected 1 to {0}", articles.len());
    }
    let stride = articles.len() / wanted;
    let mut queries = Vec::with_capacity(wanted);
    for number in 0..wanted {
        let mut rng = SplitMix64::new(SEED ^ number as u64);
        let stride_articles = number * stride..(number + 1) * stride;
        let Some((target, sentences)) =
            stride_articles.map(|i| (i, long_sentences(&articles[i].body))).find(|(_, s)| !s.is_empty())
        else {
            continue;
        };
        let sentence = &sentences[rng.below(sentences.len())];
        let start = rng.below(sentence.len() - WINDOW + 1);
        let mut words: Vec<String> = sentence[start..start + WINDOW].iter().map(|w| (*w).to_owned()).collect();
        if number % 2 == 1 {
            misremember(&mut words, articles, target, &mut rng);
        }
        let id = articles[target].id.clone();
        // Half the questions (two in every four: as many remembered well as misremembered) train the
        // reranker; the others are held out to report on.
        let training = number / 2 % 2 == 0;
        queries.push(Query { text: words.join(" "), judgments: Judgments::from([(id.clone(), 1.0)]), id, training });
    }
    Ok(queries)
}

/// Replaces one word by a word of another article that `target` does not contain, and drops another.
/// Leaves the words as they are if no such word turns up in [`REPLACEMENT_DRAWS`] draws.
fn misremember(words: &mut Vec<String>, articles: &[Article], target: usize, rng: &mut SplitMix64) {
    let article = &articles[target];
    let own: HashSet<String> = [&article.title, &article.summary, &article.body]
        .into_iter()
        .flat_map(|text| text.split_whitespace().map(strip_punctuation))
        .map(comparable)
        .collect();
    let replaced = rng.below(words.len());
    let replacement = (0..REPLACEMENT_DRAWS).find_map(|_| {
        let other = rng.below(articles.len() - 1);
        let other = if other >= target { other + 1 } else { other };
        let candidates: Vec<&str> = articles[other]
            .body
            .split_whitespace()
            .map(strip_punctuation)
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let word = candidates[rng.below(candidates.len())];
        (!own.contains(&comparable(word))).then(|| word.to_owned())
    });
    let Some(replacement) = replacement else { return };
    words[replaced] = replacement;
    let dropped = rng.below(words.len() - 1);
    words.remove(if dropped >= replaced { dropped + 1 } else { dropped });
}

/// A word as compared with the target's words: NFC, lowercase, without diacritics.
fn comparable(word: &str) -> String {
    fold_diacritics(&normalize_text(word).to_lowercase()).into_owned()
}

/// The sentences of `body` with at least [`MIN_SENTENCE_WORDS`] words, each as its words.
fn long_sentences(body: &str) -> Vec<Vec<&str>> {
    sentences(body)
        .into_iter()
        .map(|sentence| sentence.split_whitespace().map(strip_punctuation).filter(|w| !w.is_empty()).collect())
        .filter(|words: &Vec<&str>| words.len() >= MIN_SENTENCE_WORDS)
        .collect()
}

/// `text` cut after `.`, `!` or `?` followed by white space (or the end), and after every line break.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_space = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && at_space) {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    out.push(&text[start..]);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The word without the punctuation around it ("(Hà Nội)," → "Hà", "Nội").
fn strip_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Sebastiano Vigna's splitmix64: small, fast and good enough for drawing test queries.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is negligible for the small `n` used here.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            split: SPLIT.into(),
            title: format!("Tiêu đề {id}"),
            summary: "Tóm tắt.".into(),
            body: body.into(),
        }
    }

    const LONG: &str = "Một hai ba bốn năm sáu bảy tám chín mười mười_một mười_hai mười_ba mười_bốn mười_lăm.";

    #[test]
    fn splitmix64_matches_the_reference() {
        // The reference implementation's first outputs for seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(first, [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423]);
    }

    #[test]
    fn sentences_end_at_stops_before_spaces_and_at_lines() {
        assert_eq!(
            sentences("Ông A. Bình nói: 3.5 tỷ! Thật sao? Vâng\nDòng mới."),
            ["Ông A.", " Bình nói: 3.5 tỷ!", " Thật sao?", " Vâng\n", "Dòng mới."]
        );
        assert_eq!(strip_punctuation("(Hà"), "Hà");
        assert_eq!(strip_punctuation("2019),"), "2019");
        assert_eq!(strip_punctuation("–"), "");
    }

    #[test]
    fn only_sentences_of_fourteen_words_count() {
        let body = format!("Câu ngắn có vài từ thôi. {LONG} Một – hai ba bốn năm sáu bảy tám chín mười mười_một.");
        let long = long_sentences(&body);
        assert_eq!(long.len(), 1);
        assert_eq!(long[0].len(), 15);
        assert_eq!(long[0][14], "mười_lăm");
    }

    #[test]
    fn documents_put_the_abstract_before_the_body() {
        let document = article("a", "Thân bài.").into_document();
        assert_eq!((document.title.as_str(), document.text.as_str()), ("Tiêu đề a", "Tóm tắt.\n\nThân bài."));
        let document = Article { summary: " ".into(), ..article("b", "Thân bài.") }.into_document();
        assert_eq!(document.text, "Thân bài.");
    }

    #[test]
    fn queries_are_windows_and_every_second_is_misremembered() {
        let articles: Vec<Article> = (0..8)
            .map(|i| {
                let other = format!("Từ_lạ_{i} khác_{i} nữa_{i} thêm_{i}.");
                article(&format!("n{i}"), &format!("Ngắn thôi. {LONG} {other}"))
            })
            .collect();
        let queries = build_queries(&articles, 4).unwrap();
        assert_eq!(queries.len(), 4);
        let sentence: Vec<&str> = LONG.trim_end_matches('.').split(' ').collect();
        for (number, query) in queries.iter().enumerate() {
            assert_eq!(query.id, format!("n{}", number * 2));
            assert_eq!(query.judgments, Judgments::from([(query.id.clone(), 1.0)]));
            let words: Vec<&str> = query.text.split(' ').collect();
            let foreign: Vec<&&str> = words.iter().filter(|w| !sentence.contains(w)).collect();
            if number % 2 == 0 {
                assert_eq!(words.len(), WINDOW, "{query:?}");
                assert!(foreign.is_empty(), "{query:?}");
                let start = sentence.iter().position(|w| *w == words[0]).unwrap();
                assert_eq!(words, sentence[start..start + WINDOW]);
            } else {
                assert_eq!(words.len(), WINDOW - 1, "{query:?}");
                assert_eq!(foreign.len(), 1, "{query:?}");
                assert!(!foreign[0].ends_with(&format!("_{}", number * 2)), "from another article: {query:?}");
            }
        }
        assert_eq!(build_queries(&articles, 4).unwrap(), queries, "deterministic");
    }

    #[test]
    fn strides_without_a_long_sentence_use_their_next_article_or_are_skipped() {
        let articles =
            vec![article("short", "Ngắn."), article("long", LONG), article("none", "Ngắn."), article("x", "Ngắn.")];
        let queries = build_queries(&articles, 2).unwrap();
        assert_eq!(queries.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), ["long"]);
        assert!(build_queries(&articles, 0).is_err());
        assert!(build_queries(&articles, 5).is_err());
    }
}
