//! CMaps: the PostScript-like programs that map a font's character codes to Unicode (ToUnicode) and
//! declare how many bytes each code takes (codespace ranges).
//!
//! Only the parts text extraction uses are read (`begincodespacerange`, `beginbfchar`,
//! `beginbfrange`), by a small tokenizer that skips whatever else a map holds. The codespace ranges are
//! kept because they say how a composite font's strings split into codes (see `font`), and `bfrange`s
//! are kept as ranges rather than expanded, so a hostile `<0000> <FFFFFFFF>` costs nothing.

use std::collections::HashMap;

/// The most decompressed bytes read from one CMap. Real ToUnicode maps, even for CJK fonts, are
/// well under a megabyte; the limit bounds the tokens a hostile one can make.
pub(super) const MAX_CMAP_SIZE: usize = 4 * 1024 * 1024;

/// A big-endian code of one to four bytes, with its length.
pub(super) fn code_of(bytes: &[u8]) -> (u32, u8) {
    let code = bytes.iter().fold(0u32, |code, &b| (code << 8) | u32::from(b));
    (code, bytes.len().min(4) as u8)
}

/// A codespace range of a CMap: codes of `length` bytes from `low` to `high`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CodeRange {
    pub length: u8,
    low: u32,
    high: u32,
}

impl CodeRange {
    pub(super) fn contains(&self, code: u32) -> bool {
        (self.low..=self.high).contains(&code)
    }
}

/// A `bfrange` mapping: codes from `low` to `high` of `length` bytes.
#[derive(Debug, Clone, PartialEq)]
struct BfRange {
    length: u8,
    low: u32,
    high: u32,
    target: RangeTarget,
}

#[derive(Debug, Clone, PartialEq)]
enum RangeTarget {
    /// UTF-16 code units for `low`; later codes increment the last unit.
    Start(Vec<u16>),
    /// One string per code.
    List(Vec<String>),
}

/// The parts of a CMap that text extraction uses: codespace ranges, and `bfchar`/`bfrange`
/// mappings to Unicode (UTF-16BE, so surrogate pairs and ligatures map to several characters).
/// Ranges are kept as ranges rather than expanded, so a hostile `<0000> <FFFFFFFF>` costs nothing.
#[derive(Debug, Default)]
pub(super) struct CMap {
    pub code_space: Vec<CodeRange>,
    chars: HashMap<(u8, u32), String>,
    ranges: Vec<BfRange>,
}

impl CMap {
    pub(super) fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut rest = tokens.as_slice();
        while let [token, tail @ ..] = rest {
            rest = match token {
                Token::Word(b"begincodespacerange") => cmap.read_code_space(tail),
                Token::Word(b"beginbfchar") => cmap.read_bfchar(tail),
                Token::Word(b"beginbfrange") => cmap.read_bfrange(tail),
                _ => tail,
            };
        }
        // Sorted for binary search: CJK maps have thousands of ranges, and every glyph is looked up.
        cmap.ranges.sort_by_key(|r| (r.length, r.low));
        cmap
    }

    fn read_code_space<'t>(&mut self, mut tokens: &'t [Token<'t>]) -> &'t [Token<'t>] {
        while let [Token::Bytes(low), Token::Bytes(high), tail @ ..] = tokens {
            if let (Some((low, length)), Some((high, _))) = (code(low), code(high)) {
                self.code_space.push(CodeRange { length, low, high });
            }
            tokens = tail;
        }
        tokens
    }

    fn read_bfchar<'t>(&mut self, mut tokens: &'t [Token<'t>]) -> &'t [Token<'t>] {
        loop {
            match tokens {
                [Token::Bytes(source), Token::Bytes(target), tail @ ..] => {
                    if let Some((source, length)) = code(source) {
                        self.chars.insert((length, source), utf16_string(&utf16_units(target)));
                    }
                    tokens = tail;
                }
                // A glyph name as target (allowed, never seen in ToUnicode maps): skipped.
                [Token::Bytes(_), Token::Name(_), tail @ ..] => tokens = tail,
                _ => return tokens,
            }
        }
    }

    fn read_bfrange<'t>(&mut self, mut tokens: &'t [Token<'t>]) -> &'t [Token<'t>] {
        loop {
            let [Token::Bytes(low), Token::Bytes(high), tail @ ..] = tokens else {
                return tokens;
            };
            let (target, tail) = match tail {
                [Token::Bytes(start), tail @ ..] => (RangeTarget::Start(utf16_units(start)), tail),
                [Token::ArrayStart, tail @ ..] => {
                    let end = tail.iter().position(|t| *t == Token::ArrayEnd).unwrap_or(tail.len());
                    let list = tail[..end]
                        .iter()
                        .map(|t| match t {
                            Token::Bytes(b) => utf16_string(&utf16_units(b)),
                            _ => String::new(),
                        })
                        .collect();
                    (RangeTarget::List(list), tail.get(end + 1..).unwrap_or_default())
                }
                _ => return tail,
            };
            if let (Some((low, length)), Some((high, _))) = (code(low), code(high)) {
                if low <= high {
                    self.ranges.push(BfRange { length, low, high, target });
                }
            }
            tokens = tail;
        }
    }

    /// The Unicode text of a code. Codes are matched with their length first; some producers write
    /// one-byte fonts' maps with two-byte codes, so the value alone is tried next.
    pub(super) fn get(&self, code: u32, length: u8) -> Option<String> {
        self.lookup(code, Some(length)).or_else(|| self.lookup(code, None))
    }

    fn lookup(&self, code: u32, length: Option<u8>) -> Option<String> {
        match length {
            Some(length) => self.lookup_exact(code, length),
            None => (1..=4).find_map(|length| self.lookup_exact(code, length)),
        }
    }

    fn lookup_exact(&self, code: u32, length: u8) -> Option<String> {
        if let Some(text) = self.chars.get(&(length, code)) {
            return Some(text.clone());
        }
        // The range starting closest below the code: ranges do not overlap in a well-formed CMap.
        let after = self.ranges.partition_point(|r| (r.length, r.low) <= (length, code));
        let range = self.ranges.get(after.checked_sub(1)?).filter(|r| r.length == length && code <= r.high)?;
        let offset = code - range.low;
        match &range.target {
            RangeTarget::Start(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(offset as u16);
                Some(utf16_string(&units))
            }
            RangeTarget::List(list) => list.get(offset as usize).cloned(),
        }
    }
}

/// A code and its length from a CMap hex string; `None` for an empty or over-long one.
fn code(bytes: &[u8]) -> Option<(u32, u8)> {
    (1..=4).contains(&bytes.len()).then(|| code_of(bytes))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => u16::from_be_bytes([*high, *low]),
            [single] => u16::from(*single),
            _ => 0,
        })
        .collect()
}

