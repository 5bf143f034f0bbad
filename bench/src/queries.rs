//! The query mix: words and 2-3 word phrases from the titles of every k-th article, half of them with
//! diacritics removed, every eighth with a `year:` filter (Kho only: the baselines have no dates).
//! Taken from the first 10% of the articles, so every scale runs the same queries.

use kho_core::analysis::fold_diacritics;

use crate::corpus::Article;

/// How many queries the mix aims for.
pub const TARGET: usize = 240;

/// One query of the mix.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// The words, as every system gets them.
    pub text: String,
    /// A year filter Kho adds.
    pub year: Option<u64>,
}

impl BenchQuery {
    /// The query as Kho gets it (with its filter).
    pub fn kho(&self) -> String {
        match self.year {
            Some(year) => format!("{} year:{year}", self.text),
            None => self.text.clone(),
        }
    }
}

/// The mix, from `articles` (the first 10% of the set); `year` is the filter value to use.
pub fn build(articles: &[Article], year: Option<u64>) -> Vec<BenchQuery> {
    let step = (articles.len() / TARGET).max(1);
    let mut queries = Vec::with_capacity(TARGET);
    for (i, article) in articles.iter().step_by(step).enumerate() {
        if queries.len() >= TARGET {
            break;
        }
        let words: Vec<String> = article
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            continue;
        }
        let start = i % words.len();
        let text = if i % 2 == 0 {
            words[start].clone()
        } else {
            let len = 2 + (i / 2) % 2;
            let start = start.min(words.len().saturating_sub(len));
            words[start..(start + len).min(words.len())].join(" ")
        };
        let text = if i % 4 >= 2 { fold_diacritics(&text).into_owned() } else { text };
        let year = year.filter(|_| i % 8 == 7);
        queries.push(BenchQuery { text, year });
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_words_phrases_folding_and_years() {
        let article =
            |t: &str| Article { id: "a".into(), title: t.into(), summary: String::new(), body: String::new() };
        let articles: Vec<Article> = (0..16).map(|_| article("Hội thảo sản xuất sạch hơn ở Bến Tre")).collect();
        let queries = build(&articles, Some(2017));
        assert_eq!(queries.len(), 16);
        assert_eq!(queries[0].text, "hội");
        assert_eq!(queries[1].text.split(' ').count(), 2);
        assert_eq!(queries[2].text, "san");
        assert_eq!(queries[7].kho(), format!("{} year:2017", queries[7].text));
        assert!(queries[6].year.is_none());
    }
}
