//! Learning the reranker's weights (`kho_core::search::rerank::MODEL`): `kho-eval --train`.
//!
//! For every question of the chosen sets, in every variant, Kho's first stage gives its best
//! `RERANK_DEPTH` documents, each with the reranker's features. Coordinate ascent (as in RankLib: one
//! weight at a time, tried at growing steps either way, kept where the objective improves, passes
//! repeated until none does) then maximizes the objective: the mean over sets of the mean nDCG@10 of
//! the set's *training* questions (each set counts alike, whatever its number of questions). Held-out
//! questions never take part; the printed table shows both, before (the first stage alone) and after.
//!
//! The printed weights are what `MODEL` is set to, by hand, after a run.

use anyhow::{Context, Result};
use kho_core::search::rerank::{model_score, Features, FEATURE_NAMES, LEARNED_FEATURES, MODEL};

use crate::beir::BeirSet;
use crate::evaluate::{timed, Variant};
use crate::systems::kho::Kho;

/// One question's candidates: their gains (0 when not judged relevant) and features.
struct Question {
    set: usize,
    training: bool,
    variant: Variant,
    gains: Vec<f64>,
    features: Vec<Features>,
    ideal_dcg: f64,
}

/// Steps tried for each weight, either way.
const STEPS: [f32; 8] = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];
/// Most passes over the weights.
const MAX_PASSES: usize = 12;

fn discount(rank: usize) -> f64 {
    1.0 / (rank as f64 + 2.0).log2()
}

impl Question {
    /// nDCG@10 of the candidates ordered by `weights` (ties keep the first stage's order).
    fn ndcg(&self, weights: &Features, order: &mut Vec<(bool, f32, usize)>) -> f64 {
        if self.ideal_dcg <= 0.0 {
            return 0.0;
        }
        order.clear();
        // As the product orders: by score, ties in the first stage's order.
        order.extend(self.features.iter().enumerate().map(|(i, f)| (false, model_score(weights, f), i)));
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
        let dcg: f64 = order.iter().take(10).enumerate().map(|(rank, (_, _, i))| self.gains[*i] * discount(rank)).sum();
        dcg / self.ideal_dcg
    }
}

/// Reads every question's candidates over each set.
fn gather(sets: &[BeirSet]) -> Result<Vec<Question>> {
    let mut questions = Vec::new();
    for (s, set) in sets.iter().enumerate() {
        let kho = timed(&format!("[{}] index Kho for training", set.name), || Kho::build(&set.documents))?;
        for variant in Variant::ALL {
            timed(&format!("[{}] features, {}", set.name, variant.label()), || {
                for query in &set.queries {
                    let text = variant.apply(&query.text);
                    let candidates = kho.candidate_features(&text).with_context(|| format!("query {}", query.id))?;
                    let mut ideal: Vec<f64> = query.judgments.values().copied().filter(|g| *g > 0.0).collect();
                    ideal.sort_by(|a, b| b.total_cmp(a));
                    let ideal_dcg = ideal.iter().take(10).enumerate().map(|(r, g)| g * discount(r)).sum();
                    questions.push(Question {
                        set: s,
                        training: query.training,
                        variant,
                        gains: candidates
                            .iter()
                            .map(|(id, _)| query.judgments.get(id).copied().unwrap_or(0.0))
                            .collect(),
                        features: candidates.into_iter().map(|(_, f)| f).collect(),
                        ideal_dcg,
                    });
                }
                Ok(())
            })?;
        }
    }
    Ok(questions)
}

/// Mean nDCG@10 per set of the questions `chosen` selects (NaN for a set with none).
fn per_set(questions: &[Question], sets: usize, weights: &Features, chosen: impl Fn(&Question) -> bool) -> Vec<f64> {
    let mut sums = vec![(0.0, 0usize); sets];
    let mut order = Vec::new();
    for q in questions.iter().filter(|q| chosen(q)) {
        sums[q.set].0 += q.ndcg(weights, &mut order);
        sums[q.set].1 += 1;
    }
    sums.into_iter().map(|(sum, n)| if n == 0 { f64::NAN } else { sum / n as f64 }).collect()
}

/// The objective: the mean over sets of the training questions' mean nDCG@10.
fn objective(questions: &[Question], sets: usize, weights: &Features) -> f64 {
    let means: Vec<f64> =
        per_set(questions, sets, weights, |q| q.training).into_iter().filter(|m| !m.is_nan()).collect();
    means.iter().sum::<f64>() / means.len().max(1) as f64
}

fn coordinate_ascent(questions: &[Question], sets: usize, start: Features) -> Features {
    let mut weights = start;
    let mut best = objective(questions, sets, &weights);
    eprintln!("train: start {best:.4}");
    for pass in 0..MAX_PASSES {
        let before = best;
        // The hand-set weights (`LEARNED_FEATURES` onwards) stay as they start.
        for feature in 0..LEARNED_FEATURES {
            for direction in [1.0f32, -1.0] {
                for step in STEPS {
                    let mut tried = weights;
                    tried[feature] += direction * step;
                    let value = objective(questions, sets, &tried);
                    if value > best + 1e-6 {
                        best = value;
                        weights = tried;
                    }
                }
            }
        }
        eprintln!("train: pass {} objective {best:.4} weights {weights:?}", pass + 1);
        if best <= before + 1e-6 {
            break;
        }
    }
    weights
}

/// Learns the weights over `sets` and prints them, with each set's nDCG@10 before and after.
pub fn train(sets: &[BeirSet]) -> Result<()> {
    let questions = gather(sets)?;
    // The first stage alone, with the hand-set weights of the shipped model.
    let first_stage: Features = {
        let mut w = MODEL;
        w[..LEARNED_FEATURES].fill(0.0);
        w[0] = 1.0;
        w
    };
    let learned = timed("train: coordinate ascent", || Ok(coordinate_ascent(&questions, sets.len(), first_stage)))?;
    println!("| set | variant | questions | first stage | shipped MODEL | learned |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for training in [true, false] {
        for variant in Variant::ALL {
            let chosen = |q: &Question| q.training == training && q.variant == variant;
            let counts: Vec<usize> =
                (0..sets.len()).map(|s| questions.iter().filter(|q| q.set == s && chosen(q)).count()).collect();
            let before = per_set(&questions, sets.len(), &first_stage, chosen);
            let shipped = per_set(&questions, sets.len(), &MODEL, chosen);
            let after = per_set(&questions, sets.len(), &learned, chosen);
            for (s, set) in sets.iter().enumerate() {
                let split = if training { "training" } else { "held out" };
                println!(
                    "| {} ({split}) | {} | {} | {:.3} | {:.3} | {:.3} |",
                    set.name,
                    variant.label(),
                    counts[s],
                    before[s],
                    shipped[s],
                    after[s]
                );
            }
        }
    }
    println!("\nlearned weights:");
    for (name, weight) in FEATURE_NAMES.iter().zip(learned) {
        println!("  {name}: {weight:.4}");
    }
    println!("pub const MODEL: Features = {learned:?};");
    Ok(())
}
