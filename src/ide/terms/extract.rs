//! Finding the terms a document defines: `What is X?` questions and `X: ...`
//! definition lines, prose labels (`Fix:`) left out, each definition cut to
//! a hover's length and named by its spelling until the index resolves it.

use std::sync::Arc;

use super::labels::is_prose_label;
use super::model::{Glossary, TermDefinition, TermIndex, TermSource, UserDef};
use crate::ide::question::{collapse, collapse_cow, is_collapsed};
use crate::ide::words::normalize;
use crate::ide::DocKey;
use crate::syntax::{inside_crlf, line_breaks, Answer, LineIter, Notes, TextRange};

/// Questions that define their subject, matched case-insensitively.
const DEFINING: &[&str] = &[
    "what is ",
    "what are ",
    "what's ",
    "what\u{2019}s ",
    "define ",
    "explain ",
];

/// Words that show a `What is ...` question asks about something other than
/// what a term means (`What is the difference between ...`).
const NOT_A_TERM: &[&str] = &[
    "difference",
    "differences",
    "between",
    "vs",
    "vs.",
    "versus",
    "meaning",
    "purpose",
    "use",
    "role",
    "need",
    "advantage",
    "advantages",
    "disadvantage",
    "disadvantages",
    "benefit",
    "benefits",
    "pros",
    "best",
    "way",
    "you",
    "your",
    "i",
    "we",
    "how",
    "why",
    "when",
    "which",
];

/// Longest a user's definition is kept, in characters: a hover, not a copy
/// of the answer.
const MAX_DEFINITION: usize = 300;

/// The terms a document defines, with their spelling as written and their
/// definition (named by that spelling until the index resolves it).
pub(super) fn extract(
    text: &str,
    notes: &Notes,
    doc: &DocKey,
    builtin: Option<&Glossary>,
) -> Vec<UserDef> {
    // Sized exactly, and it is kept as long as the index: sized by the most
    // there could be (one per answered question and definition line), or
    // let grow, it reserved several times what it held, when memory use
    // peaked.
    let answered = || {
        notes.entries.iter().filter_map(|e| {
            e.answer
                .as_ref()
                .filter(|_| e.is_answered())
                .map(|a| (e, a))
        })
    };
    // The questions that define a term, each found once and kept (with
    // where its entry starts) for the pass that builds the definitions.
    let mut by_question: Vec<(usize, String)> = Vec::new();
    let mut count = 0;
    for (e, a) in answered() {
        if let Some(term) = defined_by_question(e.question.text.slice(text)) {
            by_question.push((e.range.start(), term));
        }
        count += a.definitions().len();
    }
    // A prose label (`Fix:`, `Defence:`) is a term only where the notes
    // or the glossary use the word as one. The questions' terms are folded
    // once, and only when a label needs them: a file has thousands of
    // `Example:` lines, and folding every question for each was quadratic
    // in time and memory.
    let asked: std::cell::OnceCell<std::collections::HashSet<String>> = Default::default();
    let label_is_term = |term: &str| {
        let key = normalize(term);
        asked
            .get_or_init(|| by_question.iter().map(|(_, t)| normalize(t)).collect())
            .contains(&key)
            || builtin.is_some_and(|g| g.lookup.contains_key(&key))
    };
    let skip: Vec<bool> = answered()
        .flat_map(|(_, a)| a.definitions().iter())
        .map(|d| {
            let term = d.term.slice(text);
            is_prose_label(term) && !label_is_term(term)
        })
        .collect();
    count -= skip.iter().filter(|&&s| s).count();
    let mut skip = skip.into_iter();
    let mut by_question = by_question.into_iter().peekable();
    let mut out = Vec::with_capacity(count + by_question.len());
    let mut lines = LineCounter::default();
    // Shared by all the document's definitions: one allocation each.
    let doc = &(doc.clone(), Arc::from(""));
    for (entry, answer) in answered() {
        if let Some((_, term)) = by_question.next_if(|(at, _)| *at == entry.range.start()) {
            let range = entry.question.text;
            let definition = abbreviate_owned(answer_text(text, answer));
            out.push(notes_def(
                term,
                definition,
                doc,
                range,
                lines.line(text, range.start()),
            ));
        }
        for d in answer.definitions() {
            if skip.next().unwrap_or(false) {
                continue;
            }
            let definition = abbreviate(d.body.slice(text));
            let term = d.term.slice(text).to_string();
            out.push(notes_def(
                term,
                definition,
                doc,
                d.term,
                lines.line(text, d.term.start()),
            ));
        }
    }
    out
}

