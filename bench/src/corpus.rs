//! The news articles: read from `vietnews/{test,val}.jsonl.gz`, cut to a fraction, and written back as
//! plain JSON Lines (the file every system indexes), optionally with 1% of the bodies changed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The files read, in this order.
const FILES: [&str; 2] = ["vietnews/test.jsonl.gz", "vietnews/val.jsonl.gz"];

/// One news article.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, rename = "abstract")]
    pub summary: String,
    #[serde(default)]
    pub body: String,
}

impl Article {
    /// Bytes of text (title, abstract and body).
    pub fn text_bytes(&self) -> u64 {
        (self.title.len() + self.summary.len() + self.body.len()) as u64
    }

    /// The text every baseline indexes as its body: the abstract before the body, as Kho's import does.
    pub fn full_body(&self) -> String {
        if self.summary.trim().is_empty() {
            self.body.clone()
        } else {
            format!("{}\n\n{}", self.summary.trim(), self.body)
        }
    }
}

/// Every article of the news set, in file order.
pub fn load(data: &Path) -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    for name in FILES {
        articles.extend(kho_baselines::data::read_jsonl_gz(&data.join(name), |_: &Article| true)?);
    }
    Ok(articles)
}

/// The first `fraction` of the articles (at least one).
pub fn take(articles: &[Article], fraction: f64) -> &[Article] {
    let n = ((articles.len() as f64) * fraction).round() as usize;
    &articles[..n.clamp(1, articles.len())]
}

/// Writes the articles as JSON Lines; with `changed_every = Some(k)`, every k-th body gets a new sentence.
pub fn write_jsonl(path: &Path, articles: &[Article], changed_every: Option<usize>) -> Result<usize> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let mut changed = 0;
    for (i, article) in articles.iter().enumerate() {
        let line = match changed_every {
            Some(k) if i % k == 0 => {
                changed += 1;
                let mut edited = article.clone();
                edited.body.push_str(&format!("\nBài viết được cập nhật lần thứ hai, bản sửa số {i}."));
                serde_json::to_string(&edited)?
            }
            _ => serde_json::to_string(article)?,
        };
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(changed)
}
