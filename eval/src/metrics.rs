//! The ranking metrics, as BEIR and trec_eval define them.
//!
//! - nDCG@k: graded gain (the qrels score) discounted by log2(rank + 1), divided by the DCG of the ideal
//!   ranking built from the judgments themselves (not from what the system retrieved);
//! - MRR@k (per query, the reciprocal rank): 1 / rank of the first relevant document within the top k, else 0;
//! - Recall@k: the share of the relevant documents found in the top k.
//!
//! A document listed twice counts once, at its first rank, so a buggy system cannot earn gain twice.

use std::collections::HashSet;

use crate::beir::Judgments;

/// The metrics of one query (or their means over many).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub ndcg_10: f64,
    pub mrr_10: f64,
    pub recall_100: f64,
}

impl Scores {
    /// The three metrics of one ranking.
    pub fn of<S: AsRef<str>>(ranking: &[S], judgments: &Judgments) -> Scores {
        Scores {
            ndcg_10: ndcg_at(ranking, judgments, 10),
            mrr_10: reciprocal_rank_at(ranking, judgments, 10),
            recall_100: recall_at(ranking, judgments, 100),
        }
    }

    /// The mean of each metric; zero for no scores.
    pub fn mean<'a>(scores: impl IntoIterator<Item = &'a Scores>) -> Scores {
        let (mut sum, mut count) = (Scores::default(), 0usize);
        for s in scores {
            sum.ndcg_10 += s.ndcg_10;
            sum.mrr_10 += s.mrr_10;
            sum.recall_100 += s.recall_100;
            count += 1;
        }
        if count == 0 {
            return sum;
        }
        let n = count as f64;
        Scores { ndcg_10: sum.ndcg_10 / n, mrr_10: sum.mrr_10 / n, recall_100: sum.recall_100 / n }
    }
}

/// The first `k` distinct ids of `ranking`, each with its 1-based rank.
fn first_distinct<S: AsRef<str>>(ranking: &[S], k: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut seen = HashSet::new();
    ranking.iter().map(AsRef::as_ref).filter(move |id| seen.insert(*id)).take(k).enumerate().map(|(i, id)| (i + 1, id))
}

fn discount(rank: usize) -> f64 {
    1.0 / (rank as f64 + 1.0).log2()
}

/// Normalized discounted cumulative gain at `k`.
pub fn ndcg_at<S: AsRef<str>>(ranking: &[S], judgments: &Judgments, k: usize) -> f64 {
    let mut ideal: Vec<f64> = judgments.values().copied().filter(|g| *g > 0.0).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let ideal_dcg: f64 = ideal.iter().take(k).enumerate().map(|(i, g)| g * discount(i + 1)).sum();
    if ideal_dcg <= 0.0 {
        return 0.0;
    }
    // A fold from +0.0, not `sum()`, which starts from −0.0 and would print an empty ranking as "-0.000".
    let dcg = first_distinct(ranking, k)
        .filter_map(|(rank, id)| judgments.get(id).filter(|g| **g > 0.0).map(|g| g * discount(rank)))
        .fold(0.0, |total, gain| total + gain);
    dcg / ideal_dcg
}

/// Reciprocal rank of the first relevant document within the top `k`.
pub fn reciprocal_rank_at<S: AsRef<str>>(ranking: &[S], judgments: &Judgments, k: usize) -> f64 {
    first_distinct(ranking, k)
        .find(|(_, id)| judgments.get(*id).is_some_and(|g| *g > 0.0))
        .map_or(0.0, |(rank, _)| 1.0 / rank as f64)
}

