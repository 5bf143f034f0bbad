//! PDF files: the text layer, page by page, plus title and creation date from the Info dictionary.
//!
//! lopdf parses the file (objects, streams, decryption with the empty user password), but its own
//! `extract_text` starts a new line at every `ET` and ignores glyph positions, which on the laws'
//! LibreOffice PDFs splits words ("CỘNG HÒA X" / "Ã HỘI") and list numbers from their text ("3" /
//! ". Công nghệ"). So this module walks the content streams itself: it follows the text and
//! graphics state (`BT`/`ET`, `Tf`, `Td`, `TD`, `Tm`, `T*`, `Tc`, `Tw`, `Tz`, `TL`, `q`/`Q`, `cm`,
//! form XObjects through `Do`), decodes each glyph's code through the font's ToUnicode CMap (falling
//! back to the font's simple encoding), and advances by the font's glyph widths. Where the next glyph
//! lands decides what separates it from the previous one: nothing if it continues the same baseline,
//! a space if there is a gap wider than a fraction of the font size (from `TJ` kerning or a move), a
//! line break if it leaves the line, and a paragraph break if it leaves it by clearly more than one
//! line's height or starts a new page.
//!
//! The lines are kept page by page with their heights until the end, so that running headers, footers
//! and page numbers can be recognised and dropped, and words hyphenated at a line end joined again
//! (`furniture.rs`).
//!
//! Password-protected files are reported as [`ExtractError::PdfEncrypted`]; files encrypted only
//! against editing (empty user password) open as they do in any viewer. A file whose text has no
//! letter at all is [`ExtractError::PdfNoText`]: most likely a scan, which needs OCR rather than
//! indexing. lopdf is run under `catch_unwind`, since a malformed file must cost only itself.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::html::format_ymd;
use super::{ExtractError, Extracted};

mod furniture;

use furniture::Line;

/// The most decompressed content read from one page's (or form's) content streams or one CMap.
const MAX_STREAM_SIZE: usize = 64 * 1024 * 1024;

/// The most decompressed bytes read from one CMap. Real ToUnicode maps, even for CJK fonts, are
/// well under a megabyte; the limit bounds the tokens a hostile one can make.
const MAX_CMAP_SIZE: usize = 4 * 1024 * 1024;

/// How deep `q` may nest. PDF readers allow 28 levels; the limit bounds the saved states a hostile
/// stream of `q`s can pile up.
const MAX_SAVED_STATES: usize = 256;

/// How deep form XObjects may nest; real files use one or two levels, loops are cut here too.
const MAX_FORM_DEPTH: usize = 8;

/// A gap along the baseline wider than this many font sizes is a word space. Real spaces are about
/// 0.25 em; kerning and justification adjustments inside words stay well below 0.1 em.
const SPACE_GAP: f32 = 0.15;

/// A jump back along the baseline of more than this many font sizes (a new column, text drawn out
/// of order) also separates words.
const BACKWARD_GAP: f32 = 1.0;

/// Leaving the baseline by more than this many font sizes starts a new line; superscripts and
/// subscripts move less.
const LINE_GAP: f32 = 0.5;

/// Leaving the baseline by more than this many font sizes starts a new paragraph: single-spaced
/// lines are about 1.15 em apart, paragraphs add space before or after.
const PARAGRAPH_GAP: f32 = 1.5;

/// Glyph width, in thousandths of an em, assumed when a font gives none (the standard 14 fonts).
const DEFAULT_GLYPH_WIDTH: f32 = 500.0;

/// Extracts a PDF's text layer, title and creation date; see the module docs.
pub fn extract_pdf_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    guarded(|| extract(bytes))
}

/// Runs `f`, turning a panic into an error. The closures passed here only read their input, so
/// nothing they touch is left half-updated by a panic.
fn guarded(f: impl FnOnce() -> Result<Extracted, ExtractError>) -> Result<Extracted, ExtractError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(ExtractError::Pdf(format!("parser panicked: {message}")))
    })
}

fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let document = load(bytes)?;
    let (body, first_error) = document_text(&document)?;
    if !body.chars().any(char::is_alphabetic) {
        // No text because pages could not be read is damage, not a scan.
        return Err(first_error.map_or(ExtractError::PdfNoText, ExtractError::Pdf));
    }
    Ok(Extracted {
        title: info_string(&document, b"Title").and_then(|t| clean_title(&t)),
        body,
        date: info_string(&document, b"CreationDate").and_then(|d| pdf_date(&d)),
        author: info_string(&document, b"Author").and_then(|a| clean_title(&a)),
    })
}

fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    match Document::load_mem(bytes) {
        // lopdf leaves `/Encrypt` in the trailer when the empty user password did not open the file.
        Ok(document) if document.is_encrypted() => Err(ExtractError::PdfEncrypted),
        Ok(document) => Ok(document),
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => Err(ExtractError::PdfEncrypted),
        Err(err) => Err(ExtractError::Pdf(error_chain(&err))),
    }
}

/// An error and its sources, since lopdf's top-level messages ("couldn't parse input") say little.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A text string from the Info dictionary, decoded from PDFDocEncoding or UTF-16BE.
fn info_string(document: &Document, key: &[u8]) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    let value = info.as_dict().ok()?.get_deref(key, document).ok()?;
    lopdf::decode_text_string(value).ok()
}