/// A definition named by its spelling, as the index expects it before
/// resolving it.
fn notes_def(
    spelling: String,
    definition: String,
    (doc, unresolved): &(DocKey, Arc<str>),
    range: TextRange,
    line: usize,
) -> UserDef {
    UserDef {
        spelling: None,
        key: Arc::clone(unresolved),
        def: TermDefinition {
            name: spelling,
            aliases: Vec::new(),
            definition,
            source: TermSource::Notes {
                doc: doc.clone(),
                range,
                line,
            },
        },
    }
}

/// Whether the entries `entries` of `notes` define a term `terms` does not
/// know, by an answered `What is X?` or an `X: ...` line (prose labels
/// aside): an index that has not yet taken in the latest edit would call
/// the new term a misspelling of a known one.
pub fn defines_unknown_terms(
    text: &str,
    notes: &crate::syntax::Notes,
    entries: std::ops::Range<usize>,
    terms: &TermIndex,
) -> bool {
    let Some(entries) = notes.entries.get(entries) else {
        return false;
    };
    let by_question = entries
        .iter()
        .filter(|e| e.is_answered())
        .filter_map(|e| {
            defined_by_question(text.get(e.question.text.start()..e.question.text.end())?)
        })
        .any(|name| !terms.is_known(&name));
    by_question
        || entries
            .iter()
            .filter_map(|e| e.answer.as_ref())
            .flat_map(|a| a.definitions().iter())
            .filter_map(|d| text.get(d.term.start()..d.term.end()))
            .any(|name| !terms.is_known(name) && !is_prose_label(name))
}

/// `X` in `What is X?`, `What are X?`, `Define X`, `Explain X`: without a
/// leading article, final punctuation or a trailing `in <context>` (`What is
/// middleware in Django?` defines middleware). Questions that ask something
/// else about `X`, or whose subject is longer than five words, define nothing.
fn defined_by_question(question: &str) -> Option<String> {
    // Most questions start otherwise: know that before copying them.
    let lead = question.trim_start();
    let starts = |w: &str| {
        lead.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    };
    if !(starts("what") || starts("define") || starts("explain")) {
        return None;
    }
    let q = collapse_cow(question);
    let rest = DEFINING.iter().find_map(|p| {
        q.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &q[p.len()..])
    })?;
    let mut term = rest.trim_end_matches(|c: char| c.is_whitespace() || "?.!:;".contains(c));
    for article in ["a ", "an ", "the "] {
        let head = term.get(..article.len());
        if term.len() > article.len() && head.is_some_and(|h| h.eq_ignore_ascii_case(article)) {
            term = &term[article.len()..];
            break;
        }
    }
    // `" in "` is ASCII, so a match is on char boundaries.
    let in_at = term
        .as_bytes()
        .windows(4)
        .rposition(|w| w.eq_ignore_ascii_case(b" in "));
    // `q` is collapsed: words are separated by one space each.
    let spaces = |s: &str| s.bytes().filter(|&b| b == b' ').count();
    if let Some(i) = in_at {
        if spaces(&term[i + 4..]) <= 1 {
            term = &term[..i];
        }
    }
    let plain = term.starts_with(char::is_alphanumeric)
        && !term.bytes().any(|b| b",;?!\"".contains(&b))
        && spaces(term) <= 4
        && !term.split(' ').any(|w| {
            if w.is_ascii() {
                NOT_A_TERM.iter().any(|n| n.eq_ignore_ascii_case(w))
            } else {
                NOT_A_TERM.contains(&w.to_lowercase().as_str())
            }
        });
    plain.then(|| term.to_string())
}

