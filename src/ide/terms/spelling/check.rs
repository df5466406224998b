//! Checking text: the prose lines of an entry or of the text around
//! entries, word by word, each word's verdict turned into a finding with its
//! fix (the best suggestion in context), known misspellings matched
//! exactly, and English spelling asked of the rest when it is on.

use super::english;
use super::prose::{fence_marker, is_indented_code, skipped_spans, Skipped};
use super::verdicts::{excepted, lower, Checker, Hit, Verdict};
use crate::ide::diagnostics::{Diagnostic, DiagnosticKind};
use crate::ide::fix::{Fix, TextChange};
use crate::ide::language::is_english;
use crate::ide::words::words;
use crate::syntax::{Entry, LineIter, Notes, TextRange};

impl Checker<'_> {
    pub(super) fn file(&self, text: &str, notes: &Notes) -> Vec<Diagnostic> {
        let entries = notes.entries.iter();
        self.spans(text, entries.map(|e| (e.range, e.question.line.start())))
    }

    /// Every entry (its range and its question line's start) and the text
    /// around them.
    pub(super) fn spans(
        &self,
        text: &str,
        entries: impl Iterator<Item = (TextRange, usize)>,
    ) -> Vec<Diagnostic> {
        let checker = self;
        let mut out = Vec::new();
        let mut pos = 0;
        for (range, question) in entries {
            if range.start() > pos {
                checker.check_lines(text, TextRange::new(pos, range.start()), None, &mut out);
            }
            checker.check_lines(text, range, Some(question), &mut out);
            pos = pos.max(range.end());
        }
        if pos < text.len() {
            checker.check_lines(text, TextRange::new(pos, text.len()), None, &mut out);
        }
        out
    }
}

impl<'a> Checker<'a> {
    pub(super) fn check_entry(&self, text: &str, entry: &Entry, out: &mut Vec<Diagnostic>) {
        self.check_lines(text, entry.range, Some(entry.question.line.start()), out);
    }

    /// Checks the prose lines of `range`, which starts at a line start.
    /// `question` is the start of the question line, never read as code.
    pub(super) fn check_lines(
        &self,
        text: &str,
        range: TextRange,
        question: Option<usize>,
        out: &mut Vec<Diagnostic>,
    ) {
        // The fence character and length of an open fenced block.
        let mut fence: Option<(u8, usize)> = None;
        for (s, e, _) in LineIter::new(text, range.start(), range.end().min(text.len())) {
            let line = &text[s..e];
            let content = line.trim_start_matches([' ', '\t']);
            if let Some((c, n, info)) = fence_marker(content) {
                fence = match fence {
                    None => Some((c, n)),
                    Some((open, len)) if c == open && n >= len && info.trim().is_empty() => None,
                    still => still,
                };
                continue;
            }
            if fence.is_some() || (Some(s) != question && is_indented_code(line)) {
                continue;
            }
            let before = out.len();
            self.check_line(text, TextRange::new(s, e), out);
            // Other languages have their own words near terms (`jsou`).
            // Asked only of the rare line with a finding: most lines have
            // none, and reading a line's language costs more than checking
            // its words against verdicts already made.
            if out.len() > before && !is_english(line) {
                out.truncate(before);
            }
        }
    }