/// A title with control characters dropped and whitespace collapsed; `None` if nothing is left.
fn clean_title(title: &str) -> Option<String> {
    let title = title.replace(|c: char| c.is_control(), " ");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// `D:YYYYMMDDHHmmSS…` as `YYYY-MM-DD`; the `D:` prefix is optional in practice.
fn pdf_date(text: &str) -> Option<String> {
    let digits = text.trim().trim_start_matches("D:");
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let s = digits.get(range)?;
        s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())?
    };
    format_ymd(field(0..4)?, field(4..6)?, field(6..8)?)
}

/// The text of every page in page order, pages separated by paragraph breaks, and the first error
/// met on the way: a damaged page costs only that page.
fn document_text(document: &Document) -> Result<(String, Option<String>), ExtractError> {
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Pdf("the document has no pages".to_string()));
    }
    let mut walker = Walker::new(document);
    let mut first_error = None;
    for (number, page_id) in pages {
        walker.layout.page_break();
        if let Err(err) = walker.page(page_id) {
            first_error.get_or_insert(format!("page {number}: {err}"));
        }
    }
    Ok((walker.layout.finish(), first_error))
}

/// An affine transformation `[a b c d e f]`, applied to row vectors as PDF does: `p' = p × M`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
        let values: [f32; 6] = values.try_into().ok()?;
        Some(Matrix(values))
    }

    /// `self × other`: first `self`, then `other`.
    fn then(&self, other: &Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    /// Where this matrix puts the origin.
    fn origin(&self) -> (f32, f32) {
        (self.0[4], self.0[5])
    }

    /// The unit vector of the transformed x axis: the baseline's direction.
    fn x_direction(&self) -> (f32, f32) {
        let [a, b, ..] = self.0;
        let length = a.hypot(b);
        if length > f32::EPSILON {
            (a / length, b / length)
        } else {
            (1.0, 0.0)
        }
    }

    /// How much this matrix scales lengths along the y axis: turns a font size into device units.
    fn y_scale(&self) -> f32 {
        self.0[2].hypot(self.0[3])
    }
}

/// The parts of the graphics state that matter for text, saved and restored by `q`/`Q`.
#[derive(Clone)]
struct GraphicsState<'a> {
    ctm: Matrix,
    font: Option<Rc<Font<'a>>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
}

impl Default for GraphicsState<'_> {
    fn default() -> Self {
        GraphicsState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
        }
    }
}

/// The fonts and form XObjects a content stream may name.
#[derive(Default, Clone)]
struct Resources<'a> {
    fonts: HashMap<Vec<u8>, Rc<Font<'a>>>,
    xobjects: HashMap<Vec<u8>, ObjectId>,
}

/// Interprets content streams, feeding glyphs to a [`Layout`].
struct Walker<'a> {
    document: &'a Document,
    layout: Layout,
    /// Fonts by object id, so a font shared by many pages has its CMap parsed once.
    font_cache: HashMap<ObjectId, Rc<Font<'a>>>,
    state: GraphicsState<'a>,
    saved: Vec<GraphicsState<'a>>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    /// The forms being drawn, to cut a form that draws itself.
    forms: Vec<ObjectId>,
}

impl<'a> Walker<'a> {
    fn new(document: &'a Document) -> Self {
        Walker {
            document,
            layout: Layout::default(),
            font_cache: HashMap::new(),
            state: GraphicsState::default(),
            saved: Vec::new(),
            text_matrix: Matrix::IDENTITY,
            line_matrix: Matrix::IDENTITY,
            forms: Vec::new(),
        }
    }

    /// Walks one page's content.
    fn page(&mut self, page_id: ObjectId) -> Result<(), String> {
        let document = self.document;
        let (inline, referenced) = document.get_page_resources(page_id).map_err(|e| error_chain(&e))?;
        let dictionaries =
            inline.into_iter().chain(referenced.into_iter().filter_map(|id| document.get_dictionary(id).ok()));
        let resources = self.resources(dictionaries);
        let (content, content_error) = page_content(document, page_id);
        self.state = GraphicsState::default();
        self.saved.clear();
        let run = self.run(&content, &resources);
        content_error.map_or(run, Err)
    }

