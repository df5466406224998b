//! Misspelled terms: a word that is not a known term but is a letter or two
//! away from one (`gunicon` → Gunicorn), or a known wrong spelling that a
//! glossary lists (`Fast API` → FastAPI).
//!
//! Only prose is checked. Fenced and indented code, inline code, URLs, paths
//! and command-line flags are skipped, and so are words that are probably
//! right although near a term: English words (`data/english-near-terms.txt`,
//! generated from a dictionary by `scripts/near-terms.py`), common technical
//! words (`data/tech-words.txt`), terms the user's notes or glossary files
//! define, plurals of terms, words with digits, `_`, `.`, `+` or `#`, words
//! with non-ASCII letters, and words in capitals shorter than five letters,
//! which are acronyms: `RBAC` and `ABAC`, `CORS` and `CORB` are different
//! things one letter apart.
//!
//! Each entry is checked on its own ([`entry_misspellings`]), so callers can
//! cache the result per entry like [`entry_diagnostics`](super::entry_diagnostics).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::super::index::TermIndex;
use super::super::near::{is_camel, NearTerms, Target, MAX_LEN};
use super::english;
use crate::ide::diagnostics::{Diagnostic, DiagnosticKind};
use crate::ide::fix::{Fix, TextChange};
use crate::ide::language::is_english;
use crate::ide::words::words;
use crate::syntax::{Entry, LineIter, Notes, TextRange};

const ENGLISH: &str = include_str!("../../../../data/english-near-terms.txt");
const TECH: &str = include_str!("../../../../data/tech-words.txt");

/// Misspelled terms in a whole file, in text order: every entry, and the text
/// before the first one.
pub fn misspellings(text: &str, notes: &Notes, terms: &TermIndex) -> Vec<Diagnostic> {
    let checker = Checker::new(terms);
    // About one distinct word in 60 bytes of notes.
    checker.seen.borrow_mut().reserve(text.len() / 60);
    checker.file(text, notes)
}

/// Checks many files against one set of known terms, judging each distinct
/// word once for all of them: the files of one workspace share most of
/// their words, and judging a word costs a search of every spelling near it.
pub struct Speller<'a>(Checker<'a>);

/// A [`Speller`]'s verdicts, kept from one speller to the next while the
/// known terms stay the same: a report on thousands of files checks them a
/// batch at a time (each batch under its own read of the index), and judging
/// the workspace's words again for every batch was a tenth of its time.
#[derive(Default)]
pub struct Verdicts {
    /// The terms' generation and whether the built-in glossary was on.
    terms: Option<(u64, bool)>,
    seen: Seen<Kept>,
}

type Seen<V> = RefCell<HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>>;

/// A [`Verdict`] that names its targets by place (which list, where in it)
/// rather than by reference, so it outlives the borrow of the terms.
#[derive(Clone)]
enum Kept {
    Fine,
    Unrelated,
    Suspect {
        hits: Box<[(u8, u32, u8)]>,
        plural: bool,
    },
}

impl<'a> Speller<'a> {
    pub fn new(terms: &'a TermIndex) -> Self {
        Speller(Checker::new(terms))
    }

    /// A speller that starts from `verdicts`, unless the terms have changed
    /// since they were made.
    pub fn with_verdicts(terms: &'a TermIndex, verdicts: Verdicts) -> Self {
        let mut checker = Checker::new(terms);
        if verdicts.terms == Some(Checker::terms_key(terms)) {
            checker.seen = verdicts.seen;
        }
        Speller(checker)
    }

    /// The verdicts made, for [`with_verdicts`](Self::with_verdicts).
    pub fn into_verdicts(self) -> Verdicts {
        Verdicts {
            terms: Some(Checker::terms_key(self.0.terms)),
            seen: self.0.seen,
        }
    }

    /// [`misspellings`] of one file.
    pub fn misspellings(&self, text: &str, notes: &Notes) -> Vec<Diagnostic> {
        self.0.file(text, notes)
    }

    /// [`misspellings`] of one file, given its entries as
    /// [`FileSummary::entries`](super::FileSummary::entries) gives them.
    pub fn misspellings_in(
        &self,
        text: &str,
        entries: impl Iterator<Item = (TextRange, usize)>,
    ) -> Vec<Diagnostic> {
        self.0.spans(text, entries)
    }
}

