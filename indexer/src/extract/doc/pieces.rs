//! The File Information Block and the piece table of a Word 97-2003 document, and the text they lead
//! to ([MS-DOC] §2.4.1, §2.5.1, §2.9.177).
//!
//! A character position (CP) counts characters through the document's parts in a fixed order: main
//! text, footnotes, headers, macro text, comments, endnotes, text boxes, header text boxes. The piece
//! table (`PlcPcd`, in the CLX at `fcClx` in the table stream) splits the positions into pieces, each
//! stored at a file offset (`fc`) in `WordDocument`: UTF-16LE, or, when the piece's `fCompressed` bit is
//! set, one byte per character at `fc / 2`, Windows-1252.
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

use crate::extract::legacy::decode_windows_code_page;
use crate::extract::{tidy_paragraphs, ExtractError};

/// `wIdent` of a Word document's FIB.
const WORD_MAGIC: u16 = 0xA5EC;

/// The first `nFib` of Word 97; Word 6 and 95 wrote 0x0065–0x0068, with another FIB layout.
const WORD97_NFIB: u16 = 0x00C1;

/// `fibRgFcLcb97` index of `fcClx`/`lcbClx`.
const CLX_INDEX: usize = 33;

/// What the File Information Block says that the text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fib {
    /// The piece table is in `1Table` (else `0Table`).
    pub table_one: bool,
    pub encrypted: bool,
    /// Characters in each part: main, footnotes, headers, macro, comments, endnotes, text boxes, header
    /// text boxes.
    pub part_lengths: [u32; 8],
    pub clx_offset: u32,
    pub clx_length: u32,
}

impl Fib {
    pub(super) fn parse(word: &[u8]) -> Result<Fib, ExtractError> {
        let short = || ExtractError::Doc("the File Information Block is cut short".to_owned());
        if word.len() < 34 {
            return Err(short());
        }
        if u16_at(word, 0) != Some(WORD_MAGIC) {
            return Err(ExtractError::Doc("not a Word 97-2003 document".to_owned()));
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        if n_fib < WORD97_NFIB && n_fib != 0 {
            return Err(ExtractError::Doc(format!("a Word 6/95 document (nFib {n_fib:#06x}), not supported")));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        // FibBase (32 bytes), then counted arrays: fibRgW (16-bit), fibRgLw (32-bit), fibRgFcLcb (pairs).
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw_count_at = 34 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_count_at).ok_or_else(short)?);
        let lw_at = lw_count_at + 2;
        if cslw < 11 {
            return Err(ExtractError::Doc("the File Information Block has no text lengths".to_owned()));
        }
        let mut part_lengths = [0u32; 8];
        for (i, length) in part_lengths.iter_mut().enumerate() {
            // ccpText is fibRgLw's fourth value, the other parts follow it.
            *length = u32_at(word, lw_at + (3 + i) * 4).ok_or_else(short)?;
        }
        let pairs_count_at = lw_at + cslw * 4;
        let pairs = usize::from(u16_at(word, pairs_count_at).ok_or_else(short)?);
        if pairs <= CLX_INDEX {
            return Err(ExtractError::Doc("the File Information Block has no piece table".to_owned()));
        }
        let clx_at = pairs_count_at + 2 + CLX_INDEX * 8;
        Ok(Fib {
            table_one: flags & 0x0200 != 0,
            encrypted: flags & 0x0100 != 0,
            part_lengths,
            clx_offset: u32_at(word, clx_at).ok_or_else(short)?,
            clx_length: u32_at(word, clx_at + 4).ok_or_else(short)?,
        })
    }
}

/// One piece: the character positions `start..end` stored at `fc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: u32,
    end: u32,
    fc: u32,
    compressed: bool,
}