    /// Collects fonts and XObjects from resource dictionaries; the first to name one wins.
    fn resources(&mut self, dictionaries: impl Iterator<Item = &'a Dictionary>) -> Resources<'a> {
        let document = self.document;
        let mut resources = Resources::default();
        for dictionary in dictionaries {
            for (name, value) in sub_dictionary(document, dictionary, b"Font").into_iter().flatten() {
                if !resources.fonts.contains_key(name) {
                    if let Some(font) = self.font(value) {
                        resources.fonts.insert(name.clone(), font);
                    }
                }
            }
            for (name, value) in sub_dictionary(document, dictionary, b"XObject").into_iter().flatten() {
                if let Ok(id) = value.as_reference() {
                    resources.xobjects.entry(name.clone()).or_insert(id);
                }
            }
        }
        resources
    }

    fn font(&mut self, value: &'a Object) -> Option<Rc<Font<'a>>> {
        let document = self.document;
        let id = value.as_reference().ok();
        if let Some(font) = id.and_then(|id| self.font_cache.get(&id)) {
            return Some(Rc::clone(font));
        }
        let (_, object) = document.dereference(value).ok()?;
        let font = Rc::new(Font::new(document, object.as_dict().ok()?));
        if let Some(id) = id {
            self.font_cache.insert(id, Rc::clone(&font));
        }
        Some(font)
    }

    /// Interprets one content stream. Decoding stops at the first malformed operation, keeping the
    /// text before it.
    fn run(&mut self, content: &[u8], resources: &Resources<'a>) -> Result<(), String> {
        for operation in Content::decode_iter(content) {
            match operation {
                Ok(operation) => self.operation(&operation, resources),
                Err(err) => return Err(format!("content stream: {}", error_chain(&err))),
            }
        }
        Ok(())
    }

    fn operation(&mut self, operation: &Operation, resources: &Resources<'a>) {
        let operator = operation.operator.as_str();
        let operands = operation.operands.as_slice();
        match operator {
            "q" | "Q" | "cm" => self.graphics_state(operator, operands),
            "Tf" | "Tc" | "Tw" | "Tz" | "TL" => self.text_state(operator, operands, resources),
            "BT" | "Td" | "TD" | "Tm" | "T*" => self.text_position(operator, operands),
            "Tj" | "'" | "\"" | "TJ" => self.text_showing(operator, operands),
            "Do" => {
                let name = operands.first().and_then(|o| o.as_name().ok());
                if let Some(&id) = name.and_then(|n| resources.xobjects.get(n)) {
                    self.form(id, resources);
                }
            }
            _ => {}
        }
    }

    fn graphics_state(&mut self, operator: &str, operands: &[Object]) {
        match operator {
            // Past the limit a `q` is dropped; its `Q` then restores an outer state, which only
            // misplaces text in a file that is hostile anyway.
            "q" if self.saved.len() < MAX_SAVED_STATES => self.saved.push(self.state.clone()),
            "q" => {}
            "Q" => {
                if let Some(state) = self.saved.pop() {
                    self.state = state;
                }
            }
            _ => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.state.ctm = m.then(&self.state.ctm);
                }
            }
        }
    }

    fn text_state(&mut self, operator: &str, operands: &[Object], resources: &Resources<'a>) {
        let number = |i: usize| operands.get(i).and_then(|o| o.as_float().ok());
        let state = &mut self.state;
        match operator {
            "Tf" => {
                let name = operands.first().and_then(|o| o.as_name().ok());
                state.font = name.and_then(|n| resources.fonts.get(n)).cloned();
                state.font_size = number(1).unwrap_or(0.0);
            }
            "Tc" => state.char_spacing = number(0).unwrap_or(0.0),
            "Tw" => state.word_spacing = number(0).unwrap_or(0.0),
            "Tz" => state.horizontal_scale = number(0).unwrap_or(100.0) / 100.0,
            _ => state.leading = number(0).unwrap_or(0.0),
        }
    }

    fn text_position(&mut self, operator: &str, operands: &[Object]) {
        let number = |i: usize| operands.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
        match operator {
            "BT" => {
                self.text_matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            "Td" => self.move_line(number(0), number(1)),
            "TD" => {
                self.state.leading = -number(1);
                self.move_line(number(0), number(1));
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.text_matrix = m;
                    self.line_matrix = m;
                }
            }
            _ => self.next_line(),
        }
    }

    fn text_showing(&mut self, operator: &str, operands: &[Object]) {
        match operator {
            "Tj" => self.show_operand(operands.first()),
            "'" => {
                self.next_line();
                self.show_operand(operands.first());
            }
            "\"" => {
                let number = |i: usize| operands.get(i).and_then(|o| o.as_float().ok());
                self.state.word_spacing = number(0).unwrap_or(self.state.word_spacing);
                self.state.char_spacing = number(1).unwrap_or(self.state.char_spacing);
                self.next_line();
                self.show_operand(operands.get(2));
            }
            _ => {
                let items = operands.first().and_then(|o| o.as_array().ok());
                for item in items.into_iter().flatten() {
                    match item {
                        Object::String(bytes, _) => self.show(bytes),
                        // A number moves back (positive) or forward (negative) in thousandths of an em.
                        other => {
                            if let Ok(adjust) = other.as_float() {
                                self.advance(-adjust / 1000.0 * self.state.font_size);
                            }
                        }
                    }
                }
            }
        }
    }

