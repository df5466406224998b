//! One entry as the parser builds it: its question, arrow and answer
//! lines, and the state of the line-by-line machine that decides which is
//! which (`parse`), with the small rules about lines it leans on.

use super::classify::{trimmed, Kind, Line};
use super::model::{Question, TextRange};

/// Lines that separate paragraphs.
#[inline]
pub(super) fn is_break(kind: Kind) -> bool {
    matches!(kind, Kind::Blank | Kind::Heading | Kind::Underline)
}

/// Lines that may be part of a question without a marker.
#[inline]
pub(super) fn is_plain(kind: Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Option)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Question line(s) seen; no blank line, arrow or answer yet.
    AfterQuestion,
    /// Only blank lines (and the options of a multiple-choice question)
    /// since the question.
    AfterQuestionBlank,
    /// The answer has started (by an arrow or by text).
    InAnswer,
}

pub(super) struct Builder {
    pub(super) question: Question,
    /// Index of the last question line (continuations included).
    pub(super) question_last: usize,
    pub(super) arrow: Option<TextRange>,
    /// Answer text on the arrow's own line.
    pub(super) arrow_tail: Option<TextRange>,
    /// Indices of the non-blank answer lines.
    pub(super) answer_lines: Vec<usize>,
    /// Lines after the question that may turn out to continue it.
    pub(super) pending: Vec<usize>,
    pub(super) state: State,
    /// A blank line came after an arrow with nothing on its line, before any
    /// answer text.
    pub(super) blank_after_arrow: bool,
}

/// `answer` (line indices) is one paragraph: no blank line between its lines.
#[inline]
pub(super) fn one_paragraph(lines: &[Line], answer: &[usize]) -> bool {
    match (answer.first(), answer.last()) {
        (Some(&a), Some(&b)) => lines[a..=b].iter().all(|l| !is_break(l.kind)),
        _ => false,
    }
}

impl Builder {
    pub(super) fn new(
        question: Question,
        i: usize,
        arrow: Option<(TextRange, Option<TextRange>)>,
    ) -> Self {
        let (arrow, arrow_tail, state) = match arrow {
            Some((a, t)) => (Some(a), t, State::InAnswer),
            None => (None, None, State::AfterQuestion),
        };
        Builder {
            question,
            question_last: i,
            arrow,
            arrow_tail,
            answer_lines: Vec::new(),
            pending: Vec::new(),
            state,
            blank_after_arrow: false,
        }
    }

    /// No arrow came after the lines that might have continued the question,
    /// so they are answer text written without an arrow; unless they are all
    /// lettered options (`A)`, `b.`), which are the choices of a question
    /// nobody answered yet.
    #[inline]
    pub(super) fn settle_pending(&mut self, text: &str, lines: &[Line]) {
        let Some(&last) = self.pending.last() else {
            return;
        };
        if self
            .pending
            .iter()
            .all(|&k| is_lettered_option(text, lines[k]))
        {
            self.question.text = self.question.text.with_end(trim_end_at(text, lines[last]));
            self.question_last = last;
            self.pending.clear();
        } else {
            self.answer_lines.append(&mut self.pending);
            self.state = State::InAnswer;
        }
    }
}

/// An option line that starts with a letter (`A)`, `(b)`), not a number.
#[inline]
pub(super) fn is_lettered_option(text: &str, line: Line) -> bool {
    line.kind == Kind::Option
        && text[line.start..line.end]
            .trim_start()
            .trim_start_matches('(')
            .starts_with(|c: char| c.is_ascii_alphabetic())
}

#[inline]
pub(super) fn push_answer_line(
    text: &str,
    lines: &[Line],
    cur: Option<&mut Builder>,
    preamble: &mut Vec<usize>,
    i: usize,
) {
    match cur {
        Some(b) => {
            b.settle_pending(text, lines);
            b.answer_lines.push(i);
            b.state = State::InAnswer;
        }
        None => preamble.push(i),
    }
}

#[inline]
pub(super) fn trim_end_at(text: &str, line: Line) -> usize {
    line.start + text[line.start..line.end].trim_end().len()
}

/// Answer text after an arrow on the same line, if any.
#[inline]
pub(super) fn tail(text: &str, from: usize, end: usize) -> Option<TextRange> {
    let r = trimmed(text, from, end);
    (!r.is_empty()).then_some(r)
}
