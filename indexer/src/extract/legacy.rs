//! Legacy Vietnamese encodings: TCVN3, VNI-Windows and Windows-1258, and the UTF-16 of Windows
//! "Unicode text" files.
//!
//! Before Unicode, Vietnamese was typed in 8-bit fonts whose code points *are* the encoding:
//! - TCVN3 (TCVN 5712:1993 "ABC"), the fonts named `.VnTime`, `.VnArial`…: one byte per letter, with
//!   tones on lowercase letters only; the `…H` fonts (`.VnTimeH`) draw the same codes as capitals;
//! - VNI-Windows, the fonts `VNI-Times`, `VNI-Helve`…: a base letter followed by one byte for its marks
//!   ("Vieät" is "Việt"), and single bytes for ơ, ư, đ and some i's;
//! - Windows-1258, Microsoft's code page: letters with vowel marks, followed by a combining tone.
//!
//! In all three, 0x80–0x9F are Windows-1252's typographic punctuation (“ ” – …), as in every Windows
//! 8-bit font, and the bytes the code charts leave unused keep their Latin-1 meaning.
//!
//! Such text reaches us in two shapes. As bytes, in `.txt` files: [`decode_legacy_text`] tries UTF-16
//! (by its byte order mark, or by the pattern of zero bytes), then UTF-8, then each 8-bit encoding,
//! keeping the one whose words are most often Vietnamese syllables. And as characters: a DOCX run or
//! PDF glyph in a legacy font holds the font's byte read as Windows-1252 ("ViÖt" for "Việt" in
//! `.VnTime`), and so does a text file saved "as Unicode" from such a document. [`convert_font_text`]
//! maps those characters back to bytes and decodes them, and [`decode_legacy_text`] does the same to
//! Unicode text that reads much better that way.
//!
//! Decoded legacy text is returned in NFC (VNI and Windows-1258 spell letters with combining marks);
//! UTF-8 and UTF-16 text is returned as found.

use kho_core::analysis::{is_vietnamese_syllable, normalize_text};

/// What [`decode_legacy_text`] found a text to be encoded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    Vni,
    /// TCVN3 bytes stored as the Unicode characters Windows-1252 reads them as (UTF-8 or UTF-16).
    Tcvn3AsUnicode,
    /// VNI bytes stored as the Unicode characters Windows-1252 reads them as (UTF-8 or UTF-16).
    VniAsUnicode,
}

impl LegacyEncoding {
    /// A name for messages and logs.
    pub fn name(self) -> &'static str {
        match self {
            LegacyEncoding::Utf8 => "UTF-8",
            LegacyEncoding::Utf16Le => "UTF-16LE",
            LegacyEncoding::Utf16Be => "UTF-16BE",
            LegacyEncoding::Windows1258 => "Windows-1258",
            LegacyEncoding::Tcvn3 => "TCVN3",
            LegacyEncoding::Vni => "VNI-Windows",
            LegacyEncoding::Tcvn3AsUnicode => "TCVN3 saved as Unicode",
            LegacyEncoding::VniAsUnicode => "VNI-Windows saved as Unicode",
        }
    }
}

/// Decodes a text file's bytes: UTF-16 (with a byte order mark, or recognised by its zero bytes), UTF-8
/// (a byte order mark is dropped), else the 8-bit encoding among TCVN3, VNI and Windows-1258 whose
/// decoded words are most often Vietnamese syllables. Unicode text that is really TCVN3 or VNI read as
/// Windows-1252 ("ViÖt Nam") is converted too. `None` when no encoding gives plausible text.
pub fn decode_legacy_text(bytes: &[u8]) -> Option<(String, LegacyEncoding)> {
    if let Some((text, encoding)) = decode_utf16(bytes) {
        return Some(reinterpret_unicode(text, encoding));
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Some(reinterpret_unicode(text.to_owned(), LegacyEncoding::Utf8));
    }
    decode_8bit(body)
}