    fn move_line(&mut self, x: f32, y: f32) {
        self.line_matrix = Matrix::translation(x, y).then(&self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn next_line(&mut self) {
        self.move_line(0.0, -self.state.leading);
    }

    /// Moves the text position along the baseline by `x` unscaled text space units.
    fn advance(&mut self, x: f32) {
        let x = x * self.state.horizontal_scale;
        self.text_matrix = Matrix::translation(x, 0.0).then(&self.text_matrix);
    }

    fn show_operand(&mut self, operand: Option<&Object>) {
        if let Some(Ok(bytes)) = operand.map(Object::as_str) {
            self.show(bytes);
        }
    }

    /// Shows a string: each glyph is decoded, placed, and advanced past.
    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.state.font.clone() else {
            // Without a font there is neither a decoding nor widths.
            return;
        };
        for (code, length) in font.codes(bytes) {
            let to_device = self.text_matrix.then(&self.state.ctm);
            let start = to_device.origin();
            let size = (self.state.font_size * to_device.y_scale()).abs();
            let mut width = font.width(code) * self.state.font_size + self.state.char_spacing;
            // Word spacing applies to the single-byte code 32 only (PDF 32000-1, 9.3.3).
            if code == 32 && length == 1 {
                width += self.state.word_spacing;
            }
            self.advance(width);
            let end = self.text_matrix.then(&self.state.ctm).origin();
            let glyph = Glyph { start, end, direction: to_device.x_direction(), size };
            self.layout.glyph(&font.decode(code, length), glyph);
        }
    }

    /// Draws a form XObject: its content, with its own resources and matrix, as if inside `q`/`Q`.
    fn form(&mut self, id: ObjectId, parent: &Resources<'a>) {
        if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return;
        }
        let document = self.document;
        let Ok(stream) = document.get_object(id).and_then(Object::as_stream) else {
            return;
        };
        // Image XObjects are not decompressed: they have no text.
        let is_form = stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Form");
        if !is_form {
            return;
        }
        let Ok(content) = stream.get_plain_content_with_limit(MAX_STREAM_SIZE) else {
            return;
        };
        // A form without resources uses those of the page that draws it (allowed in old files).
        let resources = match sub_dictionary(document, &stream.dict, b"Resources") {
            Some(own) => self.resources(std::iter::once(own)),
            None => parent.clone(),
        };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|m| Matrix::from_operands(m))
            .unwrap_or(Matrix::IDENTITY);
        // Everything the form changes is undone afterwards, even if its `q`/`Q` do not balance.
        let (outer_state, saved_depth) = (self.state.clone(), self.saved.len());
        let (text_matrix, line_matrix) = (self.text_matrix, self.line_matrix);
        self.state.ctm = matrix.then(&self.state.ctm);
        self.forms.push(id);
        // A broken form costs only its own text.
        let _ = self.run(&content, &resources);
        self.forms.pop();
        self.saved.truncate(saved_depth);
        self.state = outer_state;
        (self.text_matrix, self.line_matrix) = (text_matrix, line_matrix);
    }
}

/// A page's content streams, decompressed and joined, and the first error met. A stream that cannot
/// be decompressed is left out and reported: lopdf's `get_page_content` would pass its compressed
/// bytes on as if they were operators.
fn page_content(document: &Document, page_id: ObjectId) -> (Vec<u8>, Option<String>) {
    let mut content = Vec::new();
    let mut first_error = None;
    for id in document.get_page_contents(page_id) {
        let remaining = MAX_STREAM_SIZE.saturating_sub(content.len());
        let data =
            document.get_object(id).and_then(Object::as_stream).and_then(|s| s.get_plain_content_with_limit(remaining));
        match data {
            Ok(data) => {
                content.extend_from_slice(&data);
                // Streams split a page at arbitrary points, but never inside a token.
                content.push(b'\n');
            }
            Err(err) => {
                first_error.get_or_insert(format!("content stream {} {} R: {}", id.0, id.1, error_chain(&err)));
            }
        }
    }
    (content, first_error)
}

/// A dictionary entry that is (or refers to) a dictionary.
fn sub_dictionary<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    dictionary.get_deref(key, document).ok()?.as_dict().ok()
}

/// One placed glyph, in device space.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    start: (f32, f32),
    end: (f32, f32),
    /// Unit vector along the baseline.
    direction: (f32, f32),
    /// Font size in device units.
    size: f32,
}

/// Turns placed glyphs into lines with spaces, page by page, and the pages into text with line and
/// paragraph breaks, page furniture dropped and hyphenated words joined (see [`furniture`]).
#[derive(Default)]
struct Layout {
    /// The pages done, each a list of lines as drawn.
    pages: Vec<Vec<RawLine>>,
    /// The page being drawn.
    lines: Vec<RawLine>,
    last: Option<Glyph>,
}

/// A line as the glyphs build it: text not yet trimmed, where its first glyph sits, and whether it
/// starts a paragraph.
struct RawLine {
    text: String,
    y: f32,
    size: f32,
    paragraph: bool,
}

impl Layout {
    fn glyph(&mut self, text: &str, glyph: Glyph) {
        // The first glyph of a page starts a paragraph.
        let separator = self.last.map_or(Separator::Paragraph, |last| separator(&last, &glyph));
        match (separator, self.lines.last_mut()) {
            (Separator::None, Some(_)) => {}
            (Separator::Space, Some(line)) => line.text.push(' '),
            _ => self.lines.push(RawLine {
                text: String::new(),
                y: glyph.start.1,
                size: glyph.size,
                paragraph: separator != Separator::Line,
            }),
        }
        // A glyph mapped to a tab, a line break or a no-break space is only a space in running text;
        // other control characters (from broken CMaps) are dropped.
        let chars = text.chars().filter(|c| !c.is_control() || c.is_whitespace());
        if let Some(line) = self.lines.last_mut() {
            line.text.extend(chars.map(|c| if c.is_whitespace() { ' ' } else { c }));
        }
        self.last = Some(glyph);
    }

