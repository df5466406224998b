//! A readable, stable text form of parsed notes, for snapshot tests and for
//! `notes-ls parse` when a user wants to see how a file was read.

use std::fmt::Write;

use super::model::{Notes, QuestionKind};

/// One block per entry: its kind, ranges and the text they cover.
pub fn dump(notes: &Notes, text: &str) -> String {
    let mut out = String::new();
    for e in &notes.entries {
        let q = &e.question;
        let kind = match q.kind {
            QuestionKind::Starred => "starred",
            QuestionKind::Unmarked => "unmarked",
            QuestionKind::Missing => "missing",
        };
        let _ = writeln!(
            out,
            "entry {}..{} {kind}{} question {}..{} {:?}",
            e.range.start(),
            e.range.end(),
            if q.starts_chunk { "" } else { " (soft)" },
            q.text.start(),
            q.text.end(),
            q.text.slice(text)
        );
        if let Some(a) = e.arrow {
            let _ = writeln!(out, "  arrow {}..{}", a.start(), a.end());
        }
        match &e.answer {
            None => {
                let _ = writeln!(out, "  no answer");
            }
            Some(a) => {
                let _ = writeln!(
                    out,
                    "  answer {}..{}{} {:?}",
                    a.range.start(),
                    a.range.end(),
                    if a.placeholder { " (placeholder)" } else { "" },
                    abbreviate(a.range.slice(text))
                );
                for d in a.definitions() {
                    let _ = writeln!(
                        out,
                        "  definition {:?}: {:?}",
                        d.term.slice(text),
                        abbreviate(d.body.slice(text))
                    );
                }
                for t in a.tables() {
                    let header: Vec<&str> = t.header.iter().map(|c| c.slice(text)).collect();
                    let _ = writeln!(
                        out,
                        "  table {}..{} rows {} header {:?}",
                        t.range.start(),
                        t.range.end(),
                        t.rows,
                        header
                    );
                }
            }
        }
    }
    out
}

fn abbreviate(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let head: String = s.chars().take(MAX).collect();
    format!("{head}…")
}
