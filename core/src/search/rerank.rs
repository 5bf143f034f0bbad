//! The second stage of ranking: the best [`RERANK_DEPTH`] documents of the first stage (the tantivy
//! query of `query::build`, a sum of BM25 clauses) are ordered again by a learned linear model over
//! features read from the index for each of them.
//!
//! A BM25 sum sees each word alone. Someone who remembers a sentence, or asks a question in their own
//! words, types words that stand together in the document they want: the features below measure that
//! (how much of the query, weighted by how telling each word is, the document has; the longest run of
//! query words it has in the same order; the densest window of query words; its word pairs), besides
//! BM25 with other saturation and length settings than tantivy's fixed ones.
//!
//! Every feature is read from postings (term frequencies and positions of the `body` field, the exact
//! and title fields, the pairs field) and field norms of the candidate documents only, so the stage costs
//! a few postings seeks per query word and candidate, not a re-analysis of stored text. Features are
//! scaled per query (to 0..1 where they have a natural bound), so one set of weights serves short and
//! long queries alike.
//!
//! The weights ([`MODEL`]) are learned by `kho-eval train` (coordinate ascent on nDCG@10) on the
//! training queries of the labelled sets and the known-item set of the news val split; docs/relevance.md
//! reports the held-out queries apart.

use std::collections::HashMap;

use tantivy::postings::Postings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term, TERMINATED};

use crate::analysis::{analyze, fold_diacritics, has_diacritics, Form};
use crate::query::{asking_words, Item, ParsedQuery};
use crate::schema::KhoSchema;

/// How many of the first stage's best documents are ordered again.
pub const RERANK_DEPTH: usize = 100;

/// The names of the features, in the order of [`Features`].
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "first_stage",
    "bm25_body",
    "bm25_body_flat",
    "bm25_title",
    "coverage",
    "coverage_count",
    "title_coverage",
    "pair_coverage",
    "exact_coverage",
    "longest_run",
    "window",
    "log_length",
    "lead_coverage",
    "opening_coverage",
    "bigrams",
    "lead_bigrams",
    "title_bigrams",
    "wrong_diacritics",
];

/// How many features a document has.
pub const FEATURE_COUNT: usize = 18;
/// The index of `wrong_diacritics`.
const WRONG_DIACRITICS: usize = 17;
/// The features whose weights are learned: all but the last, `wrong_diacritics`, whose weight is set by
/// hand ([`WRONG_DIACRITICS_WEIGHT`]).
pub const LEARNED_FEATURES: usize = 17;
/// The weight of `wrong_diacritics`: the share of the query's accented words a document has only with
/// other diacritics ("sách" for a query "sạch"), set by hand (the labelled sets hardly ever tell the two
/// apart). Counting such words as missing in every feature and ordering their documents last was tried
/// and cost 0.25 nDCG@10 on accented ALQAC questions (kho-eval), so it only lowers the score.
pub const WRONG_DIACRITICS_WEIGHT: f32 = -1.0;

/// One candidate's features, in the order of [`FEATURE_NAMES`].
pub type Features = [f32; FEATURE_COUNT];

/// The weights of the features (see the module doc), in the order of [`FEATURE_NAMES`]: learned by
/// `kho-eval --train`, then [`WRONG_DIACRITICS_WEIGHT`].
pub const MODEL: Features = [
    1.323,
    0.672,
    0.283,
    -0.88,
    -0.093,
    0.063,
    -0.473,
    0.817,
    -0.348,
    2.04,
    1.128,
    0.305,
    0.36,
    0.617,
    -0.06,
    0.058,
    0.027,
    WRONG_DIACRITICS_WEIGHT,
];

/// The score of a candidate under `weights`.
pub fn model_score(weights: &Features, features: &Features) -> f32 {
    weights.iter().zip(features).map(|(w, f)| w * f).sum()
}

/// BM25's saturation and length normalization.
#[derive(Clone, Copy)]
struct Bm25 {
    k1: f32,
    b: f32,
}

