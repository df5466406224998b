//! The white-space rules, line by line: no trailing spaces, one blank line
//! where there were several, tables padded, and code left exactly as it is.
//!
//! A line inside a fenced code block, or indented like code (four columns
//! or a tab), is copied as it is, and so are the blank lines between two
//! such lines: in code, trailing spaces and blank lines can matter.

use super::table;
use crate::syntax::{line_start, LineIter, Notes, TextRange};

/// One output line: its text and the line break it had (empty at the end).
struct Line<'a> {
    text: std::borrow::Cow<'a, str>,
    brk: &'a str,
    blank: bool,
    /// Code: neither trimmed nor a reason to drop the blank lines next to it.
    code: bool,
}

/// The lines of `text[start..end]` (`start` a line start) with trailing
/// white space removed and tables aligned; blank lines not yet collapsed.
fn read<'a>(text: &'a str, notes: &Notes, start: usize, end: usize) -> Vec<Line<'a>> {
    let code_blocks: Vec<TextRange> = notes.blocks.code();
    let mut aligned = table_lines(text, notes, start, end).into_iter().peekable();
    let mut out = Vec::new();
    for (s, e, next) in LineIter::new(text, start, end) {
        let content = &text[s..e];
        let brk = &text[e..next];
        while aligned.peek().is_some_and(|(at, _)| *at < s) {
            aligned.next();
        }
        if let Some((_, row)) = aligned.next_if(|(at, _)| *at == s) {
            out.push(Line {
                text: row.into(),
                brk,
                blank: false,
                code: false,
            });
            continue;
        }
        let fenced = code_blocks
            .iter()
            .any(|b| b.start() <= s && s <= b.end() && !b.is_empty());
        let blank = !fenced && content.trim().is_empty();
        let code = fenced || (!blank && indented(content));
        let text = if code { content } else { content.trim_end() };
        out.push(Line {
            text: text.into(),
            brk,
            blank,
            code,
        });
    }
    out
}

/// Indented like a markdown code block: four columns of spaces, or a tab.
fn indented(line: &str) -> bool {
    let mut cols = 0;
    for c in line.chars() {
        match c {
            ' ' => cols += 1,
            '\t' => return true,
            _ => break,
        }
        if cols >= 4 {
            return true;
        }
    }
    false
}

/// Each table row in `start..end` that alignment changes, by line start.
fn table_lines(text: &str, notes: &Notes, start: usize, end: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for t in notes
        .entries
        .iter()
        .filter_map(|e| e.answer.as_ref())
        .flat_map(|a| a.tables().iter())
        .filter(|t| t.range.start() >= start && t.range.end() <= end)
    {
        let lines: Vec<(usize, &str)> =
            LineIter::new(text, line_start(text, t.range.start()), t.range.end())
                .map(|(s, e, _)| (s, &text[s..e]))
                .collect();
        let rows: Vec<&str> = lines.iter().map(|(_, l)| *l).collect();
        if let Some(aligned) = table::align(&rows) {
            out.extend(lines.iter().map(|(s, _)| *s).zip(aligned));
        }
    }
    out
}

/// Collapses runs of blank lines to one, except between two code lines.
fn collapse(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    let mut out: Vec<Line<'_>> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].blank {
            out.push(clone_line(&lines[i]));
            i += 1;
            continue;
        }
        let run_end = (i..lines.len())
            .find(|&j| !lines[j].blank)
            .unwrap_or(lines.len());
        let prev_code = i > 0 && lines[i - 1].code;
        let next_code = lines.get(run_end).is_some_and(|l| l.code);
        if prev_code && next_code {
            // Blank lines inside indented code, as written.
            out.extend(lines[i..run_end].iter().map(|l| Line {
                text: l.text.clone(),
                brk: l.brk,
                blank: true,
                code: true,
            }));
        } else {
            out.push(Line {
                text: "".into(),
                brk: lines[i].brk,
                blank: true,
                code: false,
            });
        }
        i = run_end;
    }
    out
}

fn clone_line<'a>(l: &Line<'a>) -> Line<'a> {
    Line {
        text: l.text.clone(),
        brk: l.brk,
        blank: l.blank,
        code: l.code,
    }
}

fn join(lines: &[Line<'_>], out: &mut String) {
    for l in lines {
        out.push_str(&l.text);
        push_break(out, l.brk);
    }
}

/// Appends a line break; a `\n` right after a lone `\r` (an emptied line in
/// a file of mixed breaks) would make one CRLF of two breaks, so it becomes
/// a `\r` too.
fn push_break(out: &mut String, brk: &str) {
    if brk == "\n" && out.ends_with('\r') {
        out.push('\r');
    } else {
        out.push_str(brk);
    }
}

/// An entry alone (`notes` is `text` parsed): it ends at the end of its
/// last line, without the line break.
pub(super) fn entry(text: &str, notes: &Notes) -> String {
    let lines = collapse(read(text, notes, 0, text.len()));
    let mut out = String::with_capacity(text.len());
    join(&lines, &mut out);
    out
}

/// Where a gap between entries lies.
pub(super) struct GapKind {
    /// Before the first entry: no blank lines at the start of the file.
    pub first: bool,
    /// After the last entry: no blank lines at the end, one final break.
    pub last: bool,
    /// Between two entries with nothing between them: add a blank line.
    pub separate: bool,
}

/// The text between two entries (or before the first, after the last).
/// It starts where an entry ends, at the end of a line's content, or at the
/// start of the file.
pub(super) fn gap(text: &str, notes: &Notes, range: TextRange, kind: GapKind, nl: &str) -> String {
    let mut out = String::new();
    let mut pos = range.start();
    let mut tail_brk = "";
    if !kind.first {
        // The rest of the entry's last line, and its line break.
        let (s, e, next) = LineIter::new(text, pos, range.end())
            .next()
            .unwrap_or((pos, pos, pos));
        // Trailing spaces of an indented code line are code.
        let whole = &text[line_start(text, s)..e];
        out.push_str(if indented(whole) {
            &text[s..e]
        } else {
            text[s..e].trim_end()
        });
        tail_brk = &text[e..next];
        pos = next;
    }
    let mut lines = collapse(read(text, notes, pos, range.end()));
    if kind.first {
        let lead = lines.iter().take_while(|l| l.blank && !l.code).count();
        lines.drain(..lead);
    }
    if kind.last {
        while lines.last().is_some_and(|l| l.blank && !l.code) {
            lines.pop();
        }
    }
    let only_blank = lines.iter().all(|l| l.blank && !l.code);
    if !kind.first && !kind.last && only_blank {
        // Exactly one blank line between two entries.
        if lines.is_empty() && !kind.separate {
            out.push_str(tail_brk);
            return out;
        }
        // The entry's own line break twice: a `\n` after a lone `\r` would
        // make one CRLF of them.
        let brk = if tail_brk.is_empty() { nl } else { tail_brk };
        push_break(&mut out, brk);
        push_break(
            &mut out,
            lines
                .first()
                .map_or(brk, |l| if l.brk.is_empty() { brk } else { l.brk }),
        );
        return out;
    }
    push_break(&mut out, tail_brk);
    join(&lines, &mut out);
    let wrote_anything = range.start() > bom(text) || !out.is_empty();
    if kind.last && wrote_anything && !out.ends_with(['\n', '\r']) {
        out.push_str(nl);
    }
    out
}

fn bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}
