//! Kho's analyzed terms as words Sphinx stores as they are.
//!
//! Sphinx tokenizes text with its own `charset_table` and knows nothing of Vietnamese: fed raw text it
//! would split "TP.HCM", lose the difference between `hòa` and `hoà` that Kho's tone placement removes,
//! and could not tell the folded field from the exact one. So Sphinx is never given text: the feeder runs
//! Kho's own analyzer of every indexed field (the one tantivy would run) and sends each token as one word
//! made of `[a-z0-9_]` only, which the cluster's charset table (`0..9, a..z, _`) keeps whole:
//!
//! - two letters name the field (`title`, `body_exact`, `pairs`, `kind` …), so the same word in two
//!   fields is two Sphinx words and Sphinx's per-word document counts are tantivy's per-term ones;
//! - then the token's UTF-8 bytes: `a`-`z` and `0`-`9` as they are, any other byte as `_` and two hex
//!   digits (`hòa` → `h_c3_b2a`, `tp.hcm` → `tp_2ehcm`), which no two tokens share;
//! - a word longer than [`MAX_WORD`] bytes (Sphinx cuts words at 42) is the field's letters, `_zz` (which
//!   the escaping never writes) and 32 hex digits of the token's SHA-256.
//!
//! The server encodes the query's terms with the same function, so the two sides always agree.

use std::fmt::Write as _;

use kho_core::index::KhoIndex;
use sha2::{Digest, Sha256};
use tantivy::schema::{Field, FieldType, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{TantivyDocument, Term};

/// The longest word written; Sphinx 2.2 truncates words at 42 bytes.
pub const MAX_WORD: usize = 40;

/// The Sphinx word of `token` in `field`.
pub fn encode(field: Field, token: &str) -> String {
    let mut word = field_code(field);
    for byte in token.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' => word.push(char::from(byte)),
            other => {
                let _ = write!(word, "_{other:02x}");
            }
        }
    }
    if word.len() <= MAX_WORD {
        return word;
    }
    let mut hashed = field_code(field);
    hashed.push_str("_zz");
    for byte in &Sha256::digest(token.as_bytes())[..16] {
        let _ = write!(hashed, "{byte:02x}");
    }
    hashed
}

/// The Sphinx word of a tantivy term: text and unsigned integer terms (other types are never searched).
pub fn encode_term(term: &Term) -> Option<String> {
    let value = term.value();
    if let Some(text) = value.as_str() {
        return Some(encode(term.field(), text));
    }
    value.as_u64().map(|number| encode(term.field(), &number.to_string()))
}

/// Two letters per field: `aa`, `ab`, … in the schema's order.
fn field_code(field: Field) -> String {
    let id = field.field_id();
    let first = char::from(b'a' + u8::try_from(id / 26 % 26).unwrap_or(0));
    let second = char::from(b'a' + u8::try_from(id % 26).unwrap_or(0));
    let mut code = String::with_capacity(MAX_WORD);
    code.push(first);
    code.push(second);
    code
}

/// What Sphinx stores of one document to search it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DocumentTerms {
    /// The encoded words of every searched field, space-separated, in each field's token order.
    pub words: String,
    /// How many tokens each field has (tantivy's field length), by field id; BM25 needs their sums.
    pub lengths: Vec<u64>,
}

/// The fields whose terms Sphinx holds: every indexed text field, and the year (filters). Near-duplicate
/// bands and the OCR flag are never searched.
pub fn searched_fields(kho: &KhoIndex) -> Vec<Field> {
    let schema = kho.index.schema();
    schema
        .fields()
        .filter(|(field, entry)| match entry.field_type() {
            FieldType::Str(options) => options.get_indexing_options().is_some(),
            FieldType::U64(_) => *field == kho.fields.year,
            _ => false,
        })
        .map(|(field, _)| field)
        .collect()
}

/// The names of the searched fields, in the schema's order: each has a length attribute in a shard's
/// configuration (see [`crate::spec::ClusterSpec::node_config`]).
pub fn searched_field_names() -> tantivy::Result<Vec<String>> {
    let kho = kho_core::index::create_in_ram()?;
    let schema = kho.index.schema();
    Ok(searched_fields(&kho).into_iter().map(|field| schema.get_field_name(field).to_owned()).collect())
}