/// Converts text shown in a legacy font to Unicode: `Some` when `font_name` is a TCVN3 font (`.VnTime`,
/// `.VnArialH`…) or a VNI font (`VNI-Times`…), `None` for any other font.
///
/// The text's characters are the font's bytes as Windows-1252 (or Latin-1) reads them, which is how Word
/// stores such runs and PDF writers map such glyphs. PDF names are accepted with a subset prefix
/// (`ABCDEF+.VnTime`) and a style suffix (`.VnTime,Bold`). Text that is already Unicode Vietnamese (a
/// document converted by a tool that left the old font name) is returned unchanged.
pub fn convert_font_text(font_name: &str, text: &str) -> Option<String> {
    let font = LegacyFont::from_name(font_name)?;
    if text.chars().any(|c| windows1252_byte(c).is_none() && (c.is_alphabetic() || is_combining(c))) {
        return Some(text.to_owned());
    }
    let converted = font.convert(text);
    if Score::of(text).syllables > Score::of(&converted).syllables {
        return Some(text.to_owned());
    }
    Some(converted)
}

/// A font whose codes are a legacy encoding's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyFont {
    charset: Charset,
    /// The TCVN3 "H" fonts draw every letter as a capital.
    capitals: bool,
}

impl LegacyFont {
    /// The legacy font `name` stands for, if it is one: TCVN3 for names starting with `.Vn` (any case;
    /// PDF writers sometimes drop the dot: `VnTime`), VNI for names starting with `VNI-`.
    pub fn from_name(name: &str) -> Option<LegacyFont> {
        let name = name.trim();
        // A PDF subset tag: six capital letters and "+".
        let name = match name.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
            _ => name,
        };
        // A PDF style suffix: ".VnTime,Bold".
        let family = name.split(',').next().unwrap_or(name).trim();
        let lower = family.to_ascii_lowercase();
        if lower.starts_with("vni-") || lower.starts_with("vni ") {
            return Some(LegacyFont { charset: Charset::Vni, capitals: false });
        }
        let dotless = family.strip_prefix("Vn").is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
        if !lower.starts_with(".vn") && !dotless {
            return None;
        }
        // The capitals fonts add "H" to the family name: ".VnTimeH", ".VnArial NarrowH", ".VnBahamasBH".
        let capitals = strip_style(family).ends_with('H');
        Some(LegacyFont { charset: Charset::Tcvn3, capitals })
    }

    /// Decodes the font's codes.
    pub fn decode_bytes(self, bytes: &[u8]) -> String {
        self.finish(self.charset.decode(bytes))
    }

    /// Decodes text whose characters are the font's codes read as Windows-1252; characters that are not
    /// such a reading are kept.
    pub fn convert(self, text: &str) -> String {
        self.finish(self.charset.convert(text))
    }

    fn finish(self, text: String) -> String {
        if self.capitals {
            text.to_uppercase()
        } else {
            text
        }
    }
}

/// The family name without a trailing style word ("-Bold", " Italic").
fn strip_style(family: &str) -> &str {
    const STYLES: [&str; 6] = ["BoldItalic", "BoldOblique", "Bold", "Italic", "Oblique", "Regular"];
    STYLES.iter().find_map(|style| family.strip_suffix(style)).map_or(family, |rest| rest.trim_end_matches(['-', ' ']))
}

/// Decodes bytes in a Windows code page, as RTF and Word's property sets declare them: 1258 (Vietnamese,
/// returned in NFC), 65001 (UTF-8); any other code page is read as Windows-1252, which all Western
/// code pages share for ASCII and most letters.
pub(crate) fn decode_windows_code_page(code_page: u16, bytes: &[u8]) -> String {
    match code_page {
        1258 => Charset::Windows1258.decode(bytes),
        65001 => String::from_utf8_lossy(bytes).into_owned(),
        _ => bytes.iter().map(|&b| windows1252_char(b)).collect(),
    }
}

/// True when `text` is a single character that reads `byte` as Windows-1252 or Latin-1: what a PDF
/// ToUnicode map says for a legacy font's code when its writer did not know the encoding.
pub(crate) fn is_windows1252_reading(text: &str, byte: u8) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if windows1252_byte(c) == Some(byte))
}