    fn check_line(&self, text: &str, line: TextRange, out: &mut Vec<Diagnostic>) {
        // Which spans are code or links matters only for a word that would
        // be flagged, which is rare: find them then.
        let skip = std::cell::OnceCell::new();
        let free = |r: TextRange| {
            !skip
                .get_or_init(|| Skipped::new(skipped_spans(line.slice(text), line.start())))
                .overlaps(r)
        };
        let ws = words(line.slice(text), line.start());
        let english = self.terms.english_spelling();
        let mut i = 0;
        while i < ws.len() {
            if let Some((len, d)) = self.known_misspelling(text, &ws[i..], &free) {
                out.push(d);
                i += len;
                continue;
            }
            let before = out.len();
            match self.verdict(ws[i].slice(text)) {
                Verdict::Fine => {}
                Verdict::Suspect { hits, plural } => {
                    if let Some(d) = self
                        .pick(text, &ws, i, &hits, plural)
                        .filter(|d| free(d.range))
                    {
                        out.push(d);
                    }
                }
                Verdict::Unrelated => {
                    for part in parts(text, ws[i]) {
                        if let Verdict::Suspect { hits, plural } = self.verdict(part.slice(text)) {
                            if let Some(d) = self
                                .pick(text, &[part], 0, &hits, plural)
                                .filter(|d| free(d.range))
                            {
                                out.push(d);
                            }
                        }
                    }
                }
            }
            if english && out.len() == before {
                self.check_english(text, ws[i], &free, out);
            }
            i += 1;
        }
    }

    /// Flags `word` (or its parts between `-` and `/`) when it has the shape
    /// of an English word, is no known term or accepted word, and the
    /// dictionary does not know it but knows something near.
    fn check_english(
        &self,
        text: &str,
        word: TextRange,
        free: &impl Fn(TextRange) -> bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let w = word.slice(text);
        // `doesn't` is two words here (`doesn`, `t`), file names and
        // domains (`app.py`) are no prose, and a compound with letters of
        // another script or accents (`λ-calcul`) is another language's.
        let after = &text[word.end()..];
        if w.contains('.') || !w.is_ascii() || after.starts_with(['\'', '\u{2019}']) {
            return;
        }
        let pieces = std::iter::once(word).filter(|_| !w.contains(['-', '/']));
        for part in pieces.chain(parts(text, word)) {
            let p = part.slice(text);
            if !english::candidate(p) {
                continue;
            }
            // Most words are in the dictionary: the rest is asked only of
            // the few it does not know.
            let Some(s) = english::suggestions(p) else {
                continue;
            };
            if self.accepted(w) || (part != word && self.accepted(p)) || !free(part) {
                continue;
            }
            out.push(english::finding(part, p, &s));
        }
    }

    /// A known term, a word a user glossary lists, or a technical word the
    /// term check's exception list has.
    fn accepted(&self, word: &str) -> bool {
        let mut buf = [0u8; 64];
        self.terms.is_known(word)
            || self.terms.user_accepts(word)
            || lower(word, &mut buf).is_some_and(excepted)
    }

    /// A glossary's known misspelling starting at `ws[0]`, unless a user
    /// glossary accepts that spelling: its length in words and the finding.
    fn known_misspelling(
        &self,
        text: &str,
        ws: &[TextRange],
        free: &impl Fn(TextRange) -> bool,
    ) -> Option<(usize, Diagnostic)> {
        let first = ws[0].slice(text);
        let found = self
            .near
            .iter()
            .flatten()
            .flat_map(|n| n.misspellings_from(first))
            .filter(|m| m.words.len() <= ws.len())
            .filter(|m| {
                let span = &ws[..m.words.len()];
                phrase_matches(text, span, &m.words, None, true) && span.iter().all(|&w| free(w))
            })
            .max_by_key(|m| m.words.len())?;
        let range = TextRange::new(ws[0].start(), ws[found.words.len() - 1].end());
        if self.terms.user_accepts(range.slice(text)) {
            return None;
        }
        Some((
            found.words.len(),
            finding(text, range, &found.name, false, false),
        ))
    }

