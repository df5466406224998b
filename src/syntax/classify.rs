//! What one line is, by its own text: blank, a question marker, an arrow, a
//! table row, a heading, an option of a multiple-choice question, or text.
//! Whether a line is inside a fenced code block or a comment is decided
//! before (`blocks`), and what a line means next to its neighbours after
//! (`parse`).

use super::dialect::{self, Dialect, Markers};
use super::question_words::looks_like_question;
use super::range::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Blank,
    /// A question by itself (`*` then text that is not emphasis, `* What
    /// is X`, `Q1.` in the Q:/A: dialect). It starts a chunk.
    HardStar,
    /// A heading that is a question, in the headings dialect: a question and
    /// its arrow at once. It starts a chunk.
    HeadingQuestion,
    /// `* bullet`, `*emphasis*`, a numbered line in the Q:/A: dialect: a
    /// question only if an arrow follows.
    SoftStar,
    /// Starts with `->` (or an answer marker of the dialect).
    Arrow,
    /// Starts with `|`.
    Table,
    /// `A)`, `b.`, `1)`: an option of a multiple-choice question, or text.
    Option,
    /// A line of a fenced code block, fences included: text, never a
    /// question, bullet or arrow.
    Code,
    /// A markdown heading that is not a question, or a ruler (`---`,
    /// `===`, `***`): it ends an entry.
    Heading,
    /// A ruler made of `=` or `-`: as a heading, and it makes the text line
    /// right above it a heading too (setext).
    Underline,
    Text,
}

/// A line's kind, and for markers and arrows where the marker is and where
/// the text after it starts, as offsets into the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class {
    pub kind: Kind,
    pub mark: (usize, usize),
    pub text: usize,
}

impl Class {
    pub(crate) fn plain(kind: Kind) -> Class {
        Class {
            kind,
            mark: (0, 0),
            text: 0,
        }
    }

    fn marked(kind: Kind, mark: (usize, usize), text: usize) -> Class {
        Class { kind, mark, text }
    }
}

#[inline]
pub(crate) fn classify(content: &str, dialect: Dialect) -> Class {
    // The two commonest lines first: answer text that starts with a letter
    // or digit (no other dialect than Q:/A: and one's own markers gives
    // those a meaning), and `*` lines. Every line of a file comes through
    // here, so these skip the trimming and the checks below.
    match content.as_bytes().first() {
        Some(c)
            if c.is_ascii_alphanumeric()
                && matches!(dialect, Dialect::Arrow | Dialect::Headings) =>
        {
            return Class::plain(if is_option(content) {
                Kind::Option
            } else {
                Kind::Text
            });
        }
        Some(b'*') if ruler(content).is_none() => {
            return Class::marked(star(&content[1..]), (0, 1), 1);
        }
        _ => {}
    }
    let trimmed = content.trim_start();
    let Some(&first) = trimmed.as_bytes().first() else {
        return Class::plain(Kind::Blank);
    };
    if trimmed.trim_end().is_empty() {
        return Class::plain(Kind::Blank);
    }
    if matches!(first, b'-' | b'_' | b'*' | b'=') {
        if let Some(ch) = ruler(trimmed) {
            return Class::plain(if matches!(ch, b'=' | b'-') {
                Kind::Underline
            } else {
                Kind::Heading
            });
        }
    }
    if content.starts_with('#') {
        if let Some(h) = dialect::heading(content) {
            if dialect == Dialect::Headings {
                if let Some(at) = dialect::heading_question(h) {
                    let text = content.len() - h.len() + at;
                    let mark_end = content[..text].trim_end().len();
                    return Class::marked(Kind::HeadingQuestion, (0, mark_end), text);
                }
            }
            return Class::plain(Kind::Heading);
        }
    }
    if let Some(rest) = content.strip_prefix('*') {
        return Class::marked(star(rest), (0, 1), 1);
    }
    if trimmed.starts_with("->") {
        let lead = content.len() - trimmed.len();
        return Class::marked(Kind::Arrow, (lead, lead + 2), lead + 2);
    }
    if let Dialect::Custom(m) = dialect {
        if let Some((end, text)) = Markers::find(&m.question, content) {
            return Class::marked(Kind::HardStar, (0, end), text);
        }
        let lead = content.len() - trimmed.len();
        if let Some((end, text)) = Markers::find(&m.answer, trimmed) {
            return Class::marked(Kind::Arrow, (lead, lead + end), lead + text);
        }
    }
    if dialect == Dialect::Qa {
        if let Some(text) = dialect::qa_question(content) {
            let end = content[..text].trim_end().len();
            return Class::marked(Kind::HardStar, (0, end), text);
        }
        if let Some((s, e, text)) = dialect::qa_answer(content) {
            return Class::marked(Kind::Arrow, (s, e), text);
        }
        if let Some(text) = dialect::numbered(content) {
            let end = content[..text].trim_end().len();
            return Class::marked(Kind::SoftStar, (0, end), text);
        }
    }
    if first == b'|' {
        Class::plain(Kind::Table)
    } else if is_option(trimmed) {
        Class::plain(Kind::Option)
    } else {
        Class::plain(Kind::Text)
    }
}