impl Checker<'_> {
    fn file(&self, text: &str, notes: &Notes) -> Vec<Diagnostic> {
        let entries = notes.entries.iter();
        self.spans(text, entries.map(|e| (e.range, e.question.line.start)))
    }

    /// Every entry (its range and its question line's start) and the text
    /// around them.
    fn spans(
        &self,
        text: &str,
        entries: impl Iterator<Item = (TextRange, usize)>,
    ) -> Vec<Diagnostic> {
        let checker = self;
        let mut out = Vec::new();
        let mut pos = 0;
        for (range, question) in entries {
            if range.start > pos {
                checker.check_lines(text, TextRange::new(pos, range.start), None, &mut out);
            }
            checker.check_lines(text, range, Some(question), &mut out);
            pos = pos.max(range.end);
        }
        if pos < text.len() {
            checker.check_lines(text, TextRange::new(pos, text.len()), None, &mut out);
        }
        out
    }
}

/// Misspelled terms in `range` of text outside any entry (before the first
/// one, or between entries), which starts at a line start.
pub fn range_misspellings(text: &str, range: TextRange, terms: &TermIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    Checker::new(terms).check_lines(text, range, None, &mut out);
    out
}

/// Misspelled terms in one entry, in text order.
pub fn entry_misspellings(text: &str, entry: &Entry, terms: &TermIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    Checker::new(terms).check_entry(text, entry, &mut out);
    out
}

/// Misspelled terms in each of `entries`, in order: [`entry_misspellings`]
/// for many entries at once, judging each distinct word once for all of
/// them (a file repeats most of its words), which is what re-checking a
/// whole file after its known terms change needs.
pub fn entries_misspellings<'e>(
    text: &str,
    entries: impl IntoIterator<Item = &'e Entry>,
    terms: &TermIndex,
) -> Vec<Vec<Diagnostic>> {
    let checker = Checker::new(terms);
    entries
        .into_iter()
        .map(|e| {
            let mut out = Vec::new();
            checker.check_entry(text, e, &mut out);
            out
        })
        .collect()
}

struct Checker<'a> {
    terms: &'a TermIndex,
    /// The built-in glossary's spellings (when it is on) and the user's.
    near: [Option<&'a NearTerms>; 2],
    /// Verdicts on the words seen so far: text repeats its words, and looking
    /// one up costs a fraction of judging it again.
    seen: Seen<Kept>,
}

/// A spelling a word may have meant, with how far it is.
#[derive(Clone, Copy)]
struct Hit<'a> {
    target: &'a Target,
    distance: u8,
}

/// What a word alone says, before its neighbours are looked at.
#[derive(Clone)]
enum Verdict<'a> {
    /// Spelled right, or close to nothing.
    Fine,
    /// Close to no spelling at all: its parts may still be (`gunicon-based`).
    Unrelated,
    /// Close to these; `plural` when they are close to the word without its
    /// final `s`, which the fix keeps.
    Suspect { hits: Vec<Hit<'a>>, plural: bool },
}

impl<'a> Checker<'a> {
    fn new(terms: &'a TermIndex) -> Self {
        let builtin = terms.has_builtin().then(NearTerms::builtin);
        Checker {
            terms,
            near: [builtin, Some(terms.user_near_terms())],
            seen: RefCell::default(),
        }
    }

    /// What verdicts depend on: the known terms.
    fn terms_key(terms: &TermIndex) -> (u64, bool) {
        (terms.generation(), terms.has_builtin())
    }

    /// `v` with its targets named by place.
    fn keep(&self, v: &Verdict<'a>) -> Kept {
        match v {
            Verdict::Fine => Kept::Fine,
            Verdict::Unrelated => Kept::Unrelated,
            Verdict::Suspect { hits, plural } => Kept::Suspect {
                hits: hits
                    .iter()
                    .filter_map(|h| {
                        self.near.iter().enumerate().find_map(|(n, near)| {
                            let i = near.as_ref()?.index_of(h.target)?;
                            Some((n as u8, i, h.distance))
                        })
                    })
                    .collect(),
                plural: *plural,
            },
        }
    }