/// The UTF-8 encoding of U+FEFF.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of a text is scored when choosing its encoding.
const SAMPLE_BYTES: usize = 256 * 1024;

/// How much better (in the share of words that are syllables) a TCVN3 or VNI reading of Unicode text must
/// score than the text itself to replace it.
const REINTERPRET_MARGIN: f64 = 0.3;

/// UTF-16 with a byte order mark, or without one when zero bytes fall on one side of the code units
/// (the high bytes of ASCII letters and spaces); `None` if it is not, or does not decode.
fn decode_utf16(bytes: &[u8]) -> Option<(String, LegacyEncoding)> {
    let (little_endian, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => (utf16_by_zero_bytes(bytes)?, bytes),
    };
    if !body.len().is_multiple_of(2) {
        return None;
    }
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let text = char::decode_utf16(units).collect::<Result<String, _>>().ok()?;
    let encoding = if little_endian { LegacyEncoding::Utf16Le } else { LegacyEncoding::Utf16Be };
    Some((text, encoding))
}

/// `Some(true)` for UTF-16LE, `Some(false)` for UTF-16BE, by where the zero bytes are: at least 30% of
/// the high bytes and at most 5% of the low bytes. Text in any 8-bit encoding has no zero bytes.
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let zeros_at = |parity: usize| bytes.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let mostly = |zeros: usize| zeros * 10 >= units * 3;
    let rarely = |zeros: usize| zeros * 20 <= units;
    if mostly(odd) && rarely(even) {
        Some(true)
    } else if mostly(even) && rarely(odd) {
        Some(false)
    } else {
        None
    }
}

/// Unicode text that is really TCVN3 or VNI read as Windows-1252: every character has a byte, and one
/// of the two readings scores much better than the text as it is.
fn reinterpret_unicode(text: String, encoding: LegacyEncoding) -> (String, LegacyEncoding) {
    if text.is_ascii() || !text.chars().all(|c| windows1252_byte(c).is_some()) {
        return (text, encoding);
    }
    let sample = prefix(&text, SAMPLE_BYTES);
    let original = Score::of(sample);
    let candidates = [Charset::Tcvn3, Charset::Vni].map(|charset| (charset, Score::of(&charset.convert(sample))));
    match best(&candidates) {
        Some((charset, score))
            if score.plausible()
                && score.syllables > original.syllables
                && score.ratio() >= original.ratio() + REINTERPRET_MARGIN =>
        {
            (charset.convert(&text), charset.as_unicode())
        }
        _ => (text, encoding),
    }
}

/// Bytes that are not UTF-8: the 8-bit encoding whose words are most often syllables, if plausible.
fn decode_8bit(bytes: &[u8]) -> Option<(String, LegacyEncoding)> {
    if is_binary(bytes) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE_BYTES)];
    let candidates = [Charset::Tcvn3, Charset::Vni, Charset::Windows1258]
        .map(|charset| (charset, Score::of(&charset.decode(sample))));
    if candidates.iter().all(|(_, score)| score.words == 0) {
        // Nothing but punctuation outside ASCII (“ ” – …), which all three encodings share.
        return Some((Charset::Windows1258.decode(bytes), LegacyEncoding::Windows1258));
    }
    let (charset, score) = best(&candidates)?;
    score.plausible().then(|| (charset.decode(bytes), charset.encoding()))
}

/// NUL bytes, or more than 1% of control bytes other than tab, line ends, form feed and DOS's end of file.
fn is_binary(bytes: &[u8]) -> bool {
    let controls = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)).count();
    bytes.contains(&0) || controls * 100 > bytes.len()
}

/// The candidate with the highest share of syllables (then the most syllables; then the first).
fn best(candidates: &[(Charset, Score)]) -> Option<(Charset, Score)> {
    let mut best: Option<(Charset, Score)> = None;
    for &(charset, score) in candidates {
        if best.is_none_or(|(_, current)| score.beats(current)) {
            best = Some((charset, score));
        }
    }
    best
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How Vietnamese a text reads: of its words with a non-ASCII character, how many are syllables.
/// ASCII words read the same in every candidate encoding, so they do not count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Score {
    words: usize,
    syllables: usize,
}

