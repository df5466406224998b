//! Position conversion between LSP (line, character) and byte offsets.
//!
//! This is the one place that knows about encodings. Columns are UTF-16 code
//! units unless the client offered UTF-8 in `general.positionEncodings`.
//! Out-of-range positions are clamped (to the end of the line, or of the
//! text), never rejected: clients send stale positions all the time, and a
//! panic in ropey would take the server down.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

use crate::syntax::LineIndex;
use crate::syntax::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

impl Encoding {
    /// UTF-8 when the client offers it (cheaper and exact for us), else the
    /// protocol's default UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// Byte offset of the end of `line`'s content (before its line break).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    let n = slice.len_chars();
    if n > 0 && slice.char(n - 1) == '\n' {
        len -= 1;
        if n > 1 && slice.char(n - 2) == '\r' {
            len -= 1;
        }
    } else if n > 0 && slice.char(n - 1) == '\r' {
        len -= 1;
    }
    start + len
}

/// The byte offset for an LSP position, clamped into the text.
pub fn offset(rope: &Rope, enc: Encoding, pos: Position) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let end = line_content_end(rope, line);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            let byte = (start + col).min(end);
            // Round down to a character boundary.
            rope.char_to_byte(rope.byte_to_char(byte))
        }
        Encoding::Utf16 => {
            let start_char = rope.byte_to_char(start);
            let end_char = rope.byte_to_char(end);
            let start_cu = rope.char_to_utf16_cu(start_char);
            let end_cu = rope.char_to_utf16_cu(end_char);
            let cu = (start_cu + col).min(end_cu);
            rope.char_to_byte(rope.utf16_cu_to_char(cu))
        }
    }
}

/// The LSP position of a byte offset (clamped, rounded down to a character).
pub fn position(rope: &Rope, enc: Encoding, offset: usize) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let col = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char),
    };
    Position::new(line as u32, col as u32)
}

pub fn range(rope: &Rope, enc: Encoding, r: TextRange) -> Range {
    Range::new(position(rope, enc, r.start), position(rope, enc, r.end))
}

/// Byte range for an LSP range; a reversed range is put in order.
pub fn text_range(rope: &Rope, enc: Encoding, r: Range) -> TextRange {
    let a = offset(rope, enc, r.start);
    let b = offset(rope, enc, r.end);
    TextRange::new(a.min(b), a.max(b))
}

/// Positions for offsets of one document that mostly increase (a sorted
/// diagnostics list, an outline), found in one pass over the text: each call
/// scans on from the previous offset, so a whole file's worth of positions
/// costs one scan instead of several rope lookups each. Given anchors (known
/// lines of some offsets, such as where each entry starts), it jumps to the
/// nearest one instead of scanning, backwards too; an offset before the
/// current line with no anchor before it falls back to [`position`]. Results
/// are always the same.
pub struct Cursor<'a> {
    rope: &'a Rope,
    text: &'a str,
    enc: Encoding,
    /// `(offset, line)`, by offset; none between the bytes of a CRLF.
    anchors: Vec<(usize, usize)>,
    /// How many anchors are at or before the last offset asked for: most
    /// calls move forward by an anchor or two, where a binary search over
    /// tens of thousands cost more than the rest of the call.
    passed: usize,
    /// The line that holds `scanned`, and where it starts.
    line: usize,
    line_start: usize,
    /// Every line break that ends at or before this offset is counted.
    scanned: usize,
    /// The last UTF-16 column worked out: `(line start, offset, column)`.
    /// Sorted offsets on one long line then cost what lies between them,
    /// not a count from the line's start each (issue 18: quadratic).
    col: Option<(usize, usize, usize)>,
}

/// Columns this many bytes or fewer from a known one are counted; farther
/// ones are asked of the rope, which keeps UTF-16 counts in its tree.
const COUNTED: usize = 4096;

impl<'a> Cursor<'a> {
    /// `rope` and `text` must hold the same text.
    pub fn new(rope: &'a Rope, text: &'a str, enc: Encoding) -> Self {
        Cursor {
            rope,
            text,
            enc,
            anchors: Vec::new(),
            passed: 0,
            line: 0,
            line_start: 0,
            scanned: 0,
            col: None,
        }
    }