fn utf16_string(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

/// The lexical pieces of a CMap that matter here.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A hex string `<…>` or a literal string `(…)`.
    Bytes(Vec<u8>),
    Name(&'a [u8]),
    /// A keyword or number.
    Word(&'a [u8]),
    ArrayStart,
    ArrayEnd,
}

fn tokenize(data: &[u8]) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&byte) = data.get(i) {
        i = match byte {
            b'%' => skip_while(data, i, |b| b != b'\n' && b != b'\r'),
            b'<' if data.get(i + 1) == Some(&b'<') => i + 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i + 2,
            b'<' => {
                let end = skip_while(data, i + 1, |b| b != b'>');
                tokens.push(Token::Bytes(hex_bytes(&data[i + 1..end])));
                end + 1
            }
            b'(' => {
                let (bytes, end) = literal_string(data, i + 1);
                tokens.push(Token::Bytes(bytes));
                end
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                i + 1
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                i + 1
            }
            b'/' => {
                let end = skip_while(data, i + 1, is_regular);
                tokens.push(Token::Name(&data[i + 1..end]));
                end
            }
            b if is_regular(b) => {
                let end = skip_while(data, i, is_regular);
                tokens.push(Token::Word(&data[i..end]));
                end
            }
            _ => i + 1,
        };
    }
    tokens
}

fn skip_while(data: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    data.get(from..).and_then(|rest| rest.iter().position(|&b| !keep(b))).map_or(data.len(), |n| from + n)
}

/// Not whitespace and not a PostScript delimiter.
fn is_regular(b: u8) -> bool {
    !b.is_ascii_whitespace() && b != 0 && !b"()<>[]{}/%".contains(&b)
}

/// The bytes of a hex string's digits; whitespace is ignored and an odd final digit is padded.
fn hex_bytes(digits: &[u8]) -> Vec<u8> {
    let nibbles: Vec<u8> = digits.iter().filter_map(|&d| char::from(d).to_digit(16)).map(|n| n as u8).collect();
    nibbles.chunks(2).map(|pair| (pair[0] << 4) | pair.get(1).copied().unwrap_or(0)).collect()
}

/// A literal string's bytes (balanced parentheses, simple escapes) and the index after it.
fn literal_string(data: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    let mut depth = 0;
    while let Some(&b) = data.get(i) {
        i += 1;
        match b {
            b'\\' => {
                if let Some(&escaped) = data.get(i) {
                    i += 1;
                    bytes.push(match escaped {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        other => other,
                    });
                }
            }
            b'(' => {
                depth += 1;
                bytes.push(b);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                bytes.push(b);
            }
            _ => bytes.push(b),
        }
    }
    (bytes, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_parsing() {
        let cmap = CMap::parse(
            b"%!PS comment\n/CIDInit /ProcSet findresource begin\n\
              2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange\n\
              3 beginbfchar <01> <0041> <8141> <D835DC00> <02> <00660069> endbfchar\n\
              2 beginbfrange <10> <12> <0061> <8150> <8152> [<0078> (y) <007A>] endbfrange\n\
              1 beginbfrange <20> <21> <D83DDE00> endbfrange\n\
              1 beginbfchar <0003> <1EC7> endbfchar\n",
        );
        assert_eq!(cmap.code_space.len(), 2);
        let cases: &[(u32, u8, Option<&str>)] = &[
            (0x01, 1, Some("A")),
            (0x8141, 2, Some("𝐀")),
            (0x02, 1, Some("fi")),
            (0x10, 1, Some("a")),
            (0x12, 1, Some("c")),
            (0x13, 1, None),
            (0x8150, 2, Some("x")),
            (0x8151, 2, Some("y")),
            (0x8152, 2, Some("z")),
            (0x20, 1, Some("😀")),
            (0x21, 1, Some("😁")),
            // A one-byte code written with two bytes in the map still decodes.
            (0x03, 1, Some("ệ")),
        ];
        for &(code, length, want) in cases {
            assert_eq!(cmap.get(code, length).as_deref(), want, "code {code:#x}");
        }
    }
}