/// The document's text: the main text, then footnotes, endnotes and text boxes, paragraphs separated
/// by blank lines.
pub(super) fn document_text(fib: &Fib, word: &[u8], table: &[u8]) -> Result<String, ExtractError> {
    let pieces = piece_table(fib, table)?;
    // Where each part starts, in the order of `Fib::part_lengths`.
    let mut starts = [0u32; 8];
    let mut at = 0u32;
    for (start, length) in starts.iter_mut().zip(fib.part_lengths) {
        *start = at;
        at = at.saturating_add(length);
    }
    let mut text = String::new();
    for part in [0, 1, 5, 6] {
        let range = starts[part]..starts[part].saturating_add(fib.part_lengths[part]);
        if range.is_empty() {
            continue;
        }
        let units = characters(&pieces, word, range)?;
        text.push_str(&visible_text(&units));
        text.push_str("\n\n");
    }
    Ok(tidy_paragraphs(&text))
}

/// The piece table from the CLX: `Prc` entries (formatting, skipped), then the `Pcdt`.
fn piece_table(fib: &Fib, table: &[u8]) -> Result<Vec<Piece>, ExtractError> {
    let bad = |what: &str| ExtractError::Doc(format!("the piece table is damaged: {what}"));
    let start = fib.clx_offset as usize;
    let end = start
        .checked_add(fib.clx_length as usize)
        .filter(|&e| e <= table.len())
        .ok_or_else(|| bad("outside the table stream"))?;
    let clx = &table[start..end];
    let mut at = 0usize;
    while clx.get(at) == Some(&0x01) {
        let size = i16::from_le_bytes([
            *clx.get(at + 1).ok_or_else(|| bad("Prc"))?,
            *clx.get(at + 2).ok_or_else(|| bad("Prc"))?,
        ]);
        at += 3 + usize::try_from(size).map_err(|_| bad("negative Prc size"))?;
    }
    if clx.get(at) != Some(&0x02) {
        return Err(bad("no Pcdt"));
    }
    let length = u32_at(clx, at + 1).ok_or_else(|| bad("Pcdt length"))? as usize;
    let plc = clx.get(at + 5..at + 5 + length).ok_or_else(|| bad("PlcPcd outside the CLX"))?;
    // n + 1 CPs of 4 bytes and n PCDs of 8 bytes.
    if plc.len() < 16 || (plc.len() - 4) % 12 != 0 {
        return Err(bad("PlcPcd size"));
    }
    let count = (plc.len() - 4) / 12;
    let cp = |i: usize| u32_at(plc, i * 4).unwrap_or(0);
    let mut pieces = Vec::with_capacity(count);
    for i in 0..count {
        let descriptor = (count + 1) * 4 + i * 8;
        let fc_field = u32_at(plc, descriptor + 2).ok_or_else(|| bad("PCD"))?;
        let compressed = fc_field & 0x4000_0000 != 0;
        let fc = fc_field & 0x3FFF_FFFF;
        let (start, end) = (cp(i), cp(i + 1));
        if end < start {
            return Err(bad("positions out of order"));
        }
        pieces.push(Piece { start, end, fc: if compressed { fc / 2 } else { fc }, compressed });
    }
    Ok(pieces)
}

/// The UTF-16 code units of the character positions `range`.
fn characters(pieces: &[Piece], word: &[u8], range: std::ops::Range<u32>) -> Result<Vec<u16>, ExtractError> {
    let mut units = Vec::new();
    for piece in pieces {
        let (start, end) = (piece.start.max(range.start), piece.end.min(range.end));
        if start >= end {
            continue;
        }
        let offset = (start - piece.start) as usize;
        let count = (end - start) as usize;
        let outside = || ExtractError::Doc("a piece lies outside the WordDocument stream".to_owned());
        if piece.compressed {
            let from = piece.fc as usize + offset;
            let bytes = word.get(from..from.checked_add(count).ok_or_else(outside)?).ok_or_else(outside)?;
            units.extend(decode_windows_code_page(1252, bytes).encode_utf16());
        } else {
            let from = piece.fc as usize + offset * 2;
            let bytes = word.get(from..from.checked_add(count * 2).ok_or_else(outside)?).ok_or_else(outside)?;
            units.extend(bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])));
        }
    }
    Ok(units)
}