/// tantivy's own settings.
const BM25_DEFAULT: Bm25 = Bm25 { k1: 1.2, b: 0.75 };
/// Quicker saturation, little length normalization: long legal articles and news are not punished for
/// being long when they hold the words.
const BM25_FLAT: Bm25 = Bm25 { k1: 0.9, b: 0.3 };

impl Bm25 {
    /// The term-frequency part of one word's score, scaled to 0..1.
    fn saturate(self, tf: u32, length: u32, average_length: f32) -> f32 {
        if tf == 0 {
            return 0.0;
        }
        let tf = tf as f32;
        let norm = self.k1 * (1.0 - self.b + self.b * length as f32 / average_length.max(1.0));
        tf / (tf + norm)
    }
}

/// Longest window (in words) searched for the densest group of query words, as a multiple of the
/// query's distinct words.
const WINDOW_PER_WORD: u32 = 3;

/// The body's first words, where a legal article has its heading and a news article its lead.
const LEAD_WORDS: u32 = 16;
/// The body's opening: a news article's abstract, a legal article's first clause.
const OPENING_WORDS: u32 = 64;

/// The words of a query as the features see them.
struct QueryWords {
    /// Folded tokens in the order typed (phrases and words alike), for runs and windows.
    sequence: Vec<usize>,
    /// Distinct folded tokens; `sequence` holds indexes into this.
    distinct: Vec<String>,
    /// Distinct exact tokens of the words typed with diacritics.
    exact: Vec<String>,
    /// For each of `exact`, its folded form's index in `distinct`.
    exact_folded: Vec<Option<usize>>,
    /// Distinct pairs of adjacent words ("nuoc_thai").
    pairs: Vec<String>,
}

impl QueryWords {
    /// The first item of each group (what was typed; synonyms and alternatives are the first stage's).
    fn of(parsed: &ParsedQuery) -> QueryWords {
        let mut distinct: Vec<String> = Vec::new();
        let mut sequence = Vec::new();
        let mut exact: Vec<String> = Vec::new();
        let mut typed = Vec::new();
        let items: Vec<&Item> = parsed.groups.iter().filter_map(|group| group.first()).collect();
        let texts: Vec<&str> = items.iter().map(|item| item.text()).collect();
        // Question words ("là gì", "đúng hay sai") say nothing of the answer; a quoted phrase is kept whole.
        let asking = asking_words(&texts);
        for ((item, &text), asking) in items.iter().zip(&texts).zip(asking) {
            if asking && matches!(item, Item::Word(_)) {
                continue;
            }
            typed.push(text);
            for token in analyze(text, Form::Folded) {
                let index = match distinct.iter().position(|t| *t == token) {
                    Some(index) => index,
                    None => {
                        distinct.push(token);
                        distinct.len() - 1
                    }
                };
                sequence.push(index);
            }
            if has_diacritics(text) {
                exact.extend(analyze(text, Form::Exact));
            }
        }
        exact.sort();
        exact.dedup();
        let exact_folded = exact
            .iter()
            .map(|token| {
                let folded = fold_diacritics(token);
                distinct.iter().position(|t| *t == folded)
            })
            .collect();
        let mut pairs = analyze(&typed.join(" "), Form::Pairs);
        pairs.sort();
        pairs.dedup();
        QueryWords { sequence, distinct, exact, exact_folded, pairs }
    }
}

/// Index-wide statistics of the query's words.
struct Statistics {
    /// Inverse document frequency of each distinct folded word, in `body`.
    body_idf: Vec<f32>,
    title_idf: Vec<f32>,
    exact_idf: Vec<f32>,
    pair_idf: Vec<f32>,
    average_body: f32,
    average_title: f32,
}

