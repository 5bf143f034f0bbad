//! Plain text files (`.txt`).
//!
//! Most are UTF-8, but the archive's older files are in what Windows saved them as: UTF-16 ("Unicode
//! text"), or a legacy Vietnamese 8-bit encoding (TCVN3, VNI-Windows, Windows-1258), or Unicode that is
//! really TCVN3 or VNI read as Windows-1252 ("ViÖt Nam"). [`super::legacy::decode_legacy_text`] tells them
//! apart: a byte order mark or the pattern of zero bytes for UTF-16, validity for UTF-8, and for the 8-bit
//! encodings which reading gives the most Vietnamese syllables. A file that no encoding reads plausibly
//! is reported, with the offset of its first byte that is not UTF-8, instead of being indexed as mojibake.
//! A leading byte order mark is dropped and Windows line ends become `\n`. The title is left to the
//! caller, who derives it from the file name.

use super::legacy::decode_legacy_text;
use super::{ExtractError, Extracted};

/// The UTF-8 encoding of U+FEFF, which Windows editors put at the start of "UTF-8" files.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a text file in UTF-8, UTF-16 or a legacy Vietnamese encoding; see the module docs.
pub fn extract_plain_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let Some((text, encoding)) = decode_legacy_text(bytes) else {
        return Err(ExtractError::InvalidUtf8 { offset: first_invalid_utf8(bytes) });
    };
    tracing::debug!(encoding = encoding.name(), "text file decoded");
    Ok(Extracted { body: normalize_line_ends(&text), ..Extracted::default() })
}

/// Where the bytes stop being UTF-8, counted in the file as stored (a byte order mark included).
fn first_invalid_utf8(bytes: &[u8]) -> usize {
    let (body, bom_len) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, UTF8_BOM.len()),
        None => (bytes, 0),
    };
    bom_len + std::str::from_utf8(body).map_or_else(|err| err.valid_up_to(), str::len)
}

/// `\r\n` (and a lone `\r`, as old Mac files have) become `\n`, so the rest of the pipeline sees one
/// kind of line end.
fn normalize_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_text() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            ("Luật số 07/2017/QH14".as_bytes(), "Luật số 07/2017/QH14"),
            (b"\xEF\xBB\xBFXin ch\xC3\xA0o", "Xin chào"),
            (b"a\r\nb\r\n\r\nc", "a\nb\n\nc"),
            (b"a\rb", "a\nb"),
            (b"tab\there\n", "tab\there\n"),
        ];
        for (input, want) in cases {
            let got = extract_plain_text(input).expect("valid UTF-8");
            assert_eq!(got.body, *want, "input {input:?}");
            assert_eq!(got.title, None);
            assert_eq!(got.date, None);
        }
    }

    #[test]
    fn decodes_legacy_encodings() {
        let utf16: Vec<u8> = "\u{FEFF}Việt\r\nNam".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let cases: &[(&[u8], &str)] = &[
            (&utf16, "Việt\nNam"),
            (b"Vi\xD6t Nam\r\nC\xABng th\xAD\xACng", "Việt Nam\nCông thương"),
            (b"Vie\xE4t Nam\r\nCo\xE2ng th\xF6\xF4ng", "Việt Nam\nCông thương"),
            (b"Vi\xEA\xF2t Nam\r\nC\xF4ng th\xFD\xF5ng", "Việt Nam\nCông thương"),
            ("ViÖt Nam".as_bytes(), "Việt Nam"),
        ];
        for (input, want) in cases {
            let got = extract_plain_text(input).expect("a known encoding");
            assert_eq!(got.body, *want, "input {input:?}");
        }
    }

    #[test]
    fn reports_offset_when_no_encoding_fits() {
        let cases: &[(&[u8], usize)] = &[
            (b"\xFF", 0),
            (b"abc\xFFdef", 3),
            // "Vi", UTF-8 "ê", then a TCVN3 byte: neither encoding reads it all. The offset counts bytes.
            (b"Vi\xC3\xAA\xB8t", 4),
            // The BOM is counted: the offset is into the file as stored.
            (b"\xEF\xBB\xBFab\x80", 5),
            // A truncated multi-byte sequence at the end.
            (b"ok\xE1\xBB", 2),
        ];
        for (input, want) in cases {
            match extract_plain_text(input) {
                Err(ExtractError::InvalidUtf8 { offset }) => assert_eq!(offset, *want, "input {input:?}"),
                other => panic!("input {input:?}: expected InvalidUtf8, got {other:?}"),
            }
        }
        let message = extract_plain_text(b"\xFF").map(|_| ()).unwrap_err().to_string();
        for tried in ["UTF-8", "UTF-16", "TCVN3", "VNI", "Windows-1258"] {
            assert!(message.contains(tried), "{message}");
        }
    }
}
