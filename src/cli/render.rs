//! Human output in the style of rustc: a header, the location, the source line
//! with the span underlined, then help and notes.

use std::io::{self, Write};

use super::span::Span;
use super::style::{Paint, Styles};
use anstyle::Style;

use crate::ide::{Diagnostic, DocKey, Related, Severity};
use crate::syntax::LineIndex;
use crate::syntax::{line_end, line_start, TextRange};

/// Columns a tab takes in the shown line, so that carets line up whatever the
/// terminal's tab stops are.
const TAB_WIDTH: usize = 4;

/// One file's text, with what is needed to point into it.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
    /// How a place in another file is named (`path:line:col`).
    pub elsewhere: &'a dyn Fn(&DocKey, TextRange) -> String,
}

/// Writes one diagnostic as a block, followed by a blank line.
pub fn diagnostic(
    out: &mut dyn Write,
    src: &Source<'_>,
    d: &Diagnostic,
    severity: Severity,
    styles: &Styles,
) -> io::Result<()> {
    let here = |range: TextRange| Span::new(src.index, src.text, range);
    let primary = here(d.range);
    // Places in this file get their own snippet; others only a line.
    let (local, elsewhere): (Vec<&Related>, Vec<&Related>) =
        d.related.iter().partition(|r| r.path.is_none());
    let widest = local
        .iter()
        .map(|r| here(r.range).line)
        .fold(primary.line, usize::max);
    let pad = " ".repeat(widest.to_string().len());
    let gutter = Gutter {
        pad: &pad,
        style: styles.gutter,
    };
    let sev = styles.severity(severity);

    let header = format!("{}[{}]", severity.as_str(), d.code());
    writeln!(
        out,
        "{}: {}",
        Paint(sev, &header),
        Paint(styles.message, &d.message)
    )?;
    gutter.location(out, src.path, primary)?;
    snippet(out, src, d.range, ('^', sev), &gutter)?;
    for fix in &d.fixes {
        gutter.remark(out, Paint(styles.help, "help"), &fix.label)?;
    }
    for r in elsewhere {
        let path = r.path.as_ref().map(|doc| (src.elsewhere)(doc, r.range));
        let path = path.unwrap_or_default();
        gutter.remark(
            out,
            Paint(styles.note, "note"),
            &format!("{} ({path})", r.message),
        )?;
    }
    for r in local {
        gutter.bar(out)?;
        writeln!(
            out,
            "{}: {}",
            Paint(styles.note, "note"),
            Paint(styles.message, &r.message)
        )?;
        gutter.location(out, src.path, here(r.range))?;
        snippet(out, src, r.range, ('-', styles.note), &gutter)?;
    }
    writeln!(out)
}

/// The left margin of a block: as wide as the largest line number shown.
struct Gutter<'a> {
    pad: &'a str,
    style: Style,
}

impl Gutter<'_> {
    fn location(&self, out: &mut dyn Write, path: &str, at: Span) -> io::Result<()> {
        let arrow = Paint(self.style, "-->");
        writeln!(out, "{}{arrow} {path}:{}:{}", self.pad, at.line, at.column)
    }

    fn bar(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} {}", self.pad, Paint(self.style, "|"))
    }

    fn remark(&self, out: &mut dyn Write, label: Paint<'_>, text: &str) -> io::Result<()> {
        writeln!(
            out,
            "{} {} {label}: {text}",
            self.pad,
            Paint(self.style, "=")
        )
    }
}

/// The first line of `range` under an empty gutter line, and the marks
/// (`^` for the finding, `-` for related places) below it.
fn snippet(
    out: &mut dyn Write,
    src: &Source<'_>,
    range: TextRange,
    (mark, mark_style): (char, Style),
    gutter: &Gutter<'_>,
) -> io::Result<()> {
    let line = src.index.line(range.start());
    let (first, last) = (
        line_start(src.text, range.start()),
        line_end(src.text, range.start()),
    );
    // A span over several lines is underlined to the end of its first line.
    let end = range.end().clamp(range.start(), last);
    let (lo, hi) = window(&src.text[first..last], range.start() - first, end - first);
    let line_text = &src.text[first + lo..first + hi];
    let (mut shown, mut offset, width) = underline(
        line_text,
        range.start() - first - lo,
        (end - first).min(hi) - lo,
    );
    // Cut lines say so at the cut, and the marks move past the mark.
    if lo > 0 {
        shown.insert(0, '…');
        offset += 1;
    }
    if first + hi < last {
        shown.push('…');
    }
    let number = format!("{:>w$}", line + 1, w = gutter.pad.len());
    let bar = Paint(gutter.style, "|");
    let marks: String = std::iter::repeat(mark).take(width).collect();
    gutter.bar(out)?;
    writeln!(
        out,
        "{} {bar} {}",
        Paint(gutter.style, &number),
        shown.trim_end()
    )?;
    writeln!(
        out,
        "{} {bar} {}{}",
        gutter.pad,
        " ".repeat(offset),
        Paint(mark_style, &marks)
    )
}