/// Text from Word's characters: paragraph, cell and page marks are paragraph breaks, field instructions
/// dropped (their results kept), anchors of pictures, notes and comments dropped.
fn visible_text(units: &[u16]) -> String {
    let mut text = String::with_capacity(units.len());
    // For each open field: whether its instruction is still being read (before the separator).
    let mut fields: Vec<bool> = Vec::new();
    for c in char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)) {
        match c {
            '\u{13}' => fields.push(true),
            '\u{14}' => {
                if let Some(instruction) = fields.last_mut() {
                    *instruction = false;
                }
            }
            '\u{15}' => {
                fields.pop();
            }
            // Inside an instruction, a nested field's result is part of the instruction too.
            _ if fields.contains(&true) => {}
            '\r' | '\u{7}' | '\u{C}' => text.push_str("\n\n"),
            '\u{B}' => text.push('\n'),
            '\t' => text.push('\t'),
            '\u{1E}' => text.push('-'),
            c if c.is_control() => {}
            c => text.push(c),
        }
    }
    text
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WordDocument stream's FIB with these part lengths and CLX place, the usual Word 97 sizes
    /// (csw 14, cslw 22, cbRgFcLcb 93).
    fn fib_bytes(part_lengths: [u32; 8], clx: (u32, u32), flags: u16) -> Vec<u8> {
        let mut fib = vec![0u8; 32];
        fib[0..2].copy_from_slice(&WORD_MAGIC.to_le_bytes());
        fib[2..4].copy_from_slice(&WORD97_NFIB.to_le_bytes());
        fib[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
        fib.extend(14u16.to_le_bytes());
        fib.extend([0u8; 28]);
        fib.extend(22u16.to_le_bytes());
        let mut lw = [0u32; 22];
        lw[3..11].copy_from_slice(&part_lengths);
        fib.extend(lw.iter().flat_map(|v| v.to_le_bytes()));
        fib.extend(93u16.to_le_bytes());
        let mut pairs = [0u32; 93 * 2];
        pairs[CLX_INDEX * 2] = clx.0;
        pairs[CLX_INDEX * 2 + 1] = clx.1;
        fib.extend(pairs.iter().flat_map(|v| v.to_le_bytes()));
        fib
    }

    /// A CLX with one Prc and a Pcdt of these pieces: (cp start, cp end, fc field as stored).
    fn clx_bytes(pieces: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut plc: Vec<u8> = Vec::new();
        for (start, _, _) in pieces {
            plc.extend(start.to_le_bytes());
        }
        plc.extend(pieces.last().map_or(0, |p| p.1).to_le_bytes());
        for (_, _, fc) in pieces {
            plc.extend([0u8, 0]);
            plc.extend(fc.to_le_bytes());
            plc.extend([0u8, 0]);
        }
        let mut clx = vec![0x01, 0x02, 0x00, 0xAA, 0xBB];
        clx.push(0x02);
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        clx
    }

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn the_fib_gives_table_lengths_and_clx() {
        let bytes = fib_bytes([10, 2, 0, 0, 0, 3, 0, 0], (0x40, 0x20), 0x0200);
        let fib = Fib::parse(&bytes).expect("parses");
        assert!(fib.table_one && !fib.encrypted);
        assert_eq!(fib.part_lengths, [10, 2, 0, 0, 0, 3, 0, 0]);
        assert_eq!((fib.clx_offset, fib.clx_length), (0x40, 0x20));
        assert_eq!(u32_at(&bytes, 0x1A2), Some(0x40), "fcClx sits at 0x1A2, as in Word's files");
        let mut word6 = bytes.clone();
        word6[2..4].copy_from_slice(&0x0065u16.to_le_bytes());
        assert!(matches!(Fib::parse(&word6), Err(ExtractError::Doc(m)) if m.contains("Word 6/95")));
    }

    #[test]
    fn pieces_are_utf16_or_compressed_windows_1252() {
        // Main text "Hội thảo\r" in UTF-16 at 1000, then "caf\xE9 \x93SXSH\x94\r" compressed at 1100.
        let main = "Hội thảo\r";
        let compressed = b"caf\xE9 \x93SXSH\x94\r";
        let main_len = main.encode_utf16().count() as u32;
        let total = main_len + compressed.len() as u32;
        let mut word = fib_bytes([total, 0, 0, 0, 0, 0, 0, 0], (0, 0), 0);
        word.resize(1000, 0);
        word.extend(utf16(main));
        word.resize(1100, 0);
        word.extend(compressed);
        let clx = clx_bytes(&[(0, main_len, 1000), (main_len, total, 0x4000_0000 | 2200)]);
        let fib = Fib { clx_offset: 0, clx_length: clx.len() as u32, ..Fib::parse(&word).expect("fib") };
        assert_eq!(document_text(&fib, &word, &clx).expect("text"), "Hội thảo\n\ncafé “SXSH”");
    }

    #[test]
    fn control_characters() {
        let cases = [
            ("paragraphs", "a\rb\r", "a\n\nb"),
            ("cells and rows", "a\u{7}b\u{7}\u{7}c", "a\n\nb\n\nc"),
            ("line break and tab", "a\u{B}b\tc", "a\nb\tc"),
            ("field instruction dropped, result kept", "x \u{13} PAGE \u{14}3\u{15} y", "x 3 y"),
            ("nested fields", "\u{13}IF \u{13}DATE\u{14}1\u{15}\u{14}ok\u{15}", "ok"),
            ("a field without result", "a\u{13}TC x\u{15}b", "ab"),
            ("anchors dropped, non-breaking hyphen kept", "a\u{1}\u{8}\u{2}b\u{1E}c\u{1F}d", "ab-cd"),
        ];
        for (label, chars, want) in cases {
            let units: Vec<u16> = chars.encode_utf16().collect();
            assert_eq!(tidy_paragraphs(&visible_text(&units)), want, "{label}");
        }
    }

    #[test]
    fn parts_are_read_in_order_without_headers() {
        // main "body\r", footnote "note\r", header "head\r", endnote "end\r"
        let text = "body\rnote\rhead\rend\r";
        let mut word = fib_bytes([5, 5, 5, 0, 0, 4, 0, 0], (0, 0), 0);
        word.resize(1000, 0);
        word.extend(utf16(text));
        let clx = clx_bytes(&[(0, 19, 1000)]);
        let fib = Fib { clx_offset: 0, clx_length: clx.len() as u32, ..Fib::parse(&word).expect("fib") };
        assert_eq!(document_text(&fib, &word, &clx).expect("text"), "body\n\nnote\n\nend");
    }

    #[test]
    fn damaged_piece_tables_are_errors() {
        let word = fib_bytes([5, 0, 0, 0, 0, 0, 0, 0], (0, 0), 0);
        let cases: Vec<(&str, Vec<u8>, u32)> = vec![
            ("no Pcdt", vec![0x05, 0, 0], 3),
            ("outside the table stream", clx_bytes(&[(0, 5, 100)]), 1000),
            ("a piece outside WordDocument", clx_bytes(&[(0, 5, 1_000_000)]), 0),
        ];
        for (label, clx, extra) in cases {
            let fib = Fib { clx_offset: 0, clx_length: clx.len() as u32 + extra, ..Fib::parse(&word).expect("fib") };
            let got = document_text(&fib, &word, &clx);
            assert!(matches!(got, Err(ExtractError::Doc(_))), "{label}: {got:?}");
        }
    }
}