    /// A kept verdict with its targets found again.
    fn resolve(&self, k: &Kept) -> Verdict<'a> {
        match k {
            Kept::Fine => Verdict::Fine,
            Kept::Unrelated => Verdict::Unrelated,
            Kept::Suspect { hits, plural } => Verdict::Suspect {
                hits: hits
                    .iter()
                    .filter_map(|&(n, i, distance)| {
                        let target = self.near.get(usize::from(n))?.as_ref()?.target(i)?;
                        Some(Hit { target, distance })
                    })
                    .collect(),
                plural: *plural,
            },
        }
    }

    fn check_entry(&self, text: &str, entry: &Entry, out: &mut Vec<Diagnostic>) {
        self.check_lines(text, entry.range, Some(entry.question.line.start), out);
    }

    /// Checks the prose lines of `range`, which starts at a line start.
    /// `question` is the start of the question line, never read as code.
    fn check_lines(
        &self,
        text: &str,
        range: TextRange,
        question: Option<usize>,
        out: &mut Vec<Diagnostic>,
    ) {
        // The fence character and length of an open fenced block.
        let mut fence: Option<(u8, usize)> = None;
        for (s, e, _) in LineIter::new(text, range.start, range.end.min(text.len())) {
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
                .get_or_init(|| skipped_spans(line.slice(text), line.start))
                .iter()
                .any(|s: &TextRange| s.start < r.end && r.start < s.end)
        };
        let ws = words(line.slice(text), line.start);
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
        let after = &text[word.end..];
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
        let range = TextRange::new(ws[0].start, ws[found.words.len() - 1].end);
        if self.terms.user_accepts(range.slice(text)) {
            return None;
        }
        Some((
            found.words.len(),
            finding(text, range, &found.name, false, false),
        ))
    }

    fn verdict(&self, word: &str) -> Verdict<'a> {
        // What the shape of a word rules out costs less than remembering it.
        let bytes = word.as_bytes();
        if bytes.len() < 4
            || bytes.len() > MAX_LEN
            || bytes.iter().any(|&b| {
                !b.is_ascii() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'+' | b'#')
            })
        {
            return Verdict::Fine;
        }
        if let Some(k) = self.seen.borrow().get(word) {
            return self.resolve(k);
        }
        let v = self.judge(word);
        self.seen.borrow_mut().insert(word.into(), self.keep(&v));
        v
    }

    /// The verdict on an ASCII word of 4 to [`MAX_LEN`] bytes without
    /// digits, `_`, `.`, `+` or `#`.
    fn judge(&self, word: &str) -> Verdict<'a> {
        let bytes = word.as_bytes();
        // Acronyms, plurals included (`OIDs`).
        let singular = bytes.strip_suffix(b"s").unwrap_or(bytes);
        let letters = singular.iter().filter(|b| b.is_ascii_alphabetic()).count();
        if letters < 5 && !singular.iter().any(u8::is_ascii_lowercase) {
            return Verdict::Fine;
        }
        let camel = is_camel(word);
        let mut buf = [0u8; 64];
        let Some(lower) = lower(word, &mut buf) else {
            return Verdict::Fine;
        };
        let mut hits = self.hits(lower.as_bytes(), camel);
        let mut plural = false;
        let compound = lower.contains(['-', '/']);
        // Hyphens are style, not spelling: `multi-version` is `multiversion`.
        if compound {
            let joined = lower.replace(['-', '/'], "");
            if self
                .hits(joined.as_bytes(), camel)
                .iter()
                .any(|h| h.distance == 0)
            {
                return Verdict::Fine;
            }
        }
        // `gunicons` is closer to `gunicon` + s than to anything else; but
        // `postgress` is no plural of `postgres`.
        if !compound && bytes.len() >= 5 && bytes.ends_with(b"s") && !bytes.ends_with(b"ss") {
            let stem = self.hits(&lower.as_bytes()[..lower.len() - 1], camel);
            if stem.iter().any(|h| h.distance == 0) {
                return Verdict::Fine;
            }
            let best = |hs: &[Hit]| hs.iter().map(|h| h.distance).min();
            if let Some(b) = best(&stem) {
                if best(&hits).map_or(true, |full| b < full) {
                    hits = stem
                        .into_iter()
                        .filter(|h| h.target.phrase.is_none())
                        .collect();
                    plural = true;
                }
            }
        }
        // A word of a multi-word term the notes define proves nothing alone
        // (`gunicon` in `Gunicon workers: ...` is still a typo of Gunicorn):
        // the phrase is judged in context (`pick`).
        hits.retain(|h| !(h.distance == 0 && h.target.plain && h.target.phrase.is_some()));
        let mut outnumbered = false;
        if hits.iter().any(|h| h.distance == 0) {
            if !self.outnumbered(word, &hits) {
                return Verdict::Fine;
            }
            outnumbered = true;
            hits.retain(|h| h.distance > 0);
        }
        if hits.is_empty() {
            return Verdict::Unrelated;
        }
        let stem = &lower[..lower.len() - usize::from(plural)];
        if excepted(lower)
            || excepted(stem)
            || (!outnumbered && self.terms.is_known(word))
            || self.terms.user_accepts(word)
        {
            return Verdict::Fine;
        }
        Verdict::Suspect { hits, plural }
    }

    /// Whether `word`, spelled as a term only the notes define (`hits` has
    /// it at distance 0), is rare next to a term from the notes one edit
    /// away: the notes define that one at least twice, and twice as often.
    /// A spelling the notes use as often as the other is a term of its own.
    fn outnumbered(&self, word: &str, hits: &[Hit]) -> bool {
        if hits.iter().any(|h| h.distance == 0 && !h.target.plain) {
            return false;
        }
        let own = self.terms.frequency(word).max(1);
        hits.iter().any(|h| {
            h.distance > 0 && h.target.plain && self.terms.frequency(&h.target.name) >= 2 * own
        })
    }

    /// The spellings near `word` (lowercase). A `camel` word (`asyncId`) is
    /// near only those in camel case too, and a name from the user's notes
    /// (`fsRead`) only camel words; being spelled just so always counts.
    fn hits(&self, word: &[u8], camel: bool) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for near in self.near.iter().flatten() {
            near.near(word, |target, distance| {
                let shape = if camel {
                    target.camel
                } else {
                    !target.strict || target.plain
                };
                let same_ends =
                    word.first() == target.text.first() && word.last() == target.text.last();
                // Two edits in a word whose first or last letter changed make
                // another word more often than a typo (`querise` is not
                // QuerySet but queries); for a plain term from the notes, one
                // does (`Stores` is no misspelling of `Stored`).
                let ends = if target.plain {
                    same_ends
                } else {
                    distance < 2 || same_ends
                };
                if (shape && ends) || distance == 0 {
                    out.push(Hit { target, distance });
                }
            });
        }
        out
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
                    phrase_matches(text, span, words, Some(*pos), false)
                        .then(|| (TextRange::new(span[0].start, span[span.len() - 1].end), h))
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
        && span
            .windows(2)
            .all(|p| text[p[0].end..p[1].start].chars().all(char::is_whitespace))
}

