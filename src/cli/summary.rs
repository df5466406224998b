//! The totals of a `check` run: files, questions, and findings by severity.

use crate::ide::plural;
use crate::ide::Severity;
use crate::syntax::Notes;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub questions: usize,
    pub answered: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Summary {
    pub fn add_file(&mut self, notes: &Notes) {
        self.files += 1;
        self.questions += notes.entries.len();
        self.answered += notes.entries.iter().filter(|e| e.is_answered()).count();
    }

    pub fn add_finding(&mut self, severity: Severity) {
        *match severity {
            Severity::Error => &mut self.errors,
            Severity::Warning => &mut self.warnings,
            Severity::Information => &mut self.infos,
            Severity::Hint => &mut self.hints,
        } += 1;
    }

    pub fn unanswered(&self) -> usize {
        self.questions - self.answered
    }

    /// `checked 4 files: 38 questions, 31 answered, 7 unanswered; 9 warnings, 5 hints`
    pub fn line(&self) -> String {
        let counts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
            (self.hints, "hint"),
        ]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
        let findings = if counts.is_empty() {
            "no findings".to_string()
        } else {
            counts.join(", ")
        };
        format!(
            "checked {}: {}, {} answered, {} unanswered; {findings}",
            plural(self.files, "file"),
            plural(self.questions, "question"),
            self.answered,
            self.unanswered(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let mut s = Summary {
            files: 1,
            questions: 3,
            answered: 2,
            ..Summary::default()
        };
        assert_eq!(
            s.line(),
            "checked 1 file: 3 questions, 2 answered, 1 unanswered; no findings"
        );
        s.add_finding(Severity::Warning);
        s.add_finding(Severity::Hint);
        s.add_finding(Severity::Hint);
        assert_eq!(
            s.line(),
            "checked 1 file: 3 questions, 2 answered, 1 unanswered; 1 warning, 2 hints"
        );
    }
}