/// Runs each searched field's analyzer over the document's values, as tantivy does when indexing it.
pub fn document_terms(kho: &KhoIndex, fields: &[Field], doc: &TantivyDocument) -> tantivy::Result<DocumentTerms> {
    let schema = kho.index.schema();
    let mut terms = DocumentTerms { words: String::new(), lengths: vec![0; schema.num_fields()] };
    for &field in fields {
        let is_text = matches!(schema.get_field_entry(field).field_type(), FieldType::Str(_));
        let mut analyzer = match is_text {
            true => Some(kho.index.tokenizer_for_field(field)?),
            false => None,
        };
        let mut count = 0u64;
        for value in doc.get_all(field) {
            match (&mut analyzer, value.as_str(), value.as_u64()) {
                (Some(analyzer), Some(text), _) => {
                    let mut stream = analyzer.token_stream(text);
                    while stream.advance() {
                        push_word(&mut terms.words, &encode(field, &stream.token().text));
                        count += 1;
                    }
                }
                (None, _, Some(number)) => {
                    push_word(&mut terms.words, &encode(field, &number.to_string()));
                    count += 1;
                }
                _ => {}
            }
        }
        if let Some(length) = terms.lengths.get_mut(field.field_id() as usize) {
            *length = count;
        }
    }
    Ok(terms)
}

fn push_word(words: &mut String, word: &str) {
    if !words.is_empty() {
        words.push(' ');
    }
    words.push_str(word);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kho_core::schema::KhoDocument;

    #[test]
    fn words_are_lowercase_ascii_and_distinct() {
        let body = Field::from_field_id(4);
        let cases = [
            ("hoi", "aehoi"),
            ("hòa", "aeh_c3_b2a"),
            ("tp.hcm", "aetp_2ehcm"),
            ("a_b", "aea_5fb"),
            ("2011", "ae2011"),
            ("HOI", "ae_48_4f_49"),
        ];
        for (token, word) in cases {
            assert_eq!(encode(body, token), word, "{token}");
        }
        assert_ne!(encode(body, "hoi"), encode(Field::from_field_id(2), "hoi"), "fields differ");
        assert_eq!(field_code(Field::from_field_id(27)), "bb");
    }

    #[test]
    fn long_tokens_are_hashed_and_short() {
        let body = Field::from_field_id(4);
        let long = "nghiêng".repeat(6);
        let word = encode(body, &long);
        assert_eq!(word.len(), 2 + 3 + 32);
        assert!(word.starts_with("ae_zz"), "{word}");
        assert_ne!(word, encode(body, &"nghiêng".repeat(7)));
        assert!(word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
    }

    #[test]
    fn document_terms_are_kho_analysis() {
        let kho = kho_core::index::create_in_ram().unwrap();
        let fields = searched_fields(&kho);
        assert!(fields.contains(&kho.fields.body) && fields.contains(&kho.fields.year));
        assert!(!fields.contains(&kho.fields.dup_band) && !fields.contains(&kho.fields.hash));
        let doc = KhoDocument {
            id: "d1".into(),
            title: "Hoà bình".into(),
            body: "Sạch hơn".into(),
            kind: "news".into(),
            date: Some("2011-04-14".into()),
            ..KhoDocument::default()
        }
        .to_tantivy(&kho.fields);
        let terms = document_terms(&kho, &fields, &doc).unwrap();
        let words: Vec<&str> = terms.words.split(' ').collect();
        // Old tone placement "hoà" is indexed as Kho's canonical "hòa"; folded, it is "hoa".
        assert!(words.contains(&encode(kho.fields.title, "hoa").as_str()), "{words:?}");
        assert!(words.contains(&encode(kho.fields.title_exact, "hòa").as_str()), "{words:?}");
        assert!(words.contains(&encode(kho.fields.body, "sach").as_str()), "{words:?}");
        assert!(words.contains(&encode(kho.fields.year, "2011").as_str()), "{words:?}");
        assert_eq!(terms.lengths[kho.fields.body.field_id() as usize], 2);
    }
}
