//! RTF files: the text, and title, author and creation date from the `\info` group.
//!
//! RTF is a stream of groups (`{ … }`), control words (`\par`, `\f2`, `\u7897`), control symbols
//! (`\~`, `\'e1`) and plain text. Our own reader is small and needs no crate: it walks the stream once,
//! keeping per group what the group's text is for (its *destination*) and how its bytes are decoded:
//!
//! - destinations that are not text are skipped whole: the font, colour and style tables, pictures,
//!   headers and footers, field instructions (the field's result is kept), and every group opened with
//!   `\*` whose control word we do not know, as the specification asks;
//! - `\uN` is a Unicode character (negative N counts from 65536; surrogate pairs are joined), after which
//!   the `\ucN` following characters are the fallback for readers without Unicode and are dropped;
//! - `\'hh` and 8-bit text are bytes in the code page of the current font's `\fcharsetN` (163 is
//!   Vietnamese, Windows-1258), else in the document's `\ansicpgN` (Windows-1252 when absent); text in a
//!   legacy Vietnamese font (`.VnTime`, `VNI-Times`) is that font's encoding (see `legacy`);
//! - `\par`, `\sect`, `\page`, `\cell` and `\row` end a paragraph, `\line` is a line break, `\tab` a tab;
//! - `\info` gives `\title`, `\author` and `\creatim`; LibreOffice writes the title twice, in the ANSI
//!   code page and, under `\upr{…}{\*\ud{…}}`, in Unicode: the Unicode one is read;
//! - footnotes (`\footnote`) are kept, after the body, so they do not cut its sentences.
//!
//! Text is returned as found; paragraphs are separated by blank lines.

use super::legacy::{decode_windows_code_page, LegacyFont};
use super::{tidy_paragraphs, ExtractError, Extracted};
use crate::date::normalize_iso_date;

/// Longest control word the specification allows (32 letters); longer runs are text.
const MAX_WORD_LEN: usize = 32;

/// Extracts an RTF file's text, title, author and creation date; see the module docs.
pub fn extract_rtf_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let bytes = bytes[start..].strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes[start..]);
    if !bytes.starts_with(b"{\\rtf") {
        return Err(ExtractError::Rtf("no {\\rtf header".to_owned()));
    }
    let mut reader = Reader::new(bytes);
    reader.run();
    Ok(reader.finish())
}

/// One piece of the RTF stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Open,
    Close,
    Word(&'a str, Option<i32>),
    /// A control symbol: `\` and one non-letter.
    Symbol(u8),
    /// A byte of text, from `\'hh` or written as is.
    Byte(u8),
}

/// Splits RTF into tokens. Line breaks in the file are not text.
struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            return Some(match byte {
                b'{' => Token::Open,
                b'}' => Token::Close,
                b'\r' | b'\n' => continue,
                b'\\' => self.control(),
                other => Token::Byte(other),
            });
        }
    }

    /// The control word or symbol after a backslash.
    fn control(&mut self) -> Token<'a> {
        let Some(&first) = self.bytes.get(self.at) else { return Token::Symbol(b'\\') };
        if first == b'\'' {
            let hex = self.bytes.get(self.at + 1..self.at + 3).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                self.at += 3;
                return Token::Byte(byte);
            }
            self.at += 1;
            return Token::Symbol(b'\'');
        }
        if !first.is_ascii_alphabetic() {
            self.at += 1;
            return Token::Symbol(first);
        }
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_alphabetic) && self.at - start < MAX_WORD_LEN {
            self.at += 1;
        }
        let word = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("");
        let number_start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let digits_start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) && self.at - digits_start < 10 {
            self.at += 1;
        }
        let parameter = if self.at > digits_start {
            let text = std::str::from_utf8(&self.bytes[number_start..self.at]).unwrap_or("0");
            Some(text.parse::<i64>().unwrap_or(0).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
        } else {
            self.at = number_start;
            None
        };
        // One space after a control word is its delimiter, not text.
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        Token::Word(word, parameter)
    }

    /// Skips `count` bytes of binary data (`\binN`).
    fn skip(&mut self, count: usize) {
        self.at = self.at.saturating_add(count).min(self.bytes.len());
    }
}

/// What a group's text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Body,
    Footnote,
    /// Not text: dropped.
    Skip,
    FontTable,
    Info,
    Title,
    Author,
    Created,
}