/// Where the marker of a line of `kind` (a question or an arrow, as
/// [`classify`] gave it) is, and where the text after it starts. Cheaper
/// than classifying again: the parser keeps only kinds, and asks this for
/// the one or two marked lines of an entry.
pub(crate) fn marks(content: &str, kind: Kind, dialect: Dialect) -> ((usize, usize), usize) {
    let trimmed = content.trim_start();
    let lead = content.len() - trimmed.len();
    match kind {
        Kind::Arrow if trimmed.starts_with("->") => ((lead, lead + 2), lead + 2),
        Kind::HardStar | Kind::SoftStar if content.starts_with('*') => ((0, 1), 1),
        _ => {
            // A dialect's marker or a heading question: classified again,
            // which costs little next to the rest of their entry.
            let c = classify(content, dialect);
            (c.mark, c.text)
        }
    }
}

/// A line starting with `*` (the star removed): a question, a bullet or
/// emphasis.
fn star(rest: &str) -> Kind {
    if rest.starts_with('*') {
        return Kind::Text;
    }
    if rest.trim_start().is_empty() || rest.starts_with("->") {
        return Kind::HardStar;
    }
    if rest.starts_with(char::is_whitespace) {
        // `* What is module`: a bullet that reads as a question is one.
        return if looks_like_question(rest.trim()) {
            Kind::HardStar
        } else {
            Kind::SoftStar
        };
    }
    // `*emphasis*`: a second `*` that closes (no space before it) and is not
    // inside a word (`*What is 2*3?` is a question). Stars in inline code
    // (`` `*=` ``) are code; most lines have no second star, and no code is
    // looked for in those.
    // Every question line is searched: the memchr crate's search is
    // vectorised, `str::find` is not.
    let Some(j) = memchr::memchr(b'*', rest.as_bytes()) else {
        return Kind::HardStar;
    };
    let masked = if memchr::memchr(b'`', &rest.as_bytes()[..j]).is_some() {
        mask_code(rest)
    } else {
        std::borrow::Cow::Borrowed(rest)
    };
    if let Some(j) = memchr::memchr(b'*', masked.as_bytes()) {
        if !masked[..j].ends_with(char::is_whitespace)
            && !masked[j + 1..].starts_with(char::is_alphanumeric)
        {
            return Kind::SoftStar;
        }
    }
    Kind::HardStar
}

/// Three or more of one of `-`, `_`, `*`, `=` and nothing else but spaces and
/// tabs: a markdown ruler (or setext underline). Returns the character.
/// Every question line starts with `*`, so this gives up at the first other
/// byte, without trimming first.
fn ruler(trimmed: &str) -> Option<u8> {
    let b = trimmed.as_bytes();
    let ch = *b.first()?;
    let mut n = 0;
    for &c in b {
        if c == ch {
            n += 1;
        } else if c != b' ' && c != b'\t' {
            return None;
        }
    }
    // `= =` and `- -` with spaces are not setext underlines, but `- - -` is a
    // ruler; `*` needs no spaces rule because `* * *` is never a question.
    (n >= 3).then_some(ch)
}

/// `A)`, `b.`, `(c)`, `1)`, `12.`: a letter from `a` to `f` (any case) or a
/// number of one or two digits, then `)` or `.`, then white space.
#[inline]
fn is_option(t: &str) -> bool {
    let b = t.as_bytes();
    let (body, i) = if b.first() == Some(&b'(') {
        (&b[1..], 1)
    } else {
        (b, 0)
    };
    let n = match body.first() {
        Some(c) if matches!(c.to_ascii_lowercase(), b'a'..=b'f') => 1,
        Some(c) if c.is_ascii_digit() => body.iter().take_while(|c| c.is_ascii_digit()).count(),
        _ => return false,
    };
    if n > 2 {
        return false;
    }
    let close = b.get(i + n);
    let ok = if i == 1 {
        close == Some(&b')')
    } else {
        matches!(close, Some(b')' | b'.'))
    };
    ok && b.get(i + n + 1).is_some_and(|c| matches!(c, b' ' | b'\t'))
}

/// `s` with every inline code span (`` `x` ``, ``` ``x`` ```) replaced by
/// `x`s of the same length, so searches for `*` and `->` skip code. Borrowed
/// when there is no backtick.
pub(crate) fn mask_code(s: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'`', s.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut b = s.as_bytes().to_vec();
    for span in code_spans(s) {
        b[span].fill(b'x');
    }
    // Only whole code spans became ASCII; everything else is as it was.
    std::borrow::Cow::Owned(String::from_utf8(b).unwrap_or_else(|_| s.to_string()))
}

