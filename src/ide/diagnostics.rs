//! Diagnostics: what is incomplete or suspicious in a notes file.
//!
//! Each finding is a typed [`DiagnosticKind`] with a stable code and a default
//! severity; message wording is decided here too so the CLI and the editor say
//! the same thing. Per-entry checks ([`entry_diagnostics`]) depend on one entry
//! alone, so callers can cache them by entry; duplicate detection is the only
//! whole-file pass.

use super::doc_key::DocKey;
use std::collections::HashMap;

use super::fix::{line_break, Fix, TextChange};
use super::hash::FastBuildHasher;
use super::question::{folds_to, normalize_question, question_hash};
use crate::syntax::{Entry, Notes, QuestionKind, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Why an answer is missing, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    NoArrow,
    EmptyAnswer,
    Placeholder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnosticKind {
    UnansweredQuestion(Unanswered),
    MissingQuestionMarker,
    EmptyQuestion,
    MissingArrow,
    DuplicateQuestion,
    MisspelledTerm {
        word: String,
        suggestion: String,
    },
    /// An answer that is only `TODO`, `TBD`, `...` or `?`.
    PlaceholderAnswer,
    /// An answer of fewer words than `[diagnostics] short-answer-words`
    /// (`ide::short_answers`); off unless configured.
    ShortAnswer {
        words: usize,
    },
    /// An ordinary word the English dictionary does not know
    /// (`ide::english`); off unless configured.
    EnglishSpelling {
        word: String,
        /// Nearest first; one fix each.
        suggestions: Vec<String>,
    },
}

impl DiagnosticKind {
    pub const CODES: [&'static str; 9] = [
        "unanswered-question",
        "missing-question-marker",
        "empty-question",
        "missing-arrow",
        "duplicate-question",
        "misspelled-term",
        "placeholder-answer",
        "short-answer",
        "english-spelling",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            DiagnosticKind::UnansweredQuestion(_) => "unanswered-question",
            DiagnosticKind::MissingQuestionMarker => "missing-question-marker",
            DiagnosticKind::EmptyQuestion => "empty-question",
            DiagnosticKind::MissingArrow => "missing-arrow",
            DiagnosticKind::DuplicateQuestion => "duplicate-question",
            DiagnosticKind::MisspelledTerm { .. } => "misspelled-term",
            DiagnosticKind::PlaceholderAnswer => "placeholder-answer",
            DiagnosticKind::ShortAnswer { .. } => "short-answer",
            DiagnosticKind::EnglishSpelling { .. } => "english-spelling",
        }
    }

    pub fn default_severity(&self) -> Severity {
        match self {
            DiagnosticKind::UnansweredQuestion(_)
            | DiagnosticKind::EmptyQuestion
            | DiagnosticKind::PlaceholderAnswer => Severity::Warning,
            DiagnosticKind::DuplicateQuestion
            | DiagnosticKind::MisspelledTerm { .. }
            | DiagnosticKind::EnglishSpelling { .. } => Severity::Information,
            DiagnosticKind::MissingQuestionMarker
            | DiagnosticKind::MissingArrow
            | DiagnosticKind::ShortAnswer { .. } => Severity::Hint,
        }
    }

    /// Reported when the configuration does not name the code: a short
    /// answer is often a complete one (`-> Yes.`), and notes are full of
    /// jargon no dictionary knows, so those checks are asked for.
    pub fn on_by_default(&self) -> bool {
        !matches!(
            self,
            DiagnosticKind::ShortAnswer { .. } | DiagnosticKind::EnglishSpelling { .. }
        )
    }
}