impl Score {
    fn of(text: &str) -> Score {
        let mut score = Score::default();
        for token in text.split_whitespace() {
            let word = token.trim_matches(is_edge_punctuation);
            if word.is_ascii() {
                continue;
            }
            score.words += 1;
            if is_vietnamese_syllable(word) {
                score.syllables += 1;
            }
        }
        score
    }

    fn ratio(self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.syllables as f64 / self.words as f64
        }
    }

    /// At least 60% of the words are syllables. Right readings of real text score above 90%, wrong ones
    /// far below: their words hold symbols (¸ ¶ ») or vowels that cannot go together.
    fn plausible(self) -> bool {
        self.words > 0 && self.syllables * 10 >= self.words * 6
    }

    fn beats(self, other: Score) -> bool {
        let (mine, theirs) = (self.syllables * other.words, other.syllables * self.words);
        mine > theirs || (mine == theirs && self.syllables > other.syllables)
    }
}

/// Punctuation trimmed off a word before it is scored: ASCII, digits, and Windows-1252's typographic
/// marks. Not « », which are letters in TCVN3.
fn is_edge_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || c.is_ascii_digit()
        || matches!(c, '“' | '”' | '‘' | '’' | '„' | '‚' | '–' | '—' | '…' | '•')
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// The 8-bit encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Tcvn3,
    Vni,
    Windows1258,
}

impl Charset {
    fn encoding(self) -> LegacyEncoding {
        match self {
            Charset::Tcvn3 => LegacyEncoding::Tcvn3,
            Charset::Vni => LegacyEncoding::Vni,
            Charset::Windows1258 => LegacyEncoding::Windows1258,
        }
    }

    fn as_unicode(self) -> LegacyEncoding {
        match self {
            Charset::Tcvn3 => LegacyEncoding::Tcvn3AsUnicode,
            Charset::Vni => LegacyEncoding::VniAsUnicode,
            Charset::Windows1258 => LegacyEncoding::Windows1258,
        }
    }

    /// Bytes to NFC text.
    fn decode(self, bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
        for &byte in bytes {
            self.push_byte(byte, &mut out);
        }
        normalize_text(&out).into_owned()
    }

    /// Characters that read bytes as Windows-1252 to NFC text; other characters are kept.
    fn convert(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        for c in text.chars() {
            match windows1252_byte(c) {
                Some(byte) => self.push_byte(byte, &mut out),
                None => out.push(c),
            }
        }
        normalize_text(&out).into_owned()
    }

    fn push_byte(self, byte: u8, out: &mut String) {
        match self {
            Charset::Tcvn3 => out.push(tcvn3_char(byte)),
            Charset::Vni => push_vni(byte, out),
            Charset::Windows1258 => out.push(windows1258_char(byte)),
        }
    }
}

/// Windows-1252's 0x80–0x9F; its five unassigned codes stay the C1 controls Latin-1 gives them.
const WINDOWS1252_80: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', //
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn windows1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS1252_80[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The byte a character stands for when an 8-bit font's text is read as Windows-1252 or Latin-1, or
/// through a symbol font's private-use page (U+F000–U+F0FF, as Word stores symbol-font text).
fn windows1252_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if let Ok(byte) = u8::try_from(code) {
        return Some(byte);
    }
    if (0xF000..=0xF0FF).contains(&code) {
        return u8::try_from(code - 0xF000).ok();
    }
    let index = WINDOWS1252_80.iter().position(|&x| x == c)?;
    u8::try_from(0x80 + index).ok()
}

