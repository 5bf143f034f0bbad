//! Highlighted passages: the snippet of a hit's body and its title, with the matched words in `<mark>`.
//!
//! Matching is done on the folded form, so an unaccented query highlights the accented words of the
//! original. The passages are tantivy's snippets byte for byte (a test compares them), computed from one
//! pass over the folded tokens instead of tantivy's generator, which builds and lowercases a token for
//! every word of the text.

use std::collections::BTreeMap;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Score, Term};

use crate::analysis::tokenizer::for_each_folded_token;
use crate::index::KhoIndex;

/// Snippet length in bytes (tantivy counts bytes; a Vietnamese letter takes 1-3).
const SNIPPET_BYTES: usize = 480;
/// Without a match in the body, this many bytes of its beginning are shown.
const LEAD_BYTES: usize = 320;

/// Cuts highlighted passages out of stored text. Matching is done on the folded form, so an unaccented
/// query highlights the accented words of the original.
pub(super) struct Highlighter {
    body: Passages,
    title: Passages,
}

impl Highlighter {
    /// `stats` weighs the words by their document frequency (the searcher's own, or a whole cluster's).
    pub(super) fn new(
        stats: &dyn Bm25StatisticsProvider,
        terms: &[String],
        index: &KhoIndex,
    ) -> Result<Highlighter, tantivy::TantivyError> {
        let body = Passages::new(stats, terms, index.fields.body, SNIPPET_BYTES)?;
        let title = Passages::new(stats, terms, index.fields.title, usize::MAX / 2)?;
        Ok(Highlighter { body, title })
    }

    pub(super) fn body_html(&self, body: &str) -> String {
        self.body.html(body).unwrap_or_else(|| escape(lead(body)))
    }

    pub(super) fn title_html(&self, title: &str) -> String {
        self.title.html(title).unwrap_or_else(|| escape(title))
    }
}

/// Tantivy's snippet algorithm (`tantivy::snippet`: fragments of at most `max_bytes` starting at a
/// matched token, the best-scoring one, the earliest on ties), producing the same HTML, but reading the
/// folded tokens straight from the analysis instead of building a token (and lowercasing its text) for
/// every word of the text.
struct Passages {
    /// Folded query words in the field, and their weights.
    terms: Vec<(String, Score)>,
    /// The first bytes of the terms: most tokens are rejected on it.
    first_bytes: [bool; 256],
    max_bytes: usize,
}

/// A candidate passage: offsets in the text, its score, and its matched tokens.
struct Fragment {
    score: Score,
    start: usize,
    stop: usize,
    highlighted: Vec<std::ops::Range<usize>>,
}

impl Fragment {
    fn new(start: usize) -> Fragment {
        Fragment { score: 0.0, start, stop: start, highlighted: Vec::new() }
    }
}

impl Passages {
    fn new(
        stats: &dyn Bm25StatisticsProvider,
        texts: &[String],
        field: Field,
        max_bytes: usize,
    ) -> Result<Passages, tantivy::TantivyError> {
        let mut terms: BTreeMap<String, Score> = BTreeMap::new();
        for text in texts {
            let doc_freq = stats.doc_freq(&Term::from_field_text(field, text))?;
            if doc_freq > 0 {
                // Rarer words weigh more when choosing the passage, as in tantivy's own generator.
                terms.insert(text.clone(), 1.0 / (1.0 + doc_freq as Score));
            }
        }
        let mut first_bytes = [false; 256];
        for term in terms.keys() {
            if let Some(&first) = term.as_bytes().first() {
                first_bytes[usize::from(first)] = true;
            }
        }
        Ok(Passages { terms: terms.into_iter().collect(), first_bytes, max_bytes })
    }

    fn weight(&self, token: &str) -> Option<Score> {
        let find = |token: &str| self.terms.iter().find(|(term, _)| term == token).map(|(_, score)| *score);
        // Folded tokens are lowercase; tantivy lowercases each token before looking it up.
        if token.is_ascii() {
            if !token.as_bytes().first().is_some_and(|&b| self.first_bytes[usize::from(b)]) {
                return None;
            }
            find(token)
        } else {
            find(&token.to_lowercase())
        }
    }