fn idf(stats: &dyn Bm25StatisticsProvider, field: Field, token: &str) -> tantivy::Result<f32> {
    let documents = stats.total_num_docs()?.max(1) as f32;
    let frequency = stats.doc_freq(&Term::from_field_text(field, token))? as f32;
    Ok((1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln())
}

fn idfs(stats: &dyn Bm25StatisticsProvider, field: Field, tokens: &[String]) -> tantivy::Result<Vec<f32>> {
    tokens.iter().map(|token| idf(stats, field, token)).collect()
}

fn average_length(stats: &dyn Bm25StatisticsProvider, field: Field) -> tantivy::Result<f32> {
    Ok(stats.total_num_tokens(field)? as f32 / stats.total_num_docs()?.max(1) as f32)
}

impl Statistics {
    fn of(stats: &dyn Bm25StatisticsProvider, fields: &KhoSchema, words: &QueryWords) -> tantivy::Result<Statistics> {
        Ok(Statistics {
            body_idf: idfs(stats, fields.body, &words.distinct)?,
            title_idf: idfs(stats, fields.title, &words.distinct)?,
            exact_idf: idfs(stats, fields.body_exact, &words.exact)?,
            pair_idf: idfs(stats, fields.pairs, &words.pairs)?,
            average_body: average_length(stats, fields.body)?,
            average_title: average_length(stats, fields.title)?,
        })
    }
}

/// The index-wide statistics of a searcher as the reranker has always read them: live documents only
/// (tantivy's own provider counts deleted ones too, for BM25).
pub struct LiveStatistics<'a>(pub &'a Searcher);

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut tokens = 0u64;
        for segment in self.0.segment_readers() {
            tokens += segment.inverted_index(field)?.total_num_tokens();
        }
        Ok(tokens)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.0.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.0.doc_freq(term)
    }
}

/// What the index holds of the query's words for one candidate.
#[derive(Clone, Default)]
struct Matches {
    /// Positions in `body` of each distinct folded word.
    body_positions: Vec<Vec<u32>>,
    /// Positions in `title` of each distinct folded word.
    title_positions: Vec<Vec<u32>>,
    title_tf: Vec<u32>,
    exact_found: Vec<bool>,
    pair_found: Vec<bool>,
    body_length: u32,
    title_length: u32,
}

/// Reads the matches of every candidate of one segment (`docs` ascending).
fn read_matches(
    segment: &SegmentReader,
    fields: &KhoSchema,
    words: &QueryWords,
    docs: &[DocId],
) -> tantivy::Result<Vec<Matches>> {
    let mut matches: Vec<Matches> = docs
        .iter()
        .map(|_| Matches {
            body_positions: vec![Vec::new(); words.distinct.len()],
            title_positions: vec![Vec::new(); words.distinct.len()],
            title_tf: vec![0; words.distinct.len()],
            exact_found: vec![false; words.exact.len()],
            pair_found: vec![false; words.pairs.len()],
            ..Matches::default()
        })
        .collect();
    let body_norms = segment.get_fieldnorms_reader(fields.body)?;
    let title_norms = segment.get_fieldnorms_reader(fields.title)?;
    for (m, &doc) in matches.iter_mut().zip(docs) {
        m.body_length = body_norms.fieldnorm(doc);
        m.title_length = title_norms.fieldnorm(doc);
    }
    let body = segment.inverted_index(fields.body)?;
    let title = segment.inverted_index(fields.title)?;
    for (w, token) in words.distinct.iter().enumerate() {
        let term = Term::from_field_text(fields.body, token);
        if let Some(mut postings) = body.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)? {
            each_match(&mut postings, docs, |i, postings| postings.positions(&mut matches[i].body_positions[w]));
        }
        let term = Term::from_field_text(fields.title, token);
        if let Some(mut postings) = title.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)? {
            each_match(&mut postings, docs, |i, postings| {
                matches[i].title_tf[w] = postings.term_freq();
                postings.positions(&mut matches[i].title_positions[w]);
            });
        }
    }
    let exact_fields = [fields.body_exact, fields.title_exact];
    for field in exact_fields {
        let inverted = segment.inverted_index(field)?;
        for (e, token) in words.exact.iter().enumerate() {
            let term = Term::from_field_text(field, token);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                each_match(&mut postings, docs, |i, _| matches[i].exact_found[e] = true);
            }
        }
    }
    let pairs = segment.inverted_index(fields.pairs)?;
    for (p, token) in words.pairs.iter().enumerate() {
        let term = Term::from_field_text(fields.pairs, token);
        if let Some(mut postings) = pairs.read_postings(&term, IndexRecordOption::Basic)? {
            each_match(&mut postings, docs, |i, _| matches[i].pair_found[p] = true);
        }
    }
    Ok(matches)
}