    /// A cursor that knows the line of each of `anchors` (`(offset, line)`,
    /// sorted by offset), as a caller that counted them already does.
    pub fn with_anchors(
        rope: &'a Rope,
        text: &'a str,
        enc: Encoding,
        mut anchors: Vec<(usize, usize)>,
    ) -> Self {
        let bytes = text.as_bytes();
        anchors.retain(|&(o, _)| o <= bytes.len() && !crate::syntax::inside_crlf(bytes, o));
        Cursor {
            anchors,
            ..Cursor::new(rope, text, enc)
        }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The nearest anchor at or before `offset`, if it saves scanning.
        let i = self.anchors_upto(offset);
        if let Some(&(at, line)) = i.checked_sub(1).and_then(|i| self.anchors.get(i)) {
            if at > self.scanned || offset < self.line_start {
                self.seek(at, line);
            }
        }
        if offset < self.line_start {
            return position(self.rope, self.enc, offset);
        }
        self.advance(offset);
        let col = match self.enc {
            Encoding::Utf8 => offset - self.line_start,
            Encoding::Utf16 => self.utf16_col(offset),
        };
        Position::new(self.line as u32, col as u32)
    }

    /// The UTF-16 column of `offset`, a character boundary on the current
    /// line: counted from the last column worked out on this line when that
    /// is at most [`COUNTED`] bytes before, else from the line's start when
    /// that is, else taken from the rope (logarithmic in the text's size).
    fn utf16_col(&mut self, offset: usize) -> usize {
        let start = self.line_start;
        let (from, base) = match self.col {
            Some((line, at, col)) if line == start && at <= offset && offset - at <= COUNTED => {
                (at, col)
            }
            _ => (start, 0),
        };
        let col = if offset - from <= COUNTED {
            base + self.text[from..offset].encode_utf16().count()
        } else {
            let units = |o: usize| self.rope.char_to_utf16_cu(self.rope.byte_to_char(o));
            units(offset) - units(start)
        };
        self.col = Some((start, offset, col));
        col
    }

    pub fn range(&mut self, r: TextRange) -> Range {
        Range::new(self.position(r.start), self.position(r.end))
    }

    /// How many anchors are at or before `offset`.
    fn anchors_upto(&mut self, offset: usize) -> usize {
        let a = &self.anchors;
        let mut i = self.passed.min(a.len());
        let forward = i == 0 || a[i - 1].0 <= offset;
        // A few steps forward, else a binary search.
        let mut steps = 0;
        while forward && steps < 4 && i < a.len() && a[i].0 <= offset {
            i += 1;
            steps += 1;
        }
        if !forward || (i < a.len() && a[i].0 <= offset) {
            i = a.partition_point(|&(o, _)| o <= offset);
        }
        self.passed = i;
        i
    }

    /// Moves to `offset`, known to be on `line` and not inside a CRLF.
    fn seek(&mut self, offset: usize, line: usize) {
        self.line = line;
        self.line_start = crate::syntax::line_start(self.text, offset);
        self.scanned = offset;
    }

    /// Counts the line breaks up to `offset` (at or after `scanned`) in
    /// bulk: a publish moves over a whole file of short lines, where
    /// searching line by line cost more than the rest of the message.
    fn advance(&mut self, offset: usize) {
        let bytes = self.text.as_bytes();
        let mut end = offset;
        // A `\r` whose `\n` is at `offset` ends its line only with the `\n`.
        if end > self.scanned && crate::syntax::inside_crlf(bytes, end) {
            end -= 1;
        }
        if end <= self.scanned {
            return;
        }
        let region = &bytes[self.scanned..end];
        let breaks = crate::syntax::line_breaks(region);
        if breaks > 0 {
            if let Some(last) = memchr::memrchr2(b'\n', b'\r', region) {
                self.line += breaks;
                self.line_start = self.scanned + last + 1;
            }
        }
        self.scanned = end;
    }
}