/// Another place that explains a diagnostic (the first copy of a duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// `None` for the same file; else another file of the workspace.
    pub path: Option<DocKey>,
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub range: TextRange,
    pub message: String,
    pub fixes: Vec<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    fn new(kind: DiagnosticKind, range: TextRange, message: String) -> Self {
        Diagnostic {
            kind,
            range,
            message,
            fixes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl Diagnostic {
    /// Where the finding goes in a file's list: by range, then by what it
    /// is about (how the entry is written, a repeat in the file, a repeat in
    /// another file, a misspelling). The one order every list of findings
    /// follows, the CLI's, a push's and a pull's.
    pub fn order(&self) -> (usize, usize, u8) {
        let rank = match &self.kind {
            DiagnosticKind::DuplicateQuestion if self.related.iter().any(|r| r.path.is_some()) => 2,
            DiagnosticKind::DuplicateQuestion => 1,
            DiagnosticKind::MisspelledTerm { .. } | DiagnosticKind::EnglishSpelling { .. } => 3,
            _ => 0,
        };
        (self.range.start(), self.range.end(), rank)
    }
}

impl DiagnosticKind {
    /// Findings about how one entry is written (its `*`, its `->`, its
    /// answer): several can fall on the same question text.
    fn is_structural(&self) -> bool {
        matches!(
            self,
            DiagnosticKind::UnansweredQuestion(_)
                | DiagnosticKind::MissingQuestionMarker
                | DiagnosticKind::EmptyQuestion
                | DiagnosticKind::MissingArrow
        )
    }
}

/// One structural finding per range: where an entry's own checks put
/// several findings on the same text (an unmarked question that is also
/// unanswered), the most severe one stays, in the place of the first, and
/// takes the others' fixes (never as the preferred one) and their messages
/// on a line of its own. Editors show one marker per line; two findings on
/// one range let a hint hide a warning (Neovim sorts by severity only when
/// asked). `found` is sorted by range; findings of other kinds (duplicates,
/// misspellings) are kept as they are.
pub fn one_per_range(found: Vec<(Diagnostic, Severity)>) -> Vec<(Diagnostic, Severity)> {
    let mut out: Vec<(Diagnostic, Severity)> = Vec::with_capacity(found.len());
    // Where the structural finding of the current range sits in `out`.
    let mut group: Option<usize> = None;
    for (d, sev) in found {
        let same = group.filter(|&g| out[g].0.range == d.range);
        match same {
            Some(g) if d.kind.is_structural() => {
                let (kept, kept_sev) = &mut out[g];
                let (mut winner, mut loser) = if sev > *kept_sev {
                    let old = std::mem::replace(kept, d);
                    *kept_sev = sev;
                    (std::mem::take(&mut kept.fixes), old)
                } else {
                    (std::mem::take(&mut kept.fixes), d)
                };
                let kept = &mut out[g].0;
                for f in &mut loser.fixes {
                    f.preferred = false;
                }
                winner.extend(loser.fixes);
                kept.fixes = winner;
                kept.message.push('\n');
                kept.message.push_str(&loser.message);
            }
            _ => {
                if d.kind.is_structural() {
                    group = Some(out.len());
                } else if same.is_none() {
                    group = None;
                }
                out.push((d, sev));
            }
        }
    }
    out
}

/// All diagnostics of one file, in text order.
pub fn diagnostics(text: &str, notes: &Notes) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = notes
        .entries
        .iter()
        .flat_map(|e| entry_diagnostics(text, e))
        .collect();
    out.extend(duplicate_questions(text, notes));
    out.sort_by_key(|d| (d.range.start(), d.range.end()));
    out
}

/// The diagnostics that depend on one entry alone.
pub fn entry_diagnostics(text: &str, entry: &Entry) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let q = &entry.question;
    let eol = line_break(text);
    // Where an answer stub or a missing arrow goes: after the question's last line.
    let after_question = TextRange::empty(q.text.end().max(q.line.end()));
    // An empty question is shown at its `*`, a missing one at its `->`.
    let question_range = if q.text.is_empty() {
        q.marker.or(entry.arrow).unwrap_or(q.line)
    } else {
        q.text
    };

    if q.text.is_empty() {
        // Other dialects mark questions with `Q1.` and answers with `Ans:`:
        // the message names the marker the line has.
        let marker = q.marker.map_or("*", |m| m.slice(text));
        let message = match q.kind {
            QuestionKind::Missing => {
                let arrow = entry.arrow.map_or("->", |a| a.slice(text));
                format!("Answer with no question: write the question above the `{arrow}`")
            }
            _ => format!("Empty question: write the question after the `{marker}`"),
        };
        out.push(Diagnostic::new(
            DiagnosticKind::EmptyQuestion,
            question_range,
            message,
        ));
    } else if let Some(a) = entry.answer.as_ref().filter(|a| a.placeholder) {
        // The answer is there but says it is not: shown on it, under its
        // own code, so that a team can let `TODO`s pass (or fail) on its own.
        out.push(Diagnostic::new(
            DiagnosticKind::PlaceholderAnswer,
            a.range,
            format!(
                "Placeholder answer: `{}` counts as unanswered",
                a.range.slice(text).trim()
            ),
        ));
    } else if !entry.is_answered() {
        let why = match (&entry.arrow, &entry.answer) {
            (_, Some(_)) => Unanswered::Placeholder,
            (Some(_), None) => Unanswered::EmptyAnswer,
            (None, None) => Unanswered::NoArrow,
        };
        let message = match (why, entry.arrow.map(|a| a.slice(text))) {
            (Unanswered::NoArrow, _) => "Unanswered question: no `->` and no answer".to_string(),
            // A heading question (headings dialect) has an empty arrow.
            (Unanswered::EmptyAnswer, Some("")) => {
                "Unanswered question: nothing under the heading".to_string()
            }
            (Unanswered::EmptyAnswer, arrow) => format!(
                "Unanswered question: nothing after the `{}`",
                arrow.unwrap_or("->")
            ),
            (Unanswered::Placeholder, _) => {
                "Unanswered question: the answer is only a placeholder".to_string()
            }
        };
        let mut d = Diagnostic::new(
            DiagnosticKind::UnansweredQuestion(why),
            question_range,
            message,
        );
        let stub = match (why, entry.arrow) {
            (Unanswered::NoArrow, _) => Some((after_question, format!("{eol}->{eol}TODO"))),
            (Unanswered::EmptyAnswer, Some(a)) => Some((
                TextRange::empty(entry.range.end().max(a.end())),
                format!("{eol}TODO"),
            )),
            _ => None,
        };
        if let Some((range, insert)) = stub {
            d.fixes.push(Fix {
                label: "Add an answer stub".to_string(),
                changes: vec![TextChange { range, insert }],
                preferred: true,
            });
        }
        out.push(d);
    }

    if q.kind == QuestionKind::Unmarked {
        let mut d = Diagnostic::new(
            DiagnosticKind::MissingQuestionMarker,
            q.text,
            "Question without `*`: start the line with `*`".to_string(),
        );
        // The `*` replaces any indentation: `*  text` would be a bullet. A
        // question that starts with `*` (`**bold**`) cannot be marked so.
        if !q.text.slice(text).starts_with('*') {
            d.fixes.push(Fix {
                label: "Add `*` to mark the question".to_string(),
                changes: vec![TextChange {
                    range: TextRange::new(q.line.start(), q.text.start()),
                    insert: "*".to_string(),
                }],
                preferred: true,
            });
        }
        out.push(d);
    }

    if entry.arrow.is_none() && entry.answer.is_some() {
        let mut d = Diagnostic::new(
            DiagnosticKind::MissingArrow,
            question_range,
            "Answer without `->`: put `->` between the question and its answer".to_string(),
        );
        d.fixes.push(Fix {
            label: "Add `->` before the answer".to_string(),
            changes: vec![TextChange {
                range: after_question,
                insert: format!("{eol}->"),
            }],
            preferred: true,
        });
        out.push(d);
    }
    out
}