    fn page_break(&mut self) {
        if !self.lines.is_empty() {
            self.pages.push(std::mem::take(&mut self.lines));
        }
        self.last = None;
    }

    /// The text: lines trimmed with runs of spaces collapsed, running headers, footers and page numbers
    /// dropped, hyphenated words joined; lines separated by a line break, paragraphs (and pages) by a
    /// blank line.
    fn finish(mut self) -> String {
        self.page_break();
        let mut pages: Vec<Vec<Line>> = self.pages.into_iter().map(tidy_lines).collect();
        furniture::remove_furniture(&mut pages);
        let mut lines: Vec<(Line, bool)> =
            pages.into_iter().flat_map(|page| page.into_iter().enumerate().map(|(i, line)| (line, i == 0))).collect();
        furniture::join_hyphenated(&mut lines);
        let mut text = String::new();
        for (line, page_start) in lines {
            if !text.is_empty() {
                text.push_str(if line.paragraph || page_start { "\n\n" } else { "\n" });
            }
            text.push_str(&line.text);
        }
        text
    }
}

/// A page's lines with runs of spaces collapsed and blank lines dropped; a blank line makes the next
/// line start a paragraph.
fn tidy_lines(lines: Vec<RawLine>) -> Vec<Line> {
    let mut tidy: Vec<Line> = Vec::with_capacity(lines.len());
    let mut blank = false;
    for line in lines {
        let text = line.text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            blank = true;
            continue;
        }
        let paragraph = line.paragraph || std::mem::take(&mut blank) || tidy.is_empty();
        tidy.push(Line { text, y: line.y, size: line.size, paragraph });
    }
    tidy
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    None,
    Space,
    Line,
    Paragraph,
}

/// What separates two consecutive glyphs, from where the second starts relative to where the first
/// ended, measured along and across the first one's baseline in units of its font size.
fn separator(last: &Glyph, next: &Glyph) -> Separator {
    let size = last.size.max(next.size);
    if size <= f32::EPSILON {
        return Separator::None;
    }
    let (dx, dy) = (next.start.0 - last.end.0, next.start.1 - last.end.1);
    let (ux, uy) = last.direction;
    let along = (dx * ux + dy * uy) / size;
    let across = (ux * dy - uy * dx).abs() / size;
    let same_direction = ux * next.direction.0 + uy * next.direction.1 > 0.95;
    if across > PARAGRAPH_GAP {
        Separator::Paragraph
    } else if across > LINE_GAP || !same_direction {
        Separator::Line
    } else if !(-BACKWARD_GAP..=SPACE_GAP).contains(&along) {
        Separator::Space
    } else {
        Separator::None
    }
}

/// What text extraction needs of a font: how its strings split into codes, what each code means,
/// and how wide each glyph is.
struct Font<'a> {
    to_unicode: Option<CMap>,
    /// lopdf's reading of a simple font's `/Encoding`, used for codes the ToUnicode CMap lacks.
    encoding: Option<Encoding<'a>>,
    codes: CodeSpace,
    widths: Widths,
    /// Glyph space to text space: 1/1000, except for Type 3 fonts, which give a FontMatrix.
    scale: f32,
    /// A simple font whose BaseFont is a TCVN3 or VNI font (`.VnTime`, `VNI-Times`): its codes are that
    /// encoding's bytes.
    legacy: Option<super::legacy::LegacyFont>,
}

