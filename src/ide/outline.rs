//! The outline: every question, with its definition lines and tables as children.

use super::question::question_label;
use crate::syntax::{Entry, Notes, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineKind {
    Question,
    Definition,
    Table,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    pub kind: OutlineKind,
    pub name: String,
    /// `unanswered` for questions without an answer; the row count for tables.
    pub detail: Option<String>,
    /// The whole entry, definition line or table.
    pub range: TextRange,
    /// What to highlight when the item is picked: the question text or term.
    pub selection: TextRange,
    pub children: Vec<OutlineItem>,
}

pub fn outline(text: &str, notes: &Notes) -> Vec<OutlineItem> {
    notes
        .entries
        .iter()
        .map(|e| outline_entry(text, e))
        .collect()
}

/// The outline item of one entry: one entry's part of [`outline`].
pub fn outline_entry(text: &str, e: &Entry) -> OutlineItem {
    let mut children = Vec::new();
    if let Some(a) = &e.answer {
        for d in a.definitions() {
            children.push(OutlineItem {
                kind: OutlineKind::Definition,
                name: d.term.slice(text).to_string(),
                detail: None,
                range: d.line,
                selection: d.term,
                children: Vec::new(),
            });
        }
        for t in a.tables() {
            let header: Vec<&str> = t.header.iter().map(|c| c.slice(text)).collect();
            let first_row = t.range.start()..t.header.last().map_or(t.range.end(), |c| c.end());
            children.push(OutlineItem {
                kind: OutlineKind::Table,
                name: format!("table: {}", header.join(" | ")),
                detail: Some(format!(
                    "{} row{}",
                    t.rows,
                    if t.rows == 1 { "" } else { "s" }
                )),
                range: t.range,
                selection: TextRange::new(first_row.start, first_row.end),
                children: Vec::new(),
            });
        }
        children.sort_by_key(|c| c.range.start());
    }
    let selection = if e.question.text.is_empty() {
        e.arrow.unwrap_or(e.question.line)
    } else {
        e.question.text
    };
    OutlineItem {
        kind: OutlineKind::Question,
        name: question_label(e, text),
        detail: (!e.is_answered()).then(|| "unanswered".to_string()),
        range: e.range,
        selection,
        children,
    }
}