/// TCVN3 (TCVN 5712:1993 VN3, the ".Vn" fonts), bytes 0xA0–0xFF. Unused codes keep Latin-1's letter.
const TCVN3_A0: [char; 96] = [
    // A0: the base letters with vowel marks, capital and small
    '\u{A0}', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', '¯', //
    // B0: a with tones, ă with tones
    '°', '±', '²', '³', '´', 'à', 'ả', 'ã', 'á', 'ạ', 'º', 'ằ', 'ẳ', 'ẵ', 'ắ', '¿', //
    // C0: ặ, â with tones, e
    'À', 'Á', 'Â', 'Ã', 'Ä', 'Å', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Í', 'ẻ', 'ẽ', //
    // D0: e, ê, i, ò
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ù', 'Ú', 'Û', 'ĩ', 'í', 'ị', 'ò', //
    // E0: o, ô, ơ, ù
    'à', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù', //
    // F0: u, ư, y
    'ð', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'ÿ',
];

fn tcvn3_char(byte: u8) -> char {
    match byte {
        0xA0..=0xFF => TCVN3_A0[usize::from(byte - 0xA0)],
        _ => windows1252_char(byte),
    }
}

/// What a VNI-Windows byte from 0xC0 up stands for: the marks that follow a base letter, or a letter
/// of its own. Capitals (0xC0–0xDF) have the same codes as small letters (0xE0–0xFF) less 0x20, so one
/// table serves both.
#[derive(Debug, Clone, Copy)]
enum VniCode {
    /// Combining marks that follow the base letter.
    Marks(&'static str),
    /// A letter of its own, small and capital.
    Letter(char, char),
    /// A code VNI leaves to Latin-1.
    Unused,
}

/// VNI-Windows, bytes 0xE0–0xFF (small letters) and 0xC0–0xDF (capitals).
const VNI_E0: [VniCode; 32] = {
    use VniCode::{Letter, Marks, Unused};
    [
        // E0: circumflex with grave, acute, -, tilde, dot below, hook; ỉ; unused
        Marks("\u{302}\u{300}"),
        Marks("\u{302}\u{301}"),
        Marks("\u{302}"),
        Marks("\u{302}\u{303}"),
        Marks("\u{302}\u{323}"),
        Marks("\u{302}\u{309}"),
        Letter('ỉ', 'Ỉ'),
        Unused,
        // E8: breve with grave, acute, -, dot below; ì í ỵ; dot below
        Marks("\u{306}\u{300}"),
        Marks("\u{306}\u{301}"),
        Marks("\u{306}"),
        Marks("\u{306}\u{323}"),
        Letter('ì', 'Ì'),
        Letter('í', 'Í'),
        Letter('ỵ', 'Ỵ'),
        Marks("\u{323}"),
        // F0: unused; đ ị ĩ ơ; tilde; ư; unused
        Unused,
        Letter('đ', 'Đ'),
        Letter('ị', 'Ị'),
        Letter('ĩ', 'Ĩ'),
        Letter('ơ', 'Ơ'),
        Marks("\u{303}"),
        Letter('ư', 'Ư'),
        Unused,
        // F8: grave, acute, breve with hook, hook, breve with tilde; unused
        Marks("\u{300}"),
        Marks("\u{301}"),
        Marks("\u{306}\u{309}"),
        Marks("\u{309}"),
        Marks("\u{306}\u{303}"),
        Unused,
        Unused,
        Unused,
    ]
};

/// Appends what a VNI byte stands for; bytes below 0xC0 and unused codes are Windows-1252's.
fn push_vni(byte: u8, out: &mut String) {
    let code = match byte {
        0xC0..=0xDF => VNI_E0[usize::from(byte - 0xC0)],
        0xE0..=0xFF => VNI_E0[usize::from(byte - 0xE0)],
        _ => VniCode::Unused,
    };
    match code {
        VniCode::Marks(marks) => out.push_str(marks),
        VniCode::Letter(small, capital) => out.push(if byte >= 0xE0 { small } else { capital }),
        VniCode::Unused => out.push(windows1252_char(byte)),
    }
}

/// Windows-1258: Windows-1252 but for the Vietnamese letters and combining tones below, and four
/// codes (Š Ž š ž in Windows-1252) that it leaves unassigned.
fn windows1258_char(byte: u8) -> char {
    match byte {
        0x8A | 0x8E | 0x9A | 0x9E => char::from(byte),
        0xC3 => 'Ă',
        0xCC => '\u{300}',
        0xD0 => 'Đ',
        0xD2 => '\u{309}',
        0xD5 => 'Ơ',
        0xDD => 'Ư',
        0xDE => '\u{303}',
        0xE3 => 'ă',
        0xEC => '\u{301}',
        0xF0 => 'đ',
        0xF2 => '\u{323}',
        0xF5 => 'ơ',
        0xFD => 'ư',
        0xFE => '₫',
        _ => windows1252_char(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `f` on each `(input, want)` row, naming the failing row.
    fn assert_table<I, O, W>(cases: &[(&I, W)], f: impl Fn(&I) -> O)
    where
        I: std::fmt::Debug + ?Sized,
        O: std::fmt::Debug + PartialEq<W>,
        W: std::fmt::Debug,
    {
        for (input, want) in cases {
            assert_eq!(f(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn decodes_each_charset() {
        use Charset::{Tcvn3, Vni, Windows1258};
        let cases: &[(Charset, &[u8], &str)] = &[
            (Tcvn3, b"Vi\xD6t Nam", "Việt Nam"),
            (Tcvn3, b"s\xB6n xu\xCAt s\xB9ch h\xACn", "sản xuất sạch hơn"),
            (Tcvn3, b"\xAE\xE3ng g\xE3p", "đóng góp"),
            (Tcvn3, b"Th\xAD\xACng m\xB9i", "Thương mại"),
            (Tcvn3, b"\xA7\xA4NG \xA5 \xA6 \xA2 \xA3", "ĐÔNG Ơ Ư Â Ê"),
            (Tcvn3, b"\xB5\xB8\xB7\xB6\xB9", "àáãảạ"),
            (Tcvn3, b"\xBB\xBE\xBD\xBC\xC6", "ằắẵẳặ"),
            (Tcvn3, b"\xC7\xCA\xC9\xC8\xCB", "ầấẫẩậ"),
            (Tcvn3, b"\xCC\xD0\xCF\xCE\xD1", "èéẽẻẹ"),
            (Tcvn3, b"\xD2\xD5\xD4\xD3\xD6", "ềếễểệ"),
            (Tcvn3, b"\xD7\xDD\xDC\xD8\xDE", "ìíĩỉị"),
            (Tcvn3, b"\xDF\xE3\xE2\xE1\xE4", "òóõỏọ"),
            (Tcvn3, b"\xE5\xE8\xE7\xE6\xE9", "ồốỗổộ"),
            (Tcvn3, b"\xEA\xED\xEC\xEB\xEE", "ờớỡởợ"),
            (Tcvn3, b"\xEF\xF3\xF2\xF1\xF4", "ùúũủụ"),
            (Tcvn3, b"\xF5\xF8\xF7\xF6\xF9", "ừứữửự"),
            (Tcvn3, b"\xFA\xFD\xFC\xFB\xFE", "ỳýỹỷỵ"),
            // Windows-1252 punctuation, and an unused code keeps its Latin-1 letter.
            (Tcvn3, b"\x93x\x94 \x96 25\xB0C", "“x” – 25°C"),
            (Vni, b"Vie\xE4t Nam", "Việt Nam"),
            (Vni, b"VIE\xC4T NAM", "VIỆT NAM"),
            (Vni, b"Xin cha\xF8o ca\xF9c ba\xEFn", "Xin chào các bạn"),
            (Vni, b"sa\xFBn xua\xE1t sa\xEFch h\xF4n", "sản xuất sạch hơn"),
            (Vni, b"\xF1\xF6\xF4\xF8ng", "đường"),
            (Vni, b"\xD1\xD6\xD4\xD8NG", "ĐƯỜNG"),
            (Vni, b"a\xEA a\xE8 a\xE9 a\xFC a\xFA a\xEB", "ă ằ ắ ẵ ẳ ặ"),
            (Vni, b"a\xE2 a\xE0 a\xE1 a\xE3 a\xE5 a\xE4", "â ầ ấ ẫ ẩ ậ"),
            (Vni, b"a\xF5 a\xFB", "ã ả"),
            (Vni, b"\xEC \xED \xF3 \xE6 \xF2 \xEE y\xEF", "ì í ĩ ỉ ị ỵ ỵ"),
            (Vni, b"\xCC \xCD \xD3 \xC6 \xD2 \xCE", "Ì Í Ĩ Ỉ Ị Ỵ"),
            (Vni, b"\xF4\xF9 \xF6\xF5 \xD4\xD9", "ớ ữ Ớ"),
            (Vni, b"\x93x\x94 \xA9", "“x” ©"),
            (Windows1258, b"Vi\xEA\xF2t Nam", "Việt Nam"),
            (Windows1258, b"sa\xD2n xu\xE2\xECt sa\xF2ch h\xF5n", "sản xuất sạch hơn"),
            (Windows1258, b"\xF0\xFD\xF5\xCCng \xD0\xDD\xD5\xCCNG", "đường ĐƯỜNG"),
            (Windows1258, b"\xE0 \xE1 a\xDE \xE3\xEC \xC3", "à á ã ắ Ă"),
            (Windows1258, b"10\xFE \x93x\x94 \x8A", "10₫ “x” \u{8A}"),
        ];
        for &(charset, bytes, want) in cases {
            assert_eq!(charset.decode(bytes), want, "{charset:?} {bytes:?}");
        }
    }

    #[test]
    fn font_names() {
        let tcvn3 = Some(LegacyFont { charset: Charset::Tcvn3, capitals: false });
        let tcvn3_capitals = Some(LegacyFont { charset: Charset::Tcvn3, capitals: true });
        let vni = Some(LegacyFont { charset: Charset::Vni, capitals: false });
        assert_table::<str, _, _>(
            &[
                (".VnTime", tcvn3),
                (".VnArial", tcvn3),
                (".vntime", tcvn3),
                (".VnTimeH", tcvn3_capitals),
                (".VnArialH", tcvn3_capitals),
                (".VnArial NarrowH", tcvn3_capitals),
                (".VnBahamasBH", tcvn3_capitals),
                (".VnBahamasB", tcvn3),
                ("ABCDEF+.VnTime,Bold", tcvn3),
                ("ABCDEF+.VnTimeH,BoldItalic", tcvn3_capitals),
                ("VnTimeH-Bold", tcvn3_capitals),
                ("VnTime", tcvn3),
                (".VnHelvetIns", tcvn3),
                ("VNI-Times", vni),
                ("vni-helve", vni),
                ("QWERTY+VNI-Times,Italic", vni),
                ("Times New Roman", None),
                ("Vni", None),
                ("Vnexpress", None),
                ("Arial,Bold", None),
                ("abcdef+.VnTime", None),
                ("", None),
            ],
            LegacyFont::from_name,
        );
    }

    #[test]
    fn font_text() {
        assert_table::<(&str, &str), _, _>(
            &[
                (&(".VnTime", "ViÖt Nam"), Some("Việt Nam".into())),
                (&(".VnTime", "Th\u{AD}¬ng m¹i “x”"), Some("Thương mại “x”".into())),
                (&(".VnTimeH", "viÖt nam"), Some("VIỆT NAM".into())),
                (&("VNI-Times", "Vieät Nam"), Some("Việt Nam".into())),
                (&("ABCDEF+VNI-Helve,Bold", "ñöôøng"), Some("đường".into())),
                // Latin-1 reading of 0x93 (a C1 control) and Word's symbol-font page
                (&(".VnTime", "\u{93}c\u{F0B8}c\u{94}"), Some("“các”".into())),
                // Already Unicode: left as it is, though "các" would read as "cỏc".
                (&(".VnTime", "các"), Some("các".into())),
                (&(".VnTime", "Việt Nam"), Some("Việt Nam".into())),
                (&("Times New Roman", "ViÖt"), None),
            ],
            |(font, text)| convert_font_text(font, text),
        );
    }

    #[test]
    fn windows1252_readings() {
        assert_table::<(&str, u8), _, _>(
            &[
                (&("Ö", 0xD6), true),
                (&("“", 0x93), true),
                (&("\u{93}", 0x93), true),
                (&("a", b'a'), true),
                (&("ệ", 0xD6), false),
                (&("Ö", 0xD5), false),
                (&("ab", b'a'), false),
                (&("", 0), false),
            ],
            |(text, byte)| is_windows1252_reading(text, *byte),
        );
    }

    #[test]
    fn detects_encodings() {
        let utf16le: Vec<u8> = "Việt Nam".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = "Việt Nam".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let bom_le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16le.iter().copied()).collect();
        let bom_be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(utf16be.iter().copied()).collect();
        let mojibake_le: Vec<u8> = "ViÖt Nam".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_table::<[u8], _, _>(
            &[
                ("Việt Nam".as_bytes(), Some(("Việt Nam".into(), LegacyEncoding::Utf8))),
                (b"\xEF\xBB\xBFNam", Some(("Nam".into(), LegacyEncoding::Utf8))),
                (b"", Some(("".into(), LegacyEncoding::Utf8))),
                (&utf16le, Some(("Việt Nam".into(), LegacyEncoding::Utf16Le))),
                (&utf16be, Some(("Việt Nam".into(), LegacyEncoding::Utf16Be))),
                (&bom_le, Some(("Việt Nam".into(), LegacyEncoding::Utf16Le))),
                (&bom_be, Some(("Việt Nam".into(), LegacyEncoding::Utf16Be))),
                (b"C\xABng h\xB6i Vi\xD6t Nam", Some(("Công hải Việt Nam".into(), LegacyEncoding::Tcvn3))),
                (b"Co\xE2ng ha\xFBi Vie\xE4t Nam", Some(("Công hải Việt Nam".into(), LegacyEncoding::Vni))),
                (b"C\xF4ng ha\xD2i Vi\xEA\xF2t Nam", Some(("Công hải Việt Nam".into(), LegacyEncoding::Windows1258))),
                ("ViÖt Nam".as_bytes(), Some(("Việt Nam".into(), LegacyEncoding::Tcvn3AsUnicode))),
                ("Vieät Nam".as_bytes(), Some(("Việt Nam".into(), LegacyEncoding::VniAsUnicode))),
                (&mojibake_le, Some(("Việt Nam".into(), LegacyEncoding::Tcvn3AsUnicode))),
                // Only Windows-1252 punctuation outside ASCII.
                (b"\x93quoted\x94 \x96 text", Some(("“quoted” – text".into(), LegacyEncoding::Windows1258))),
            ],
            decode_legacy_text,
        );
    }

    #[test]
    fn leaves_unicode_text_alone() {
        assert_table::<str, _, _>(
            &[
                ("Cà Mau, Bà Rịa", LegacyEncoding::Utf8),
                ("Bà Nà", LegacyEncoding::Utf8),
                ("café crème, Müller, año, à la fin", LegacyEncoding::Utf8),
                ("“Quoted” – plain English text.", LegacyEncoding::Utf8),
                ("Sở Công Thương Bến Tre tổ chức hội thảo", LegacyEncoding::Utf8),
            ],
            |text| match decode_legacy_text(text.as_bytes()) {
                Some((decoded, encoding)) => {
                    assert_eq!(decoded, text);
                    encoding
                }
                None => panic!("{text:?} refused"),
            },
        );
    }

    #[test]
    fn refuses_implausible_bytes() {
        assert_table::<[u8], _, _>(
            &[
                (b"\xFF", None),
                (b"abc\xFFdef", None),
                (b"Vi\xC3\xAA\xB8t", None),
                (b"ok\xE1\xBB", None),
                (b"\x00\x01\x02\xFF\xFE\xFD binary", None),
                (b"text with a NUL\x00 and \xE9", None),
            ],
            decode_legacy_text,
        );
    }
}