    /// The best passage of `text` as HTML with matched words in `<mark>`, or `None` without a match.
    fn html(&self, text: &str) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let mut best: Option<Fragment> = None;
        let mut fragment = Fragment::new(0);
        let may_match = |first: u8| self.first_bytes[usize::from(first)];
        for_each_folded_token(text, may_match, |from, to, token| {
            if to.wrapping_sub(fragment.start) > self.max_bytes {
                let done = std::mem::replace(&mut fragment, Fragment::new(from));
                offer(&mut best, done);
            }
            fragment.stop = to;
            if let Some(weight) = token.and_then(|token| self.weight(token)) {
                fragment.score += weight;
                fragment.highlighted.push(from..to);
            }
        });
        offer(&mut best, fragment);
        let best = best?;
        let passage = text.get(best.start..best.stop)?;
        let mut ranges: Vec<std::ops::Range<usize>> =
            best.highlighted.iter().map(|r| r.start - best.start..r.end - best.start).collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if last.end > range.start => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        let mut html = String::with_capacity(passage.len() + 32);
        let mut from = 0;
        for range in merged {
            escape_minimal(passage.get(from..range.start)?, &mut html);
            html.push_str("<mark>");
            escape_minimal(passage.get(range.clone())?, &mut html);
            html.push_str("</mark>");
            from = range.end;
        }
        escape_minimal(passage.get(from..)?, &mut html);
        Some(html)
    }
}

/// Keeps the better of `best` and `candidate` (a fragment with a match): the higher score, the earlier
/// one on a tie, as tantivy's `max_by` over the fragments in text order.
fn offer(best: &mut Option<Fragment>, candidate: Fragment) {
    if candidate.score <= 0.0 {
        return;
    }
    let keep_best = best.as_ref().is_some_and(|b| {
        let by_score = b.score.partial_cmp(&candidate.score).unwrap_or(std::cmp::Ordering::Equal);
        let order = match by_score {
            std::cmp::Ordering::Equal => (candidate.start, candidate.stop).cmp(&(b.start, b.stop)),
            other => other,
        };
        order == std::cmp::Ordering::Greater
    });
    if !keep_best {
        *best = Some(candidate);
    }
}

/// HTML escaping as tantivy's snippets do it (`htmlescape::encode_minimal`).
fn escape_minimal(text: &str, out: &mut String) {
    let mut from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'"' => "&quot;",
            b'&' => "&amp;",
            b'\'' => "&#x27;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// The beginning of `text`, cut at a word boundary.
fn lead(text: &str) -> &str {
    if text.len() <= LEAD_BYTES {
        return text;
    }
    let mut end = LEAD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > LEAD_BYTES / 2 => &text[..space],
        _ => &text[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyzer, Form};
    use tantivy::snippet::SnippetGenerator;

    fn passages(terms: &[(&str, Score)], max_bytes: usize) -> Passages {
        let mut first_bytes = [false; 256];
        for (term, _) in terms {
            first_bytes[usize::from(str::as_bytes(term)[0])] = true;
        }
        let terms = terms.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
        Passages { terms, first_bytes, max_bytes }
    }

    /// Our passages are tantivy's snippets, byte for byte.
    #[test]
    fn passages_are_tantivys_snippets() {
        let long = "Hội thảo sản xuất sạch hơn tại Bến Tre. ".repeat(40);
        let texts = [
            "Sản xuất sạch hơn <b>&</b> \"tiết kiệm\" 'năng lượng' ngày 14/4/2011 tại TP.HCM",
            "Vie\u{0323}\u{0302}t Nam: sách và sạch, SẠCH, Sach; lý lí ly LY quý Quý",
            long.as_str(),
            "Không có từ nào khớp ở đây cả",
            "",
            "ÝÁ Y y I\u{0307}x A\u{0301}b 1\u{0301} hoà THUỶ Đà Nẵng đà nẵng Ðà 2009-2013 1.500.000 TN&MT",
        ];
        let term_sets: [&[(&str, Score)]; 5] = [
            &[("sach", 0.5), ("hon", 0.25)],
            &[("san", 0.1), ("xuat", 0.1), ("tre", 0.3)],
            &[("viet", 1.0), ("li", 0.5), ("qui", 0.2), ("da", 0.2), ("nang", 0.2)],
            &[("14/4/2011", 1.0), ("tphcm", 0.5), ("hcm", 0.5), ("2009-2013", 0.4), ("tnmt", 0.4), ("1", 0.1)],
            &[("y", 1.0), ("a", 1.0), ("ix", 0.5), ("ab", 0.5), ("hoa", 0.3), ("thuy", 0.3)],
        ];
        for terms in term_sets {
            for max_bytes in [20, 60, SNIPPET_BYTES, usize::MAX / 2] {
                let ours = passages(terms, max_bytes);
                let map: BTreeMap<String, Score> = terms.iter().map(|(t, s)| ((*t).to_owned(), *s)).collect();
                let theirs = SnippetGenerator::new(map, analyzer(Form::Folded), Field::from_field_id(0), max_bytes);
                for text in texts {
                    let mut snippet = theirs.snippet(text);
                    let expected = (!snippet.is_empty()).then(|| {
                        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                        snippet.to_html()
                    });
                    assert_eq!(ours.html(text), expected, "terms {terms:?}, {max_bytes} bytes, text {text:?}");
                }
            }
        }
    }
}