/// Bytes of a long line shown before a finding's start, and at most
/// after it: a line printed whole for each of its findings made output
/// quadratic in the line (figures in docs/robustness.md).
const CONTEXT_BEFORE: usize = 60;
const CONTEXT_AFTER: usize = 100;

/// The part of `line` shown for the span `start..end`: all of it when it
/// is short, else a window around the span's start, on character
/// boundaries.
fn window(line: &str, start: usize, end: usize) -> (usize, usize) {
    if line.len() <= CONTEXT_BEFORE + CONTEXT_AFTER {
        return (0, line.len());
    }
    let mut lo = start.saturating_sub(CONTEXT_BEFORE);
    while !line.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = end
        .max(start + 1)
        .min(start + CONTEXT_AFTER)
        .min(line.len());
    while !line.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}

/// The line as shown (tabs expanded, control characters made visible), and
/// the display column and width of `line[start..end]` in it; at least one
/// mark so an empty span is still pointed at.
fn underline(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let shown = expand(line);
    let offset = expand(&line[..start]).chars().count();
    let width = expand(&line[start..end]).chars().count().max(1);
    (shown, offset, width)
}

/// Text from a file made safe and regular for the terminal.
pub fn expand(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.extend(std::iter::repeat(' ').take(TAB_WIDTH)),
            // A raw escape byte in a note must not restyle the terminal.
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::diagnostics;
    use crate::syntax::parse;

    fn check(text: &str, expect: Expect) {
        let notes = parse(text);
        let index = LineIndex::new(text);
        let src = Source {
            path: "a.notes",
            text,
            index: &index,
            elsewhere: &|doc, _| doc.to_string(),
        };
        let mut out = Vec::new();
        for d in diagnostics(text, &notes) {
            let severity = d.kind.default_severity();
            diagnostic(&mut out, &src, &d, severity, &Styles::plain()).unwrap();
        }
        expect.assert_eq(&String::from_utf8(out).unwrap());
    }

    #[test]
    fn carets_line_up_after_tabs_and_wide_text() {
        check(
            "*日本語\tand 😀?\n",
            expect![[r#"
                warning[unanswered-question]: Unanswered question: no `->` and no answer
                 --> a.notes:1:2
                  |
                1 | *日本語    and 😀?
                  |  ^^^^^^^^^^^^^
                  = help: Add an answer stub

            "#]],
        );
    }

    /// A finding in the middle of a long line shows a window of it, cut
    /// with `…` on both sides, the marks under the finding.
    #[test]
    fn a_long_line_is_shown_around_the_finding() {
        let long = format!("*{}What is CSRF?{}", "a ".repeat(200), " b".repeat(200));
        let text = format!("{long}\n->\nAnswer.\n\n*What is CSRF?\n");
        check(
            &text,
            expect![[r#"
                warning[unanswered-question]: Unanswered question: no `->` and no answer
                 --> a.notes:5:2
                  |
                5 | *What is CSRF?
                  |  ^^^^^^^^^^^^^
                  = help: Add an answer stub

            "#]],
        );
        let notes = parse(&long);
        let index = LineIndex::new(&long);
        let src = Source {
            path: "a.notes",
            text: &long,
            index: &index,
            elsewhere: &|doc, _| doc.to_string(),
        };
        let d = &diagnostics(&long, &notes)[0];
        let mut out = Vec::new();
        diagnostic(
            &mut out,
            &src,
            d,
            d.kind.default_severity(),
            &Styles::plain(),
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.lines().all(|l| l.chars().count() < 200), "{out}");
        assert!(out.contains("| *a a a"), "{out}");
        assert!(out.contains("a …"), "{out}");
    }

    #[test]
    fn duplicate_points_at_the_first_copy() {
        check(
            "*Why?\n-> Because.\n\n*why ?\n-> Again.\n",
            expect![[r#"
                info[duplicate-question]: Duplicate question: the same question is asked earlier in this file
                 --> a.notes:4:2
                  |
                4 | *why ?
                  |  ^^^^^
                  |
                note: first asked here
                 --> a.notes:1:2
                  |
                1 | *Why?
                  |  ----

            "#]],
        );
    }

    #[test]
    fn control_characters_are_not_sent_to_the_terminal() {
        assert_eq!(expand("a\u{1b}[31mb\tc"), "a\u{FFFD}[31mb    c");
    }
}
