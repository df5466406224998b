//! Formatting: one layout for every notes file, computed as plain text.
//!
//! What it changes is only white space and the arrow dialect's markers: the
//! `*` of a question written without one, where the `->` sits, trailing
//! spaces, blank lines, table padding and the final line break. Words never
//! change, code blocks (fenced or indented) are copied byte for byte, CRLF
//! and a byte-order mark stay. Files read in another dialect (`Q:`/`A:`,
//! headings, your own markers) keep their markers where they are: rewriting
//! them into `*`/`->` would turn a file into a dialect its owner did not
//! choose, so only the white-space rules apply there.
//!
//! The file is cut into segments: each entry, and the gaps between entries.
//! Each entry is formatted alone and read again alone; if the parser reads
//! it differently afterwards (a moved line that now starts a question, say),
//! the entry keeps its markers where they were. The whole result is read
//! again too, and a file whose entries would change is formatted with the
//! white-space rules only, or not at all. So formatting never changes what
//! a file means, and the edits it returns are one per changed segment.

mod arrow;
mod lines;
mod table;

use super::fix::TextChange;
use crate::syntax::{self, line_start, parse_as, Dialect, Notes, TextRange};

/// Where the `->` goes (`[format] arrow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArrowStyle {
    /// `->` alone on the line under the question, the answer under it.
    #[default]
    OwnLine,
    /// `->` at the end of the question line (`*What is CSRF? ->`); text
    /// already after an arrow stays after it.
    SameLine,
}

