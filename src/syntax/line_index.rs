//! Byte offset to line and column, in bytes (UTF-8) or UTF-16 code units:
//! the CLI's `path:line:col`, and the LSP layer's positions in files nobody
//! has open (`StrPositions`). An open document, which changes with every
//! keystroke, is converted through its rope instead.

use super::lines::LineIter;

/// Line starts of a text, built once.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    ends: Vec<usize>,
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
#[derive(Debug, Clone, Copy)]
struct Mark {
    offset: usize,
    chars: usize,
    utf16: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut marks = Vec::new();
        let mut last_next = 0;
        for (s, e, next) in LineIter::new(text, 0, text.len()) {
            starts.push(s);
            ends.push(e);
            last_next = next;
            if e - s > MARK_EVERY {
                mark_line(text, s, e, &mut marks);
            }
        }
        // A text that ends with a line break has one more, empty, line.
        if starts.is_empty() || last_next > *ends.last().unwrap_or(&0) {
            starts.push(text.len());
            ends.push(text.len());
        }
        LineIndex {
            starts,
            ends,
            marks,
        }
    }

    /// Zero-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Zero-based line and column in characters (Unicode scalar values).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line];
        let offset = offset.min(self.ends[line]).max(start);
        let from = self.mark_before(start, offset);
        (line, from.chars + text[from.offset..offset].chars().count())
    }

    /// The UTF-16 code units from `start`, the start of the line that holds
    /// `offset`, to `offset` (a character boundary).
    pub fn utf16_col(&self, text: &str, start: usize, offset: usize) -> usize {
        let from = self.mark_before(start, offset);
        from.utf16 + text[from.offset..offset].encode_utf16().count()
    }

    /// The last checkpoint at or before `offset` on the line that starts at
    /// `start`, or the line's start.
    fn mark_before(&self, start: usize, offset: usize) -> Mark {
        let i = self.marks.partition_point(|m| m.offset <= offset);
        match i.checked_sub(1).map(|i| self.marks[i]) {
            Some(m) if m.offset >= start => m,
            _ => Mark {
                offset: start,
                chars: 0,
                utf16: 0,
            },
        }
    }

    /// The content of a zero-based line, without its break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        match (self.starts.get(line), self.ends.get(line)) {
            (Some(&s), Some(&e)) => &text[s..e],
            _ => "",
        }
    }

    /// Byte offset where a zero-based line starts (the text's end past the last).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .or(self.starts.last())
            .copied()
            .unwrap_or(0)
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
        chars += chunk.chars().count();
        utf16 += chunk.encode_utf16().count();
        at = next;
        marks.push(Mark {
            offset: at,
            chars,
            utf16,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

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
    }

    /// Columns on lines long enough to have checkpoints equal a count from
    /// the line's start.
    #[test]
    fn long_lines_count_columns_as_short_ones() {
        let line = "ab é😀 语 ".repeat(400);
        let t = format!("x\r\n{line}\n{line}\r\nz");
        let idx = LineIndex::new(&t);
        assert!(idx.marks.len() > 4);
        for (offset, _) in t.char_indices().chain([(t.len(), ' ')]) {
            let line = idx.line(offset);
            let start = idx.line_start(line);
            let upto = offset.min(idx.ends[line]).max(start);
            let (l, col) = idx.line_col(&t, offset);
            assert_eq!((l, col), (line, t[start..upto].chars().count()), "{offset}");
            assert_eq!(
                idx.utf16_col(&t, start, offset),
                t[start..offset].encode_utf16().count(),
                "{offset}"
            );
        }
    }
}
