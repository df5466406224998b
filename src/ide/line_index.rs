//! Byte offset to line and column, for the CLI's `path:line:col` output.
//!
//! The LSP layer keeps its own rope-based conversion (it must follow edits and
//! negotiate encodings); this one serves one-shot, read-only text.

use crate::syntax::LineIter;

/// Line starts of a text, built once.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut last_next = 0;
        for (s, e, next) in LineIter::new(text, 0, text.len()) {
            starts.push(s);
            ends.push(e);
            last_next = next;
        }
        // A text that ends with a line break has one more, empty, line.
        if starts.is_empty() || last_next > *ends.last().unwrap_or(&0) {
            starts.push(text.len());
            ends.push(text.len());
        }
        LineIndex { starts, ends }
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
        (line, text[start..offset].chars().count())
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
}