/// Calls `found(i, postings)` for each `docs[i]` the postings hold (`docs` ascending).
fn each_match<P: Postings>(postings: &mut P, docs: &[DocId], mut found: impl FnMut(usize, &mut P)) {
    for (i, &doc) in docs.iter().enumerate() {
        if postings.doc() == TERMINATED {
            return;
        }
        if postings.doc() < doc && postings.seek(doc) == TERMINATED {
            return;
        }
        if postings.doc() == doc {
            found(i, postings);
        }
    }
}

/// The share of `weights` whose flag is set; 0 when there is no weight.
fn weighted_share(weights: &[f32], found: impl Iterator<Item = bool>) -> f32 {
    let total: f32 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    weights.iter().zip(found).filter(|(_, f)| *f).map(|(w, _)| w).sum::<f32>() / total
}

/// The longest run of consecutive query tokens found at consecutive positions of the body, as a share of
/// the query's tokens.
fn longest_run(sequence: &[usize], positions: &[Vec<u32>]) -> f32 {
    if sequence.is_empty() {
        return 0.0;
    }
    let mut best = 0usize;
    // Runs ending at each position of the previous query token.
    let mut previous: HashMap<u32, usize> = HashMap::new();
    for &word in sequence {
        let mut current: HashMap<u32, usize> = HashMap::with_capacity(positions[word].len());
        for &position in &positions[word] {
            let run = position.checked_sub(1).and_then(|p| previous.get(&p)).map_or(1, |run| run + 1);
            best = best.max(run);
            current.insert(position, run);
        }
        previous = current;
    }
    best as f32 / sequence.len() as f32
}

/// The densest window of the body: the largest share of the query's word weight (each distinct word
/// once) within a window of [`WINDOW_PER_WORD`] words per distinct query word.
fn densest_window(idf: &[f32], positions: &[Vec<u32>]) -> f32 {
    let total: f32 = idf.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut occurrences: Vec<(u32, usize)> =
        positions.iter().enumerate().flat_map(|(w, ps)| ps.iter().map(move |&p| (p, w))).collect();
    occurrences.sort_unstable();
    let width = WINDOW_PER_WORD * idf.len() as u32;
    let mut counts = vec![0u32; idf.len()];
    let mut weight = 0.0f32;
    let mut best = 0.0f32;
    let mut start = 0;
    for end in 0..occurrences.len() {
        let (position, word) = occurrences[end];
        if counts[word] == 0 {
            weight += idf[word];
        }
        counts[word] += 1;
        while occurrences[start].0 + width <= position {
            let gone = occurrences[start].1;
            counts[gone] -= 1;
            if counts[gone] == 0 {
                weight -= idf[gone];
            }
            start += 1;
        }
        best = best.max(weight);
    }
    best / total
}

/// The share of the query's word weight found within the body's first `words` positions.
fn lead_share(idf: &[f32], positions: &[Vec<u32>], words: u32) -> f32 {
    weighted_share(idf, positions.iter().map(|ps| ps.first().is_some_and(|p| *p < words)))
}

/// The weighted share of the query's adjacent word pairs (each weighted by its words' weight) that
/// `found(a, b)` scores, 0..1 each; 0 when there is no pair.
fn pair_share(sequence: &[usize], idf: &[f32], mut found: impl FnMut(usize, usize) -> f32) -> f32 {
    let mut total = 0.0;
    let mut share = 0.0;
    for pair in sequence.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a == b {
            continue;
        }
        let weight = idf[a] + idf[b];
        total += weight;
        share += weight * found(a, b);
    }
    if total <= 0.0 {
        return 0.0;
    }
    share / total
}