/// The answer as running text: its lines joined, tables left out.
fn answer_text(text: &str, answer: &Answer) -> String {
    let mut out = String::new();
    for (s, e, _) in LineIter::new(text, answer.range.start(), answer.range.end()) {
        if answer
            .tables()
            .iter()
            .any(|t| t.range.contains_inclusive(s))
        {
            continue;
        }
        let line = text[s..e].trim();
        if !line.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(line);
        }
    }
    out
}

/// Cuts a definition to [`MAX_DEFINITION`] characters: at the last sentence
/// end if that keeps a useful amount, else at a word, marked with `…`.
fn abbreviate(definition: &str) -> String {
    abbreviate_owned(collapse(definition))
}

/// [`abbreviate`] of a string it may keep.
fn abbreviate_owned(definition: String) -> String {
    let s = if is_collapsed(&definition) {
        definition
    } else {
        collapse(&definition)
    };
    let Some((cut, _)) = s.char_indices().nth(MAX_DEFINITION) else {
        return s;
    };
    let head = &s[..cut];
    if let Some(i) = head.rfind(". ").filter(|&i| i >= MAX_DEFINITION / 3) {
        return head[..=i].to_string();
    }
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
}

/// Zero-based line numbers for increasing offsets, counted in one pass.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// `offset` must not be before the previous one.
    fn line(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = offset.min(bytes.len());
        // A `\r` whose `\n` is at `offset` ends its line only with the `\n`:
        // counted on the next call, with it.
        if end > self.offset && inside_crlf(bytes, end) {
            end -= 1;
        }
        if end > self.offset {
            self.line += line_breaks(&bytes[self.offset..end]);
            self.offset = end;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defining_questions() {
        let t = |q: &str| defined_by_question(q);
        assert_eq!(t("What is CSRF?").as_deref(), Some("CSRF"));
        assert_eq!(t("what is webhook ?").as_deref(), Some("webhook"));
        assert_eq!(t("What's an ORM?").as_deref(), Some("ORM"));
        assert_eq!(
            t("What are the\n  generators?").as_deref(),
            Some("generators")
        );
        assert_eq!(t("Define N+1 query.").as_deref(), Some("N+1 query"));
        assert_eq!(
            t("Explain middleware in Django").as_deref(),
            Some("middleware")
        );
        assert_eq!(t("What is the difference between a and b?"), None);
        assert_eq!(t("What is the use of select_related?"), None);
        assert_eq!(t("What is it, really?"), None);
        assert_eq!(t("Why is the GIL there?"), None);
        assert_eq!(t("What is?"), None);
        assert_eq!(t("What is 😀").as_deref(), None);
        assert_eq!(t("What is é?").as_deref(), Some("é"));
    }

    #[test]
    fn abbreviates_long_answers() {
        let long = "word ".repeat(100);
        let a = abbreviate(&long);
        assert!(
            a.ends_with('…') && a.chars().count() <= MAX_DEFINITION + 1,
            "{a}"
        );
        let sentences = format!("{}. {}", "a".repeat(150), "b ".repeat(100));
        assert_eq!(abbreviate(&sentences), format!("{}.", "a".repeat(150)));
        assert_eq!(abbreviate("short\n  answer"), "short answer");
    }

    #[test]
    fn lines_count_every_kind_of_break() {
        let text = "a\r\nb\rc\nd";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 3), 1);
        assert_eq!(c.line(text, 5), 2);
        assert_eq!(c.line(text, 8), 3);
        let text = "a\nb\n\nc";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 2), 1);
        assert_eq!(c.line(text, 2), 1);
        assert_eq!(c.line(text, 9), 3);
        // Stopping between the `\r` and `\n` of a CRLF: still on that line.
        let text = "a\r\nb";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 2), 0);
        assert_eq!(c.line(text, 3), 1);
    }
}
