//! How a question is shown and compared.

use crate::syntax::{Entry, QuestionKind};

/// The question as one line: white space collapsed (a question may span lines).
pub fn question_label(entry: &Entry, text: &str) -> String {
    let label = collapse(entry.question.text.slice(text));
    if label.is_empty() {
        match entry.question.kind {
            QuestionKind::Missing => "(missing question)".to_string(),
            _ => "(empty question)".to_string(),
        }
    } else {
        label
    }
}

/// The key under which two questions count as the same: case, spacing and
/// final punctuation folded.
pub fn normalize_question(question: &str) -> String {
    let mut folded = if question.is_ascii() {
        // Every question of every file goes through here: one pass and one
        // allocation for the usual ASCII text.
        let mut out = collapse(question);
        out.make_ascii_lowercase();
        out
    } else {
        collapse(&question.to_lowercase())
    };
    let end = folded
        .trim_end_matches(|c: char| c.is_whitespace() || "?!.:;".contains(c))
        .len();
    folded.truncate(end);
    folded
}

/// `s` with every run of white space made one space, and none at either
/// end (as `split_whitespace` and `join(" ")` would give).
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // White space here is what `char::is_whitespace` says for ASCII.
        let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
        for w in s.as_bytes().split(|&b| space(b)).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(std::str::from_utf8(w).unwrap_or_default());
        }
        return out;
    }
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_question;

    #[test]
    fn collapse_agrees_with_split_whitespace() {
        for s in [
            "",
            "  a  b\t\nc \x0b d ",
            "x",
            " é  \u{2028} f\u{a0}g ",
            "a\r\n b?",
        ] {
            assert_eq!(
                super::collapse(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    #[test]
    fn folds_case_spacing_and_final_punctuation() {
        assert_eq!(
            normalize_question("What  is CSRF ?"),
            normalize_question("what is csrf")
        );
        assert_ne!(
            normalize_question("What is CSRF?"),
            normalize_question("What is XSS?")
        );
    }
}
