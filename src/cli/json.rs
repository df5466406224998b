//! Machine-readable output: one JSON object per line for each finding, then a
//! summary object; and the outline as one JSON array.

use serde::Serialize;

use super::span::Span;
use super::summary::Summary;
use crate::ide::{Diagnostic, DocKey, OutlineItem, OutlineKind, Severity};
use crate::syntax::LineIndex;

#[derive(Debug, Serialize)]
pub struct Finding<'a> {
    pub path: &'a str,
    #[serde(flatten)]
    pub span: Span,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: &'a str,
    pub fixes: Vec<Fix<'a>>,
    pub related: Vec<Related<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Fix<'a> {
    pub label: &'a str,
    pub edits: Vec<Edit<'a>>,
}

/// Replace the span with `insert`; an empty span is an insertion point.
#[derive(Debug, Serialize)]
pub struct Edit<'a> {
    #[serde(flatten)]
    pub span: Span,
    pub insert: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Related<'a> {
    pub path: &'a str,
    /// Left out for a place in another file: its lines are not known here.
    #[serde(flatten)]
    pub span: Option<Span>,
    pub message: &'a str,
}

impl<'a> Finding<'a> {
    pub fn new(
        path: &'a str,
        text: &str,
        index: &LineIndex,
        d: &'a Diagnostic,
        severity: Severity,
    ) -> Finding<'a> {
        let span = |r| Span::new(index, text, r);
        Finding {
            path,
            span: span(d.range),
            severity: severity.as_str(),
            code: d.code(),
            message: &d.message,
            fixes: d
                .fixes
                .iter()
                .map(|f| Fix {
                    label: &f.label,
                    edits: f
                        .changes
                        .iter()
                        .map(|c| Edit {
                            span: span(c.range),
                            insert: &c.insert,
                        })
                        .collect(),
                })
                .collect(),
            related: d
                .related
                .iter()
                .map(|r| Related {
                    path: r.path.as_ref().map_or(path, DocKey::as_str),
                    span: r.path.is_none().then(|| span(r.range)),
                    message: &r.message,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SummaryLine {
    pub summary: SummaryJson,
}

#[derive(Debug, Serialize)]
pub struct SummaryJson {
    pub files: usize,
    pub questions: usize,
    pub answered: usize,
    pub unanswered: usize,
    pub findings: Counts,
}

/// Every severity is present, zero or not, so consumers need no defaults.
#[derive(Debug, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
}

impl From<&Summary> for SummaryLine {
    fn from(s: &Summary) -> SummaryLine {
        SummaryLine {
            summary: SummaryJson {
                files: s.files,
                questions: s.questions,
                answered: s.answered,
                unanswered: s.unanswered(),
                findings: Counts {
                    error: s.errors,
                    warning: s.warnings,
                    info: s.infos,
                    hint: s.hints,
                },
            },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Outline {
    pub name: String,
    pub kind: &'static str,
    pub detail: Option<String>,
    /// The whole entry, definition line or table.
    #[serde(flatten)]
    pub span: Span,
    /// The question text or term.
    pub selection: Span,
    pub children: Vec<Outline>,
}

impl Outline {
    pub fn new(text: &str, index: &LineIndex, item: &OutlineItem) -> Outline {
        Outline {
            name: item.name.clone(),
            kind: match item.kind {
                OutlineKind::Question => "question",
                OutlineKind::Definition => "definition",
                OutlineKind::Table => "table",
            },
            detail: item.detail.clone(),
            span: Span::new(index, text, item.range),
            selection: Span::new(index, text, item.selection),
            children: item
                .children
                .iter()
                .map(|c| Outline::new(text, index, c))
                .collect(),
        }
    }
}