/// Adjacent query words found adjacent in the body, in order, each pair weighted by its words' weight
/// and its count saturated as BM25 does; scaled to 0..1.
fn bigrams(sequence: &[usize], idf: &[f32], positions: &[Vec<u32>], length: u32, average: f32) -> f32 {
    pair_share(sequence, idf, |a, b| {
        let count = positions[a].iter().filter(|p| positions[b].binary_search(&(**p + 1)).is_ok()).count();
        BM25_DEFAULT.saturate(count as u32, length, average)
    })
}

/// Adjacent query words found adjacent, in order, within the first `limit` positions of a field (a
/// legal article's heading, a regulation's title): the share of the query's pair weight found there.
fn bigrams_within(sequence: &[usize], idf: &[f32], positions: &[Vec<u32>], limit: u32) -> f32 {
    pair_share(sequence, idf, |a, b| {
        let adjacent = positions[a]
            .iter()
            .take_while(|p| **p < limit.saturating_sub(1))
            .any(|p| positions[b].binary_search(&(*p + 1)).is_ok());
        if adjacent {
            1.0
        } else {
            0.0
        }
    })
}

fn bm25(settings: Bm25, idf: &[f32], tf: impl Iterator<Item = u32>, length: u32, average: f32) -> f32 {
    let total: f32 = idf.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    idf.iter().zip(tf).map(|(w, tf)| w * settings.saturate(tf, length, average)).sum::<f32>() / total
}

fn features_of(words: &QueryWords, stats: &Statistics, first_stage: f32, found: &Matches) -> Features {
    let wrong = wrong_diacritics(words, found);
    // Measured with kho-eval: counting such words as missing (and ordering their documents last) cost
    // 0.25 nDCG@10 on accented ALQAC questions, so the feature only informs the score.
    let m = found;
    let body_tf = || m.body_positions.iter().map(|p| p.len() as u32);
    let in_body = || m.body_positions.iter().map(|p| !p.is_empty());
    let anywhere = || in_body().zip(&m.title_tf).map(|(b, t)| b || *t > 0);
    let matched = anywhere().filter(|f| *f).count();
    [
        first_stage,
        bm25(BM25_DEFAULT, &stats.body_idf, body_tf(), m.body_length, stats.average_body),
        bm25(BM25_FLAT, &stats.body_idf, body_tf(), m.body_length, stats.average_body),
        bm25(BM25_DEFAULT, &stats.title_idf, m.title_tf.iter().copied(), m.title_length, stats.average_title),
        weighted_share(&stats.body_idf, anywhere()),
        matched as f32 / words.distinct.len().max(1) as f32,
        weighted_share(&stats.title_idf, m.title_tf.iter().map(|tf| *tf > 0)),
        weighted_share(&stats.pair_idf, m.pair_found.iter().copied()),
        weighted_share(&stats.exact_idf, m.exact_found.iter().copied()),
        longest_run(&words.sequence, &m.body_positions),
        densest_window(&stats.body_idf, &m.body_positions),
        (1.0 + m.body_length as f32).ln() / 10.0,
        lead_share(&stats.body_idf, &m.body_positions, LEAD_WORDS),
        lead_share(&stats.body_idf, &m.body_positions, OPENING_WORDS),
        bigrams(&words.sequence, &stats.body_idf, &m.body_positions, m.body_length, stats.average_body),
        bigrams_within(&words.sequence, &stats.body_idf, &m.body_positions, LEAD_WORDS),
        bigrams_within(&words.sequence, &stats.title_idf, &m.title_positions, u32::MAX),
        wrong,
    ]
}

