//! Layout: placed glyphs to lines, and pages of lines to text.
//!
//! Where the next glyph lands decides what separates it from the previous one: nothing if it continues
//! the same baseline, a space if there is a gap wider than a fraction of the font size (from `TJ`
//! kerning or a move), a line break if it leaves the line, and a paragraph break if it leaves it by
//! clearly more than one line's height or starts a new page. The lines are kept page by page with their
//! heights until the end, so that running headers, footers and page numbers can be recognised and
//! dropped, and words hyphenated at a line end joined again ([`furniture`]).

use super::furniture::{self, Line};

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

/// One placed glyph, in device space.
#[derive(Debug, Clone, Copy)]
pub(super) struct Glyph {
    pub start: (f32, f32),
    pub end: (f32, f32),
    /// Unit vector along the baseline.
    pub direction: (f32, f32),
    /// Font size in device units.
    pub size: f32,
}

/// Turns placed glyphs into lines with spaces, page by page, and the pages into text with line and
/// paragraph breaks, page furniture dropped and hyphenated words joined (see [`furniture`]).
#[derive(Default)]
pub(super) struct Layout {
    /// The pages done, each a list of lines as drawn (none for a page without text).
    pages: Vec<Vec<RawLine>>,
    /// The page being drawn.
    lines: Vec<RawLine>,
    /// A page has been started (by [`Layout::page_break`]) and not yet ended.
    in_page: bool,
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
    /// Adds a glyph's text after what separates it from the previous glyph.
    pub(super) fn glyph(&mut self, text: &str, glyph: Glyph) {
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

    /// Ends the page being drawn, if any, and starts the next: text drawn before the first call (as
    /// in unit tests) is a page too.
    pub(super) fn page_break(&mut self) {
        if self.in_page || !self.lines.is_empty() {
            self.pages.push(std::mem::take(&mut self.lines));
        }
        self.in_page = true;
        self.last = None;
    }

    /// The text of each page, in order (empty for a page without text): lines trimmed with runs of
    /// spaces collapsed, running headers, footers and page numbers dropped, hyphenated words joined
    /// (across pages too); lines separated by a line break, paragraphs by a blank line.
    pub(super) fn finish(mut self) -> Vec<String> {
        if self.in_page || !self.lines.is_empty() {
            self.pages.push(std::mem::take(&mut self.lines));
        }
        let page_count = self.pages.len();
        // Furniture is judged among the pages that have text: an image page is no evidence either way.
        let (numbers, mut pages): (Vec<usize>, Vec<Vec<Line>>) =
            self.pages.into_iter().map(tidy_lines).enumerate().filter(|(_, lines)| !lines.is_empty()).unzip();
        furniture::remove_furniture(&mut pages);
        let mut lines: Vec<(Line, bool)> = Vec::new();
        let mut owners: Vec<usize> = Vec::new();
        for (number, page) in numbers.into_iter().zip(pages) {
            for (i, line) in page.into_iter().enumerate() {
                lines.push((line, i == 0));
                owners.push(number);
            }
        }
        let owners = furniture::join_hyphenated(&mut lines, owners);
        let mut texts = vec![String::new(); page_count];
        for ((line, _), page) in lines.into_iter().zip(owners) {
            let text = &mut texts[page];
            if !text.is_empty() {
                text.push_str(if line.paragraph { "\n\n" } else { "\n" });
            }
            text.push_str(&line.text);
        }
        texts
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

#[cfg(test)]
mod tests {
    use super::*;

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
