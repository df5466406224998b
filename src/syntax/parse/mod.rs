//! The parser: text in, [`Notes`] out, in one pass over the lines.
//!
//! Fenced code blocks and HTML comments are found first (`blocks`): their
//! lines are code or nothing, whatever they look like. The rest is read as
//! chunks that each begin at a line that is a question by its own text (`*`
//! followed by text). Nothing inside one chunk depends on another, which is
//! what `incremental` relies on. Inside a chunk a small state machine decides,
//! line by line, what is question, arrow and answer. The rules and their
//! reasons are in `docs/format.md`.
//!
//! This file walks the lines and runs the machine; where a question and
//! its arrow are on their lines is `questions.rs`, and closing an entry
//! (the trailing-question rule, its answer built) is `finish.rs`.

mod finish;
mod questions;

use super::blocks::{Block, Blocks};
use super::classify::{classify, Kind, Line};
use super::dialect::Dialect;
use super::entry_builder::{is_break, push_answer_line, trim_end_at, Builder, State};
use super::lines::LineIter;
use super::model::{Entry, Notes, Question, QuestionKind, TextRange};

/// Parses a whole file in the arrow format. Never fails.
pub fn parse(text: &str) -> Notes {
    parse_as(text, Dialect::Arrow)
}

/// Parses a whole file in `dialect`. Never fails.
pub fn parse_as(text: &str, dialect: Dialect) -> Notes {
    // Room for one entry per `*` line, counted at memory speed: growing by
    // doubling, then shrinking to fit, copied the entries about three times,
    // a tenth of the parse of a large file.
    let starred = memchr::memmem::find_iter(text.as_bytes(), b"\n*").count() + 1;
    let mut entries = Vec::with_capacity(starred);
    let blocks = Blocks::find(text);
    parse_region(text, 0, text.len(), &blocks.spans, dialect, &mut entries);
    // Open files are kept parsed: no spare room (a no-op when the count was
    // right, as it is unless questions lack their `*`).
    entries.shrink_to_fit();
    Notes {
        entries,
        len: text.len(),
        blocks,
        dialect,
    }
}

/// Parses `text[start..end]` and appends its entries to `out`. `start` must be
/// 0 or the start of a chunk-starting line; `end` must be `text.len()` or the
/// start of one. `blocks` are the text's blocks, in order.
pub(crate) fn parse_region(
    text: &str,
    start: usize,
    end: usize,
    blocks: &[Block],
    dialect: Dialect,
    out: &mut Vec<Entry>,
) {
    let mut parser = ChunkParser {
        text,
        dialect,
        lines: Vec::new(),
        out,
    };
    let mut block = blocks.partition_point(|b| b.range.end() < start);
    let mut first = true;
    let mut file_start = start == 0;
    for (mut s, e, _) in LineIter::new(text, start, end) {
        if first && s == 0 && text.starts_with('\u{feff}') {
            s = '\u{feff}'.len_utf8();
        }
        first = false;
        while blocks.get(block).is_some_and(|b| b.range.end() < s) {
            block += 1;
        }
        let kind = match blocks.get(block) {
            // A line of a block starts at or after the block's first line
            // start (`s` may be after a byte-order mark).
            Some(b) if b.range.start() <= s => {
                if b.comment {
                    // Comments are not read at all.
                    continue;
                }
                Kind::Code
            }
            _ => classify(&text[s..e], dialect).kind,
        };
        if matches!(kind, Kind::HardStar | Kind::HeadingQuestion) && !parser.lines.is_empty() {
            parser.flush(file_start, false);
            file_start = false;
        }
        // Only the kind is kept: a line is pushed for every line of the
        // text, and where a marker is matters for one or two lines an entry.
        parser.lines.push(Line {
            start: s,
            end: e,
            kind,
        });
    }
    if !parser.lines.is_empty() {
        parser.flush(file_start, end == text.len());
    }
}

struct ChunkParser<'a, 'o> {
    text: &'a str,
    dialect: Dialect,
    lines: Vec<Line>,
    out: &'o mut Vec<Entry>,
}

