//! Syntax highlighting spans for semantic tokens.

use super::terms::TermIndex;
use crate::syntax::{Notes, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    QuestionMarker,
    Question,
    Arrow,
    DefinitionTerm,
    KnownTerm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Sorted by start, never overlapping, never crossing a line break.
pub fn highlights(text: &str, notes: &Notes, terms: &TermIndex) -> Vec<Highlight> {
    let _ = (text, notes, terms);
    todo!()
}
