//! Which term a cursor inside a multi-word term means. The longest known
//! term wins for matching (`CSRF token` in `Send a CSRF token`), but when
//! the notes define only a shorter one (`*What is CSRF?`), go to
//! definition, references and hover are about that one: the user asked
//! about what their notes explain, not about a glossary entry they never
//! wrote.

use super::terms::{TermIndex, TermMatch};
use super::words::words;
use crate::syntax::{line_end, line_start, TextRange};

/// The terms under the cursor: the longest, and the longest term inside it
/// that holds the cursor and is defined in the notes (the longest itself
/// when it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsAtCursor {
    pub longest: TermMatch,
    pub defined: Option<TermMatch>,
}

/// [`TermsAtCursor`] at `offset`, or `None` when no known term is there.
pub fn terms_at_cursor(text: &str, terms: &TermIndex, offset: usize) -> Option<TermsAtCursor> {
    let longest = terms.term_at(text, offset)?;
    let defined = if defined_in_notes(terms, &longest.key) {
        Some(longest.clone())
    } else {
        shorter_defined(text, terms, &longest, offset.min(text.len()))
    };
    Some(TermsAtCursor { longest, defined })
}

/// The term go to definition and references should use at `offset`: the
/// one the notes define if any, else the longest.
pub fn definition_term_at(text: &str, terms: &TermIndex, offset: usize) -> Option<TermMatch> {
    let t = terms_at_cursor(text, terms, offset)?;
    Some(t.defined.unwrap_or(t.longest))
}

pub(crate) fn defined_in_notes(terms: &TermIndex, key: &str) -> bool {
    terms.defined_in_notes(key)
}

/// The longest run of the words of `longest` that holds `offset`, is a
/// term and is defined in the notes; leftmost first among equals.
pub(crate) fn shorter_defined(
    text: &str,
    terms: &TermIndex,
    longest: &TermMatch,
    offset: usize,
) -> Option<TermMatch> {
    let r = longest.range;
    let start = line_start(text, r.start());
    let ws: Vec<TextRange> = words(&text[start..line_end(text, r.start())], start)
        .into_iter()
        .filter(|w| r.start() <= w.start() && w.end() <= r.end())
        .collect();
    let n = ws.len();
    for len in (1..n).rev() {
        for i in 0..=n - len {
            let span = TextRange::new(ws[i].start(), ws[i + len - 1].end());
            if !span.contains_inclusive(offset) {
                continue;
            }
            let found = terms
                .terms_in(text, span)
                .into_iter()
                .find(|m| m.range == span && defined_in_notes(terms, &m.key));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}
