//! Fonts, as far as text extraction needs them: how a string splits into character codes (one byte,
//! two, or a composite font's codespace ranges), what each code stands for (the ToUnicode [`CMap`],
//! else the simple font's encoding, with TCVN3 and VNI fonts decoded as such), and how far each glyph
//! advances (`/Widths`, or a CIDFont's `/W` and `/DW`). Widths matter because the gap between two
//! glyphs is what tells a word space from kerning.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::cmap::{code_of, CMap, CodeRange, MAX_CMAP_SIZE};
use super::MAX_STREAM_SIZE;
use crate::extract::legacy::{is_windows1252_reading, LegacyFont};

/// Glyph width, in thousandths of an em, assumed when a font gives none (the standard 14 fonts).
const DEFAULT_GLYPH_WIDTH: f32 = 500.0;

/// What text extraction needs of a font: how its strings split into codes, what each code means,
/// and how wide each glyph is.
pub(super) struct Font<'a> {
    to_unicode: Option<CMap>,
    /// lopdf's reading of a simple font's `/Encoding`, used for codes the ToUnicode CMap lacks.
    encoding: Option<Encoding<'a>>,
    codes: CodeSpace,
    widths: Widths,
    /// Glyph space to text space: 1/1000, except for Type 3 fonts, which give a FontMatrix.
    scale: f32,
    /// A simple font whose BaseFont is a TCVN3 or VNI font (`.VnTime`, `VNI-Times`): its codes are that
    /// encoding's bytes.
    legacy: Option<LegacyFont>,
}

