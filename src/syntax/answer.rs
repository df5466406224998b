//! An answer's contents: its `Term: definition` lines, its tables, and
//! whether it is only a placeholder (`TODO`).

use super::classify::{trimmed, Kind, Line};
use super::model::{Answer, Definition, Table, TextRange};

pub(crate) fn build_answer(
    text: &str,
    lines: &[Line],
    arrow_tail: Option<TextRange>,
    answer_lines: &[usize],
    range: TextRange,
    pieces: &[TextRange],
) -> Answer {
    // Most answers define one term or none: room for exactly one first, so
    // that boxing it needs no second allocation.
    let mut definitions: Vec<Definition> = Vec::new();
    let mut add = |d: Option<Definition>| {
        if let Some(d) = d {
            if definitions.is_empty() {
                definitions.reserve_exact(1);
            }
            definitions.push(d);
        }
    };
    if let Some(t) = arrow_tail {
        add(definition(text, t));
    }
    let mut tables: Vec<Table> = Vec::new();
    let mut prev_table_line: Option<usize> = None;
    for &i in answer_lines {
        let l = lines[i];
        match l.kind {
            Kind::Table => {
                let row = trimmed(text, l.start, l.end);
                let continues = prev_table_line == Some(i.wrapping_sub(1));
                match tables.last_mut() {
                    Some(t) if continues => {
                        t.range = t.range.with_end(row.end());
                        if !is_separator_row(row.slice(text)) {
                            t.rows += 1;
                        }
                    }
                    _ => tables.push(Table {
                        range: row,
                        header: cells(text, row).into_boxed_slice(),
                        rows: 0,
                    }),
                }
                prev_table_line = Some(i);
            }
            Kind::Text | Kind::SoftStar | Kind::Option => {
                add(definition(text, trimmed(text, l.start, l.end)))
            }
            _ => {}
        }
    }
    let placeholder = pieces.len() == 1 && is_placeholder(range.slice(text));
    Answer::new(range, definitions, tables, placeholder)
}

/// `TODO` alone (any case, with punctuation), `TODO` in capitals before other
/// text (`TODO: explain`), or a few other stand-ins. `Todoist ...` and
/// `Todo apps ...` are answers.
fn is_placeholder(answer: &str) -> bool {
    let answer = answer.trim();
    let a = answer.to_ascii_lowercase();
    matches!(a.as_str(), "..." | "…" | "?" | "??" | "tbd" | "tba" | "-")
        || a.trim_end_matches(|c: char| c.is_ascii_punctuation()) == "todo"
        || answer
            .strip_prefix("TODO")
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
}

fn is_separator_row(row: &str) -> bool {
    row.chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn cells(text: &str, row: TextRange) -> Vec<TextRange> {
    let s = row.slice(text);
    let mut out = Vec::new();
    let mut pos = 0;
    for part in s.split('|') {
        let start = row.start() + pos;
        pos += part.len() + 1;
        let r = trimmed(text, start, start + part.len());
        if !r.is_empty() {
            out.push(r);
        }
    }
    out
}

/// Words that end in a colon but label a block rather than define a term.
const LABELS: &[&str] = &[
    "answer", "e.g", "eg", "example", "examples", "ex", "note", "notes", "tip", "tips", "why",
    "how", "pros", "cons", "steps", "flow", "usage", "see", "ref", "source", "q", "a", "i.e",
    "todo", "tbd",
];

/// Recognises `Term: definition` (optionally after a bullet, or with the term
/// in `**bold**`).
fn definition(text: &str, piece: TextRange) -> Option<Definition> {
    let s = piece.slice(text);
    let mut i = 0;
    for bullet in ["- ", "* ", "• ", "+ "] {
        if let Some(rest) = s.strip_prefix(bullet) {
            i = s.len() - rest.trim_start().len();
            break;
        }
    }
    let mut bold = false;
    if s[i..].starts_with("**") {
        i += 2;
        bold = true;
    }
    let rest = &s[i..];
    // The memchr crate's search is vectorised; `str::find` is not.
    let colon = memchr::memchr(b':', rest.as_bytes())?;
    let mut term = &rest[..colon];
    if bold {
        term = term.strip_suffix("**")?;
    }
    if term.len() > 48
        || !term.starts_with(|c: char| c.is_alphabetic())
        || !term
            .chars()
            .all(|c| c.is_alphanumeric() || " -_.+#/()'".contains(c))
        || term.ends_with(' ')
        || term.split_whitespace().count() > 5
    {
        return None;
    }
    // The labels are ASCII, so no Unicode lowering (and no allocation) is
    // needed to tell whether `term` is one.
    if LABELS.iter().any(|l| l.eq_ignore_ascii_case(term)) {
        return None;
    }
    // `10:30`, `localhost:8080` and `https://` are not `Term: definition`.
    if !rest[colon + 1..].starts_with(char::is_whitespace) {
        return None;
    }
    let body_start = piece.start() + i + colon + 1;
    let body = trimmed(text, body_start, piece.end());
    if body.is_empty() {
        return None;
    }
    let term_start = piece.start() + i;
    Some(Definition {
        term: TextRange::new(term_start, term_start + term.len()),
        body,
        line: piece,
    })
}
