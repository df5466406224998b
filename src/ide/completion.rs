//! Completion of known terms, and a snippet for a new entry at a line start.

use super::terms::TermIndex;
use crate::syntax::{Notes, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Term,
    Snippet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub kind: CompletionKind,
    pub label: String,
    /// Replaces `replace`; for snippets, in LSP snippet syntax (`$1`, `$0`).
    pub insert: String,
    /// What was typed and will be replaced (may span several words).
    pub replace: TextRange,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Lower is better; editors sort by this.
    pub rank: u32,
}

pub fn completions(text: &str, notes: &Notes, terms: &TermIndex, offset: usize) -> Vec<Completion> {
    let _ = (text, notes, terms, offset);
    todo!()
}