/// Whether each distinct folded word stands for accented words of the query none of which the document
/// has as typed: it then has that word only with other diacritics ("sách" for "sạch").
fn wrongly_accented(words: &QueryWords, m: &Matches) -> Vec<bool> {
    let mut typed = vec![false; words.distinct.len()];
    let mut as_typed = vec![false; words.distinct.len()];
    for (folded, found) in words.exact_folded.iter().zip(&m.exact_found) {
        if let Some(w) = *folded {
            typed[w] = true;
            as_typed[w] |= *found;
        }
    }
    typed.into_iter().zip(as_typed).map(|(typed, found)| typed && !found).collect()
}

/// The share of the query's accented words the document has only with other diacritics.
fn wrong_diacritics(words: &QueryWords, m: &Matches) -> f32 {
    let accented = wrongly_accented(words, m);
    let typed = words.exact_folded.iter().flatten().count();
    let wrong = accented
        .iter()
        .enumerate()
        .filter(|(w, wrong)| **wrong && (!m.body_positions[*w].is_empty() || m.title_tf[*w] > 0))
        .count();
    wrong as f32 / typed.max(1) as f32
}

/// The features of each candidate, in the order given. `candidates` are the first stage's (score,
/// address), best first; its scores are scaled by the best one. `stats` gives the index-wide
/// frequencies and lengths ([`LiveStatistics`] of `searcher`, or a whole cluster's).
pub fn candidate_features(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    fields: &KhoSchema,
    parsed: &ParsedQuery,
    candidates: &[(Score, DocAddress)],
) -> tantivy::Result<Vec<Features>> {
    let words = QueryWords::of(parsed);
    let stats = Statistics::of(stats, fields, &words)?;
    let best = candidates.iter().map(|(s, _)| *s).fold(0.0f32, f32::max);
    let mut by_segment: HashMap<u32, Vec<(DocId, usize)>> = HashMap::new();
    for (i, (_, address)) in candidates.iter().enumerate() {
        by_segment.entry(address.segment_ord).or_default().push((address.doc_id, i));
    }
    let mut features = vec![[0.0; FEATURE_COUNT]; candidates.len()];
    for (segment_ord, mut docs) in by_segment {
        docs.sort_unstable();
        let ids: Vec<DocId> = docs.iter().map(|(doc, _)| *doc).collect();
        let segment = searcher.segment_reader(segment_ord);
        let matches = read_matches(segment, fields, &words, &ids)?;
        for ((_, i), m) in docs.iter().zip(&matches) {
            let first_stage = if best > 0.0 { candidates[*i].0 / best } else { 0.0 };
            features[*i] = features_of(&words, &stats, first_stage, m);
        }
    }
    Ok(features)
}

