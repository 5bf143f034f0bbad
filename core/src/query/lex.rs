//! The query's lexemes: words, `"quoted phrases"`, `-` exclusions, `OR`, and `field:"quoted value"`.
//!
//! Lexing comes before analysis because the user's syntax (quotes, a leading `-`, a bare `OR`) is
//! written with characters the tokenizer would drop. A word's text is kept as typed (after NFC); the
//! parser then decides whether it is a filter (`kind:news`) or a word.

use super::{Item, QueryError};

/// One unit of the query's syntax.
pub(super) enum Lexeme {
    Or,
    Item { item: Item, negated: bool },
}

/// The lexemes of an NFC-normalized query.
pub(super) fn lex(text: &str) -> Result<Vec<Lexeme>, QueryError> {
    let mut lexemes = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-' && text[start + 1..].starts_with(|n: char| !n.is_whitespace() && n != '-');
        if negated {
            chars.next();
        }
        let Some(&(item_start, first)) = chars.peek() else {
            break;
        };
        if first == '"' {
            let (quoted, end) = quoted_text(text, item_start + 1)?;
            while chars.peek().is_some_and(|&(i, _)| i <= end) {
                chars.next();
            }
            if !quoted.is_empty() {
                lexemes.push(Lexeme::Item { item: Item::Phrase(quoted.to_owned()), negated });
            }
            continue;
        }
        let mut end = text.len();
        while let Some(&(i, ch)) = chars.peek() {
            if ch.is_whitespace() || ch == '"' {
                end = i;
                break;
            }
            chars.next();
        }
        let word = &text[item_start..end];
        // `title:"a phrase"`: the filter takes the quoted text as its value.
        if word.ends_with(':') && text[end..].starts_with('"') {
            let (quoted, quote_end) = quoted_text(text, end + 1)?;
            while chars.peek().is_some_and(|&(i, _)| i <= quote_end) {
                chars.next();
            }
            lexemes.push(Lexeme::Item { item: Item::Word(format!("{word}{quoted}")), negated });
            continue;
        }
        if word == "OR" && !negated {
            lexemes.push(Lexeme::Or);
        } else {
            lexemes.push(Lexeme::Item { item: Item::Word(word.to_owned()), negated });
        }
    }
    Ok(lexemes)
}

/// The trimmed text between an opening quote (just before `body_start`) and the next quote, and the
/// byte offset of that closing quote.
fn quoted_text(text: &str, body_start: usize) -> Result<(&str, usize), QueryError> {
    let Some(len) = text[body_start..].find('"') else {
        return Err(QueryError::new(
            "unbalanced_quote",
            "Thiếu dấu ngoặc kép đóng cụm từ",
            "a quoted phrase is missing its closing quote",
        ));
    };
    Ok((text[body_start..body_start + len].trim(), body_start + len))
}
