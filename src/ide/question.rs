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
    let folded = collapse(&question.to_lowercase());
    folded
        .trim_end_matches(|c: char| c.is_whitespace() || "?!.:;".contains(c))
        .to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize_question;

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