impl ChunkParser<'_, '_> {
    /// Reads the chunk in `self.lines`. `file_start`: it starts the file;
    /// `file_end`: it ends the file.
    fn flush(&mut self, file_start: bool, file_end: bool) {
        let lines = std::mem::take(&mut self.lines);
        let mut cur: Option<Builder> = None;
        // Lines outside any entry (before the first question, after a
        // heading), kept for the trailing-question rule.
        let mut preamble: Vec<usize> = Vec::new();
        let starts_paragraph = |i: usize| {
            if i == 0 {
                file_start
            } else {
                is_break(lines[i - 1].kind)
            }
        };
        for i in 0..lines.len() {
            let line = lines[i];
            match line.kind {
                Kind::Blank => {
                    if let Some(b) = cur.as_mut() {
                        let options = b
                            .pending
                            .last()
                            .is_some_and(|&k| lines[k].kind == Kind::Option);
                        if !options {
                            b.settle_pending(self.text, &lines);
                        }
                        if b.state == State::AfterQuestion {
                            b.state = State::AfterQuestionBlank;
                        }
                        if b.state == State::InAnswer
                            && b.answer_lines.is_empty()
                            && b.arrow_tail.is_none()
                        {
                            b.blank_after_arrow = true;
                        }
                    }
                }
                Kind::Heading | Kind::Underline => {
                    if line.kind == Kind::Underline && i > 0 && lines[i - 1].kind == Kind::Text {
                        // Setext: the text line above is a heading too.
                        let above = i - 1;
                        if let Some(b) = cur.as_mut() {
                            if b.pending.last() == Some(&above) {
                                b.pending.pop();
                            }
                            if b.answer_lines.last() == Some(&above) {
                                b.answer_lines.pop();
                            }
                        }
                        if preamble.last() == Some(&above) {
                            preamble.pop();
                        }
                    }
                    self.finish(&lines, cur.take(), &mut preamble, false);
                    preamble.clear();
                }
                Kind::HardStar => {
                    self.finish(&lines, cur.take(), &mut preamble, false);
                    cur = Some(self.starred(&lines, i, true));
                }
                Kind::HeadingQuestion => {
                    self.finish(&lines, cur.take(), &mut preamble, false);
                    let mut b = self.starred(&lines, i, false);
                    // The heading is the question and the arrow: the answer
                    // is what follows.
                    b.question.starts_chunk = true;
                    b.arrow = Some(TextRange::empty(line.end));
                    b.state = State::InAnswer;
                    cur = Some(b);
                }
                Kind::Arrow => {
                    let arrow = self.arrow_at(line);
                    match cur.as_mut() {
                        Some(b)
                            if b.arrow.is_none()
                                && matches!(
                                    b.state,
                                    State::AfterQuestion | State::AfterQuestionBlank
                                ) =>
                        {
                            // Lines between the question and its arrow continue the question.
                            if let Some(&last) = b.pending.last() {
                                b.question.text = b
                                    .question
                                    .text
                                    .with_end(trim_end_at(self.text, lines[last]));
                                b.question_last = last;
                                b.pending.clear();
                            }
                            b.arrow = Some(arrow.0);
                            b.arrow_tail = arrow.1;
                            b.state = State::InAnswer;
                            continue;
                        }
                        _ => {}
                    }
                    // Lines of the current question are never taken from it.
                    let floor = cur.as_ref().map_or(0, |b| b.question_last + 1);
                    let question = if i > floor {
                        self.question_lines(&lines, floor, i - 1, &starts_paragraph)
                    } else {
                        None
                    };
                    if let Some(p) = question {
                        // The lines before the arrow are an unmarked question.
                        let q = i - 1;
                        if let Some(b) = cur.as_mut() {
                            b.settle_pending(self.text, &lines);
                            while b.answer_lines.last().is_some_and(|&k| k >= p) {
                                b.answer_lines.pop();
                            }
                        }
                        while preamble.last().is_some_and(|&k| k >= p) {
                            preamble.pop();
                        }
                        self.finish(&lines, cur.take(), &mut preamble, false);
                        let mut b = if lines[q].kind == Kind::SoftStar {
                            self.starred(&lines, q, false)
                        } else {
                            self.unmarked(&lines, p, q)
                        };
                        b.arrow = Some(arrow.0);
                        b.arrow_tail = arrow.1;
                        b.state = State::InAnswer;
                        cur = Some(b);
                    } else if starts_paragraph(i) {
                        self.finish(&lines, cur.take(), &mut preamble, false);
                        let q = Question {
                            kind: QuestionKind::Missing,
                            marker: None,
                            text: TextRange::empty(line.start),
                            line: TextRange::new(line.start, line.end),
                            starts_chunk: false,
                        };
                        cur = Some(Builder::new(q, i, Some(arrow)));
                    } else {
                        push_answer_line(self.text, &lines, cur.as_mut(), &mut preamble, i);
                    }
                }
                Kind::Option => match cur.as_mut() {
                    // Options under a question are the question's, blank
                    // lines or not, until something else comes.
                    Some(b)
                        if b.state == State::AfterQuestion
                            || (b.state == State::AfterQuestionBlank
                                && b.pending
                                    .last()
                                    .map_or(true, |&k| lines[k].kind == Kind::Option)) =>
                    {
                        b.pending.push(i);
                    }
                    _ => push_answer_line(self.text, &lines, cur.as_mut(), &mut preamble, i),
                },
                Kind::Text | Kind::SoftStar | Kind::Table | Kind::Code => match cur.as_mut() {
                    Some(b) if b.state == State::AfterQuestion && line.kind != Kind::Table => {
                        b.pending.push(i);
                    }
                    _ => push_answer_line(self.text, &lines, cur.as_mut(), &mut preamble, i),
                },
            }
        }
        self.finish(&lines, cur.take(), &mut preamble, file_end);
        self.lines = lines;
        self.lines.clear();
    }
}
