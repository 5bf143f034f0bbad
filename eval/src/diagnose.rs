//! Per-query diagnosis, for finding where Kho loses rather than for publishing:
//! - `--examples N` prints to stderr the questions where the best baseline beats Kho by the most nDCG@10,
//!   with what happened to Kho's query (matched all words, relaxed, rejected);
//! - `--per-query FILE` writes every query's metrics for every system as TSV, for ad-hoc analysis.

use crate::beir::BeirSet;
use crate::evaluate::{Run, SetResults, Variant};
use crate::metrics::Scores;
use crate::systems::{Outcome, SystemKind};

/// Longest question text shown, in characters.
const SHOWN_CHARS: usize = 160;

/// A baseline's run of one variant, beside Kho's.
type Baseline<'a> = (SystemKind, &'a Run);

/// Prints, for each variant, a win/loss count against the best baseline, Kho's figures by what happened to
/// its queries, and the `n` worst losses.
pub fn print_examples(set: &BeirSet, results: &SetResults, n: usize) {
    for variant in Variant::ALL {
        let Some(kho) = results.run(SystemKind::Kho, variant) else { continue };
        let baselines: Vec<Baseline> = [SystemKind::PlainTantivy, SystemKind::Fts5]
            .into_iter()
            .filter_map(|kind| results.run(kind, variant).map(|run| (kind, run)))
            .collect();
        if baselines.is_empty() {
            continue;
        }
        let gaps = gaps_to_best_baseline(kho, &baselines);
        let (losses, wins) = (gaps.iter().filter(|g| g.1 > 0.0).count(), gaps.iter().filter(|g| g.1 < 0.0).count());
        eprintln!(
            "\n[{}] {}: Kho below the best baseline on {losses} queries, above on {wins}, equal on {}",
            set.name,
            variant.label(),
            gaps.len() - losses - wins
        );
        print_by_outcome(kho, &baselines);
        for &(i, gap) in gaps.iter().take(n).filter(|g| g.1 > 0.0) {
            print_loss(set, variant, i, gap, kho, &baselines);
        }
    }
}

/// (query index, best baseline nDCG@10 − Kho's), largest gap first.
fn gaps_to_best_baseline(kho: &Run, baselines: &[Baseline]) -> Vec<(usize, f64)> {
    let best = |i: usize| baselines.iter().map(|(_, run)| run.results[i].scores.ndcg_10).fold(0.0, f64::max);
    let mut gaps: Vec<(usize, f64)> =
        kho.results.iter().enumerate().map(|(i, r)| (i, best(i) - r.scores.ndcg_10)).collect();
    gaps.sort_by(|a, b| b.1.total_cmp(&a.1));
    gaps
}

fn print_loss(set: &BeirSet, variant: Variant, i: usize, gap: f64, kho: &Run, baselines: &[Baseline]) {
    let query = &set.queries[i];
    let text = variant.apply(&query.text);
    let scores: Vec<String> =
        baselines.iter().map(|(kind, run)| format!("{} {:.2}", kind.label(), run.results[i].scores.ndcg_10)).collect();
    eprintln!(
        "  -{gap:.2} {} ({} words) Kho {:.2} [{}] vs {}\n      {}",
        query.id,
        text.split_whitespace().count(),
        kho.results[i].scores.ndcg_10,
        outcome_label(kho.results[i].outcome),
        scores.join(", "),
        shorten(&text)
    );
}

/// Mean nDCG@10 of Kho and each baseline over the queries Kho matched fully, relaxed, or rejected.
fn print_by_outcome(kho: &Run, baselines: &[Baseline]) {
    for group in ["all words", "relaxed", "rejected"] {
        let members: Vec<usize> =
            (0..kho.results.len()).filter(|&i| outcome_group(kho.results[i].outcome) == group).collect();
        if members.is_empty() {
            continue;
        }
        let mean = |run: &Run| Scores::mean(members.iter().map(|&i| &run.results[i].scores)).ndcg_10;
        let others: Vec<String> =
            baselines.iter().map(|(kind, run)| format!("{} {:.3}", kind.label(), mean(run))).collect();
        eprintln!("  Kho {group} ({} queries): nDCG@10 Kho {:.3}, {}", members.len(), mean(kho), others.join(", "));
    }
}

/// The TSV header of [`per_query_rows`].
pub const PER_QUERY_HEADER: &str = "set\tvariant\tsystem\tquery_id\toutcome\tndcg10\tmrr10\trecall100\ttop\tquery\n";

/// One TSV line per query, system and variant (tabs and newlines in questions become spaces).
pub fn per_query_rows(set: &BeirSet, results: &SetResults) -> String {
    let mut out = String::new();
    for run in &results.runs {
        for (query, result) in set.queries.iter().zip(&run.results) {
            let text: String = run.variant.apply(&query.text).replace(['\t', '\n', '\r'], " ");
            let s = result.scores;
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{}\t{text}\n",
                set.name,
                run.variant.label(),
                run.system.label(),
                query.id,
                outcome_label(result.outcome),
                s.ndcg_10,
                s.mrr_10,
                s.recall_100,
                result.top.join(" | ")
            ));
        }
    }
    out
}

fn outcome_group(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Matched => "all words",
        Outcome::Relaxed => "relaxed",
        Outcome::Rejected(_) => "rejected",
    }
}

fn outcome_label(outcome: Outcome) -> String {
    match outcome {
        Outcome::Matched => "all words".to_owned(),
        Outcome::Relaxed => "relaxed".to_owned(),
        Outcome::Rejected(code) => format!("rejected: {code}"),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SHOWN_CHARS).collect();
    format!("{cut}…")
}
