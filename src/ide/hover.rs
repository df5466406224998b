//! Hover: a known term's definitions, or an entry's status on a question line.

use super::terms::TermIndex;
use crate::syntax::{Notes, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about (the term, or the question text).
    pub range: TextRange,
    pub markdown: String,
}

/// `doc` is the key of this document in `terms`, so the user's definitions in
/// the same file can be told from those elsewhere.
pub fn hover(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    doc: &str,
    offset: usize,
) -> Option<Hover> {
    let _ = (text, notes, terms, doc, offset);
    todo!()
}
