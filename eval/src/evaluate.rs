//! Running every judged query of a set through a system, in every variant, and scoring the rankings.
//!
//! The unaccented variant is how many Vietnamese users type: the same question with every diacritic
//! removed (NFC first, then folded, with Kho's own functions). The telex variant is the question typed in
//! Telex with the input method off ("hooij thaor" for "hội thảo", see [`crate::telex`]). Comparing a
//! system with itself across the variants shows what it loses when the user does not type accents.

use std::time::Instant;

use anyhow::{Context, Result};
use kho_core::analysis::{fold_diacritics, normalize_text};
use kho_core::query::Ranking;

use crate::beir::BeirSet;
use crate::metrics::Scores;

use crate::systems::kho::Kho;
use crate::systems::{Outcome, System, SystemKind};
use crate::telex::to_telex;

/// How the questions are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// As given in the set.
    Accented,
    /// With every diacritic removed.
    Unaccented,
    /// Typed in Telex with the input method off.
    Telex,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Accented, Variant::Unaccented, Variant::Telex];

    pub fn label(self) -> &'static str {
        match self {
            Variant::Accented => "accented",
            Variant::Unaccented => "unaccented",
            Variant::Telex => "telex",
        }
    }

    /// The question as this variant types it.
    pub fn apply(self, question: &str) -> String {
        match self {
            Variant::Accented => question.to_owned(),
            Variant::Unaccented => fold_diacritics(&normalize_text(question)).into_owned(),
            Variant::Telex => to_telex(question),
        }
    }
}

/// One query's result for one system.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    pub scores: Scores,
    pub outcome: Outcome,
    /// The first [`TOP_SHOWN`] ids the system ranked, for diagnosis.
    pub top: Vec<String>,
}

/// How many of each query's first ids a [`QueryResult`] keeps.
pub const TOP_SHOWN: usize = 3;

/// Every query's result for one system and variant, in the set's query order.
#[derive(Debug, Clone)]
pub struct Run {
    pub system: SystemKind,
    pub variant: Variant,
    pub results: Vec<QueryResult>,
}

impl Run {
    pub fn mean(&self) -> Scores {
        Scores::mean(self.results.iter().map(|r| &r.scores))
    }

    /// How many queries' outcomes satisfy `matches`.
    pub fn count(&self, matches: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| matches(&r.outcome)).count()
    }
}

/// All runs of one set.
#[derive(Debug, Clone)]
pub struct SetResults {
    pub name: String,
    pub queries: usize,
    /// Whether each query (in the set's order) trains the reranker (see `crate::train`).
    pub training: Vec<bool>,
    pub runs: Vec<Run>,
    /// Kho's mean nDCG@10 per variant with all ranking features, then with each one switched off
    /// (empty unless the ablation was run).
    pub ablation: Vec<Ablated>,
}

/// Kho's mean nDCG@10 in each variant (in [`Variant::ALL`] order) with one ranking feature switched off
/// (`None`: every feature on).
#[derive(Debug, Clone)]
pub struct Ablated {
    pub feature_off: Option<&'static str>,
    pub ndcg_10: Vec<f64>,
}

impl SetResults {
    pub fn run(&self, system: SystemKind, variant: Variant) -> Option<&Run> {
        self.runs.iter().find(|r| r.system == system && r.variant == variant)
    }
}

/// Builds each system over the set and runs every variant, printing each phase's time to stderr.
pub fn evaluate_set(set: &BeirSet, systems: &[SystemKind]) -> Result<SetResults> {
    let mut runs = Vec::new();
    for &kind in systems {
        let system = timed(&format!("[{}] index {}", set.name, kind.label()), || kind.build(&set.documents))
            .with_context(|| format!("building {} over {}", kind.label(), set.name))?;
        for variant in Variant::ALL {
            let label =
                format!("[{}] search {} {} ({} queries)", set.name, kind.label(), variant.label(), set.queries.len());
            let results = timed(&label, || run_queries(system.as_ref(), set, variant))?;
            runs.push(Run { system: kind, variant, results });
        }
    }
    let training = set.queries.iter().map(|q| q.training).collect();
    Ok(SetResults { name: set.name.clone(), queries: set.queries.len(), training, runs, ablation: Vec::new() })
}

/// Kho over the set with every ranking feature, then with each one switched off in turn (one index,
/// searched with each [`Ranking`]).
pub fn ablate(set: &BeirSet) -> Result<Vec<Ablated>> {
    let kho = timed(&format!("[{}] index Kho for the ablation", set.name), || Kho::build(&set.documents))?;
    let mut ablation = Vec::new();
    for feature_off in std::iter::once(None).chain(Ranking::FEATURES.into_iter().map(Some)) {
        let ranking = match feature_off {
            Some(feature) => Ranking::default().without(feature).with_context(|| format!("feature {feature}"))?,
            None => Ranking::default(),
        };
        let system = kho.with_ranking(ranking);
        let label = format!("[{}] ablation, off: {}", set.name, feature_off.unwrap_or("nothing"));
        let ndcg_10 = timed(&label, || {
            Variant::ALL
                .iter()
                .map(|&variant| {
                    let results = run_queries(&system, set, variant)?;
                    Ok(Scores::mean(results.iter().map(|r| &r.scores)).ndcg_10)
                })
                .collect::<Result<Vec<f64>>>()
        })?;
        ablation.push(Ablated { feature_off, ndcg_10 });
    }
    Ok(ablation)
}

fn run_queries(system: &dyn System, set: &BeirSet, variant: Variant) -> Result<Vec<QueryResult>> {
    set.queries
        .iter()
        .map(|query| {
            let ranking = system.search(&variant.apply(&query.text)).with_context(|| format!("query {}", query.id))?;
            Ok(QueryResult {
                scores: Scores::of(&ranking.ids, &query.judgments),
                outcome: ranking.outcome,
                top: ranking.ids.iter().take(TOP_SHOWN).cloned().collect(),
            })
        })
        .collect()
}

/// Runs `f`, printing how long it took to stderr.
pub fn timed<T>(label: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    let value = f()?;
    eprintln!("{label}: {:.2} s", started.elapsed().as_secs_f64());
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unaccented_variant_removes_every_diacritic() {
        let cases = [
            ("Sản xuất sạch hơn ở Đồng Tháp?", "San xuat sach hon o Dong Thap?"),
            ("Vie\u{0323}\u{0302}t Nam", "Viet Nam"),
            ("plain ascii", "plain ascii"),
        ];
        for (input, expected) in cases {
            assert_eq!(Variant::Unaccented.apply(input), expected);
            assert_eq!(Variant::Accented.apply(input), input);
        }
        assert_eq!(Variant::Telex.apply("Sản xuất sạch hơn ở Đồng Tháp?"), "Sanr xuaats sachj hown owr DDoongf Thaps?");
    }
}
