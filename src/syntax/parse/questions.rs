//! Where a question is on its lines: the paragraph an arrow closes, the
//! marker of a marked line, an arrow on the question's own line; and the
//! entry builder each kind of question starts.

use super::ChunkParser;
use crate::syntax::arrow::same_line_arrow;
use crate::syntax::classify::{marks, trimmed, Kind, Line};
use crate::syntax::entry_builder::{is_plain, tail, Builder};
use crate::syntax::model::{Question, QuestionKind, TextRange};

impl ChunkParser<'_, '_> {
    /// When an arrow follows line `q`, the first line of the question it
    /// ends, if it ends one: the paragraph of up to three plain lines that
    /// `q` closes, or `q` alone if it starts a paragraph or ends with `?`.
    /// Lines before `floor` belong to another question.
    pub(super) fn question_lines(
        &self,
        lines: &[Line],
        floor: usize,
        q: usize,
        starts_paragraph: &impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let kind = lines[q].kind;
        if !(is_plain(kind) || kind == Kind::SoftStar) {
            return None;
        }
        let ends_q = |k: usize| {
            self.text[lines[k].start..lines[k].end]
                .trim_end()
                .ends_with('?')
        };
        if is_plain(kind) {
            let mut p = q;
            while p > floor && q - p < 2 && is_plain(lines[p - 1].kind) && !ends_q(p - 1) {
                p -= 1;
            }
            if p < q && starts_paragraph(p) {
                return Some(p);
            }
        }
        (starts_paragraph(q) || ends_q(q)).then_some(q)
    }

    /// Where the marker (or arrow) of a marked line is, and where the text
    /// after it starts.
    fn marks(&self, line: Line) -> (TextRange, usize) {
        let (mark, text) = marks(&self.text[line.start..line.end], line.kind, self.dialect);
        let at = line.start;
        (TextRange::new(at + mark.0, at + mark.1), at + text)
    }

    pub(super) fn arrow_at(&self, line: Line) -> (TextRange, Option<TextRange>) {
        let content = &self.text[line.start..line.end];
        let trimmed = content.trim_start();
        let (arrow, text) = if trimmed.starts_with("->") {
            let at = line.start + (content.len() - trimmed.len());
            (TextRange::new(at, at + 2), at + 2)
        } else {
            self.marks(line)
        };
        (arrow, tail(self.text, text, line.end))
    }

    pub(super) fn starred(&self, lines: &[Line], i: usize, hard: bool) -> Builder {
        let line = lines[i];
        let content = &self.text[line.start..line.end];
        let (marker, after) = if content.starts_with('*') {
            (TextRange::new(line.start, line.start + 1), line.start + 1)
        } else {
            self.marks(line)
        };
        let split = if hard {
            same_line_arrow(&content[after - line.start..]).map(|p| p + after - line.start)
        } else {
            None
        };
        let question_end = split.map_or(line.end, |p| line.start + p);
        let text = trimmed(self.text, after, question_end.max(after));
        let question = Question {
            kind: QuestionKind::Starred,
            marker: Some(marker),
            text,
            line: TextRange::new(line.start, line.end),
            starts_chunk: hard,
        };
        let arrow = split.map(|p| {
            let at = line.start + p;
            (
                TextRange::new(at, at + 2),
                tail(self.text, at + 2, line.end),
            )
        });
        Builder::new(question, i, arrow)
    }

    /// An unmarked question on lines `p..=q`.
    pub(super) fn unmarked(&self, lines: &[Line], p: usize, q: usize) -> Builder {
        let first = lines[p];
        let question = Question {
            kind: QuestionKind::Unmarked,
            marker: None,
            text: trimmed(self.text, first.start, lines[q].end),
            line: TextRange::new(first.start, first.end),
            starts_chunk: false,
        };
        Builder::new(question, q, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_arrow_rules() {
        assert_eq!(same_line_arrow("*Q?->"), Some(3));
        assert_eq!(same_line_arrow("*Q? -> answer"), Some(4));
        assert_eq!(same_line_arrow("*Define ORM -> mapper"), Some(12));
        assert_eq!(same_line_arrow("*What does a -> b mean?"), None);
        assert_eq!(same_line_arrow("*Why a -> b?->"), Some(12));
        assert_eq!(same_line_arrow("*Why a -> b? (2 parts) -> x"), Some(23));
        assert_eq!(same_line_arrow("*Plain"), None);
        assert_eq!(same_line_arrow("*What does `a->b` do"), None);
    }
}
