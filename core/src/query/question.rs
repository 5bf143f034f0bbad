//! Words that ask rather than describe: "là gì", "như thế nào", "bao nhiêu", "đúng hay sai".
//!
//! A question typed in the user's own words ("Điều kiện kết hôn là gì?", "Trọng tài viên có quyền từ
//! chối giải quyết tranh chấp, đúng hay sai?") carries words the answer never holds. Their rarity in
//! the archive makes them weigh like the words that matter ("sai" is rare in a law), so the second stage
//! (`search::rerank`) leaves them out of its features; the first stage still matches them, as any word.
//!
//! The phrases are matched on the words as typed: with diacritics ("gì", "nào") when the query has any
//! diacritics, so "Ai" in "Ai tạo ra Wikipedia?" asks while "sao" in "Sao Kim" does not (only "tại sao",
//! "vì sao" and "ra sao" ask); a query typed without any diacritics only loses the phrases that cannot
//! be anything else once folded ("la gi", "bao nhieu", "nhu the nao").

use crate::analysis::{analyze, has_diacritics, Form};

/// Asking phrases, as exact tokens, for queries typed with diacritics.
const ASKING: &[&[&str]] = &[
    &["là", "gì"],
    &["như", "thế", "nào"],
    &["đúng", "hay", "sai"],
    &["thế", "nào"],
    &["ra", "sao"],
    &["tại", "sao"],
    &["vì", "sao"],
    &["bao", "nhiêu"],
    &["bao", "lâu"],
    &["bao", "giờ"],
    &["hay", "không"],
    &["có", "phải"],
    &["gì"],
    &["nào"],
    &["đâu"],
    &["ai"],
    &["ạ"],
];

/// Asking phrases, as folded tokens, for queries typed without any diacritics.
const ASKING_FOLDED: &[&[&str]] = &[
    &["nhu", "the", "nao"],
    &["dung", "hay", "sai"],
    &["the", "nao"],
    &["tai", "sao"],
    &["vi", "sao"],
    &["bao", "nhieu"],
    &["hay", "khong"],
    &["la", "gi"],
];

/// For each of `words` (the query's words as typed, in order), whether it is part of an asking phrase.
/// When every word would be, none is: a query of question words alone is about them.
pub fn asking_words(words: &[&str]) -> Vec<bool> {
    let accented = words.iter().any(|w| has_diacritics(w));
    let form = if accented { Form::Exact } else { Form::Folded };
    // (word index, token) for every token of every word.
    let tokens: Vec<(usize, String)> =
        words.iter().enumerate().flat_map(|(i, word)| analyze(word, form).into_iter().map(move |t| (i, t))).collect();
    let phrases = if accented { ASKING } else { ASKING_FOLDED };
    let mut asking_token = vec![false; tokens.len()];
    let mut start = 0;
    while start < tokens.len() {
        let matched = phrases.iter().find(|phrase| {
            phrase.len() <= tokens.len() - start
                && phrase.iter().zip(&tokens[start..]).all(|(p, (_, t))| *p == t.as_str())
        });
        match matched {
            Some(phrase) => {
                asking_token[start..start + phrase.len()].fill(true);
                start += phrase.len();
            }
            None => start += 1,
        }
    }
    let mut asking = vec![true; words.len()];
    let mut has_token = vec![false; words.len()];
    for ((word, _), flag) in tokens.iter().zip(&asking_token) {
        has_token[*word] = true;
        asking[*word] &= *flag;
    }
    // A word without tokens (punctuation) neither asks nor counts as a word of substance.
    let asking: Vec<bool> = asking.iter().zip(&has_token).map(|(a, has)| *a && *has).collect();
    if asking.iter().zip(&has_token).all(|(a, has)| *a || !*has) {
        return vec![false; words.len()];
    }
    asking
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_asking(query: &str, expected: &[&str]) {
        let words: Vec<&str> = query.split_whitespace().collect();
        let flags = asking_words(&words);
        let asking: Vec<&str> = words.iter().zip(&flags).filter(|(_, a)| **a).map(|(w, _)| *w).collect();
        assert_eq!(asking, expected, "query {query:?}");
    }

    #[test]
    fn asking_phrases_are_found() {
        let cases: &[(&str, &[&str])] = &[
            ("Điều kiện kết hôn là gì?", &["là", "gì?"]),
            ("Trọng tài viên có quyền từ chối, đúng hay sai?", &["đúng", "hay", "sai?"]),
            ("Thủ tục như thế nào", &["như", "thế", "nào"]),
            ("Ai tạo ra Wikipedia?", &["Ai"]),
            ("Khóa luận có bao nhiêu tín chỉ?", &["bao", "nhiêu"]),
            // "sao" alone is a star, "không" alone is zero or air.
            ("Sao Kim quay quanh Mặt Trời", &[]),
            ("không khí sạch", &[]),
            ("Vì sao em không có?", &["Vì", "sao"]),
            // Case does not matter.
            ("Học phí THẾ NÀO", &["THẾ", "NÀO"]),
            // Without diacritics only what cannot be anything else once folded.
            ("dieu kien ket hon la gi", &["la", "gi"]),
            ("sao kim o dau", &[]),
            ("hoc phi bao nhieu", &["bao", "nhieu"]),
        ];
        for (query, expected) in cases {
            assert_asking(query, expected);
        }
    }

    #[test]
    fn a_query_of_question_words_alone_keeps_them() {
        assert_asking("là gì", &[]);
        assert_asking("bao nhiêu?", &[]);
    }
}
