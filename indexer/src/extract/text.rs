//! Plain text files (`.txt`).
//!
//! The bytes must be UTF-8: an archive's text files are expected to be UTF-8, and guessing a legacy
//! Vietnamese code page (TCVN3, VNI, Windows-1258) from bytes alone is unreliable, so a file that is
//! not UTF-8 is reported with the offset of its first bad byte instead of being indexed as mojibake.
//! A leading byte order mark is dropped and Windows line ends become `\n`. The title is left to the
//! caller, who derives it from the file name.

use super::{ExtractError, Extracted};

/// The UTF-8 encoding of U+FEFF, which Windows editors put at the start of "UTF-8" files.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a UTF-8 text file; see the module docs.
pub fn extract_plain_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (bytes, bom_len) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, UTF8_BOM.len()),
        None => (bytes, 0),
    };
    let text = std::str::from_utf8(bytes).map_err(|err| ExtractError::InvalidUtf8 {
        // The offset is reported in the file as stored, BOM included.
        offset: bom_len + err.valid_up_to(),
    })?;
    Ok(Extracted { title: None, body: normalize_line_ends(text), date: None })
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
    fn reports_offset_of_invalid_utf8() {
        let cases: &[(&[u8], usize)] = &[
            (b"\xFF", 0),
            (b"abc\xFFdef", 3),
            // "Vi" then a TCVN3-style byte: the offset counts bytes, not characters.
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
    }
}
