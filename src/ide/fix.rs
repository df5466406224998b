//! Fixes: text changes a diagnostic proposes, applied by the editor or CLI.

use crate::syntax::TextRange;

/// Replace `range` with `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: TextRange,
    pub insert: String,
}

/// A named set of changes, e.g. "Add `*` to mark the question".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub label: String,
    pub changes: Vec<TextChange>,
    /// The one obvious fix, which editors may apply with a single key.
    pub preferred: bool,
}

impl Fix {
    /// The text after applying this fix (changes must not overlap).
    pub fn apply(&self, text: &str) -> String {
        let mut changes: Vec<&TextChange> = self.changes.iter().collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.range.start()));
        let mut out = text.to_string();
        for c in changes {
            out.replace_range(c.range.start()..c.range.end(), &c.insert);
        }
        out
    }
}

/// The line break a fix should write: the file's own, so CRLF files stay CRLF.
pub(crate) fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}