    /// The best suggestion for `ws[i]` among `hits`: the closest, then the
    /// most frequent (named in the most places), then one whose phrase the
    /// neighbouring words complete, then the shortest name.
    /// A word of a multi-word term counts only with the rest of it around.
    fn pick(
        &self,
        text: &str,
        ws: &[TextRange],
        i: usize,
        hits: &[Hit],
        plural: bool,
    ) -> Option<Diagnostic> {
        let (range, hit) = hits
            .iter()
            .filter_map(|h| match &h.target.phrase {
                None => Some((ws[i], h)),
                Some((words, pos)) => {
                    let start = i.checked_sub(*pos)?;
                    let span = ws.get(start..start + words.len())?;
                    phrase_matches(text, span, words, Some(*pos), false).then(|| {
                        (
                            TextRange::new(span[0].start(), span[span.len() - 1].end()),
                            h,
                        )
                    })
                }
            })
            .min_by_key(|(_, h)| {
                (
                    h.distance,
                    // Frequency: how many places (the notes' definitions,
                    // glossary files, the built-in glossary) name the term.
                    std::cmp::Reverse(self.terms.frequency(&h.target.name)),
                    h.target.phrase.is_none(),
                    h.target.name.len(),
                    h.target.order,
                )
            })?;
        // A phrase the notes define is a term of its own, unless a near one
        // is defined at least twice, and twice as often.
        if range != ws[i] && self.terms.is_known(range.slice(text)) {
            let own = self.terms.frequency(range.slice(text)).max(1);
            if !hit.target.plain || self.terms.frequency(&hit.target.name) < 2 * own {
                return None;
            }
        }
        Some(finding(
            text,
            range,
            &hit.target.name,
            plural,
            hit.target.plain,
        ))
    }
}

/// The diagnostic for `range`, which should read `name` (+ `s`). A `plain`
/// term from the notes has its capital only from where it was defined (at
/// the start of a line: `Memoization: ...`), so it follows the word's case.
fn finding(text: &str, range: TextRange, name: &str, plural: bool, plain: bool) -> Diagnostic {
    let word = range.slice(text);
    let mut suggestion = String::with_capacity(name.len() + 1);
    // `Middlewre` at the start of a sentence becomes `Middleware`.
    let mut chars = name.chars();
    let rest_lower = !chars.as_str().chars().skip(1).any(char::is_uppercase);
    match (chars.next(), word.chars().next()) {
        (Some(n), Some(w)) if n.is_lowercase() && w.is_uppercase() => {
            suggestion.extend(n.to_uppercase());
            suggestion.push_str(chars.as_str());
        }
        (Some(n), Some(w)) if plain && rest_lower && n.is_uppercase() && w.is_lowercase() => {
            suggestion.extend(n.to_lowercase());
            suggestion.push_str(chars.as_str());
        }
        _ => suggestion.push_str(name),
    }
    if plural {
        suggestion.push('s');
    }
    Diagnostic {
        kind: DiagnosticKind::MisspelledTerm {
            word: word.to_string(),
            suggestion: suggestion.clone(),
        },
        range,
        message: format!("Unknown term `{word}`: did you mean `{suggestion}`?"),
        fixes: vec![Fix {
            label: format!("Change to `{suggestion}`"),
            changes: vec![TextChange {
                range,
                insert: suggestion,
            }],
            preferred: true,
        }],
        related: Vec::new(),
    }
}

/// Whether the words of `span` are `words`, separated by white space only,
/// ignoring case unless `same_case`. The word at `skip` is the one being
/// judged and is not compared.
fn phrase_matches(
    text: &str,
    span: &[TextRange],
    words: &[Box<str>],
    skip: Option<usize>,
    same_case: bool,
) -> bool {
    let same = |a: &str, b: &str| {
        if same_case {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    span.len() == words.len()
        && span
            .iter()
            .zip(words)
            .enumerate()
            .all(|(j, (r, w))| Some(j) == skip || same(r.slice(text), w))
        && span.windows(2).all(|p| {
            text[p[0].end()..p[1].start()]
                .chars()
                .all(char::is_whitespace)
        })
}

/// The parts of a word between `-` and `/`, for words that as a whole are
/// near nothing (`gunicon-based`, `gunicon/uvicon`).
fn parts(text: &str, word: TextRange) -> impl Iterator<Item = TextRange> + '_ {
    let w = word.slice(text);
    let multi = w.contains(['-', '/']);
    w.split(['-', '/'])
        .scan(word.start(), |at, part| {
            let r = TextRange::new(*at, *at + part.len());
            *at += part.len() + 1;
            Some(r)
        })
        .filter(move |_| multi)
}
