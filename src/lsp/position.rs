//! Position conversion between LSP (line, character) and byte offsets.
//!
//! This is the one place that knows about encodings. Columns are UTF-16 code
//! units unless the client offered UTF-8 in `general.positionEncodings`.
//! Lines come from a [`LineIndex`]: an open document keeps its own up to
//! date, a file nobody has open gets one built when asked. Out-of-range
//! positions are clamped (to the end of the line, or of the text), never
//! rejected: clients send stale positions all the time.

use std::borrow::Cow;
use std::cell::Cell;

use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

use crate::syntax::{LineIndex, TextRange};

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

/// Positions in one text, both ways. Offsets asked in order (a file's
/// diagnostics, its outline) cost a step each: the line of the last one is
/// where the next search starts.
pub struct Positions<'a> {
    text: &'a str,
    lines: Cow<'a, LineIndex>,
    enc: Encoding,
    /// The lines of the last two offsets converted, the last first: a
    /// diagnostic's related place is often far back in the file, and the
    /// next diagnostic is near the one before it.
    hints: Cell<(usize, usize)>,
}

impl<'a> Positions<'a> {
    /// `lines` must be the index of `text`.
    pub fn new(text: &'a str, lines: &'a LineIndex, enc: Encoding) -> Self {
        Positions {
            text,
            lines: Cow::Borrowed(lines),
            enc,
            hints: Cell::new((0, 0)),
        }
    }

    /// For a text with no index of its own (a file nobody has open): one
    /// is built, a pass over the text.
    pub fn of_text(text: &'a str, enc: Encoding) -> Self {
        Positions {
            text,
            lines: Cow::Owned(LineIndex::new(text)),
            enc,
            hints: Cell::new((0, 0)),
        }
    }

    /// The LSP position of a byte offset (clamped, rounded down to a character).
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.lines.line_start(line).min(offset);
        let col = match self.enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.lines.utf16_col(text, start, offset),
        };
        Position::new(line as u32, col as u32)
    }

    pub fn range(&self, r: TextRange) -> Range {
        Range::new(self.position(r.start()), self.position(r.end()))
    }

    /// The byte offset of an LSP position, clamped into the text.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let col = pos.character as usize;
        match self.enc {
            Encoding::Utf8 => {
                let start = self.lines.line_start(line);
                let mut byte = (start + col).min(self.lines.line_end(self.text, line));
                while !self.text.is_char_boundary(byte) {
                    byte -= 1;
                }
                byte
            }
            Encoding::Utf16 => self.lines.utf16_offset(self.text, line, col),
        }
    }

    /// Byte range for an LSP range; a reversed range is put in order.
    pub fn text_range(&self, r: Range) -> TextRange {
        let a = self.offset(r.start);
        let b = self.offset(r.end);
        TextRange::new(a.min(b), a.max(b))
    }

    /// The line a byte offset is on.
    pub fn line(&self, offset: usize) -> usize {
        let (last, other) = self.hints.get();
        let start = |l| self.lines.line_start(l);
        // The nearer of the two at or before `offset`, searched on from.
        let from = match (start(last) <= offset, start(other) <= offset) {
            (true, true) if start(other) > start(last) => other,
            (true, _) => last,
            (false, true) => other,
            (false, false) => 0,
        };
        let line = self.lines.line_near(offset, from);
        let kept = if from == last { other } else { last };
        self.hints.set((line, kept));
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset(text: &str, enc: Encoding, pos: Position) -> usize {
        Positions::of_text(text, enc).offset(pos)
    }

    fn position(text: &str, enc: Encoding, o: usize) -> Position {
        Positions::of_text(text, enc).position(o)
    }

    /// What a position is, counted the slow way from the text's start.
    fn counted(text: &str, enc: Encoding, o: usize) -> Position {
        let mut o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        // Up to the line's break: an offset between the bytes of a CRLF is
        // on the line the CRLF ends.
        let mid = crate::syntax::inside_crlf(text.as_bytes(), o);
        let before = &text.as_bytes()[..o - usize::from(mid)];
        let line = crate::syntax::line_breaks(before);
        let start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
        let col = match enc {
            Encoding::Utf8 => o - start,
            Encoding::Utf16 => text[start..o].encode_utf16().count(),
        };
        Position::new(line as u32, col as u32)
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let t = "a😀b\nx";
        // 😀 is two UTF-16 code units and four bytes.
        assert_eq!(offset(t, Encoding::Utf16, Position::new(0, 3)), 5);
        assert_eq!(position(t, Encoding::Utf16, 5), Position::new(0, 3));
        assert_eq!(position(t, Encoding::Utf8, 5), Position::new(0, 5));
        assert_eq!(offset(t, Encoding::Utf8, Position::new(0, 5)), 5);
    }

    #[test]
    fn clamps_past_line_and_file_end() {
        let t = "ab\r\ncd";
        assert_eq!(offset(t, Encoding::Utf16, Position::new(0, 99)), 2);
        assert_eq!(offset(t, Encoding::Utf16, Position::new(9, 0)), 6);
        assert_eq!(offset(t, Encoding::Utf8, Position::new(1, 1)), 5);
        assert_eq!(position(t, Encoding::Utf16, 99), Position::new(1, 2));
    }

    #[test]
    fn mid_character_rounds_down() {
        let t = "é😀";
        assert_eq!(offset(t, Encoding::Utf8, Position::new(0, 1)), 0);
        assert_eq!(offset(t, Encoding::Utf16, Position::new(0, 2)), 2);
    }

    /// Every offset, in order, out of order and between the bytes of a
    /// character or a CRLF, gives the position counted from the start; and
    /// every position inside a line comes back to its offset.
    #[test]
    fn positions_agree_with_a_count_everywhere() {
        let text = "\r\na😀b\r\nx\ré\u{2028}\n\n语\r\n\r\rz\r\n";
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let p = Positions::of_text(text, enc);
            let offsets = (0..=text.len() + 2)
                .chain((0..=text.len()).rev())
                .chain([3, 0, 9, 12]);
            for o in offsets {
                assert_eq!(p.position(o), counted(text, enc, o), "{enc:?} at {o}");
            }
            for (o, _) in text.char_indices() {
                if !crate::syntax::inside_crlf(text.as_bytes(), o) {
                    assert_eq!(p.offset(p.position(o)), o, "{enc:?} back to {o}");
                }
            }
        }
    }

    #[test]
    fn long_lines_agree_with_a_count() {
        let line = "ab é😀 语 ".repeat(1500);
        let text = format!("x\r\n{line}\n{line}\r\nz");
        let bounds: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let p = Positions::of_text(&text, enc);
            for &o in bounds.iter().step_by(7) {
                let far = (o + 9000).min(text.len());
                assert_eq!(p.position(o), counted(&text, enc, o), "{enc:?} at {o}");
                assert_eq!(
                    p.position(far),
                    counted(&text, enc, far),
                    "{enc:?} at {far}"
                );
                assert_eq!(p.offset(p.position(o)), o, "{enc:?} back to {o}");
            }
        }
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        let t = "a\u{2028}b\rc";
        assert_eq!(position(t, Encoding::Utf16, 6), Position::new(1, 0));
        assert_eq!(Positions::of_text(t, Encoding::Utf16).lines.line_count(), 2);
    }
}