impl<'a> Font<'a> {
    pub(super) fn new(document: &'a Document, dict: &'a Dictionary) -> Self {
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        let to_unicode = dict
            .get_deref(b"ToUnicode", document)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.get_plain_content_with_limit(MAX_CMAP_SIZE).ok())
            .map(|data| CMap::parse(&data));
        if subtype == b"Type0" {
            let codes = composite_code_space(document, dict, to_unicode.as_ref());
            let widths = Widths::composite(document, dict);
            Font { to_unicode, encoding: None, codes, widths, scale: 0.001, legacy: None }
        } else {
            let scale = match subtype {
                b"Type3" => dict
                    .get(b"FontMatrix")
                    .and_then(Object::as_array)
                    .ok()
                    .and_then(|m| m.first()?.as_float().ok())
                    .unwrap_or(0.001),
                _ => 0.001,
            };
            Font {
                to_unicode,
                encoding: dict.get_font_encoding_with_limit(document, MAX_STREAM_SIZE).ok(),
                codes: CodeSpace::OneByte,
                widths: Widths::simple(document, dict),
                scale,
                legacy: dict
                    .get(b"BaseFont")
                    .and_then(Object::as_name)
                    .ok()
                    .and_then(|name| LegacyFont::from_name(&String::from_utf8_lossy(name))),
            }
        }
    }

    /// The codes of a string, with their lengths in bytes.
    pub(super) fn codes(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        self.codes.split(bytes)
    }

    /// The glyph's advance in text space units per unit of font size.
    pub(super) fn width(&self, code: u32) -> f32 {
        self.widths.get(code) * self.scale
    }

    /// The text a code stands for; empty if the font does not say.
    pub(super) fn decode(&self, code: u32, length: u8) -> String {
        let mapped = self.to_unicode.as_ref().and_then(|m| m.get(code, length));
        if let (Some(legacy), Ok(byte)) = (self.legacy, u8::try_from(code)) {
            // A legacy font's code is its encoding's byte; PDF writers that do not know the encoding map
            // it to the byte's Windows-1252 character ("Ö" for TCVN3 "ệ"), or give no map at all.
            if mapped.as_deref().is_none_or(|text| is_windows1252_reading(text, byte)) {
                return legacy.decode_bytes(&[byte]);
            }
        }
        if let Some(text) = mapped {
            return text;
        }
        match (&self.encoding, u8::try_from(code)) {
            (Some(encoding), Ok(byte)) => encoding.bytes_to_string(&[byte]).unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// The code lengths of a composite (Type 0) font: from its embedded CMap, two bytes for the
/// Identity CMaps, else as the ToUnicode CMap declares, else two bytes (the common case).
fn composite_code_space(document: &Document, dict: &Dictionary, to_unicode: Option<&CMap>) -> CodeSpace {
    let encoding = dict.get_deref(b"Encoding", document).ok();
    if let Some(Object::Stream(stream)) = encoding {
        let ranges = stream
            .get_plain_content_with_limit(MAX_CMAP_SIZE)
            .map(|data| CMap::parse(&data).code_space)
            .unwrap_or_default();
        if !ranges.is_empty() {
            return CodeSpace::Ranges(ranges);
        }
    }
    let identity = matches!(encoding, Some(Object::Name(n)) if n.starts_with(b"Identity"));
    match to_unicode {
        Some(cmap) if !identity && !cmap.code_space.is_empty() => CodeSpace::Ranges(cmap.code_space.clone()),
        _ => CodeSpace::TwoBytes,
    }
}

/// How a font's strings split into character codes.
#[derive(Debug, Clone, PartialEq)]
enum CodeSpace {
    OneByte,
    TwoBytes,
    Ranges(Vec<CodeRange>),
}

impl CodeSpace {
    /// The codes of a string, with their lengths in bytes.
    fn split(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        match self {
            CodeSpace::OneByte => bytes.iter().map(|&b| (u32::from(b), 1)).collect(),
            CodeSpace::TwoBytes => bytes.chunks(2).map(code_of).collect(),
            CodeSpace::Ranges(ranges) => split_by_ranges(ranges, bytes),
        }
    }
}

/// Splits by codespace ranges: at each position, the shortest code that falls in a range; a byte
/// sequence that fits none is taken with the shortest declared length, as PDF readers do.
fn split_by_ranges(ranges: &[CodeRange], bytes: &[u8]) -> Vec<(u32, u8)> {
    let shortest = ranges.iter().map(|r| usize::from(r.length)).min().unwrap_or(1).max(1);
    let mut codes = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let length = (1..=4.min(rest.len()))
            .find(|&n| {
                let (code, _) = code_of(&rest[..n]);
                ranges.iter().any(|r| usize::from(r.length) == n && r.contains(code))
            })
            .unwrap_or(shortest.min(rest.len()));
        codes.push(code_of(&rest[..length]));
        rest = &rest[length..];
    }
    codes
}

/// Glyph widths in glyph space units (thousandths of an em for all but Type 3 fonts).
#[derive(Debug, Default)]
struct Widths {
    /// Widths given one by one: simple fonts' `/Widths`, composite fonts' `[c [w1 w2 …]]`.
    single: HashMap<u32, f32>,
    /// Composite fonts' `[first last w]` ranges.
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Widths {
    fn get(&self, code: u32) -> f32 {
        if let Some(&width) = self.single.get(&code) {
            return width;
        }
        // `ranges` is sorted by first code (see `composite`); the one starting closest below wins.
        let after = self.ranges.partition_point(|&(first, _, _)| first <= code);
        let range = after.checked_sub(1).and_then(|i| self.ranges.get(i)).filter(|&&(_, last, _)| code <= last);
        range.map_or(self.default, |&(_, _, width)| width)
    }

    /// `/FirstChar` and `/Widths`; `/MissingWidth` for the rest.
    fn simple(document: &Document, dict: &Dictionary) -> Widths {
        let first = dict.get(b"FirstChar").and_then(Object::as_i64).unwrap_or(0);
        let widths = numbers(document, dict, b"Widths");
        let missing = dict
            .get_deref(b"FontDescriptor", document)
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"MissingWidth"))
            .and_then(Object::as_float)
            .ok()
            .filter(|w| *w > 0.0);
        let default = match (missing, widths.is_empty()) {
            (Some(width), _) => width,
            // Without `/Widths` (a standard 14 font), every glyph gets a typical width.
            (None, true) => DEFAULT_GLYPH_WIDTH,
            (None, false) => 0.0,
        };
        // Checked arithmetic: a hostile `/FirstChar` near the integer limit must not overflow.
        let code = |i: usize| u32::try_from(first.checked_add(i64::try_from(i).ok()?)?).ok();
        let single = widths.into_iter().enumerate().filter_map(|(i, width)| Some((code(i)?, width))).collect();
        Widths { single, ranges: Vec::new(), default }
    }

    /// The descendant CIDFont's `/W` and `/DW` (1000 when absent). The code is used as the CID,
    /// which holds for the Identity encodings that nearly all embedded composite fonts use.
    fn composite(document: &Document, dict: &Dictionary) -> Widths {
        let descendant = dict
            .get_deref(b"DescendantFonts", document)
            .and_then(Object::as_array)
            .ok()
            .and_then(|fonts| fonts.first())
            .and_then(|font| document.dereference(font).ok())
            .and_then(|(_, font)| font.as_dict().ok());
        let Some(descendant) = descendant else {
            return Widths { default: 1000.0, ..Widths::default() };
        };
        let default = descendant.get(b"DW").and_then(Object::as_float).unwrap_or(1000.0);
        let mut widths = Widths { default, ..Widths::default() };
        let entries =
            descendant.get_deref(b"W", document).and_then(Object::as_array).map(Vec::as_slice).unwrap_or_default();
        widths.read_w_array(document, entries);
        widths.ranges.sort_by_key(|&(first, _, _)| first);
        widths
    }

    /// Reads `/W`: a sequence of `c [w1 w2 …]` and `first last w` entries.
    fn read_w_array(&mut self, document: &Document, mut entries: &[Object]) {
        let number = |o: &Object| document.dereference(o).ok().and_then(|(_, o)| o.as_float().ok());
        while let [first, rest @ ..] = entries {
            let Some(first) = number(first).map(|f| f as u32) else {
                return;
            };
            match rest {
                [list, tail @ ..] if document.dereference(list).is_ok_and(|(_, l)| l.as_array().is_ok()) => {
                    if let Ok((_, Object::Array(list))) = document.dereference(list) {
                        for (i, width) in list.iter().filter_map(number).enumerate() {
                            if let Some(code) = u32::try_from(i).ok().and_then(|i| first.checked_add(i)) {
                                self.single.insert(code, width);
                            }
                        }
                    }
                    entries = tail;
                }
                [last, width, tail @ ..] => {
                    if let (Some(last), Some(width)) = (number(last), number(width)) {
                        self.ranges.push((first, last as u32, width));
                    }
                    entries = tail;
                }
                _ => return,
            }
        }
    }
}