/// Orders `candidates` (the first stage's best first) by the model; each gets its model score.
pub fn rerank(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    fields: &KhoSchema,
    parsed: &ParsedQuery,
    candidates: Vec<(Score, DocAddress)>,
    weights: &Features,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let features = candidate_features(searcher, stats, fields, parsed, &candidates)?;
    let mut scored: Vec<(bool, Score, usize, DocAddress)> = candidates
        .iter()
        .zip(&features)
        .enumerate()
        .map(|(rank, ((_, address), f))| (f[WRONG_DIACRITICS] > 0.0, model_score(weights, f), rank, *address))
        .collect();
    // Ties keep the first stage's order.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    Ok(scored.into_iter().map(|(_, score, _, address)| (score, address)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_run_counts_words_in_order() {
        // query "a b c d": a at 10, b at 11, c at 12, d far away; and a b elsewhere.
        let positions = vec![vec![3, 10], vec![4, 11], vec![12], vec![40]];
        let cases: Vec<(Vec<usize>, f32)> =
            vec![(vec![0, 1, 2, 3], 0.75), (vec![3, 2, 1, 0], 0.25), (vec![0, 1], 1.0), (vec![], 0.0)];
        for (sequence, expected) in cases {
            assert_eq!(longest_run(&sequence, &positions), expected, "sequence {sequence:?}");
        }
    }

    #[test]
    fn densest_window_weighs_distinct_words_close_together() {
        let idf = [1.0, 1.0, 2.0];
        let cases: Vec<(Vec<Vec<u32>>, f32)> = vec![
            // All three within 9 words.
            (vec![vec![0], vec![4], vec![8]], 1.0),
            // The rare word far away: the two common ones are half the weight.
            (vec![vec![0], vec![1], vec![100]], 0.5),
            (vec![vec![], vec![], vec![]], 0.0),
            // A word repeated counts once.
            (vec![vec![0, 1, 2], vec![], vec![]], 0.25),
        ];
        for (positions, expected) in cases {
            assert_eq!(densest_window(&idf, &positions), expected, "positions {positions:?}");
        }
    }

    #[test]
    fn wrong_diacritics_count_words_found_only_folded() {
        let parsed = crate::query::parse_query("sạch hơn").unwrap();
        let words = QueryWords::of(&parsed);
        assert_eq!(words.exact, ["hơn", "sạch"]);
        assert_eq!(words.exact_folded, [Some(1), Some(0)]);
        let stats = Statistics {
            body_idf: vec![1.0, 1.0],
            title_idf: vec![1.0, 1.0],
            exact_idf: vec![1.0, 3.0],
            pair_idf: vec![1.0],
            average_body: 10.0,
            average_title: 5.0,
        };
        // Both words in the body; "hơn" as typed, "sạch" only as "sách".
        let book = Matches {
            body_positions: vec![vec![0], vec![1]],
            title_positions: vec![vec![], vec![]],
            title_tf: vec![0, 0],
            exact_found: vec![true, false],
            pair_found: vec![true],
            body_length: 10,
            title_length: 5,
        };
        let clean = Matches { exact_found: vec![true, true], ..book.clone() };
        let wrong = FEATURE_NAMES.iter().position(|n| *n == "wrong_diacritics").unwrap();
        assert_eq!(features_of(&words, &stats, 1.0, &book)[wrong], 0.5);

        assert_eq!(features_of(&words, &stats, 1.0, &clean)[wrong], 0.0);
        assert!(
            model_score(&MODEL, &features_of(&words, &stats, 1.0, &clean))
                > model_score(&MODEL, &features_of(&words, &stats, 1.0, &book))
        );
    }

    #[test]
    fn bigrams_within_count_pairs_before_the_limit() {
        // query "a b c": a b adjacent at 2-3, b c adjacent only at 30-31.
        let positions = vec![vec![2], vec![3, 30], vec![31]];
        let idf = [1.0, 1.0, 2.0];
        let cases: Vec<(Vec<usize>, u32, f32)> = vec![
            (vec![0, 1, 2], u32::MAX, 1.0),
            // Only "a b" (weight 2 of 5) within the first 16 words.
            (vec![0, 1, 2], 16, 0.4),
            // The pair must end before the limit.
            (vec![0, 1], 3, 0.0),
            (vec![0, 1], 4, 1.0),
            // Out of order.
            (vec![1, 0], u32::MAX, 0.0),
            (vec![0], u32::MAX, 0.0),
        ];
        for (sequence, limit, expected) in cases {
            assert_eq!(bigrams_within(&sequence, &idf, &positions, limit), expected, "{sequence:?} within {limit}");
        }
    }

    #[test]
    fn bm25_is_scaled_and_saturates() {
        let idf = [2.0, 2.0];
        let none = bm25(BM25_DEFAULT, &idf, [0, 0].into_iter(), 10, 10.0);
        let one = bm25(BM25_DEFAULT, &idf, [1, 0].into_iter(), 10, 10.0);
        let both = bm25(BM25_DEFAULT, &idf, [1, 1].into_iter(), 10, 10.0);
        let many = bm25(BM25_DEFAULT, &idf, [50, 50].into_iter(), 10, 10.0);
        assert_eq!(none, 0.0);
        assert!(one > 0.0 && both > one && many > both && many < 1.0, "{one} {both} {many}");
    }
}