impl<'a> Font<'a> {
    fn new(document: &'a Document, dict: &'a Dictionary) -> Self {
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
                    .and_then(|name| super::legacy::LegacyFont::from_name(&String::from_utf8_lossy(name))),
            }
        }
    }

    fn codes(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        self.codes.split(bytes)
    }

    /// The glyph's advance in text space units per unit of font size.
    fn width(&self, code: u32) -> f32 {
        self.widths.get(code) * self.scale
    }

    /// The text a code stands for; empty if the font does not say.
    fn decode(&self, code: u32, length: u8) -> String {
        let mapped = self.to_unicode.as_ref().and_then(|m| m.get(code, length));
        if let (Some(legacy), Ok(byte)) = (self.legacy, u8::try_from(code)) {
            // A legacy font's code is its encoding's byte; PDF writers that do not know the encoding map
            // it to the byte's Windows-1252 character ("Ö" for TCVN3 "ệ"), or give no map at all.
            if mapped.as_deref().is_none_or(|text| super::legacy::is_windows1252_reading(text, byte)) {
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

/// A big-endian code of one to four bytes, with its length.
fn code_of(bytes: &[u8]) -> (u32, u8) {
    let code = bytes.iter().fold(0u32, |code, &b| (code << 8) | u32::from(b));
    (code, bytes.len().min(4) as u8)
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

/// A codespace range of a CMap: codes of `length` bytes from `low` to `high`.
#[derive(Debug, Clone, PartialEq)]
struct CodeRange {
    length: u8,
    low: u32,
    high: u32,
}

impl CodeRange {
    fn contains(&self, code: u32) -> bool {
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
struct CMap {
    code_space: Vec<CodeRange>,
    chars: HashMap<(u8, u32), String>,
    ranges: Vec<BfRange>,
}

impl CMap {
    fn parse(data: &[u8]) -> CMap {
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
    fn get(&self, code: u32, length: u8) -> Option<String> {
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
    use lopdf::{dictionary, EncryptionState, EncryptionVersion, Permissions, Stream};

    use super::*;

    fn op(operator: &str, operands: Vec<Object>) -> Operation {
        Operation::new(operator, operands)
    }

    fn text(bytes: &[u8]) -> Object {
        Object::string_literal(bytes.to_vec())
    }

    /// A simple WinAnsi font whose glyphs are all half an em wide, so positions are easy to reckon:
    /// at size 10, every glyph advances 5 units.
    fn simple_font(doc: &mut Document) -> Object {
        let widths: Vec<Object> = (32..=255).map(|_| Object::Integer(500)).collect();
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "BaseFont" => "Test",
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths,
            "Encoding" => "WinAnsiEncoding",
        })
        .into()
    }

    /// A composite font with 2-byte codes and a ToUnicode CMap, as LibreOffice and Word embed for
    /// Vietnamese text: code 1 = "Đ", 2 = "i", 3 = "ề" (decomposed, as some files have it), 4 = "u",
    /// 5 = space; all 500 wide but the space, 250.
    fn composite_font(doc: &mut Document) -> Object {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0001> <0110> <0003> <00EA0300> endbfchar\n\
            1 beginbfrange <0004> <0005> [<0075> <0020>] endbfrange\n\
            1 beginbfrange <0002> <0002> <0069> endbfrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "Test",
            "DW" => 500,
            "W" => vec![5.into(), vec![250.into()].into()],
        });
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "Test",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
            "ToUnicode" => to_unicode,
        })
        .into()
    }

    struct TestPdf {
        font: fn(&mut Document) -> Object,
        pages: Vec<Vec<Operation>>,
        info: Option<Dictionary>,
        /// The page's XObjects: name and content of a form.
        forms: Vec<(&'static str, Vec<Operation>)>,
    }

    impl TestPdf {
        fn new(pages: Vec<Vec<Operation>>) -> Self {
            TestPdf { font: simple_font, pages, info: None, forms: Vec::new() }
        }

        fn document(self) -> Document {
            let mut doc = Document::with_version("1.5");
            let pages_id = doc.new_object_id();
            let font = (self.font)(&mut doc);
            let mut xobjects = Dictionary::new();
            for (name, operations) in self.forms {
                let content = Content { operations }.encode().expect("encode form");
                let bbox: Vec<Object> = vec![0.into(), 0.into(), 600.into(), 800.into()];
                let dict = dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox };
                xobjects.set(name, doc.add_object(Stream::new(dict, content)));
            }
            let resources =
                doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects });
            let mut kids = Vec::new();
            for operations in self.pages {
                let content = Content { operations }.encode().expect("encode page");
                let content_id = doc.add_object(Stream::new(dictionary! {}, content));
                let page =
                    doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
                kids.push(page.into());
            }
            let count = kids.len() as i64;
            let pages = dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            };
            doc.objects.insert(pages_id, Object::Dictionary(pages));
            let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
            doc.trailer.set("Root", catalog);
            if let Some(info) = self.info {
                let info = doc.add_object(info);
                doc.trailer.set("Info", info);
            }
            doc
        }

        fn bytes(self) -> Vec<u8> {
            save(&mut self.document())
        }
    }

    fn save(doc: &mut Document) -> Vec<u8> {
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("save");
        bytes
    }

    /// `BT /F1 10 Tf x y Td … ET`
    fn at(x: i64, y: i64, shown: Vec<Operation>) -> Vec<Operation> {
        let mut ops =
            vec![op("BT", vec![]), op("Tf", vec!["F1".into(), 10.into()]), op("Td", vec![x.into(), y.into()])];
        ops.extend(shown);
        ops.push(op("ET", vec![]));
        ops
    }

    fn tj(bytes: &[u8]) -> Operation {
        op("Tj", vec![text(bytes)])
    }

    fn body(pdf: TestPdf) -> String {
        match extract_pdf_text(&pdf.bytes()) {
            Ok(extracted) => extracted.body,
            Err(err) => format!("error: {err}"),
        }
    }

    #[test]
    fn glyph_positions_decide_separators() {
        let cases: Vec<(&str, Vec<Operation>, &str)> = vec![
            ("one string", at(50, 700, vec![tj(b"Xin ch\xE0o")]), "Xin chào"),
            (
                "small TJ kerning stays inside a word",
                at(
                    50,
                    700,
                    vec![op("TJ", vec![vec![text(b"Chu"), 30.into(), text(b"y"), (-40).into(), text(b"en")].into()])],
                ),
                "Chuyen",
            ),
            (
                "a TJ gap of 0.3 em is a space",
                at(50, 700, vec![op("TJ", vec![vec![text(b"Hai"), (-300).into(), text(b"ba")].into()])]),
                "Hai ba",
            ),
            (
                "a line move is a line break",
                at(50, 700, vec![tj(b"mot"), op("Td", vec![0.into(), (-12).into()]), tj(b"hai")]),
                "mot\nhai",
            ),
            (
                "a move of three lines is a paragraph break",
                at(50, 700, vec![tj(b"mot"), op("Td", vec![0.into(), (-30).into()]), tj(b"hai")]),
                "mot\n\nhai",
            ),
            (
                "T* moves by the leading",
                at(50, 700, vec![op("TL", vec![12.into()]), tj(b"mot"), op("T*", vec![]), tj(b"hai")]),
                "mot\nhai",
            ),
            (
                "' moves then shows",
                at(50, 700, vec![op("TD", vec![0.into(), (-12).into()]), tj(b"mot"), op("'", vec![text(b"hai")])]),
                "mot\nhai",
            ),
            (
                "a word split across text objects on one baseline is rejoined",
                [at(50, 700, vec![tj(b"X")]), at(55, 700, vec![tj(b"A")])].concat(),
                "XA",
            ),
            (
                "text objects apart on one baseline are words",
                [at(50, 700, vec![tj(b"X")]), at(70, 700, vec![tj(b"A")])].concat(),
                "X A",
            ),
            (
                "a superscript stays on its line",
                at(
                    50,
                    700,
                    vec![
                        tj(b"m"),
                        op("Td", vec![5.into(), 3.into()]),
                        tj(b"2"),
                        op("Td", vec![5.into(), (-3).into()]),
                        tj(b"x"),
                    ],
                ),
                "m2x",
            ),
            ("letter spacing is not word spacing", at(50, 700, vec![op("Tc", vec![4.into()]), tj(b"LUAT")]), "LUAT"),
            ("word spacing widens only spaces", at(50, 700, vec![op("Tw", vec![6.into()]), tj(b"a b")]), "a b"),
            (
                "Tm places text absolutely",
                vec![
                    op("BT", vec![]),
                    op("Tf", vec!["F1".into(), 1.into()]),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 50.into(), 700.into()]),
                    tj(b"ab"),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 60.into(), 700.into()]),
                    tj(b"cd"),
                    op("Tm", vec![10.into(), 0.into(), 0.into(), 10.into(), 50.into(), 688.into()]),
                    tj(b"ef"),
                    op("ET", vec![]),
                ],
                "abcd\nef",
            ),
            (
                "cm scales positions and sizes alike",
                [
                    vec![op("q", vec![]), op("cm", vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()])],
                    at(25, 350, vec![tj(b"ab"), op("Td", vec![0.into(), (-12).into()]), tj(b"cd")]),
                    vec![op("Q", vec![])],
                ]
                .concat(),
                "ab\ncd",
            ),
            ("a digit-and-letter mix", at(50, 700, vec![tj(b"Lu\xE2t 07/2017")]), "Luât 07/2017"),
        ];
        for (label, operations, want) in cases {
            assert_eq!(body(TestPdf::new(vec![operations])), want, "{label}");
        }
    }

    #[test]
    fn pages_are_paragraphs_in_page_order() {
        let pdf = TestPdf::new(vec![at(50, 700, vec![tj(b"trang mot")]), at(50, 700, vec![tj(b"trang hai")])]);
        assert_eq!(body(pdf), "trang mot\n\ntrang hai");
    }

    #[test]
    fn page_furniture_is_dropped_and_hyphenation_undone() {
        let subjects = ["nuoc thai", "khi thai", "chat thai ran", "tieng on"];
        let pages: Vec<Vec<Operation>> = (1..=4)
            .map(|n| {
                let subject = subjects[n - 1];
                [
                    at(50, 780, vec![tj(b"So Cong Thuong - Tai lieu SXSH")]),
                    at(
                        50,
                        700,
                        vec![tj(subject.as_bytes()), op("Td", vec![0.into(), (-12).into()]), tj(b"the manage-")],
                    ),
                    at(50, 676, vec![tj(format!("ment of {subject}").as_bytes())]),
                    at(300, 30, vec![tj(format!("Trang {n}/4").as_bytes())]),
                ]
                .concat()
            })
            .collect();
        let want = subjects.map(|subject| format!("{subject}\nthe management of {subject}"));
        assert_eq!(body(TestPdf::new(pages)), want.join("\n\n"));
    }

    #[test]
    fn a_short_document_loses_only_its_page_numbers() {
        let page = |n: i64| [at(50, 700, vec![tj(b"Tieu de")]), at(300, 30, vec![tj(format!("- {n} -").as_bytes())])];
        assert_eq!(body(TestPdf::new(vec![page(1).concat(), page(2).concat()])), "Tieu de\n\nTieu de");
    }

    #[test]
    fn form_xobjects_are_drawn() {
        let mut pdf =
            TestPdf::new(vec![[at(50, 700, vec![tj(b"trang")]), vec![op("Do", vec!["Fm1".into()])]].concat()]);
        pdf.forms.push(("Fm1", at(50, 650, vec![tj(b"trong form")])));
        assert_eq!(body(pdf), "trang\n\ntrong form");
    }

    #[test]
    fn composite_fonts_decode_through_to_unicode() {
        let mut pdf =
            TestPdf::new(vec![at(50, 700, vec![tj(b"\x00\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00\x01\x00\x02")])]);
        pdf.font = composite_font;
        assert_eq!(body(pdf), "Điê\u{300}u Đi");
    }

    #[test]
    fn title_and_date_from_info() {
        let cases: Vec<(Dictionary, Option<&str>, Option<&str>)> = vec![
            (
                dictionary! {
                    "Title" => lopdf::text_string("Luật An ninh mạng"),
                    "CreationDate" => Object::string_literal("D:20180612093000+07'00'"),
                },
                Some("Luật An ninh mạng"),
                Some("2018-06-12"),
            ),
            (
                dictionary! {
                    "Title" => Object::string_literal("  Plain  title "),
                    "CreationDate" => Object::string_literal("20180612"),
                },
                Some("Plain title"),
                Some("2018-06-12"),
            ),
            (
                dictionary! {
                    "Title" => Object::string_literal(""),
                    "CreationDate" => Object::string_literal("D:2018"),
                },
                None,
                None,
            ),
            (dictionary! {}, None, None),
        ];
        for (info, title, date) in cases {
            let mut pdf = TestPdf::new(vec![at(50, 700, vec![tj(b"x")])]);
            pdf.info = Some(info.clone());
            let got = extract_pdf_text(&pdf.bytes()).expect("readable");
            assert_eq!((got.title.as_deref(), got.date.as_deref()), (title, date), "info {info:?}");
        }
    }

    #[test]
    fn pdf_dates() {
        let cases = [
            ("D:20170619", Some("2017-06-19")),
            ("D:20170619120000Z", Some("2017-06-19")),
            ("20170619", Some("2017-06-19")),
            ("D:201706", None),
            ("D:20171319", None),
            ("D:2017061x", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(pdf_date(input).as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn files_without_readable_text_are_errors() {
        let digits_only = TestPdf::new(vec![at(50, 700, vec![tj(b"12 34")])]).bytes();
        let no_text =
            TestPdf::new(vec![vec![op("re", vec![0.into(), 0.into(), 10.into(), 10.into()]), op("f", vec![])]]).bytes();
        let no_font = TestPdf::new(vec![vec![op("BT", vec![]), tj(b"lost"), op("ET", vec![])]]).bytes();
        let mut truncated = digits_only.clone();
        truncated.truncate(40);
        type Case = (&'static str, Vec<u8>, fn(&ExtractError) -> bool);
        let cases: Vec<Case> = vec![
            ("digits only", digits_only, |e| matches!(e, ExtractError::PdfNoText)),
            ("no text operators", no_text, |e| matches!(e, ExtractError::PdfNoText)),
            ("text without a font", no_font, |e| matches!(e, ExtractError::PdfNoText)),
            ("empty file", Vec::new(), |e| matches!(e, ExtractError::Pdf(_))),
            ("not a PDF", b"<html>hello</html>".to_vec(), |e| matches!(e, ExtractError::Pdf(_))),
            ("truncated", truncated, |e| matches!(e, ExtractError::Pdf(_))),
        ];
        for (label, bytes, expected) in cases {
            match extract_pdf_text(&bytes) {
                Err(err) => assert!(expected(&err), "{label}: unexpected error {err:?}"),
                Ok(got) => panic!("{label}: expected an error, got {got:?}"),
            }
        }
    }

    fn encrypted(user_password: &str) -> Vec<u8> {
        let mut doc = TestPdf::new(vec![at(50, 700, vec![tj(b"bi mat")])]).document();
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::PRINTABLE,
        };
        let state = EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        save(&mut doc)
    }

    #[test]
    fn password_protected_files_are_refused() {
        assert!(matches!(extract_pdf_text(&encrypted("secret")), Err(ExtractError::PdfEncrypted)));
    }

    #[test]
    fn files_with_an_empty_user_password_open() {
        assert_eq!(extract_pdf_text(&encrypted("")).expect("opens").body, "bi mat");
    }

    #[test]
    fn panics_become_errors() {
        let got = guarded(|| panic!("boom"));
        assert!(matches!(got, Err(ExtractError::Pdf(ref m)) if m == "parser panicked: boom"), "{got:?}");
    }

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

    #[test]
    fn separators() {
        let glyph = |start: (f32, f32), end: (f32, f32)| Glyph { start, end, direction: (1.0, 0.0), size: 10.0 };
        let last = glyph((0.0, 0.0), (5.0, 0.0));
        let cases = [
            ((5.0, 0.0), Separator::None),
            ((6.0, 0.0), Separator::None),
            ((7.0, 0.0), Separator::Space),
            ((5.0, 3.0), Separator::None),
            ((0.0, -12.0), Separator::Line),
            ((0.0, -20.0), Separator::Paragraph),
            ((-20.0, 0.0), Separator::Space),
        ];
        for (start, want) in cases {
            assert_eq!(separator(&last, &glyph(start, (start.0 + 5.0, start.1))), want, "start {start:?}");
        }
        let rotated = Glyph { direction: (0.0, 1.0), ..glyph((5.0, 0.0), (5.0, 5.0)) };
        assert_eq!(separator(&last, &rotated), Separator::Line, "a change of direction");
    }
}