/// The parts of a word between `-` and `/`, for words that as a whole are
/// near nothing (`gunicon-based`, `gunicon/uvicon`).
fn parts(text: &str, word: TextRange) -> impl Iterator<Item = TextRange> + '_ {
    let w = word.slice(text);
    let multi = w.contains(['-', '/']);
    w.split(['-', '/'])
        .scan(word.start, |at, part| {
            let r = TextRange::new(*at, *at + part.len());
            *at += part.len() + 1;
            Some(r)
        })
        .filter(move |_| multi)
}

/// FxHash (as in rustc): words are short and not chosen by an attacker
/// who could profit from collisions, so a multiply per 8 bytes will do.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// Mixed, so that words differing only in the high bytes of a chunk do
    /// not share the low bits the table picks buckets by (see
    /// [`FxHasher`](super::hash::FxHasher)).
    fn finish(&self) -> u64 {
        crate::ide::hash::fmix64(self.0)
    }
}

/// `word` in ASCII lowercase, in `buf`; `None` if it does not fit.
fn lower<'b>(word: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let out = buf.get_mut(..word.len())?;
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// English and technical words that are near a term but right.
fn excepted(lower: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            ENGLISH
                .lines()
                .chain(TECH.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(lower)
}

/// A fence line: three or more backticks or tildes, then an info string.
fn fence_marker(content: &str) -> Option<(u8, usize, &str)> {
    let c = *content.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = content.bytes().take_while(|&b| b == c).count();
    (n >= 3).then(|| (c, n, &content[n..]))
}

/// A line indented by four spaces or a tab, as code is in notes, unless it
/// is an arrow, a table row or a nested bullet.
fn is_indented_code(line: &str) -> bool {
    if !line.starts_with("    ") && !line.starts_with('\t') {
        return false;
    }
    let content = line.trim_start();
    !content.is_empty()
        && !["->", "|", "- ", "* ", "+ ", "• "]
            .iter()
            .any(|p| content.starts_with(p))
}

/// Spans of a line that are not prose: inline code (between equal runs of
/// backticks), and white-space-separated tokens that are URLs, e-mail
/// addresses, paths or command-line flags.
fn skipped_spans(line: &str, base: usize) -> Vec<TextRange> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    if !b
        .iter()
        .any(|&c| matches!(c, b'`' | b'/' | b'\\' | b'@' | b'-' | b'w' | b'W'))
    {
        return out;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let token = &line[start..i];
        let bare = token.trim_start_matches(['(', '[', '<', '"', '\'']);
        let lower_head = bare.get(..4).map(str::to_ascii_lowercase);
        if token.contains("://")
            || lower_head.as_deref() == Some("www.")
            || ["/", "~/", "./", "../", "--"]
                .iter()
                .any(|p| bare.starts_with(p))
            || token.contains(['\\', '@'])
        {
            out.push(TextRange::new(base + start, base + i));
        }
    }
    for span in crate::syntax::code_spans(line) {
        out.push(TextRange::new(base + span.start, base + span.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// Verdicts carried from one speller to the next find what a fresh
    /// speller finds, and are dropped once the known terms change.
    #[test]
    fn kept_verdicts_agree_with_fresh_ones_until_the_terms_change() {
        let text = "*Q\n-> gunicon and Kafak behind nginx; Postgress too\n";
        let notes = parse(text);
        let mut terms = TermIndex::builtin();
        let fresh = Speller::new(&terms).misspellings(text, &notes);
        assert_eq!(fresh.len(), 3, "{fresh:?}");
        let first = Speller::new(&terms);
        first.misspellings(text, &notes);
        let kept = first.into_verdicts();
        let again = Speller::with_verdicts(&terms, kept);
        assert_eq!(again.misspellings(text, &notes), fresh);
        let kept = again.into_verdicts();
        // The notes now define `gunicon`: its old verdict must not stand.
        let defs = "*Q\n-> Gunicon: a made-up server\n";
        terms.set_document("/n/d.notes", defs, &parse(defs));
        let after = Speller::with_verdicts(&terms, kept).misspellings(text, &notes);
        assert_eq!(after, Speller::new(&terms).misspellings(text, &notes));
        assert_eq!(after.len(), 2, "{after:?}");
    }

    #[test]
    fn exception_lists_load() {
        assert!(excepted("flash"));
        assert!(excepted("washing"), "near hashing");
        assert!(excepted("profiler"), "from data/tech-words.txt");
        assert!(!excepted("gunicon"));
        assert!(!excepted("# generated"));
    }

    #[test]
    fn skipped_spans_cover_code_and_links() {
        let line =
            "see `gunicon` at https://x.org/gunicon or ``a ` b`` and /usr/bin/gunicon --gunicon";
        let spans: Vec<&str> = skipped_spans(line, 0)
            .into_iter()
            .map(|r| r.slice(line))
            .collect();
        assert_eq!(
            spans,
            [
                "https://x.org/gunicon",
                "/usr/bin/gunicon",
                "--gunicon",
                "`gunicon`",
                "``a ` b``"
            ]
        );
        assert!(skipped_spans("an unclosed ` tick", 0).is_empty());
    }

    #[test]
    fn code_lines() {
        assert!(is_indented_code("    gunicorn app:app"));
        assert!(is_indented_code("\tx = 1"));
        assert!(!is_indented_code("    - a nested bullet"));
        assert!(!is_indented_code("    -> an arrow"));
        assert!(!is_indented_code("   three spaces"));
        assert_eq!(fence_marker("```python"), Some((b'`', 3, "python")));
        assert_eq!(fence_marker("``"), None);
    }
}
