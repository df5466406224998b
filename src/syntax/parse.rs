//! The parser: text in, [`Notes`] out, in one pass over the lines.
//!
//! The file is read as chunks that each begin at a line that is a question by
//! its own text (`*` followed by text). Nothing inside one chunk depends on
//! another, which is what `incremental` relies on. Inside a chunk a small state
//! machine decides, line by line, what is question, arrow and answer. The rules
//! and their reasons are in `docs/format.md`.

use super::lines::LineIter;
use super::model::{Answer, Definition, Entry, Notes, Question, QuestionKind, Table, TextRange};

/// Parses a whole file. Never fails.
pub fn parse(text: &str) -> Notes {
    // Room for one entry per `*` line, counted at memory speed: growing by
    // doubling, then shrinking to fit, copied the entries about three times,
    // a tenth of the parse of a large file.
    let starred = memchr::memmem::find_iter(text.as_bytes(), b"\n*").count() + 1;
    let mut entries = Vec::with_capacity(starred);
    parse_region(text, 0, text.len(), &mut entries);
    // Open files are kept parsed: no spare room (a no-op when the count was
    // right, as it is unless questions lack their `*`).
    entries.shrink_to_fit();
    Notes {
        entries,
        len: text.len(),
    }
}

/// Parses `text[start..end]` and appends its entries to `out`. `start` must be
/// 0 or the start of a chunk-starting line; `end` must be `text.len()` or the
/// start of one.
pub(crate) fn parse_region(text: &str, start: usize, end: usize, out: &mut Vec<Entry>) {
    let mut parser = ChunkParser {
        text,
        lines: Vec::new(),
        out,
    };
    let mut first = true;
    for (mut s, e, _) in LineIter::new(text, start, end) {
        if first && s == 0 && text.starts_with('\u{feff}') {
            s = '\u{feff}'.len_utf8();
        }
        let kind = classify(&text[s..e]);
        if kind == Kind::HardStar && !parser.lines.is_empty() {
            parser.flush(first_chunk_is_file_start(&parser.lines, start));
        }
        parser.lines.push(Line {
            start: s,
            end: e,
            kind,
        });
        first = false;
    }
    if !parser.lines.is_empty() {
        parser.flush(first_chunk_is_file_start(&parser.lines, start));
    }
}

fn first_chunk_is_file_start(lines: &[Line], region_start: usize) -> bool {
    region_start == 0
        && lines
            .first()
            .is_some_and(|l| l.start <= '\u{feff}'.len_utf8())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// `*` then text that is not emphasis: a question by itself.
    HardStar,
    /// `* bullet` or `*emphasis*`: a question only if an arrow follows.
    SoftStar,
    /// Starts with `->` (after optional white space).
    Arrow,
    /// Starts with `|`.
    Table,
    Text,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    kind: Kind,
}

fn classify(content: &str) -> Kind {
    let trimmed = content.trim_start();
    if trimmed.trim_end().is_empty() {
        return Kind::Blank;
    }
    if let Some(rest) = content.strip_prefix('*') {
        if rest.starts_with('*') {
            return Kind::Text;
        }
        if rest.trim().is_empty() || rest.starts_with("->") {
            return Kind::HardStar;
        }
        if rest.starts_with(char::is_whitespace) {
            return Kind::SoftStar;
        }
        // `*emphasis*`: a second `*` that closes (no space before it) and is
        // not inside a word (`*What is 2*3?` is a question).
        if let Some(j) = rest.find('*') {
            if !rest[..j].ends_with(char::is_whitespace)
                && !rest[j + 1..].starts_with(char::is_alphanumeric)
            {
                return Kind::SoftStar;
            }
        }
        return Kind::HardStar;
    }
    if trimmed.starts_with("->") {
        Kind::Arrow
    } else if trimmed.starts_with('|') {
        Kind::Table
    } else {
        Kind::Text
    }
}

/// Where the answer starts on a starred question line, if it does.
fn same_line_arrow(content: &str) -> Option<usize> {
    let first = find_arrow(content)?;
    let mut search = 0;
    while let Some(p) = find_arrow(&content[search..]) {
        let p = search + p;
        if ends_question(&content[..p]) {
            return Some(p);
        }
        search = p + 2;
    }
    if content.trim_end().ends_with("->") {
        return content.rfind("->");
    }
    if content[first..].contains('?') {
        // `*What does a -> b mean?`: the arrow is part of the question.
        return None;
    }
    Some(first)
}