/// The inline code spans of `s` (`` `x` ``, ``` ``x`` ```), backticks
/// included, in order: a run of `n` backticks opens one, closed by the next
/// run of exactly `n`; a run never closed is plain text.
pub fn code_spans(s: &str) -> Vec<std::ops::Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let n = b[i..].iter().take_while(|&&c| c == b'`').count();
        let mut j = i + n;
        let mut close = None;
        while j < b.len() {
            if b[j] == b'`' {
                let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                if m == n {
                    close = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                out.push(i..end);
                i = end;
            }
            None => i += n,
        }
    }
    out
}

/// One line of the text and what it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The range of `text[start..end]` without surrounding white space.
pub(crate) fn trimmed(text: &str, start: usize, end: usize) -> TextRange {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    TextRange::new(start + lead, start + lead + t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Kind {
        classify(s, Dialect::Arrow).kind
    }

    #[test]
    fn classify_lines() {
        assert_eq!(kind("*What is CSRF?"), Kind::HardStar);
        assert_eq!(kind("*"), Kind::HardStar);
        assert_eq!(kind("*->"), Kind::HardStar);
        assert_eq!(kind("* bullet"), Kind::SoftStar);
        assert_eq!(kind("*emphasis* text"), Kind::SoftStar);
        assert_eq!(kind("*What is *args?"), Kind::HardStar);
        assert_eq!(kind("*What is 2*3?"), Kind::HardStar);
        assert_eq!(kind("*Note*: text"), Kind::SoftStar);
        assert_eq!(kind("**bold** text"), Kind::Text);
        assert_eq!(kind("  -> text"), Kind::Arrow);
        assert_eq!(kind("| a | b |"), Kind::Table);
        assert_eq!(kind(" \t "), Kind::Blank);
    }

    #[test]
    fn inline_code_is_not_emphasis() {
        assert_eq!(
            kind("*Augmented assignments (`+=`, `*=`) vs normal ones."),
            Kind::HardStar
        );
        assert_eq!(kind("*`x`* text"), Kind::SoftStar);
        assert_eq!(mask_code("a `*` b ``c`d`` `e"), "a xxx b xxxxxxx `e");
    }

    #[test]
    fn bullets_that_read_as_questions() {
        assert_eq!(kind("* What is module"), Kind::HardStar);
        assert_eq!(kind("* Is it thread safe?"), Kind::HardStar);
        assert_eq!(kind("* explain GIL"), Kind::HardStar);
        assert_eq!(
            kind("* When the pool is full, requests wait."),
            Kind::SoftStar
        );
        assert_eq!(kind("* How it works: a queue"), Kind::SoftStar);
        assert_eq!(kind("* Whatever works"), Kind::SoftStar);
    }

    #[test]
    fn headings_rulers_options() {
        assert_eq!(kind("### Programming Model"), Kind::Heading);
        assert_eq!(kind("#hashtag"), Kind::Text);
        assert_eq!(kind("---"), Kind::Underline);
        assert_eq!(kind("==="), Kind::Underline);
        assert_eq!(kind("* * *"), Kind::Heading);
        assert_eq!(kind("***"), Kind::Heading);
        assert_eq!(kind("-->"), Kind::Text);
        assert_eq!(kind("--"), Kind::Text);
        assert_eq!(kind("A) float"), Kind::Option);
        assert_eq!(kind("b. int"), Kind::Option);
        assert_eq!(kind("(c) str"), Kind::Option);
        assert_eq!(kind("12) x"), Kind::Option);
        assert_eq!(kind("e.g. this"), Kind::Text);
        assert_eq!(kind("Go) x"), Kind::Text);
    }

    #[test]
    fn dialect_markers() {
        let qa = |s| classify(s, Dialect::Qa);
        assert_eq!(qa("Q1. What?").kind, Kind::HardStar);
        assert_eq!(qa("Q1. What?").mark, (0, 3));
        assert_eq!(qa("Ans :- yes").kind, Kind::Arrow);
        assert_eq!(qa("Ans :- yes").text, 7);
        assert_eq!(qa("1. What?").kind, Kind::SoftStar);
        assert_eq!(kind("Q1. What?"), Kind::Text);
        let h = classify("### Q.1 What is X", Dialect::Headings);
        assert_eq!((h.kind, h.mark, h.text), (Kind::HeadingQuestion, (0, 7), 8));
        assert_eq!(classify("## Setup", Dialect::Headings).kind, Kind::Heading);
        let custom = Dialect::custom(&["Problem:".into()], &["Solution:".into()]);
        let p = classify("Problem: Why?", custom);
        assert_eq!((p.kind, p.mark, p.text), (Kind::HardStar, (0, 8), 9));
        let s = classify("  solution: this", custom);
        assert_eq!((s.kind, s.mark, s.text), (Kind::Arrow, (2, 11), 12));
    }
}