/// The second and later copies of a question, each pointing at the first.
fn duplicate_questions(text: &str, notes: &Notes) -> Vec<Diagnostic> {
    // Keyed by the hash of the folded question (no copy of it); the texts
    // asked under one hash decide, so a collision is no duplicate.
    let mut first: HashMap<u64, Vec<TextRange>, FastBuildHasher> = HashMap::default();
    let mut out = Vec::new();
    for e in &notes.entries {
        if e.question.text.is_empty() {
            continue;
        }
        let question = e.question.text.slice(text);
        let asked = first.entry(question_hash(question)).or_default();
        let key = (!asked.is_empty()).then(|| normalize_question(question));
        let original = key.and_then(|k| asked.iter().find(|r| folds_to(r.slice(text), &k)));
        match original {
            Some(&original) => out.push(duplicate_diagnostic(e.question.text, original)),
            None => asked.push(e.question.text),
        }
    }
    out
}

/// The question at `range` was first asked at `original`, in the same file.
pub(crate) fn duplicate_diagnostic(range: TextRange, original: TextRange) -> Diagnostic {
    let mut d = Diagnostic::new(
        DiagnosticKind::DuplicateQuestion,
        range,
        "Duplicate question: the same question is asked earlier in this file".to_string(),
    );
    d.related.push(Related {
        path: None,
        range: original,
        message: "first asked here".to_string(),
    });
    d
}