/// The first `->` in `s`: `str::find` with a string pattern sets up a
/// two-way searcher on every call, which cost more than the search itself on
/// a line.
fn find_arrow(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'-', &b[from..]) {
        let at = from + i;
        if b.get(at + 1) == Some(&b'>') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `s` ends with `?`, or with `?` and a remark in parentheses (`? (3 parts)`).
fn ends_question(s: &str) -> bool {
    let s = s.trim_end();
    match s.strip_suffix(')').and_then(|inner| inner.rfind('(')) {
        Some(open) => s[..open].trim_end().ends_with('?'),
        None => s.ends_with('?'),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Question line(s) seen; no blank line, arrow or answer yet.
    AfterQuestion,
    /// Only blank lines since the question.
    AfterQuestionBlank,
    /// The answer has started (by an arrow or by text).
    InAnswer,
}

struct Builder {
    question: Question,
    /// Index of the last question line (continuations included).
    question_last: usize,
    arrow: Option<TextRange>,
    /// Answer text on the arrow's own line.
    arrow_tail: Option<TextRange>,
    /// Indices of the non-blank answer lines.
    answer_lines: Vec<usize>,
    /// Lines after the question that may turn out to continue it.
    pending: Vec<usize>,
    state: State,
}

struct ChunkParser<'a, 'o> {
    text: &'a str,
    lines: Vec<Line>,
    out: &'o mut Vec<Entry>,
}

impl ChunkParser<'_, '_> {
    fn flush(&mut self, file_start: bool) {
        let lines = std::mem::take(&mut self.lines);
        let mut cur: Option<Builder> = None;
        // Preamble lines (before any question), kept for the trailing-question rule.
        let mut preamble: Vec<usize> = Vec::new();
        for i in 0..lines.len() {
            let line = lines[i];
            let paragraph_start = if i == 0 {
                file_start
            } else {
                lines[i - 1].kind == Kind::Blank
            };
            match line.kind {
                Kind::Blank => {
                    if let Some(b) = cur.as_mut() {
                        b.settle_pending();
                        if b.state == State::AfterQuestion {
                            b.state = State::AfterQuestionBlank;
                        }
                    }
                }
                Kind::HardStar => {
                    self.finish(&lines, cur.take(), &mut preamble);
                    cur = Some(self.starred(&lines, i, true));
                }
                Kind::Arrow => {
                    let arrow = self.arrow_at(line);
                    match cur.as_mut() {
                        Some(b)
                            if b.arrow.is_none()
                                && matches!(
                                    b.state,
                                    State::AfterQuestion | State::AfterQuestionBlank
                                ) =>
                        {
                            // Lines between the question and its arrow continue the question.
                            if let Some(&last) = b.pending.last() {
                                b.question.text.end = trim_end_at(self.text, lines[last]);
                                b.question_last = last;
                                b.pending.clear();
                            }
                            b.arrow = Some(arrow.0);
                            b.arrow_tail = arrow.1;
                            b.state = State::InAnswer;
                            continue;
                        }
                        _ => {}
                    }
                    if i > 0 && self.is_question_candidate(&lines, i - 1, file_start) {
                        // The line before the arrow is an unmarked question.
                        let q = i - 1;
                        if let Some(b) = cur.as_mut() {
                            b.settle_pending();
                            if b.answer_lines.last() == Some(&q) {
                                b.answer_lines.pop();
                            }
                        }
                        if preamble.last() == Some(&q) {
                            preamble.pop();
                        }
                        self.finish(&lines, cur.take(), &mut preamble);
                        let mut b = if lines[q].kind == Kind::SoftStar {
                            self.starred(&lines, q, false)
                        } else {
                            self.unmarked(&lines, q)
                        };
                        b.arrow = Some(arrow.0);
                        b.arrow_tail = arrow.1;
                        b.state = State::InAnswer;
                        cur = Some(b);
                    } else if paragraph_start {
                        self.finish(&lines, cur.take(), &mut preamble);
                        let q = Question {
                            kind: QuestionKind::Missing,
                            marker: None,
                            text: TextRange::empty(line.start),
                            line: TextRange::new(line.start, line.end),
                            starts_chunk: false,
                        };
                        cur = Some(Builder::new(q, i, Some(arrow)));
                    } else {
                        push_answer_line(cur.as_mut(), &mut preamble, i);
                    }
                }
                Kind::Text | Kind::SoftStar | Kind::Table => match cur.as_mut() {
                    Some(b) if b.state == State::AfterQuestion && line.kind != Kind::Table => {
                        b.pending.push(i);
                    }
                    _ => push_answer_line(cur.as_mut(), &mut preamble, i),
                },
            }
        }
        self.finish(&lines, cur.take(), &mut preamble);
        self.lines = lines;
        self.lines.clear();
    }

    /// A line that becomes a question when an arrow follows it: it starts a
    /// paragraph, or it ends with `?`.
    fn is_question_candidate(&self, lines: &[Line], q: usize, file_start: bool) -> bool {
        let line = lines[q];
        if !matches!(line.kind, Kind::Text | Kind::SoftStar) {
            return false;
        }
        let paragraph_start = if q == 0 {
            file_start
        } else {
            lines[q - 1].kind == Kind::Blank
        };
        paragraph_start || self.text[line.start..line.end].trim_end().ends_with('?')
    }

    fn arrow_at(&self, line: Line) -> (TextRange, Option<TextRange>) {
        let content = &self.text[line.start..line.end];
        let at = line.start + (content.len() - content.trim_start().len());
        let arrow = TextRange::new(at, at + 2);
        (arrow, tail(self.text, at + 2, line.end))
    }

    fn starred(&self, lines: &[Line], i: usize, hard: bool) -> Builder {
        let line = lines[i];
        let content = &self.text[line.start..line.end];
        let marker = TextRange::new(line.start, line.start + 1);
        let split = if hard { same_line_arrow(content) } else { None };
        let question_end = split.map_or(line.end, |p| line.start + p);
        let text = trimmed(self.text, line.start + 1, question_end);
        let question = Question {
            kind: QuestionKind::Starred,
            marker: Some(marker),
            text,
            line: TextRange::new(line.start, line.end),
            starts_chunk: hard,
        };
        let arrow = split.map(|p| {
            let at = line.start + p;
            (
                TextRange::new(at, at + 2),
                tail(self.text, at + 2, line.end),
            )
        });
        Builder::new(question, i, arrow)
    }

    fn unmarked(&self, lines: &[Line], i: usize) -> Builder {
        let line = lines[i];
        let question = Question {
            kind: QuestionKind::Unmarked,
            marker: None,
            text: trimmed(self.text, line.start, line.end),
            line: TextRange::new(line.start, line.end),
            starts_chunk: false,
        };
        Builder::new(question, i, None)
    }

    /// The last paragraph of an answer (or of the text before the first
    /// question) that is a single line of two or more words ending in `?` is a
    /// question nobody answered, not a sentence of that answer.
    fn trailing_question(&self, lines: &[Line], body: &[usize]) -> Option<Builder> {
        let &last = body.last()?;
        let line = lines[last];
        let own_paragraph = last == 0 || lines[last - 1].kind == Kind::Blank;
        let content = self.text[line.start..line.end].trim();
        let is_question = line.kind == Kind::Text
            && own_paragraph
            && content.ends_with('?')
            && content.split_whitespace().nth(1).is_some();
        is_question.then(|| self.unmarked(lines, last))
    }

    fn finish(&mut self, lines: &[Line], b: Option<Builder>, preamble: &mut Vec<usize>) {
        let Some(mut b) = b else {
            if let Some(t) = self.trailing_question(lines, preamble) {
                preamble.clear();
                self.push_entry(lines, t);
            }
            return;
        };
        b.settle_pending();
        let trailing = self.trailing_question(lines, &b.answer_lines);
        if trailing.is_some() {
            b.answer_lines.pop();
        }
        self.push_entry(lines, b);
        if let Some(t) = trailing {
            self.push_entry(lines, t);
        }
    }

    fn push_entry(&mut self, lines: &[Line], b: Builder) {
        let text = self.text;
        let q_end = trim_end_at(text, lines[b.question_last]);
        let mut end = q_end.max(b.question.text.end);
        if let Some(a) = b.arrow {
            end = end.max(a.end);
        }
        let mut pieces: Vec<TextRange> = Vec::with_capacity(b.answer_lines.len() + 1);
        if let Some(t) = b.arrow_tail {
            pieces.push(t);
        }
        for &i in &b.answer_lines {
            let l = lines[i];
            let r = trimmed(text, l.start, l.end);
            if !r.is_empty() {
                pieces.push(r);
            }
        }
        let answer = if pieces.is_empty() {
            None
        } else {
            let range = TextRange::new(pieces[0].start, pieces[pieces.len() - 1].end);
            end = end.max(range.end);
            Some(build_answer(text, lines, &b, range, &pieces))
        };
        self.out.push(Entry {
            range: TextRange::new(b.question.line.start, end),
            question: b.question,
            arrow: b.arrow,
            answer,
        });
    }
}

impl Builder {
    fn new(question: Question, i: usize, arrow: Option<(TextRange, Option<TextRange>)>) -> Self {
        let (arrow, arrow_tail, state) = match arrow {
            Some((a, t)) => (Some(a), t, State::InAnswer),
            None => (None, None, State::AfterQuestion),
        };
        Builder {
            question,
            question_last: i,
            arrow,
            arrow_tail,
            answer_lines: Vec::new(),
            pending: Vec::new(),
            state,
        }
    }

    /// No arrow came after the lines that might have continued the question,
    /// so they are answer text written without an arrow.
    fn settle_pending(&mut self) {
        if !self.pending.is_empty() {
            self.answer_lines.append(&mut self.pending);
            self.state = State::InAnswer;
        }
    }
}

fn push_answer_line(cur: Option<&mut Builder>, preamble: &mut Vec<usize>, i: usize) {
    match cur {
        Some(b) => {
            b.settle_pending();
            b.answer_lines.push(i);
            b.state = State::InAnswer;
        }
        None => preamble.push(i),
    }
}

fn build_answer(
    text: &str,
    lines: &[Line],
    b: &Builder,
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
    if let Some(t) = b.arrow_tail {
        add(definition(text, t));
    }
    let mut tables: Vec<Table> = Vec::new();
    let mut prev_table_line: Option<usize> = None;
    for &i in &b.answer_lines {
        let l = lines[i];
        match l.kind {
            Kind::Table => {
                let row = trimmed(text, l.start, l.end);
                let continues = prev_table_line == Some(i.wrapping_sub(1));
                match tables.last_mut() {
                    Some(t) if continues => {
                        t.range.end = row.end;
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
            Kind::Text | Kind::SoftStar => add(definition(text, trimmed(text, l.start, l.end))),
            _ => {}
        }
    }
    let placeholder = pieces.len() == 1 && is_placeholder(range.slice(text));
    Answer {
        range,
        definitions: definitions.into_boxed_slice(),
        tables: tables.into_boxed_slice(),
        placeholder,
    }
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
        let start = row.start + pos;
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
    let colon = rest.find(':')?;
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
    let body_start = piece.start + i + colon + 1;
    let body = trimmed(text, body_start, piece.end);
    if body.is_empty() {
        return None;
    }
    let term_start = piece.start + i;
    Some(Definition {
        term: TextRange::new(term_start, term_start + term.len()),
        body,
        line: piece,
    })
}

/// The range of `text[start..end]` without surrounding white space.
fn trimmed(text: &str, start: usize, end: usize) -> TextRange {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    TextRange::new(start + lead, start + lead + t.len())
}

fn trim_end_at(text: &str, line: Line) -> usize {
    line.start + text[line.start..line.end].trim_end().len()
}

/// Answer text after an arrow on the same line, if any.
fn tail(text: &str, from: usize, end: usize) -> Option<TextRange> {
    let r = trimmed(text, from, end);
    (!r.is_empty()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_lines() {
        assert_eq!(classify("*What is CSRF?"), Kind::HardStar);
        assert_eq!(classify("*"), Kind::HardStar);
        assert_eq!(classify("*->"), Kind::HardStar);
        assert_eq!(classify("* bullet"), Kind::SoftStar);
        assert_eq!(classify("*emphasis* text"), Kind::SoftStar);
        assert_eq!(classify("*What is *args?"), Kind::HardStar);
        assert_eq!(classify("*What is 2*3?"), Kind::HardStar);
        assert_eq!(classify("*Note*: text"), Kind::SoftStar);
        assert_eq!(classify("**bold** text"), Kind::Text);
        assert_eq!(classify("  -> text"), Kind::Arrow);
        assert_eq!(classify("| a | b |"), Kind::Table);
        assert_eq!(classify(" \t "), Kind::Blank);
    }

    #[test]
    fn same_line_arrow_rules() {
        assert_eq!(same_line_arrow("*Q?->"), Some(3));
        assert_eq!(same_line_arrow("*Q? -> answer"), Some(4));
        assert_eq!(same_line_arrow("*Define ORM -> mapper"), Some(12));
        assert_eq!(same_line_arrow("*What does a -> b mean?"), None);
        assert_eq!(same_line_arrow("*Why a -> b?->"), Some(12));
        assert_eq!(same_line_arrow("*Why a -> b? (2 parts) -> x"), Some(23));
        assert_eq!(same_line_arrow("*Plain"), None);
    }
}
