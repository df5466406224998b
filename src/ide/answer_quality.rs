//! `short-answer`: an answer of only a few words (`-> Yes.`), which a
//! reviewer of the notes may want flagged. Off unless configured, with the
//! threshold from `[diagnostics] short-answer-words`: the count of words
//! that makes an answer complete is the user's to set, so this is apart
//! from the entry checks that need no settings (`diagnostics.rs`).
//! Placeholders (`TODO`) are `placeholder-answer`, found there.

use super::diagnostics::{Diagnostic, DiagnosticKind};
use crate::syntax::{Entry, Notes};

/// The answers of `notes` with fewer than `min_words` words.
pub fn short_answers(text: &str, notes: &Notes, min_words: usize) -> Vec<Diagnostic> {
    notes
        .entries
        .iter()
        .filter_map(|e| short_answer(text, e, min_words))
        .collect()
}

/// The finding for one entry's answer, if it is short. A word has a letter
/// or a digit: `-` and `|` are not words.
pub fn short_answer(text: &str, entry: &Entry, min_words: usize) -> Option<Diagnostic> {
    let a = entry.answer.as_ref().filter(|a| !a.placeholder)?;
    let words = a
        .range
        .slice(text)
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    (words < min_words).then(|| Diagnostic {
        kind: DiagnosticKind::ShortAnswer { words },
        range: a.range,
        message: format!(
            "Short answer: {words} word{} (fewer than {min_words}); add the why or the how",
            if words == 1 { "" } else { "s" }
        ),
        fixes: Vec::new(),
        related: Vec::new(),
    })
}
