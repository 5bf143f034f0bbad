//! Words split by hard line wraps: text copied out of a web page or a fixed-width export often breaks
//! a line inside a word, as in "báo cáo kết quả q\nuá trình". Such a break is undone when the two
//! pieces joined are one Vietnamese syllable and at least one piece is not a syllable on its own.
//! Where both pieces are syllables ("tru\nyền" could be "tru yền" as much as "truyền"), the text is
//! left as it is: a wrong join would corrupt correct text, a missed one only costs one word.

use std::borrow::Cow;

use kho_core::analysis::is_vietnamese_syllable;

/// Joins the pieces of words split by a single line break; see the module docs.
pub fn repair_line_wraps(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(at) = rest.find('\n') {
        let (line, after) = (&rest[..at], &rest[at + 1..]);
        out.push_str(line);
        if is_split_word(line, after) {
            changed = true;
        } else {
            out.push('\n');
        }
        rest = after;
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// True when the letters ending `before` and the letters starting `after` are one split syllable.
fn is_split_word(before: &str, after: &str) -> bool {
    let head_start = before.char_indices().rev().take_while(|(_, c)| c.is_alphabetic()).last().map(|(i, _)| i);
    let Some(head_start) = head_start else { return false };
    let head = &before[head_start..];
    let tail_end = after.char_indices().find(|(_, c)| !c.is_alphabetic()).map_or(after.len(), |(i, _)| i);
    let tail = &after[..tail_end];
    if tail.is_empty() {
        return false;
    }
    // "Q\nuá" may be a split "Quá"; "q\nUá" is not a word anyone typed.
    if tail.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let pieces_are_words = is_vietnamese_syllable(head) && is_vietnamese_syllable(tail);
    !pieces_are_words && is_vietnamese_syllable(&format!("{head}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_repairs(cases: &[(&str, &str)]) {
        for (input, want) in cases {
            assert_eq!(repair_line_wraps(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn joins_split_syllables() {
        assert_repairs(&[
            ("báo cáo kết quả q\nuá trình", "báo cáo kết quả quá trình"),
            ("Tr\nung tâm", "Trung tâm"),
            ("ng\nười dân", "người dân"),
            ("th\nực hiện và ngh\niệp", "thực hiện và nghiệp"),
            ("doanh nghiệ\np", "doanh nghiệp"),
        ]);
    }

    #[test]
    fn keeps_real_line_breaks() {
        assert_repairs(&[
            ("", ""),
            ("không xuống dòng", "không xuống dòng"),
            // both pieces are syllables: ambiguous, left alone
            ("tru\nyền", "tru\nyền"),
            ("Nhà\nmáy", "Nhà\nmáy"),
            // a paragraph break is never joined
            ("q\n\nuá", "q\n\nuá"),
            // the join is not a syllable
            ("SXSH\ntại", "SXSH\ntại"),
            ("CPI,\nngày", "CPI,\nngày"),
            ("2011\nnăm", "2011\nnăm"),
            // a space before the break ends the word
            ("q \nuá", "q \nuá"),
            // a capital after the break starts a new sentence or name
            ("Tr\nUng", "Tr\nUng"),
            ("dòng cuối\n", "dòng cuối\n"),
        ]);
    }
}
