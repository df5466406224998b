//! Selection ranges ("expand selection"): from the cursor outwards, the
//! word, the known term it is part of (`CSRF token`), the line, the
//! question or the answer, and the whole entry.
//!
//! Each range strictly contains the one before it, as LSP's nested
//! `SelectionRange` requires; a step that would not grow is left out.

use super::terms::TermIndex;
use crate::syntax::{line_end, line_start, Notes, TextRange};

/// The ranges around `offset`, innermost first.
pub fn selection_ranges(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    offset: usize,
) -> Vec<TextRange> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let mut candidates = Vec::with_capacity(5);
    candidates.extend(word_at(text, offset));
    candidates.extend(terms.term_at(text, offset).map(|m| m.range));
    let line = trimmed_line(text, offset);
    let Some(e) = notes.entry_at(offset) else {
        candidates.push(line);
        return nested(candidates, offset);
    };
    let q = &e.question;
    let question = TextRange::new(q.marker.map_or(q.text.start(), |m| m.start()), q.text.end());
    let part = if question.contains_inclusive(offset) {
        Some(question)
    } else {
        e.answer
            .as_ref()
            .map(|a| a.range)
            .filter(|a| a.contains_inclusive(offset))
    };
    // On `*Q? -> A` or `-> A`, the line is cut to the question's or the
    // answer's part of it, so that it fits inside the next step.
    candidates.push(match part {
        Some(p) => TextRange::new(
            line.start().max(p.start()),
            line.end().min(p.end()).max(line.start().max(p.start())),
        ),
        None => line,
    });
    candidates.extend(part);
    candidates.push(e.range);
    nested(candidates, offset)
}

/// The candidates that hold the cursor, each strictly inside the next.
fn nested(candidates: Vec<TextRange>, offset: usize) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = Vec::with_capacity(candidates.len());
    for r in candidates {
        if !r.contains_inclusive(offset) {
            continue;
        }
        match out.last() {
            Some(&last)
                if !(r.start() <= last.start()
                    && last.end() <= r.end()
                    && r.len() > last.len()) => {}
            _ => out.push(r),
        }
    }
    out
}

/// The word (letters, digits, `_`) the cursor is in or right after.
fn word_at(text: &str, offset: usize) -> Option<TextRange> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text[offset..]
            .char_indices()
            .find(|&(_, c)| !is_word(c))
            .map_or(text.len() - offset, |(i, _)| i);
    (start < end).then(|| TextRange::new(start, end))
}

/// The line holding `offset`, without its leading and trailing white space
/// (or the empty range at the cursor on a blank line).
fn trimmed_line(text: &str, offset: usize) -> TextRange {
    let (s, e) = (line_start(text, offset), line_end(text, offset));
    let line = &text[s..e];
    let start = s + line.len() - line.trim_start().len();
    let end = (s + line.trim_end().len()).max(start);
    if start <= offset && offset <= end {
        TextRange::new(start, end)
    } else {
        TextRange::new(s, e)
    }
}
