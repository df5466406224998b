//! Closing an entry: a last one-line paragraph ending in `?` split off as
//! a question nobody answered, a closing remark after `->` and a blank
//! line left out, and the entry with its answer pushed.

use super::ChunkParser;
use crate::syntax::answer::build_answer;
use crate::syntax::classify::{trimmed, Line};
use crate::syntax::entry_builder::{is_break, is_plain, one_paragraph, trim_end_at, Builder};
use crate::syntax::model::{Entry, TextRange};

impl ChunkParser<'_, '_> {
    /// The last paragraph of an answer (or of text outside entries) that is
    /// a single line of two or more words ending in `?` is a question nobody
    /// answered, not a sentence of that answer.
    fn trailing_question(&self, lines: &[Line], body: &[usize]) -> Option<Builder> {
        let &last = body.last()?;
        let line = lines[last];
        let own_paragraph = last == 0 || is_break(lines[last - 1].kind);
        let content = self.text[line.start..line.end].trim();
        let is_question = is_plain(line.kind)
            && own_paragraph
            && content.ends_with('?')
            && content.split_whitespace().nth(1).is_some();
        is_question.then(|| self.unmarked(lines, last, last))
    }

    pub(super) fn finish(
        &mut self,
        lines: &[Line],
        b: Option<Builder>,
        preamble: &mut Vec<usize>,
        file_end: bool,
    ) {
        let Some(mut b) = b else {
            if let Some(t) = self.trailing_question(lines, preamble) {
                preamble.clear();
                self.push_entry(lines, t);
            }
            return;
        };
        b.settle_pending(self.text, lines);
        let trailing = self.trailing_question(lines, &b.answer_lines);
        if trailing.is_some() {
            b.answer_lines.pop();
        }
        if file_end && b.blank_after_arrow && one_paragraph(lines, &b.answer_lines) {
            // `->`, a blank line, then one paragraph that ends the file: a
            // closing remark, not the answer.
            b.answer_lines.clear();
        }
        self.push_entry(lines, b);
        if let Some(t) = trailing {
            self.push_entry(lines, t);
        }
    }

    fn push_entry(&mut self, lines: &[Line], b: Builder) {
        let text = self.text;
        let q_end = trim_end_at(text, lines[b.question_last]);
        let mut end = q_end.max(b.question.text.end());
        if let Some(a) = b.arrow {
            end = end.max(a.end());
        }
        let mut pieces: Vec<TextRange> = Vec::with_capacity(b.answer_lines.len() + 1);
        if let Some(t) = b.arrow_tail {
            pieces.push(t);
        }
        for &i in &b.answer_lines {
            let l = lines[i];
            let r = trimmed(text, l.start, l.end);
            if !r.is_empty() {
                pieces.push(r);
            }
        }
        let answer = if pieces.is_empty() {
            None
        } else {
            let range = TextRange::new(pieces[0].start(), pieces[pieces.len() - 1].end());
            end = end.max(range.end());
            Some(build_answer(
                text,
                lines,
                b.arrow_tail,
                &b.answer_lines,
                range,
                &pieces,
            ))
        };
        self.out.push(Entry {
            range: TextRange::new(b.question.line.start(), end),
            question: b.question,
            arrow: b.arrow,
            answer,
        });
    }
}