/// An array of numbers (possibly an indirect one).
fn numbers(document: &Document, dict: &Dictionary, key: &[u8]) -> Vec<f32> {
    let array = dict.get_deref(key, document).and_then(Object::as_array);
    let values = array.map(Vec::as_slice).unwrap_or_default();
    values.iter().map(|o| document.dereference(o).ok().and_then(|(_, o)| o.as_float().ok()).unwrap_or(0.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_space_splitting() {
        let ranges = CMap::parse(b"begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange").code_space;
        type Case = (CodeSpace, &'static [u8], Vec<(u32, u8)>);
        let cases: Vec<Case> = vec![
            (CodeSpace::OneByte, b"ab", vec![(0x61, 1), (0x62, 1)]),
            (CodeSpace::TwoBytes, b"\x00\x41\x01", vec![(0x41, 2), (0x01, 1)]),
            (CodeSpace::Ranges(ranges.clone()), b"\x41\x81\x41\x42", vec![(0x41, 1), (0x8141, 2), (0x42, 1)]),
            // 0x81 0x00 fits no range: taken with the shortest declared length.
            (CodeSpace::Ranges(ranges), b"\x81\x00", vec![(0x81, 1), (0x00, 1)]),
        ];
        for (space, bytes, want) in cases {
            assert_eq!(space.split(bytes), want, "{space:?} {bytes:?}");
        }
    }

    #[test]
    fn w_arrays() {
        let doc = Document::with_version("1.5");
        let mut widths = Widths { default: 1000.0, ..Widths::default() };
        // Ranges out of order, as `/W` allows: `composite` sorts them.
        let entries: Vec<Object> = vec![
            30.into(),
            40.into(),
            400.into(),
            1.into(),
            vec![100.into(), 200.into()].into(),
            10.into(),
            20.into(),
            300.into(),
        ];
        widths.read_w_array(&doc, &entries);
        widths.ranges.sort_by_key(|&(first, _, _)| first);
        let cases = [
            (0, 1000.0),
            (1, 100.0),
            (2, 200.0),
            (3, 1000.0),
            (10, 300.0),
            (20, 300.0),
            (21, 1000.0),
            (30, 400.0),
            (40, 400.0),
            (41, 1000.0),
        ];
        for (code, want) in cases {
            assert_eq!(widths.get(code), want, "code {code}");
        }
    }
}
