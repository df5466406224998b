//! Dialects: the other ways people mark questions and answers (`Q:`/`A:`,
//! `Ans :-`, `=>`, numbered questions, markdown headings as questions), the
//! markers each one reads, and a guess of a file's dialect from its text.
//!
//! Every dialect keeps the arrow format's `*` and `->`: a file in another
//! dialect often has a few of them too, and reading them costs nothing.

use std::sync::Mutex;

use super::question_words::looks_like_question;

/// How a file marks its questions and answers. `Arrow` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Dialect {
    /// `*question`, `->`, answer.
    #[default]
    Arrow,
    /// `Q:`, `Q1.`, `Question 3:` (or a numbered line `1.`, `12)`) for the
    /// question; `A:`, `Ans:`, `Ans :-`, `Answer:`, `Sol:`, `=>` for the answer.
    Qa,
    /// A markdown heading that reads as a question (`### Q.1 ...`, `## What
    /// is X?`) is the question; the lines under it, up to the next heading,
    /// are the answer.
    Headings,
    /// The arrow format plus the user's own question and answer markers
    /// (`[format] question = [...]`, `answer = [...]`).
    Custom(&'static Markers),
}

/// A user's own markers: a line starting with one of `question` (in column
/// 0) is a question, one starting with one of `answer` (indent allowed) is
/// the answer marker. Matched ignoring ASCII case, and followed by white
/// space or the end of the line.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Markers {
    pub question: Vec<String>,
    pub answer: Vec<String>,
}

impl Markers {
    /// The marker of `list` that `s` starts with: where the text after it
    /// (and its white space) starts.
    pub(crate) fn find(list: &[String], s: &str) -> Option<(usize, usize)> {
        list.iter().find_map(|m| {
            let head = s.as_bytes().get(..m.len())?;
            if !head.eq_ignore_ascii_case(m.as_bytes()) {
                return None;
            }
            let rest = &s[m.len()..];
            (rest.is_empty() || rest.starts_with(char::is_whitespace))
                .then(|| (m.len(), s.len() - rest.trim_start().len()))
        })
    }
}

impl Dialect {
    /// The dialect of the user's own markers. Each distinct set is kept for
    /// the life of the process (a configuration names one or two), so that a
    /// parse can refer to it without counting references.
    pub fn custom(question: &[String], answer: &[String]) -> Dialect {
        static KNOWN: Mutex<Vec<&'static Markers>> = Mutex::new(Vec::new());
        let markers = Markers {
            question: question.to_vec(),
            answer: answer.to_vec(),
        };
        let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&m) = known.iter().find(|&&m| *m == markers) {
            return Dialect::Custom(m);
        }
        let m: &'static Markers = Box::leak(Box::new(markers));
        known.push(m);
        Dialect::Custom(m)
    }

    /// The name used in `notes-ls.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Arrow => "arrow",
            Dialect::Qa => "qa",
            Dialect::Headings => "headings",
            Dialect::Custom(_) => "custom",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        match name {
            "arrow" => Some(Dialect::Arrow),
            "qa" => Some(Dialect::Qa),
            "headings" => Some(Dialect::Headings),
            _ => None,
        }
    }

    /// What a user calls notes in this dialect, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Dialect::Arrow => "`*question` / `->` notes",
            Dialect::Qa => "Q:/A: notes",
            Dialect::Headings => "notes with questions as headings",
            Dialect::Custom(_) => "notes with your own markers",
        }
    }

    /// The dialect `text` is most likely written in: the one whose markers
    /// mark the most questions and answers. Ties and files with fewer than
    /// two questions marked in the other dialect stay `Arrow`.
    pub fn detect(text: &str) -> Dialect {
        let (mut arrow, mut qa, mut headings) = (0usize, 0usize, 0usize);
        // Answer markers alone (`Solution:` under the user's own questions)
        // do not make Q:/A: notes.
        let mut qa_questions = 0usize;
        for line in text.lines() {
            let star = line.starts_with('*') && !line.starts_with("**");
            if star || line.trim_start().starts_with("->") {
                arrow += 1;
            } else if let Some(h) = heading(line) {
                if heading_question(h).is_some() {
                    headings += 1;
                }
            } else if qa_question(line).is_some() {
                qa += 1;
                qa_questions += 1;
            } else if qa_answer(line).is_some() {
                qa += 1;
            }
        }
        if qa_questions >= 2 && qa > arrow && qa >= headings {
            Dialect::Qa
        } else if headings >= 2 && headings > arrow {
            Dialect::Headings
        } else {
            Dialect::Arrow
        }
    }
}