impl ArrowStyle {
    pub fn from_name(name: &str) -> Option<ArrowStyle> {
        match name {
            "own-line" => Some(ArrowStyle::OwnLine),
            "same-line" => Some(ArrowStyle::SameLine),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ArrowStyle::OwnLine => "own-line",
            ArrowStyle::SameLine => "same-line",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormatOptions {
    pub arrow: ArrowStyle,
}

/// The formatted text of a whole file. `notes` is `text` parsed in the
/// file's dialect.
pub fn format(text: &str, notes: &Notes, options: &FormatOptions) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut pos = 0;
    for c in format_edits(text, notes, options) {
        out.push_str(&text[pos..c.range.start()]);
        out.push_str(&c.insert);
        pos = c.range.end();
    }
    out.push_str(&text[pos..]);
    out
}

/// The edits that format the whole file, in text order, not overlapping.
pub fn format_edits(text: &str, notes: &Notes, options: &FormatOptions) -> Vec<TextChange> {
    let segments = plan(text, notes, options);
    segments.iter().filter_map(|s| s.edit(text)).collect()
}

/// The edits that format the entries `range` touches, and the blank lines
/// around them; in a gap between entries, that gap.
pub fn format_range_edits(
    text: &str,
    notes: &Notes,
    options: &FormatOptions,
    range: TextRange,
) -> Vec<TextChange> {
    let segments = plan(text, notes, options);
    let touches = |r: TextRange| r.start() <= range.end() && range.start() <= r.end();
    let entries: Vec<TextRange> = notes
        .entries
        .iter()
        .map(|e| e.range)
        .filter(|&r| touches(r))
        .collect();
    let span = match (entries.first(), entries.last()) {
        (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
        _ => range,
    };
    segments
        .iter()
        .filter(|s| s.range.start() <= span.end() && span.start() <= s.range.end())
        .filter_map(|s| s.edit(text))
        .collect()
}

/// One piece of the file and what it becomes.
#[derive(Debug)]
struct Segment {
    range: TextRange,
    out: String,
}

impl Segment {
    /// The change, trimmed to the bytes that differ.
    fn edit(&self, text: &str) -> Option<TextChange> {
        let old = self.range.slice(text);
        if old == self.out {
            return None;
        }
        let new = self.out.as_str();
        let head = syntax::common_start(old, new);
        let tail = syntax::common_end(&old[head..], &new[head..]);
        Some(TextChange {
            range: TextRange::new(self.range.start() + head, self.range.end() - tail),
            insert: new[head..new.len() - tail].to_string(),
        })
    }
}

/// How much an entry may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Markers, arrows and white space.
    Full,
    /// White space only, and no blank line where there was none.
    Spacing,
}

/// The segments of the whole file, from after the byte-order mark to the
/// end, checked: the formatted file reads as the same entries.
fn plan(text: &str, notes: &Notes, options: &FormatOptions) -> Vec<Segment> {
    for level in [Level::Full, Level::Spacing] {
        let Some(segments) = segments(text, notes, options, level) else {
            return Vec::new();
        };
        let out: String = segments.iter().map(|s| s.out.as_str()).collect();
        let bom = bom_len(text);
        let formatted = format!("{}{out}", &text[..bom]);
        if shape(text, notes) == shape(&formatted, &parse_as(&formatted, notes.dialect)) {
            return segments;
        }
    }
    Vec::new()
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// `None` when the entries do not tile the text as expected (a parse of
/// other text): nothing is formatted then.
fn segments(
    text: &str,
    notes: &Notes,
    options: &FormatOptions,
    level: Level,
) -> Option<Vec<Segment>> {
    let nl = line_break(text);
    let mut out = Vec::with_capacity(notes.entries.len() * 2 + 1);
    let mut pos = bom_len(text);
    let gap = |pos: usize, end: usize, first: bool, last: bool| Segment {
        range: TextRange::new(pos, end),
        out: lines::gap(
            text,
            notes,
            TextRange::new(pos, end),
            lines::GapKind {
                first,
                last,
                separate: level == Level::Full && !first && !last,
            },
            nl,
        ),
    };
    for (i, e) in notes.entries.iter().enumerate() {
        let r = e.range;
        let at_line_start = r.start() == bom_len(text) || line_start(text, r.start()) == r.start();
        if r.start() < pos || r.end() > text.len() || !at_line_start {
            return None;
        }
        out.push(gap(pos, r.start(), i == 0, false));
        out.push(Segment {
            range: r,
            out: entry(text, notes, i, options, level, nl),
        });
        pos = r.end();
    }
    out.push(gap(pos, text.len(), notes.entries.is_empty(), true));
    Some(out)
}

/// One entry formatted, read again alone to make sure it means the same.
fn entry(
    text: &str,
    notes: &Notes,
    i: usize,
    options: &FormatOptions,
    level: Level,
    nl: &str,
) -> String {
    let e = &notes.entries[i];
    let original = e.range.slice(text);
    let before = parse_as(original, notes.dialect);
    let expected = shape(original, &before);
    let moved = (level == Level::Full && notes.dialect == Dialect::Arrow)
        .then(|| arrow::markers(text, e, options.arrow, nl))
        .filter(|m| m != original);
    if let Some(moved) = moved {
        let parsed = parse_as(&moved, notes.dialect);
        let tidy = lines::entry(&moved, &parsed);
        if shape(&tidy, &parse_as(&tidy, notes.dialect)) == expected {
            return tidy;
        }
    }
    let tidy = lines::entry(original, &before);
    // Most entries of a formatted file: nothing to check.
    if tidy == original || shape(&tidy, &parse_as(&tidy, notes.dialect)) == expected {
        return tidy;
    }
    original.to_string()
}

/// The line break for lines formatting adds where no line break is at hand:
/// that of the first line with text, which formatting keeps first.
fn line_break(text: &str) -> &'static str {
    let first = crate::syntax::LineIter::new(text, 0, text.len())
        .find(|&(s, e, next)| !text[s..e].trim().is_empty() && next > e)
        .map(|(_, e, next)| &text[e..next]);
    match first {
        Some("\r\n") => "\r\n",
        Some("\r") => "\r",
        _ => "\n",
    }
}

/// What a parse says, with white space and table rulers left out: two texts
/// of the same shape mean the same notes.
#[derive(Debug, PartialEq, Eq)]
struct EntryShape {
    missing: bool,
    question: String,
    arrow: bool,
    answer: Option<(String, bool, usize, Vec<String>)>,
}

fn shape(text: &str, notes: &Notes) -> Vec<EntryShape> {
    notes
        .entries
        .iter()
        .map(|e| EntryShape {
            missing: e.question.kind == crate::syntax::QuestionKind::Missing,
            question: squash(e.question.text.slice(text)),
            arrow: e.arrow.is_some(),
            answer: e.answer.as_ref().map(|a| {
                (
                    squash(a.range.slice(text)),
                    a.placeholder,
                    a.tables().len(),
                    a.definitions()
                        .iter()
                        .map(|d| squash(d.term.slice(text)) + ":" + &squash(d.body.slice(text)))
                        .collect(),
                )
            }),
        })
        .collect()
}

/// `s` without white space, runs of `-` as one (table rulers are resized).
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}