/// Positions in a file that is not open (no rope): from the workspace index,
/// for definitions, references and workspace symbols in other files.
pub struct StrPositions<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> StrPositions<'t> {
    pub fn new(text: &'t str) -> Self {
        StrPositions {
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn position(&self, enc: Encoding, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line(offset);
        let start = self.index.line_start(line).min(offset);
        let col = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.index.utf16_col(self.text, start, offset),
        };
        Position::new(line as u32, col as u32)
    }

    pub fn range(&self, enc: Encoding, r: TextRange) -> Range {
        Range::new(self.position(enc, r.start), self.position(enc, r.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rope(s: &str) -> Rope {
        Rope::from_str(s)
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let r = rope("a😀b\nx");
        // 😀 is two UTF-16 code units and four bytes.
        assert_eq!(offset(&r, Encoding::Utf16, Position::new(0, 3)), 5);
        assert_eq!(position(&r, Encoding::Utf16, 5), Position::new(0, 3));
        assert_eq!(position(&r, Encoding::Utf8, 5), Position::new(0, 5));
        assert_eq!(offset(&r, Encoding::Utf8, Position::new(0, 5)), 5);
    }

    #[test]
    fn clamps_past_line_and_file_end() {
        let r = rope("ab\r\ncd");
        assert_eq!(offset(&r, Encoding::Utf16, Position::new(0, 99)), 2);
        assert_eq!(offset(&r, Encoding::Utf16, Position::new(9, 0)), 6);
        assert_eq!(offset(&r, Encoding::Utf8, Position::new(1, 1)), 5);
        assert_eq!(position(&r, Encoding::Utf16, 99), Position::new(1, 2));
    }

    #[test]
    fn mid_character_rounds_down() {
        let r = rope("é😀");
        assert_eq!(offset(&r, Encoding::Utf8, Position::new(0, 1)), 0);
        assert_eq!(offset(&r, Encoding::Utf16, Position::new(0, 2)), 2);
    }

    #[test]
    fn str_positions_agree_with_the_rope() {
        let text = "*Q 😀?\r\n->\r\né 缓存 x\rlast";
        let r = rope(text);
        let p = StrPositions::new(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for (offset, _) in text.char_indices() {
                assert_eq!(
                    p.position(enc, offset),
                    position(&r, enc, offset),
                    "{offset}"
                );
            }
        }
    }

    #[test]
    fn the_cursor_agrees_with_the_rope_everywhere() {
        let text = "a😀b\r\nx\ré\u{2028}\n\n语\r\n\r\rz";
        let r = rope(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            // Every byte offset in order, then a few going back.
            let mut c = Cursor::new(&r, text, enc);
            for o in (0..=text.len() + 2).chain([3, 0, 9, 12]) {
                assert_eq!(c.position(o), position(&r, enc, o), "{enc:?} at {o}");
            }
            // Jumps over several lines at once.
            let mut c = Cursor::new(&r, text, enc);
            for o in [5, 6, 14, text.len()] {
                assert_eq!(c.position(o), position(&r, enc, o), "{enc:?} at {o}");
            }
        }
    }

    #[test]
    fn the_cursor_agrees_after_any_jump() {
        // Every pair of offsets: the bulk count must land on the same line
        // whether a jump stops inside a CRLF, after a lone CR or mid-line.
        let text = "\r\na\r\r\n\nb😀\r\r\rc\n\r\n";
        let r = rope(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for a in 0..=text.len() {
                for b in a..=text.len() {
                    let mut c = Cursor::new(&r, text, enc);
                    assert_eq!(c.position(a), position(&r, enc, a), "{enc:?} at {a}");
                    assert_eq!(c.position(b), position(&r, enc, b), "{enc:?} {a} then {b}");
                }
            }
        }
    }

    #[test]
    fn a_cursor_with_anchors_agrees_in_any_order() {
        let text = "\r\na\r\r\n\nb😀\r\r\rc\n\r\nd";
        let r = rope(text);
        // The line of every offset, some inside a CRLF (left out).
        let anchors: Vec<(usize, usize)> = (0..=text.len())
            .step_by(3)
            .map(|o| (o, r.byte_to_line(o)))
            .collect();
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for a in 0..=text.len() {
                for b in 0..=text.len() {
                    let mut c = Cursor::with_anchors(&r, text, enc, anchors.clone());
                    assert_eq!(c.position(a), position(&r, enc, a), "{enc:?} at {a}");
                    assert_eq!(c.position(b), position(&r, enc, b), "{enc:?} {a} then {b}");
                }
            }
        }
    }

    /// On lines long enough for far columns to come from the rope, in
    /// order and out of it, near and far: the same positions.
    #[test]
    fn the_cursor_agrees_on_long_lines() {
        let line = "ab é😀 语 ".repeat(1500);
        let text = format!("x\r\n{line}\n{line}\r\nz");
        let r = rope(&text);
        let bounds: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for step in [1, 7, 1000, 5003] {
                let mut c = Cursor::new(&r, &text, enc);
                for &o in bounds.iter().step_by(step) {
                    assert_eq!(c.position(o), position(&r, enc, o), "{enc:?} at {o}");
                }
                // Back and forth: a range's start and its far end.
                let mut c = Cursor::new(&r, &text, enc);
                for &o in bounds.iter().step_by(step) {
                    let far = (o + 9000).min(text.len());
                    assert_eq!(c.position(o), position(&r, enc, o), "{enc:?} at {o}");
                    assert_eq!(c.position(far), position(&r, enc, far), "{enc:?} at {far}");
                }
            }
        }
        let p = StrPositions::new(&text);
        for &o in bounds.iter().step_by(13) {
            for enc in [Encoding::Utf16, Encoding::Utf8] {
                assert_eq!(p.position(enc, o), position(&r, enc, o), "{enc:?} at {o}");
            }
        }
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        let r = rope("a\u{2028}b\rc");
        assert_eq!(r.len_lines(), 2);
        assert_eq!(position(&r, Encoding::Utf16, 6), Position::new(1, 0));
    }
}
