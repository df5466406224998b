//! Position conversion between LSP (line, character) and byte offsets.
//!
//! This is the one place that knows about encodings. Columns are UTF-16 code
//! units unless the client offered UTF-8 in `general.positionEncodings`.
//! Out-of-range positions are clamped (to the end of the line, or of the
//! text), never rejected: clients send stale positions all the time, and a
//! panic in ropey would take the server down.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

use crate::ide::LineIndex;
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
/// costs one scan instead of several rope lookups each. An offset before the
/// current line falls back to [`position`]; results are always the same.
pub struct Cursor<'a> {
    rope: &'a Rope,
    text: &'a str,
    enc: Encoding,
    /// The line that holds `scanned`, and where it starts.
    line: usize,
    line_start: usize,
    /// Every line break that ends at or before this offset is counted.
    scanned: usize,
}

impl<'a> Cursor<'a> {
    /// `rope` and `text` must hold the same text.
    pub fn new(rope: &'a Rope, text: &'a str, enc: Encoding) -> Self {
        Cursor {
            rope,
            text,
            enc,
            line: 0,
            line_start: 0,
            scanned: 0,
        }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.line_start {
            return position(self.rope, self.enc, offset);
        }
        let bytes = self.text.as_bytes();
        while self.scanned < offset {
            let Some(j) = memchr::memchr2(b'\n', b'\r', &bytes[self.scanned..offset]) else {
                self.scanned = offset;
                break;
            };
            let at = self.scanned + j;
            let end = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            if end > offset {
                // Between the `\r` and `\n` of a CRLF: still on this line.
                break;
            }
            self.line += 1;
            self.line_start = end;
            self.scanned = end;
        }
        let prefix = &self.text[self.line_start..offset];
        let col = match self.enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(self.line as u32, col as u32)
    }

    pub fn range(&mut self, r: TextRange) -> Range {
        Range::new(self.position(r.start), self.position(r.end))
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
        let prefix = &self.text[start..offset];
        let col = match enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
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
    fn unicode_line_separators_are_not_line_breaks() {
        let r = rope("a\u{2028}b\rc");
        assert_eq!(r.len_lines(), 2);
        assert_eq!(position(&r, Encoding::Utf16, 6), Position::new(1, 0));
    }
}
