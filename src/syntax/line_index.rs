//! Byte offset to line and column, in bytes (UTF-8) or UTF-16 code units,
//! and back: the CLI's `path:line:col` and every position the LSP layer
//! converts, in open documents (kept up to date edit by edit, [`LineIndex::edit`])
//! and in files nobody has open.
//!
//! Offsets are kept as `u32`: half the memory of `usize` for a file of a
//! million lines, and no text that reaches us is near 4 GiB (the transport
//! refuses messages over 64 MiB, the index files over 16 MiB).

use super::lines::LineIter;
use super::range::TextRange;

/// Line starts of a text, with checkpoints inside long lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Where each line starts: the first at 0; a text that ends with a
    /// line break has one more, empty, line at its end.
    starts: Vec<u32>,
    /// Checkpoints inside lines longer than [`MARK_EVERY`] bytes, by
    /// offset: a column far into a long line is counted from the nearest
    /// one before it, so the columns of thousands of findings on one line
    /// of a megabyte cost about what the line does, not that many times
    /// over (issue 18).
    marks: Vec<Mark>,
}

/// About how many bytes lie between two checkpoints of a long line.
const MARK_EVERY: usize = 1024;

/// A character boundary inside a line, with the characters and UTF-16 code
/// units from the line's start to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    offset: u32,
    chars: u32,
    utf16: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut index = LineIndex {
            starts: Vec::new(),
            marks: Vec::new(),
        };
        index.scan(text, 0, text.len());
        index
    }

    /// Brings the index up to date with `text`, which is the text it was
    /// built for with the bytes `old` replaced by `new_len` bytes. Only the
    /// lines around the edit are read again; the others move by the
    /// difference in length.
    pub fn edit(&mut self, text: &str, old: TextRange, new_len: usize) {
        let delta = new_len as i64 - old.len() as i64;
        // From the start of the line before the edit's: a `\r` ending it
        // may meet a `\n` inserted at the edit's start. That start is one
        // in the new text too, as the bytes on both sides of it are kept.
        let first = self.line(old.start()).saturating_sub(1);
        let from = self.starts[first] as usize;
        // Up to the start of the line after the one the edit ends on: the
        // bytes before and at it are kept, so it is a line start in the new
        // text and all after it is as it was, shifted.
        let last = self.line(old.end()) + 1;
        let old_upto = self.starts.get(last).copied();
        // The region's lines and checkpoints, read again; an edit touches a
        // few lines, and the rest of the index moves in place (no copy of
        // it is made on a keystroke).
        let mut fresh = LineIndex {
            starts: Vec::new(),
            marks: Vec::new(),
        };
        match old_upto {
            Some(s) => {
                fresh.scan_lines(text, from, ((s as i64) + delta) as usize);
            }
            None => fresh.scan(text, from, text.len()),
        }
        let shift = |o: u32| ((o as i64) + delta) as u32;
        let tail = last.min(self.starts.len());
        let moved = first + fresh.starts.len();
        self.starts.splice(first..tail, fresh.starts);
        for s in &mut self.starts[moved..] {
            *s = shift(*s);
        }
        let old_upto = old_upto.unwrap_or(u32::MAX);
        let marks_from = self.marks.partition_point(|m| m.offset < from as u32);
        let marks_kept = self.marks.partition_point(|m| m.offset < old_upto);
        let moved = marks_from + fresh.marks.len();
        self.marks.splice(marks_from..marks_kept, fresh.marks);
        for m in &mut self.marks[moved..] {
            m.offset = shift(m.offset);
        }
    }

    /// Reads the lines of `text[from..to]` (`from` a line start, `to` the
    /// text's end) into the index, and the empty line after a final break.
    fn scan(&mut self, text: &str, from: usize, to: usize) {
        let last_next = self.scan_lines(text, from, to);
        let ends_with_break = last_next.is_some_and(|(e, next)| next > e);
        if self.starts.is_empty() || (ends_with_break && to == text.len()) {
            self.starts.push(text.len() as u32);
        }
    }

    /// Reads the lines of `text[from..to]`, both line starts; returns the
    /// last line's content end and next start.
    fn scan_lines(&mut self, text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        let mut last = None;
        for (s, e, next) in LineIter::new(text, from, to) {
            self.starts.push(s as u32);
            if e - s > MARK_EVERY {
                mark_line(text, s, e, &mut self.marks);
            }
            last = Some((e, next));
        }
        last
    }

    /// Zero-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(u32::MAX as usize) as u32;
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// [`line`](Self::line), searched from `hint` (a line near it): offsets
    /// asked in order (a file's diagnostics, its outline) cost a step or
    /// two each instead of a search over every line.
    pub fn line_near(&self, offset: usize, hint: usize) -> usize {
        let offset = offset.min(u32::MAX as usize) as u32;
        let starts = &self.starts;
        let i = hint.min(starts.len().saturating_sub(1));
        if starts[i] > offset {
            return self.line(offset as usize);
        }
        // Steps of 1, 2, 4, ... past the hint, then a search in the last.
        let (mut lo, mut step) = (i, 1);
        loop {
            match starts.get(lo + step) {
                Some(&s) if s <= offset => {
                    lo += step;
                    step *= 2;
                }
                _ => break,
            }
        }
        let hi = (lo + step).min(starts.len());
        lo + starts[lo + 1..hi].partition_point(|&s| s <= offset)
    }

    /// Zero-based line and column in characters (Unicode scalar values).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_start(line);
        let offset = offset.min(self.line_end(text, line)).max(start);
        let from = self.mark_before(start, offset);
        (
            line,
            from.chars as usize + text[from.offset as usize..offset].chars().count(),
        )
    }

    /// The UTF-16 code units from `start`, the start of the line that holds
    /// `offset`, to `offset` (a character boundary).
    pub fn utf16_col(&self, text: &str, start: usize, offset: usize) -> usize {
        let from = self.mark_before(start, offset);
        from.utf16 as usize + text[from.offset as usize..offset].encode_utf16().count()
    }

    /// The offset `units` UTF-16 code units into `line`, rounded down to a
    /// character and clamped to the line's content.
    pub fn utf16_offset(&self, text: &str, line: usize, units: usize) -> usize {
        let start = self.line_start(line);
        let end = self.line_end(text, line);
        let i = self.marks.partition_point(|m| (m.offset as usize) < start);
        let j = i + self.marks[i..].partition_point(|m| (m.offset as usize) < end);
        let here = &self.marks[i..j];
        let (mut at, mut count) = match here.partition_point(|m| m.utf16 as usize <= units) {
            0 => (start, 0),
            k => (here[k - 1].offset as usize, here[k - 1].utf16 as usize),
        };
        for c in text[at..end].chars() {
            count += c.len_utf16();
            if count > units {
                break;
            }
            at += c.len_utf8();
        }
        at
    }

    /// The last checkpoint at or before `offset` on the line that starts at
    /// `start`, or the line's start.
    fn mark_before(&self, start: usize, offset: usize) -> Mark {
        let i = self.marks.partition_point(|m| m.offset as usize <= offset);
        match i.checked_sub(1).map(|i| self.marks[i]) {
            Some(m) if m.offset as usize >= start => m,
            _ => Mark {
                offset: start as u32,
                chars: 0,
                utf16: 0,
            },
        }
    }

    /// The content of a zero-based line, without its break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        if line >= self.starts.len() {
            return "";
        }
        &text[self.line_start(line)..self.line_end(text, line)]
    }

    /// Byte offset where a zero-based line starts (the text's end past the last).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .or(self.starts.last())
            .map_or(0, |&s| s as usize)
    }

    /// Byte offset where the content of a zero-based line ends, before its
    /// break (the text's end past the last line).
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return text.len();
        };
        let bytes = text.as_bytes();
        let next = next as usize;
        if next >= 2 && bytes[next - 1] == b'\n' && bytes[next - 2] == b'\r' {
            next - 2
        } else {
            next - 1
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Checkpoints every [`MARK_EVERY`] bytes or so of the line `s..e`.
fn mark_line(text: &str, s: usize, e: usize, marks: &mut Vec<Mark>) {
    let (mut at, mut chars, mut utf16) = (s, 0, 0);
    loop {
        let mut next = at + MARK_EVERY;
        if next >= e {
            return;
        }
        while !text.is_char_boundary(next) {
            next -= 1;
        }
        let chunk = &text[at..next];
        chars += chunk.chars().count() as u32;
        utf16 += chunk.encode_utf16().count() as u32;
        at = next;
        marks.push(Mark {
            offset: at as u32,
            chars,
            utf16,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;
    use crate::syntax::TextRange;

    #[test]
    fn columns_count_characters_and_lines_follow_crlf() {
        let t = "é😀x\r\nab";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, t.find('x').unwrap()), (0, 2));
        assert_eq!(idx.line_col(t, t.find('b').unwrap()), (1, 1));
        assert_eq!(idx.line_text(t, 0), "é😀x");
        assert_eq!(idx.line_count(), 2);
        assert_eq!(LineIndex::new("a\n").line_count(), 2);
        assert_eq!(LineIndex::new("").line_count(), 1);
        assert_eq!(idx.utf16_offset(t, 0, 2), 2, "inside 😀: its start");
        assert_eq!(idx.utf16_offset(t, 0, 3), 6);
        assert_eq!(idx.utf16_offset(t, 0, 99), 7, "clamped to the line");
    }

    /// Columns on lines long enough to have checkpoints equal a count from
    /// the line's start, both ways.
    #[test]
    fn long_lines_count_columns_as_short_ones() {
        let line = "ab é😀 语 ".repeat(400);
        let t = format!("x\r\n{line}\n{line}\r\nz");
        let idx = LineIndex::new(&t);
        assert!(idx.marks.len() > 4);
        for (offset, _) in t.char_indices().chain([(t.len(), ' ')]) {
            let line = idx.line(offset);
            let start = idx.line_start(line);
            let upto = offset.min(idx.line_end(&t, line)).max(start);
            let (l, col) = idx.line_col(&t, offset);
            assert_eq!((l, col), (line, t[start..upto].chars().count()), "{offset}");
            let units = t[start..offset].encode_utf16().count();
            assert_eq!(idx.utf16_col(&t, start, offset), units, "{offset}");
            if offset <= idx.line_end(&t, line) {
                assert_eq!(idx.utf16_offset(&t, line, units), offset, "{offset}");
            }
        }
    }

    #[test]
    fn line_near_agrees_with_line() {
        let t = "a\n\nb\r\nc\rd\n".repeat(30);
        let idx = LineIndex::new(&t);
        for hint in [0, 1, 5, 40, 500] {
            for offset in 0..=t.len() + 1 {
                assert_eq!(
                    idx.line_near(offset, hint),
                    idx.line(offset),
                    "{offset} {hint}"
                );
            }
        }
    }

    /// Every edit of a text full of line-break corner cases leaves the
    /// index a fresh one would be.
    #[test]
    fn an_edited_index_equals_a_fresh_one() {
        let long = "é".repeat(700);
        let base = format!("a\r\nb\rc\n\r\n{long}\nx\r\r\n\nend");
        let inserts = ["", "\n", "\r", "\r\n", "q", "\nz\r", &long];
        let bounds: Vec<usize> = base
            .char_indices()
            .map(|(o, _)| o)
            .chain([base.len()])
            .collect();
        for (i, &a) in bounds.iter().enumerate().step_by(3) {
            for &b in bounds[i..].iter().take(6).chain(bounds.last()) {
                for ins in inserts {
                    let mut text = base.clone();
                    text.replace_range(a..b, ins);
                    let mut idx = LineIndex::new(&base);
                    idx.edit(&text, TextRange::new(a, b), ins.len());
                    assert_eq!(idx, LineIndex::new(&text), "{a}..{b} <- {ins:?}");
                }
            }
        }
        for text in ["", "\n", "\r", "x"] {
            for ins in inserts {
                let mut idx = LineIndex::new(text);
                let new = format!("{ins}{text}");
                idx.edit(&new, TextRange::new(0, 0), ins.len());
                assert_eq!(idx, LineIndex::new(&new), "{ins:?} before {text:?}");
            }
        }
    }
}
