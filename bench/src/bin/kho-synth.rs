//! kho-synth: a larger news archive made of the news set's real sentences, for the scaling runs of
//! `docs/benchmarks.md` (10k, 100k, 1,000,000 documents). Written to a file outside the repository
//! (corpora are never committed), as JSON Lines that `kho-index --jsonl` imports.
//!
//! Every article of `vietnews/{test,val}.jsonl.gz` is cut into sentences (at ". ", "! ", "? " and line
//! breaks). Document `i` then takes the shape of a real article drawn at random: its number of sentences
//! and paragraphs, filled with sentences drawn at random from the whole set; its title is a real title,
//! its abstract a real abstract's first sentence, its date one of 2008-2020. So the vocabulary, the word
//! frequencies and the lengths are those of the news, but no two documents are the same article (a few
//! near-duplicates still arise, as in a real archive: see the import's `duplicate` count). The same
//! seed gives the same file.
//!
//! ```sh
//! cargo build --release -p kho-bench
//! target/release/kho-synth --data ../shared/data --docs 100000 --seed 1 --out /tmp/synth-100k.jsonl
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use serde::{Deserialize, Serialize};

/// Writes a JSON Lines archive of recombined news sentences.
#[derive(Debug, Parser)]
#[command(name = "kho-synth")]
struct Args {
    /// The shared data folder (with vietnews/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Documents to write.
    #[arg(long)]
    docs: usize,
    /// Seed of the random draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write (a file outside the repository).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Article {
    #[serde(default)]
    title: String,
    #[serde(default, rename = "abstract")]
    summary: String,
    #[serde(default)]
    body: String,
}

#[derive(Debug, Serialize)]
struct Record<'a> {
    id: String,
    title: &'a str,
    #[serde(rename = "abstract")]
    summary: &'a str,
    body: String,
    date: String,
}

/// The shape of one real article: sentences per paragraph.
type Shape = Vec<u16>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kho-synth: error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    let mut titles = Vec::new();
    let mut leads = Vec::new();
    let mut sentences: Vec<String> = Vec::new();
    let mut shapes: Vec<Shape> = Vec::new();
    for name in ["vietnews/test.jsonl.gz", "vietnews/val.jsonl.gz"] {
        let articles: Vec<Article> = kho_baselines::data::read_jsonl_gz(&args.data.join(name), |_: &Article| true)?;
        for article in articles {
            let mut shape = Shape::new();
            for paragraph in article.body.lines().map(str::trim).filter(|p| !p.is_empty()) {
                let before = sentences.len();
                sentences.extend(split_sentences(paragraph).map(str::to_owned));
                shape.push(u16::try_from(sentences.len() - before).unwrap_or(u16::MAX));
            }
            if !shape.is_empty() {
                shapes.push(shape);
            }
            if !article.title.trim().is_empty() {
                titles.push(article.title.trim().to_owned());
            }
            if let Some(lead) = split_sentences(article.summary.trim()).next() {
                leads.push(lead.to_owned());
            }
        }
    }
    anyhow::ensure!(!sentences.is_empty() && !titles.is_empty() && !leads.is_empty(), "no news read");
    eprintln!("{} sentences, {} titles, {} article shapes", sentences.len(), titles.len(), shapes.len());

    let file = std::fs::File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut rng = SplitMix(args.seed);
    let mut bytes = 0u64;
    for i in 0..args.docs {
        let shape = &shapes[rng.below(shapes.len())];
        let mut body = String::new();
        for &count in shape {
            if !body.is_empty() {
                body.push('\n');
            }
            for k in 0..count {
                if k > 0 {
                    body.push(' ');
                }
                body.push_str(&sentences[rng.below(sentences.len())]);
            }
        }
        let date = format!("{}-{:02}-{:02}", 2008 + rng.below(13), 1 + rng.below(12), 1 + rng.below(28));
        let record = Record {
            id: format!("synth-{i}"),
            title: &titles[rng.below(titles.len())],
            summary: &leads[rng.below(leads.len())],
            body,
            date,
        };
        let line = serde_json::to_string(&record)?;
        bytes += line.len() as u64 + 1;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!("wrote {} documents, {:.1} MB, to {}", args.docs, bytes as f64 / 1e6, args.out.display());
    Ok(())
}

/// The sentences of a paragraph: cut after ".", "!" or "?" followed by a space, each kept with its mark.
fn split_sentences(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        let rest_trimmed = rest.trim_start();
        if rest_trimmed.is_empty() {
            return None;
        }
        let cut = rest_trimmed
            .match_indices(". ")
            .chain(rest_trimmed.match_indices("! "))
            .chain(rest_trimmed.match_indices("? "))
            .map(|(at, _)| at + 1)
            .min()
            .unwrap_or(rest_trimmed.len());
        let (sentence, after) = rest_trimmed.split_at(cut);
        rest = after;
        Some(sentence)
    })
}

/// SplitMix64: a small, seeded, well-spread generator (the same sequence on every machine).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_their_marks() {
        let cut: Vec<&str> = split_sentences("Một câu. Hai câu! Ba câu? Bốn").collect();
        assert_eq!(cut, ["Một câu.", "Hai câu!", "Ba câu?", "Bốn"]);
        assert_eq!(split_sentences("  ").count(), 0);
    }

    #[test]
    fn draws_are_seeded_and_in_range() {
        let (mut a, mut b) = (SplitMix(7), SplitMix(7));
        for _ in 0..1000 {
            let x = a.below(13);
            assert_eq!(x, b.below(13));
            assert!(x < 13);
        }
    }
}
