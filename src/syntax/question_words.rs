//! Whether a line without a marker reads as a question: the words
//! questions start with, and what makes such a line a sentence instead.

/// Words a question starts with. A line starting with one reads as a
/// question unless it reads as a sentence (below).
const QUESTION_WORDS: &[&str] = &[
    "what",
    "what's",
    "whats",
    "why",
    "how",
    "when",
    "where",
    "which",
    "who",
    "whose",
    "explain",
    "difference",
    "differences",
    "define",
    "describe",
    "compare",
];

/// `s` (trimmed) ends with `?`, or starts with a question word and does not
/// read as a sentence or a label: it does not end with `.`, `:`, `;` or `,`,
/// and has no `: ` (`How it works: ...`).
pub(crate) fn looks_like_question(s: &str) -> bool {
    if s.ends_with('?') {
        return true;
    }
    let word_end = s
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .unwrap_or(s.len());
    let word = &s[..word_end];
    if word.len() > 11 || !QUESTION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return false;
    }
    !s.ends_with(['.', ':', ';', ',']) && !s.contains(": ")
}
