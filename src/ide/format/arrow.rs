//! The arrow dialect's markers in their one place: a `*` on every question,
//! the `->` alone under the question or at the end of its line.
//!
//! These are the only formatting changes that could change what a file
//! means (a line moved off the arrow can start a question of its own), so
//! the caller reads the result again and drops it when it does.

use super::ArrowStyle;
use crate::syntax::{line_end, line_start, Entry, QuestionKind, TextRange};

/// The text of entry `e` with its markers placed; `nl` for new lines.
pub(super) fn markers(text: &str, e: &Entry, style: ArrowStyle, nl: &str) -> String {
    let mut edits: Vec<(TextRange, &str)> = Vec::new();
    let q = &e.question;
    // A question recognised without its `*` gets one, in column 0, where
    // its indentation was.
    if q.kind == QuestionKind::Unmarked && q.marker.is_none() {
        let lead = TextRange::new(q.line.start(), q.text.start());
        if lead.slice(text).trim().is_empty() {
            edits.push((lead, "*"));
        }
    }
    if let Some(a) = e.arrow.filter(|a| a.slice(text) == "->") {
        if q.kind != QuestionKind::Missing {
            arrow(text, q.text, a, style, nl, &mut edits);
        }
    }
    let mut out = String::with_capacity(e.range.len() + 8);
    let mut pos = e.range.start();
    for (r, insert) in edits {
        out.push_str(&text[pos..r.start()]);
        out.push_str(insert);
        pos = r.end();
    }
    out.push_str(&text[pos..e.range.end()]);
    out
}

/// Places the arrow `a` of the question whose text is `q_text`.
fn arrow<'a>(
    text: &'a str,
    q_text: TextRange,
    a: TextRange,
    style: ArrowStyle,
    nl: &'a str,
    edits: &mut Vec<(TextRange, &'a str)>,
) {
    let q_end = q_text.end();
    let before = TextRange::new(q_end, a.start().max(q_end));
    // Only white space (blank lines, indentation) between the question and
    // its arrow is ours to change.
    if q_end > a.start() || !before.slice(text).trim().is_empty() {
        return;
    }
    let rest = &text[a.end()..line_end(text, a.end())];
    let after = TextRange::new(a.end(), a.end() + rest.len() - rest.trim_start().len());
    let has_text = !rest.trim().is_empty();
    let same_line = line_start(text, a.start()) == line_start(text, q_end);
    match style {
        ArrowStyle::OwnLine => {
            // The line's own break: a mixed file stays as mixed as it was.
            edits.push((before, break_after(text, q_end).unwrap_or(nl)));
            if has_text {
                edits.push((after, break_after(text, a.end()).unwrap_or(nl)));
            }
        }
        ArrowStyle::SameLine => {
            // A question of several lines keeps its arrow under it: on its
            // last line it would read as part of that line.
            if !same_line && q_text.slice(text).contains(['\n', '\r']) {
                return;
            }
            edits.push((before, " "));
            if has_text {
                edits.push((after, " "));
            }
        }
    }
}

/// The line break that ends the line holding `at`, if any.
fn break_after(text: &str, at: usize) -> Option<&str> {
    let e = line_end(text, at);
    let b = text.as_bytes();
    match b.get(e) {
        Some(b'\r') if b.get(e + 1) == Some(&b'\n') => Some(&text[e..e + 2]),
        Some(_) => Some(&text[e..e + 1]),
        None => None,
    }
}
