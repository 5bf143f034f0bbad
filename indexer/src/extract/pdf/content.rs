//! Content streams: the operators that draw text, interpreted with the graphics and text state they
//! change, so that every glyph is placed where a viewer would draw it.
//!
//! lopdf decodes a stream into operations; [`Walker`] follows the text and graphics state (`BT`/`ET`,
//! `Tf`, `Td`, `TD`, `Tm`, `T*`, `Tc`, `Tw`, `Tz`, `TL`, `q`/`Q`, `cm`, form XObjects through `Do`),
//! decodes each shown glyph through its [`Font`], advances by the font's glyph widths, and hands the
//! glyph with its device-space position to the [`Layout`]. Positions, not the order of `ET`s, are what
//! tells words and lines apart (see the parent module).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::Font;
use super::layout::{Glyph, Layout};
use super::{error_chain, MAX_STREAM_SIZE};

/// How deep `q` may nest. PDF readers allow 28 levels; the limit bounds the saved states a hostile
/// stream of `q`s can pile up.
const MAX_SAVED_STATES: usize = 256;

/// How deep form XObjects may nest; real files use one or two levels, loops are cut here too.
const MAX_FORM_DEPTH: usize = 8;

/// Why a page's content could not be read, or not all of it. lopdf's errors are shown with their
/// sources, since its top-level messages ("couldn't parse input") say little.
#[derive(Debug, thiserror::Error)]
pub(super) enum ContentError {
    /// The page's resources could not be looked up.
    #[error("{}", error_chain(.0))]
    Resources(lopdf::Error),
    /// A content stream could not be decompressed; it is left out.
    #[error("content stream {} {} R: {}", .id.0, .id.1, error_chain(.error))]
    Stream { id: ObjectId, error: lopdf::Error },
    /// The operators could not be decoded from some point on; the text before it is kept.
    #[error("content stream: {}", error_chain(.0))]
    Operators(lopdf::Error),
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
pub(super) struct Walker<'a> {
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
    /// For each page walked, whether it draws an image (an image XObject or an inline image).
    images: Vec<bool>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(document: &'a Document) -> Self {
        Walker {
            document,
            layout: Layout::default(),
            font_cache: HashMap::new(),
            state: GraphicsState::default(),
            saved: Vec::new(),
            text_matrix: Matrix::IDENTITY,
            line_matrix: Matrix::IDENTITY,
            forms: Vec::new(),
            images: Vec::new(),
        }
    }

    /// Walks one page's content; its text starts a new page of the layout.
    pub(super) fn page(&mut self, page_id: ObjectId) -> Result<(), ContentError> {
        self.layout.page_break();
        self.images.push(false);
        let document = self.document;
        let (inline, referenced) = document.get_page_resources(page_id).map_err(ContentError::Resources)?;
        let dictionaries =
            inline.into_iter().chain(referenced.into_iter().filter_map(|id| document.get_dictionary(id).ok()));
        let resources = self.resources(dictionaries);
        let (content, content_error) = page_content(document, page_id);
        self.state = GraphicsState::default();
        self.saved.clear();
        let run = self.run(&content, &resources);
        content_error.map_or(run, Err)
    }

    /// The text of each page walked (see [`Layout::finish`]), and whether it draws an image.
    pub(super) fn finish(self) -> Vec<(String, bool)> {
        let images = self.images;
        self.layout.finish().into_iter().enumerate().map(|(i, text)| (text, images.get(i) == Some(&true))).collect()
    }

    fn image_drawn(&mut self) {
        if let Some(drawn) = self.images.last_mut() {
            *drawn = true;
        }
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
    fn run(&mut self, content: &[u8], resources: &Resources<'a>) -> Result<(), ContentError> {
        for operation in Content::decode_iter(content) {
            match operation {
                Ok(operation) => self.operation(&operation, resources),
                Err(err) => return Err(ContentError::Operators(err)),
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
            "BI" | "ID" | "EI" => self.image_drawn(),
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
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
        if subtype == Some(b"Image".as_slice()) {
            self.image_drawn();
        }
        if subtype != Some(b"Form".as_slice()) {
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
fn page_content(document: &Document, page_id: ObjectId) -> (Vec<u8>, Option<ContentError>) {
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
                first_error.get_or_insert(ContentError::Stream { id, error: err });
            }
        }
    }
    (content, first_error)
}

/// A dictionary entry that is (or refers to) a dictionary.
fn sub_dictionary<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    dictionary.get_deref(key, document).ok()?.as_dict().ok()
}