/// Share of the relevant documents within the top `k`.
pub fn recall_at<S: AsRef<str>>(ranking: &[S], judgments: &Judgments, k: usize) -> f64 {
    let relevant = judgments.values().filter(|g| **g > 0.0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = first_distinct(ranking, k).filter(|(_, id)| judgments.get(*id).is_some_and(|g| *g > 0.0)).count();
    found as f64 / relevant as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One table row: a ranking, its judgments, the cut-off and the hand-computed value.
    struct Case {
        name: &'static str,
        ranking: &'static [&'static str],
        judged: &'static [(&'static str, f64)],
        k: usize,
        expected: f64,
    }

    const fn case(
        name: &'static str,
        ranking: &'static [&'static str],
        judged: &'static [(&'static str, f64)],
        k: usize,
        expected: f64,
    ) -> Case {
        Case { name, ranking, judged, k, expected }
    }

    fn judgments(pairs: &[(&str, f64)]) -> Judgments {
        pairs.iter().map(|(id, g)| ((*id).to_owned(), *g)).collect()
    }

    /// The expected values are hand-computed to 12 decimals.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-11
    }

    fn check(cases: &[Case], metric: fn(&[&'static str], &Judgments, usize) -> f64) {
        for c in cases {
            let got = metric(c.ranking, &judgments(c.judged), c.k);
            assert!(close(got, c.expected), "{}: got {got}, expected {}", c.name, c.expected);
        }
    }

    #[test]
    fn ndcg_table() {
        // 1/log2(2) = 1, 1/log2(3) = 0.630929753571, 1/log2(4) = 0.5.
        check(
            &[
                case("relevant first", &["a", "x"], &[("a", 1.0)], 10, 1.0),
                case("relevant second", &["x", "a"], &[("a", 1.0)], 10, 0.630929753571),
                case("relevant third", &["x", "y", "a"], &[("a", 1.0)], 10, 0.5),
                case("beyond k", &["x", "y", "a"], &[("a", 1.0)], 2, 0.0),
                case("nothing retrieved", &[], &[("a", 1.0)], 10, 0.0),
                // DCG = 0.630930; ideal DCG = 1 + 0.630930 = 1.630930.
                case("one of two, second", &["x", "a"], &[("a", 1.0), ("b", 1.0)], 10, 0.386852807235),
                // Graded: b(1), a(2) gives 1 + 2 × 0.630930 = 2.261860; ideal a, b: 2 + 0.630930 = 2.630930.
                case("graded, swapped", &["b", "a"], &[("a", 2.0), ("b", 1.0)], 10, 0.859718699852),
                case("duplicate counts once", &["x", "x", "a"], &[("a", 1.0)], 10, 0.630929753571),
                case("zero-score judgment", &["a"], &[("a", 0.0), ("b", 1.0)], 10, 0.0),
                case("no positive judgment", &["a"], &[], 10, 0.0),
            ],
            ndcg_at,
        );
    }

    #[test]
    fn reciprocal_rank_table() {
        const TEN: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8", "9", "a"];
        const ELEVEN: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"];
        check(
            &[
                case("first", &["a"], &[("a", 1.0)], 10, 1.0),
                case("third", &["x", "y", "a", "b"], &[("a", 1.0), ("b", 1.0)], 10, 1.0 / 3.0),
                case("tenth counts", TEN, &[("a", 1.0)], 10, 0.1),
                case("eleventh does not", ELEVEN, &[("a", 1.0)], 10, 0.0),
                case("duplicates skipped", &["x", "x", "a"], &[("a", 1.0)], 10, 0.5),
                case("none", &["x"], &[("a", 1.0)], 10, 0.0),
            ],
            reciprocal_rank_at,
        );
    }

    #[test]
    fn recall_table() {
        check(
            &[
                case("all found", &["a", "b"], &[("a", 1.0), ("b", 1.0)], 100, 1.0),
                case("half found", &["x", "b"], &[("a", 1.0), ("b", 1.0)], 100, 0.5),
                case("cut at k", &["x", "b"], &[("b", 1.0)], 1, 0.0),
                case("duplicate counts once", &["a", "a"], &[("a", 1.0), ("b", 1.0)], 100, 0.5),
                case("no positive judgment", &["a"], &[("a", 0.0)], 100, 0.0),
            ],
            recall_at,
        );
    }

    #[test]
    fn scores_of_and_mean() {
        let judged = judgments(&[("a", 1.0)]);
        let hit = Scores::of(&["a"], &judged);
        let miss = Scores::of(&["x", "a"], &judged);
        assert_eq!(hit, Scores { ndcg_10: 1.0, mrr_10: 1.0, recall_100: 1.0 });
        let mean = Scores::mean([&hit, &miss]);
        // (1 + 0.630930) / 2, (1 + 0.5) / 2, (1 + 1) / 2.
        assert!(close(mean.ndcg_10, 0.815464876786));
        assert!(close(mean.mrr_10, 0.75));
        assert!(close(mean.recall_100, 1.0));
        assert_eq!(Scores::mean([]), Scores::default());
        let empty: [&str; 0] = [];
        assert!(Scores::of(&empty, &judged).ndcg_10.is_sign_positive(), "no -0.0 in reports");
    }
}