/// The state a group starts with (a copy of its parent's) and changes for itself.
#[derive(Debug, Clone, Copy)]
struct Group {
    destination: Destination,
    /// Fallback characters after `\uN` (`\ucN`).
    unicode_skip: u32,
    font: Option<i32>,
    /// The group has seen no token yet, or only `\*`: its first control word may name a destination.
    at_start: bool,
    /// The group began with `\*`: an unknown destination is skipped.
    starred: bool,
    /// Inside `\upr`: the destination its Unicode part (`\*\ud`) writes to.
    upr_outer: Option<Destination>,
}

/// A font of the font table: its character set and name.
#[derive(Debug, Clone, Default)]
struct FontEntry {
    number: i32,
    charset: Option<i32>,
    name: String,
}

/// How bytes of text are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoder {
    CodePage(u16),
    Legacy(LegacyFont),
}

/// Text being built: paragraphs separated by blank lines.
#[derive(Debug, Default)]
struct TextBuilder {
    text: String,
}

impl TextBuilder {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn paragraph(&mut self) {
        self.text.push_str("\n\n");
    }

    fn finish(self) -> String {
        tidy_paragraphs(&self.text)
    }
}

struct Reader<'a> {
    lexer: Lexer<'a>,
    stack: Vec<Group>,
    group: Group,
    code_page: u16,
    default_font: Option<i32>,
    fonts: Vec<FontEntry>,
    font_entry: Option<FontEntry>,
    body: TextBuilder,
    footnotes: TextBuilder,
    title: String,
    author: String,
    created: [Option<i32>; 3],
    /// Bytes of text not yet decoded, with the destination and decoder they were read under.
    pending: Vec<u8>,
    pending_for: Option<(Destination, Decoder)>,
    /// Fallback characters still to drop after a `\uN`.
    skipping: u32,
    high_surrogate: Option<u16>,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let group = Group {
            destination: Destination::Body,
            unicode_skip: 1,
            font: None,
            at_start: true,
            starred: false,
            upr_outer: None,
        };
        Reader {
            lexer: Lexer { bytes, at: 0 },
            stack: Vec::new(),
            group,
            code_page: 1252,
            default_font: None,
            fonts: Vec::new(),
            font_entry: None,
            body: TextBuilder::default(),
            footnotes: TextBuilder::default(),
            title: String::new(),
            author: String::new(),
            created: [None; 3],
            pending: Vec::new(),
            pending_for: None,
            skipping: 0,
            high_surrogate: None,
        }
    }

    fn run(&mut self) {
        while let Some(token) = self.lexer.next_token() {
            if !matches!(token, Token::Byte(_)) {
                self.flush_bytes();
            }
            match token {
                Token::Open => self.open(),
                Token::Close => self.close(),
                Token::Word(word, parameter) => {
                    let at_start = self.group.at_start;
                    self.group.at_start = false;
                    self.word(word, parameter, at_start);
                }
                Token::Symbol(symbol) => {
                    let at_start = self.group.at_start;
                    self.group.at_start = symbol == b'*' && at_start;
                    self.symbol(symbol);
                }
                Token::Byte(byte) => {
                    self.group.at_start = false;
                    self.byte(byte);
                }
            }
        }
        self.flush_bytes();
    }

    fn open(&mut self) {
        self.skipping = 0;
        self.stack.push(self.group);
        let parent = self.group;
        self.group.at_start = true;
        self.group.starred = false;
        self.group.upr_outer = None;
        if parent.upr_outer.is_some() {
            // A part of `\upr`: the ANSI one is skipped; its `\*\ud` sibling (see `destination`) holds the
            // same in Unicode.
            self.group.destination = Destination::Skip;
        }
    }

    fn close(&mut self) {
        self.skipping = 0;
        if self.group.destination == Destination::FontTable {
            self.commit_font();
        }
        // An unbalanced `}` is ignored: the outermost group stays.
        if let Some(parent) = self.stack.pop() {
            self.group = parent;
        }
    }

    fn symbol(&mut self, symbol: u8) {
        match symbol {
            b'*' => self.group.starred = true,
            b'\\' | b'{' | b'}' => self.byte(symbol),
            b'~' => self.text("\u{A0}"),
            b'_' => self.text("-"),
            // `\-` is an optional hyphen; `\:` an index subentry; others have no text.
            _ => {}
        }
    }

    fn word(&mut self, word: &str, parameter: Option<i32>, at_start: bool) {
        if at_start {
            if let Some(destination) = self.destination(word) {
                self.group.destination = destination;
                return;
            }
            if self.group.starred {
                self.group.destination = Destination::Skip;
                return;
            }
        }
        let value = parameter.unwrap_or(0);
        match word {
            "u" => {
                self.unicode(value);
                self.skipping = self.group.unicode_skip;
                return;
            }
            "uc" => self.group.unicode_skip = u32::try_from(value).unwrap_or(0),
            "bin" => self.lexer.skip(usize::try_from(value).unwrap_or(0)),
            "ansicpg" => self.code_page = u16::try_from(value).unwrap_or(1252),
            "deff" => self.default_font = Some(value),
            "f" if self.group.destination == Destination::FontTable => {
                self.commit_font();
                self.font_entry = Some(FontEntry { number: value, ..FontEntry::default() });
            }
            "fcharset" => {
                if let Some(entry) = self.font_entry.as_mut() {
                    entry.charset = Some(value);
                }
            }
            "f" => self.group.font = Some(value),
            "plain" => self.group.font = None,
            "yr" | "mo" | "dy" if self.group.destination == Destination::Created => {
                let slot = match word {
                    "yr" => 0,
                    "mo" => 1,
                    _ => 2,
                };
                self.created[slot] = Some(value);
            }
            "par" | "sect" | "page" | "cell" | "row" | "nestcell" | "nestrow" => self.paragraph(),
            "line" => self.text("\n"),
            "tab" => self.text("\t"),
            "emdash" => self.text("—"),
            "endash" => self.text("–"),
            "bullet" => self.text("•"),
            "lquote" => self.text("‘"),
            "rquote" => self.text("’"),
            "ldblquote" => self.text("“"),
            "rdblquote" => self.text("”"),
            "emspace" | "enspace" | "qmspace" => self.text(" "),
            _ => {}
        }
        // A control word ends the fallback of a `\uN` too.
        self.skipping = self.skipping.saturating_sub(1);
    }

    /// The destination a group's first control word opens, if it opens one.
    fn destination(&mut self, word: &str) -> Option<Destination> {
        let current = self.group.destination;
        if current == Destination::Skip && word != "ud" {
            return None;
        }
        Some(match word {
            "fonttbl" => Destination::FontTable,
            "info" => Destination::Info,
            "title" if current == Destination::Info => Destination::Title,
            "author" if current == Destination::Info => Destination::Author,
            "creatim" if current == Destination::Info => Destination::Created,
            "footnote" => Destination::Footnote,
            "upr" => {
                self.group.upr_outer = Some(current);
                Destination::Skip
            }
            "ud" => {
                let parent_upr = self.stack.last().and_then(|g| g.upr_outer);
                parent_upr.unwrap_or(Destination::Skip)
            }
            // Keep what the current destination is (a field's result, a shape's text).
            "fldrslt" | "shptxt" | "result" => current,
            "colortbl" | "stylesheet" | "listtable" | "listoverridetable" | "revtbl" | "rsidtbl" | "generator"
            | "pict" | "themedata" | "colorschememapping" | "datastore" | "latentstyles" | "xmlnstbl" | "header"
            | "headerl" | "headerr" | "headerf" | "footer" | "footerl" | "footerr" | "footerf" | "pgdsctbl"
            | "fldinst" | "objdata" | "listtext" | "pntext" | "sp" | "nonshppict" | "ftnsep" | "ftnsepc"
            | "aftnsep" | "aftnsepc" | "annotation" | "atnid" | "atnauthor" | "xe" | "tc" | "bkmkstart" | "bkmkend"
            | "filetbl" | "docvar" | "template" | "mmathPr" | "userprops" | "operator" | "subject" | "keywords"
            | "doccomm" | "comment" | "company" | "manager" | "category" | "revtim" | "printim" | "buptim"
            | "hlinkbase" | "fchars" | "lchars" | "pgptbl" | "passwordhash" => Destination::Skip,
            _ => return None,
        })
    }

    /// A character from `\uN`, or the first half of a surrogate pair.
    fn unicode(&mut self, value: i32) {
        let unit = if value < 0 { value + 65536 } else { value };
        let Ok(unit) = u16::try_from(unit) else { return };
        if (0xD800..0xDC00).contains(&unit) {
            self.high_surrogate = Some(unit);
            return;
        }
        let c = match self.high_surrogate.take() {
            Some(high) if (0xDC00..0xE000).contains(&unit) => {
                char::decode_utf16([high, unit]).next().and_then(Result::ok)
            }
            _ => char::from_u32(u32::from(unit)),
        };
        if let Some(c) = c {
            let mut buffer = [0u8; 4];
            self.text(c.encode_utf8(&mut buffer));
        }
    }

    fn byte(&mut self, byte: u8) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match self.group.destination {
            Destination::FontTable => {
                if let Some(entry) = self.font_entry.as_mut() {
                    if byte == b';' {
                        self.commit_font();
                    } else {
                        entry.name.push(char::from(byte));
                    }
                }
            }
            Destination::Skip | Destination::Info | Destination::Created => {}
            destination => {
                let decoder = self.decoder();
                if self.pending_for != Some((destination, decoder)) {
                    self.flush_bytes();
                    self.pending_for = Some((destination, decoder));
                }
                self.pending.push(byte);
            }
        }
    }

    fn commit_font(&mut self) {
        if let Some(entry) = self.font_entry.take() {
            self.fonts.push(FontEntry { name: entry.name.trim().to_owned(), ..entry });
        }
    }

    /// How the current font's bytes are decoded.
    fn decoder(&self) -> Decoder {
        let number = self.group.font.or(self.default_font);
        let font = number.and_then(|n| self.fonts.iter().find(|f| f.number == n));
        if let Some(legacy) = font.and_then(|f| LegacyFont::from_name(&f.name)) {
            return Decoder::Legacy(legacy);
        }
        match font.and_then(|f| f.charset) {
            Some(163) => Decoder::CodePage(1258),
            _ => Decoder::CodePage(self.code_page),
        }
    }

    fn flush_bytes(&mut self) {
        let Some((destination, decoder)) = self.pending_for.take() else { return };
        let bytes = std::mem::take(&mut self.pending);
        let text = match decoder {
            Decoder::CodePage(code_page) => decode_windows_code_page(code_page, &bytes),
            Decoder::Legacy(font) => font.decode_bytes(&bytes),
        };
        self.write(destination, &text);
    }

    /// Text from a control word or `\uN`, in the current destination.
    fn text(&mut self, text: &str) {
        self.write(self.group.destination, text);
    }

    fn write(&mut self, destination: Destination, text: &str) {
        match destination {
            Destination::Body => self.body.push(text),
            Destination::Footnote => self.footnotes.push(text),
            Destination::Title => self.title.push_str(text),
            Destination::Author => self.author.push_str(text),
            _ => {}
        }
    }

    fn paragraph(&mut self) {
        match self.group.destination {
            Destination::Body => self.body.paragraph(),
            Destination::Footnote => self.footnotes.paragraph(),
            _ => {}
        }
    }

    fn finish(self) -> Extracted {
        let mut body = self.body.finish();
        let footnotes = self.footnotes.finish();
        if !footnotes.is_empty() {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&footnotes);
        }
        let clean = |s: String| Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
        let date = match self.created {
            [Some(y), Some(m), Some(d)] => normalize_iso_date(&format!("{y:04}-{m:02}-{d:02}")),
            _ => None,
        };
        Extracted { title: clean(self.title), body, date, author: clean(self.author), ..Extracted::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rtf: &str) -> String {
        extract_rtf_text(rtf.as_bytes()).map(|e| e.body).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn text_and_control_words() {
        let cases = [
            ("plain text and paragraphs", r"{\rtf1\ansi Hello\par World}", "Hello\n\nWorld"),
            ("the delimiter space is not text", r"{\rtf1 {\b bold}\b0  next}", "bold next"),
            ("line breaks in the file are not text", "{\\rtf1 Hel\r\nlo}", "Hello"),
            ("escaped braces and backslash", r"{\rtf1 a\{b\}c\\d}", "a{b}c\\d"),
            ("line and tab", r"{\rtf1 a\line b\tab c}", "a\nb\tc"),
            ("typographic words", r"{\rtf1 \ldblquote x\rdblquote\emdash y}", "“x”—y"),
            ("table cells are paragraphs", r"{\rtf1 \trowd a\cell b\cell\row c}", "a\n\nb\n\nc"),
            ("unbalanced closing braces are ignored", r"{\rtf1 a}}} b", "a b"),
            ("a parameter's sign and digits", r"{\rtf1 \fi-360\li720 x}", "x"),
        ];
        for (label, rtf, want) in cases {
            assert_eq!(body(rtf), want, "{label}");
        }
    }

    #[test]
    fn unicode_escapes_drop_their_fallbacks() {
        let cases = [
            ("one fallback byte", r"{\rtf1 Vi\u7879\'3ft Nam}", "Việt Nam"),
            ("negative values count from 65536", r"{\rtf1 \u-3913?}", "\u{F0B7}"),
            ("uc2 drops two", r"{\rtf1\uc2 H\u7897\'3f\'3fi}", "Hội"),
            ("uc0 drops none", r"{\rtf1\uc0 \u7897 i}", "ội"),
            ("a fallback ends at the group's end", r"{\rtf1 {\uc3 \u7897 a}b}", "ộb"),
            ("uc is per group", r"{\rtf1 {\uc0 \u7897}\u7897?x}", "ộộx"),
            ("surrogate pairs", r"{\rtf1 \u-10179?\u-8694?}", "😊"),
        ];
        for (label, rtf, want) in cases {
            assert_eq!(body(rtf), want, "{label}");
        }
    }

    #[test]
    fn bytes_follow_the_code_page_and_the_font() {
        let cases = [
            ("Windows-1252 by default", r"{\rtf1\ansi caf\'e9 \'93x\'94}", "café “x”"),
            ("Windows-1258 by ansicpg", r"{\rtf1\ansi\ansicpg1258 Vi\'ea\'f2t Nam}", "Việt Nam"),
            (
                "Windows-1258 by the font's charset",
                r"{\rtf1\ansi{\fonttbl{\f0 Arial;}{\f1\fcharset163 Times New Roman;}}\f0 caf\'e9 \f1 Vi\'ea\'f2t}",
                "café Việt",
            ),
            ("a TCVN3 font", r"{\rtf1\ansi{\fonttbl{\f0\fcharset0 .VnTime;}}\f0 Vi\'d6t Nam}", "Việt Nam"),
            ("raw 8-bit bytes too", "{\\rtf1\\ansi caf\u{e9}}", "cafÃ©"),
        ];
        for (label, rtf, want) in cases {
            assert_eq!(body(rtf), want, "{label}");
        }
    }

    #[test]
    fn destinations_that_are_not_text_are_skipped() {
        let cases = [
            ("tables", r"{\rtf1{\fonttbl{\f0 Arial;}}{\colortbl;\red0;}{\stylesheet{\s1 Heading;}}x}", "x"),
            ("starred unknown destinations", r"{\rtf1 a{\*\unknown secret}b}", "ab"),
            ("pictures and binary data", r"{\rtf1 a{\pict\bin2 {}}b}", "ab"),
            ("header and footer", r"{\rtf1{\header Trang 1}a{\footer chan}}", "a"),
            (
                "a field's result, not its instruction",
                r"{\rtf1 {\field{\*\fldinst HYPERLINK x}{\fldrslt link}}}",
                "link",
            ),
            ("list labels", r"{\rtf1{\listtext 1.\tab}item}", "item"),
            ("a footnote goes after the body", r"{\rtf1 a{\footnote note}b\par c}", "ab\n\nc\n\nnote"),
        ];
        for (label, rtf, want) in cases {
            assert_eq!(body(rtf), want, "{label}");
        }
    }

    #[test]
    fn properties_from_info() {
        let rtf = r"{\rtf1\ansi{\info{\upr{\title B\'e1o c\'e1o h\'3fi}{\*\ud{\title B\u225\'e1o c\u225\'e1o h\u7897\'3fi}}}{\author Nguy\u7877\'3fn An}{\operator x}{\creatim\yr2019\mo10\dy17\hr9\min30}{\revtim\yr2020\mo1\dy1}}text}";
        let got = extract_rtf_text(rtf.as_bytes()).expect("readable");
        assert_eq!(got.title.as_deref(), Some("Báo cáo hội"));
        assert_eq!(got.author.as_deref(), Some("Nguyễn An"));
        assert_eq!(got.date.as_deref(), Some("2019-10-17"));
        assert_eq!(got.body, "text");
    }

    #[test]
    fn files_that_are_not_rtf_are_errors() {
        for bytes in [&b""[..], b"hello", b"{\\rt", b"<html>"] {
            let got = extract_rtf_text(bytes);
            assert!(matches!(got, Err(ExtractError::Rtf(_))), "{bytes:?}: {got:?}");
        }
        assert_eq!(body("\u{feff}{\\rtf1 x}"), "x");
        assert_eq!(body("\n{\\rtf1 x}"), "x");
    }
}
