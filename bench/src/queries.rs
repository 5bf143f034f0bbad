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
    articles
        .iter()
        .step_by(step)
        .enumerate()
        .filter_map(|(i, article)| query_of(i, article, year))
        .take(TARGET)
        .collect()
}

/// Distinct queries the uncached HTTP runs rotate through (issue #14 asks for at least 2,000, half without
/// diacritics): a server answering a public search box sees mostly queries it has not seen just before.
pub const HTTP_DISTINCT: usize = 2_400;

/// A mix of `target` distinct queries (as Kho gets them), made the same way as [`build`]'s from every
/// article of `articles` in turn; fewer when the articles run out.
pub fn build_distinct(articles: &[Article], year: Option<u64>, target: usize) -> Vec<BenchQuery> {
    let mut seen = std::collections::HashSet::new();
    articles
        .iter()
        .enumerate()
        .filter_map(|(i, article)| query_of(i, article, year))
        .filter(|query| seen.insert(query.kho()))
        .take(target)
        .collect()
}

/// The `i`-th query of a mix, from `article`'s title: a word (even `i`) or a phrase of 2-3 words, without
/// diacritics for half of them, with the year filter for every eighth; `None` for a title without words.
fn query_of(i: usize, article: &Article, year: Option<u64>) -> Option<BenchQuery> {
    let words: Vec<String> = article
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    let start = i % words.len();
    let text = if i.is_multiple_of(2) {
        words[start].clone()
    } else {
        let len = 2 + (i / 2) % 2;
        let start = start.min(words.len().saturating_sub(len));
        words[start..(start + len).min(words.len())].join(" ")
    };
    let text = if i % 4 >= 2 { fold_diacritics(&text).into_owned() } else { text };
    let year = year.filter(|_| i % 8 == 7);
    Some(BenchQuery { text, year })
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

    #[test]
    fn distinct_mix_has_no_repeats() {
        let article =
            |t: &str| Article { id: "a".into(), title: t.into(), summary: String::new(), body: String::new() };
        let titles = ["Hội thảo sản xuất sạch hơn ở Bến Tre", "Tiết kiệm năng lượng trong công nghiệp"];
        let articles: Vec<Article> = (0..64).map(|i| article(titles[i % 2])).collect();
        let queries = build_distinct(&articles, Some(2017), 1_000);
        let distinct: std::collections::HashSet<String> = queries.iter().map(BenchQuery::kho).collect();
        assert_eq!(distinct.len(), queries.len());
        assert!(queries.len() > 16, "{}", queries.len());
        let unaccented = queries.iter().filter(|q| q.text.is_ascii()).count();
        assert!(unaccented * 3 >= queries.len(), "{unaccented} of {} without diacritics", queries.len());
        assert_eq!(build_distinct(&articles, None, 5).len(), 5);
    }
}