/// The text of a markdown heading line (`#` to `######` in column 0, then
/// white space or nothing), trimmed.
pub(crate) fn heading(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// Where the question text starts in a heading's text, when the heading
/// reads as a question: it carries a question marker (`Q.1`, `Q:`), a number
/// (`1.`), ends with `?`, or starts with a question word.
pub(crate) fn heading_question(h: &str) -> Option<usize> {
    if let Some(end) = qa_question(h).or_else(|| numbered(h)) {
        return Some(end);
    }
    looks_like_question(h).then_some(0)
}

/// `Q:`, `Q1.`, `Q.1`, `Q 2)`, `Question:`, `Question 3 -`, `Ques:` (any
/// case, optionally in `**bold**`) at the start of `line`, then white space or
/// nothing: the byte offset where the question text starts (after the white
/// space). A marker needs a number or a delimiter: `Q what` is not one.
pub(crate) fn qa_question(line: &str) -> Option<usize> {
    marker(line, &["question", "ques", "q"], true)
}

/// `A:`, `Ans:`, `Ans :-`, `Answer -`, `Sol.`, `Solution:` (any case,
/// optionally in `**bold**`), or `=>`, at the start of `line` after white
/// space: `(marker start, marker end, text start)`. A lone `A` needs a colon:
/// `A)` and `A.` are options of a multiple-choice question.
pub(crate) fn qa_answer(line: &str) -> Option<(usize, usize, usize)> {
    let lead = line.len() - line.trim_start().len();
    let t = &line[lead..];
    if let Some(rest) = t.strip_prefix("=>") {
        let text = lead + 2 + (rest.len() - rest.trim_start().len());
        return Some((lead, lead + 2, text));
    }
    let end = marker(t, &["answer", "ans", "solution", "sol", "a"], false)?;
    let w = t[..end].trim_end().len();
    Some((lead, lead + w, lead + end))
}

/// A number of one to three digits then `.`, `)` or `:`, then white space:
/// where the text starts.
pub(crate) fn numbered(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let rest = &line[digits..];
    let delim = rest.strip_prefix(['.', ')', ':'])?;
    if !delim.starts_with([' ', '\t']) {
        return None;
    }
    Some(line.len() - delim.trim_start().len())
}

/// One of `words` (any case) as a marker at the start of `s`; see
/// [`qa_question`] and [`qa_answer`].
fn marker(s: &str, words: &[&str], numbers: bool) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = if s.starts_with("**") { 2 } else { 0 };
    let word = words.iter().find(|w| {
        b.len() >= i + w.len()
            && b[i..i + w.len()].eq_ignore_ascii_case(w.as_bytes())
            && !b.get(i + w.len()).is_some_and(u8::is_ascii_alphabetic)
    })?;
    i += word.len();
    let single_a = word.len() == 1 && !numbers;
    let mut seen = false;
    if numbers {
        let before = i;
        while i < b.len() && matches!(b[i], b' ' | b'.') && i - before < 2 {
            i += 1;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            i += digits;
            seen = true;
        } else {
            i = before;
        }
    }
    // A space may come before the delimiter (`Ans :-`), but only if one follows.
    let spaced = b.get(i) == Some(&b' ') && b.get(i + 1).is_some_and(|c| b":.)-".contains(c));
    if spaced && !single_a {
        i += 1;
    }
    let delims = b[i..].iter().take_while(|c| b":.)-".contains(c)).count();
    if single_a && !(delims == 1 && b[i] == b':') {
        return None;
    }
    if delims > 0 {
        i += delims;
        seen = true;
    }
    if !seen {
        return None;
    }
    if s[i..].starts_with("**") {
        i += 2;
    }
    let rest = &s[i..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(s.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_markers() {
        for (line, text) in [
            ("Q: What is X?", "What is X?"),
            ("Q1. What is X?", "What is X?"),
            ("Q.1 What is X?", "What is X?"),
            ("q 12) What", "What"),
            ("Question 3: Why", "Why"),
            ("**Q2.** Why", "Why"),
            ("Ques: Why", "Why"),
            ("Q:", ""),
        ] {
            assert_eq!(qa_question(line).map(|i| &line[i..]), Some(text), "{line}");
        }
        for line in ["Q what", "Queue: x", "Q&A", "Question what", "Q1x"] {
            assert_eq!(qa_question(line), None, "{line}");
        }
    }

    #[test]
    fn answer_markers() {
        for (line, marker, text) in [
            ("A: yes", "A:", "yes"),
            ("Ans: yes", "Ans:", "yes"),
            ("Ans :- yes", "Ans :-", "yes"),
            ("  Answer - yes", "Answer -", "yes"),
            ("Sol. yes", "Sol.", "yes"),
            ("=> yes", "=>", "yes"),
            ("**Ans:** yes", "**Ans:**", "yes"),
        ] {
            let (s, e, t) = qa_answer(line).unwrap_or_default();
            assert_eq!((&line[s..e], &line[t..]), (marker, text), "{line}");
        }
        for line in [
            "A) float",
            "A. float",
            "Another: x",
            "Answering",
            "Solve: x",
        ] {
            assert_eq!(qa_answer(line), None, "{line}");
        }
    }

    #[test]
    fn headings() {
        assert_eq!(heading("### Q.1 What"), Some("Q.1 What"));
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(heading("####### seven"), None);
        assert!(heading_question("Q.1 Explain GIL").is_some());
        assert!(heading_question("What is X").is_some());
        assert!(heading_question("Programming Model").is_none());
    }

    #[test]
    fn custom_markers_are_kept_once() {
        let q = vec!["Problem:".to_string()];
        let a = vec!["Solution:".to_string()];
        let (Dialect::Custom(x), Dialect::Custom(y)) =
            (Dialect::custom(&q, &a), Dialect::custom(&q, &a))
        else {
            panic!("not custom");
        };
        assert!(std::ptr::eq(x, y));
        assert_eq!(Markers::find(&x.question, "problem: Why?"), Some((8, 9)));
        assert_eq!(Markers::find(&x.question, "Problems: x"), None);
        assert_eq!(Markers::find(&x.answer, "Solution:"), Some((9, 9)));
    }

    #[test]
    fn detection() {
        assert_eq!(Dialect::detect("Q: a?\nA: b\nQ: c?\nA: d\n"), Dialect::Qa);
        assert_eq!(
            Dialect::detect("## What is a?\nb\n## What is c?\nd\n"),
            Dialect::Headings
        );
        assert_eq!(Dialect::detect("*a?\n-> b\nQ: c\n"), Dialect::Arrow);
        assert_eq!(Dialect::detect("plain text\n"), Dialect::Arrow);
        assert_eq!(
            Dialect::detect("Problem: a\nSolution: b\nProblem: c\nSolution: d\n"),
            Dialect::Arrow
        );
    }
}
