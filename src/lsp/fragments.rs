//! The JSON of each entry's diagnostics and outline symbol, kept across
//! edits, so that publishing diagnostics and answering `documentSymbol` cost
//! a copy of bytes rather than a conversion of every entry.
//!
//! After a keystroke a document's diagnostics and outline are what they were
//! but for the entries the edit touched, and for line numbers, which shift
//! below an added or removed line. So each entry's JSON is kept with its line
//! numbers relative to the entry's first line (a column depends only on its
//! own line, which belongs to the entry), and a message is those pieces
//! copied in order with each entry's first line added back ([`Piece`]).
//!
//! An edit drops the pieces of the entries it re-parsed ([`Fragments::update`]),
//! and a change of position encoding, configured severities or known terms
//! (which decide misspellings) drops them all; the next message rebuilds what
//! is missing. What depends on other entries or files (duplicate questions,
//! misspellings outside entries) is written fresh every time. The pieces sit
//! behind a mutex so that a task working on a snapshot fills in the
//! document's own copy (the two share it until the next edit).
//!
//! The result is the JSON that `publish::compute` and `to_proto::symbols`
//! give, which the tests below check over random edits.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::documents::Document;
use super::position::{Encoding, Positions};
use super::replies::Parts;
use super::state::path_uri;
use super::symbol_pieces::SymbolPiece;
use super::to_proto;
use crate::config::Config;
use crate::ide::shifted;
use crate::ide::{self, Diagnostic, DiagnosticKind, Severity, Unanswered};
use crate::syntax::TextRange;
use crate::workspace::{doc_key, WorkspaceIndex};

#[derive(Debug, Default)]
pub struct Fragments {
    cache: Mutex<Cache>,
}

impl Clone for Fragments {
    fn clone(&self) -> Self {
        Fragments {
            cache: Mutex::new(self.lock().clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Cache {
    diagnostics: Slots<Arc<[Cached]>, DiagnosticsStamp>,
    symbols: Slots<SymbolPiece, Encoding>,
    gaps: Gaps,
    /// The length of the last diagnostics list written, to size the next.
    diagnostics_len: usize,
}

/// Misspellings in text between entries (stray lines, an introduction), by
/// that text, for one term index generation. An edit need not re-parse the
/// entry before a gap it touches, so gaps are not kept per entry; keyed by
/// their text, they are checked once, not on every message.
#[derive(Debug, Clone, Default)]
struct Gaps {
    generation: Option<u64>,
    /// Gap text → its misspellings, ranges relative to the gap's start.
    found: HashMap<Box<str>, Arc<[Diagnostic]>>,
}

/// What every cached diagnostic depends on besides its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DiagnosticsStamp {
    encoding: Encoding,
    /// The term index generation, for misspellings.
    terms: u64,
    /// The configured severity of each code, in `DiagnosticKind::CODES` order.
    severities: Severities,
    /// `short-answer` flags answers of fewer words than this.
    short_answer_words: usize,
}

/// One severity per code: sized by `CODES`, so a new code cannot be left out
/// of the stamp (a change of its severity would keep stale pieces).
type Severities = [Option<Severity>; DiagnosticKind::CODES.len()];

/// One piece per entry, valid for one stamp.
#[derive(Debug, Clone)]
struct Slots<T, S> {
    stamp: Option<S>,
    items: Vec<Slot<T>>,
}

impl<T, S> Default for Slots<T, S> {
    fn default() -> Self {
        Slots {
            stamp: None,
            items: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
enum Slot<T> {
    Unknown,
    Empty,
    Full(T),
}

impl<T: Clone, S: PartialEq + Copy> Slots<T, S> {
    /// Drops everything unless it was built for `stamp` and `entries` entries.
    fn check(&mut self, stamp: S, entries: usize) {
        if self.stamp != Some(stamp) || self.items.len() != entries {
            self.stamp = Some(stamp);
            self.items = vec![Slot::Unknown; entries];
        }
    }

    fn update(&mut self, reparsed: &Range<usize>, entries: usize) {
        if self.items.is_empty() {
            return;
        }
        let old_end = (reparsed.end + self.items.len()).saturating_sub(entries);
        if old_end > self.items.len() || reparsed.start > old_end {
            self.stamp = None;
            self.items.clear();
            return;
        }
        let unknown = std::iter::repeat(Slot::Unknown).take(reparsed.len());
        self.items.splice(reparsed.start..old_end, unknown);
    }
}

/// A diagnostic of one entry, with what orders it among the entry's others.
#[derive(Debug, Clone)]
struct Cached {
    /// The diagnostic's range, relative to the entry's start.
    start: usize,
    end: usize,
    /// Entry findings before duplicates, then cross-file duplicates, then
    /// misspellings: the order `workspace::diagnose` gives equal ranges.
    rank: u8,
    piece: Piece,
}

/// JSON whose line numbers are relative to a base line.
#[derive(Debug, Clone)]
struct Piece {
    json: Box<str>,
    /// Where each line number is in `json` (its digits) and its value.
    lines: Box<[(u32, u32, u32)]>,
}

impl Piece {
    /// `json` is serialised with relative lines; every `"line":` key is one
    /// (a string value cannot hold an unescaped quote, so none is missed or
    /// made up).
    fn new(json: String) -> Piece {
        const KEY: &str = "\"line\":";
        let mut lines = Vec::new();
        let mut from = 0;
        while let Some(at) = json[from..].find(KEY) {
            let digits = from + at + KEY.len();
            let len = json[digits..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let value = json[digits..digits + len].parse().unwrap_or(0);
            lines.push((digits as u32, (digits + len) as u32, value));
            from = digits + len;
        }
        Piece {
            json: json.into_boxed_str(),
            lines: lines.into_boxed_slice(),
        }
    }

    fn write(&self, base: u32, out: &mut Vec<u8>) {
        let mut at = 0;
        let mut buf = itoa::Buffer::new();
        for &(start, end, line) in self.lines.iter() {
            out.extend_from_slice(&self.json.as_bytes()[at..start as usize]);
            out.extend_from_slice(buf.format(base + line).as_bytes());
            at = end as usize;
        }
        out.extend_from_slice(&self.json.as_bytes()[at..]);
    }
}

impl Fragments {
    /// Drops the pieces of the entries `syntax::apply_edit` re-parsed
    /// (`reparsed`, in the notes that now have `entries` entries).
    pub fn update(&mut self, reparsed: &Range<usize>, entries: usize) {
        let cache = self.cache.get_mut().unwrap_or_else(PoisonError::into_inner);
        cache.diagnostics.update(reparsed, entries);
        cache.symbols.update(reparsed, entries);
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends the JSON array of `doc`'s diagnostics, as
    /// `publish::compute` gives them.
    pub fn write_diagnostics(
        &self,
        doc: &Document,
        uri: &Url,
        index: &WorkspaceIndex,
        encoding: Encoding,
        out: &mut Vec<u8>,
    ) {
        let (text, notes, own) = (&*doc.text, &*doc.notes, &*doc.diagnostics);
        let config = index.config();
        let terms = index.terms();
        let path = super::state::doc_path(uri);
        let stamp = DiagnosticsStamp {
            encoding,
            terms: terms.generation(),
            severities: severities(config),
            short_answer_words: config.short_answer_words,
        };
        // Duplicates depend on the other entries and files: found afresh.
        let mut dynamic: Vec<(usize, Diagnostic)> = own.duplicates(text, notes);
        let key = doc_key(&path);
        for (i, k) in own.entries_asking(text, notes, index.questions().shared_keys()) {
            for d in ide::cross_file_duplicates_at(notes, &key, index.questions(), [(i, k)]) {
                dynamic.push((i, d));
            }
        }
        dynamic.sort_by_key(|(i, d)| (*i, d.order().2));
        // Walked by index, not moved through a `Peekable`: a diagnostic is
        // a few hundred bytes, and thousands of moves per message showed in
        // profiles as copying.
        let mut next_dynamic = 0;
        let mut fresh: Vec<(usize, usize, u8, lsp::Diagnostic)> = Vec::new();

        let elsewhere = |doc: &str, range: TextRange| -> Option<lsp::Location> {
            let (other, file) = index.file_entry(std::path::Path::new(doc))?;
            let range = Positions::of_text(&file.text, encoding).range(range);
            Some(lsp::Location::new(path_uri(other)?, range))
        };
        let short_answer_on = config
            .severity(&DiagnosticKind::ShortAnswer { words: 0 })
            .is_some();
        let convert = |d: &Diagnostic, pos: &Positions| {
            let sev = config.severity(&d.kind)?;
            Some(to_proto::diagnostic(
                &mut |r| pos.range(r),
                uri,
                d,
                sev,
                &elsewhere,
            ))
        };
        // The spelling of the entries to rebuild is checked before the lock
        // is taken (`own` keeps the results): after a change of known terms
        // that is every entry, 400 ms for 20,000, and an edit arriving
        // meanwhile must copy this cache, which waits for the lock.
        let unknown: Vec<usize> = {
            let mut cache = self.lock();
            cache.diagnostics.check(stamp, notes.entries.len());
            let items = &cache.diagnostics.items;
            (0..items.len())
                .filter(|&i| matches!(items[i], Slot::Unknown))
                .collect()
        };
        own.check_entries(&unknown, text, notes, terms);
        let mut cache = self.lock();
        let pos = doc.positions(encoding);
        cache.diagnostics.check(stamp, notes.entries.len());
        // Gaps still in the text move to a fresh map; the rest are dropped.
        let mut old_gaps = std::mem::take(&mut cache.gaps);
        if old_gaps.generation != Some(stamp.terms) {
            old_gaps = Gaps::default();
        }
        let mut gaps = Gaps {
            generation: Some(stamp.terms),
            found: HashMap::new(),
        };
        let mut gap = |range: TextRange| -> Vec<Diagnostic> {
            let slice = range.slice(text);
            if slice.trim().is_empty() {
                return Vec::new();
            }
            let found = match old_gaps.found.remove(slice) {
                Some(f) => f,
                None => match gaps.found.get(slice) {
                    Some(f) => Arc::clone(f),
                    None => ide::range_misspellings(text, range, terms)
                        .iter()
                        .map(|d| shifted(d, -(range.start as isize)))
                        .collect(),
                },
            };
            let out = found
                .iter()
                .map(|d| shifted(d, range.start as isize))
                .collect();
            gaps.found.insert(slice.into(), found);
            out
        };
        // Room for a list like the last one, and a little more: `reserve`
        // would double a buffer that is short by a byte.
        let last = cache.diagnostics_len;
        out.reserve_exact(last + last / 8 + 1024);
        let list_start = out.len();
        let mut w = ListWriter::new(out);
        let mut gap_start = 0;
        for (i, e) in notes.entries.iter().enumerate() {
            for d in gap(TextRange::new(gap_start, e.range.start)) {
                if let Some(d) = convert(&d, &pos) {
                    w.item(|out| serde_json::to_writer(out, &d));
                }
            }
            gap_start = gap_start.max(e.range.end);
            // Entries with nothing to write (most) need no line.
            let wanted = !matches!(cache.diagnostics.items[i], Slot::Empty)
                || dynamic.get(next_dynamic).is_some_and(|(j, _)| *j == i);
            let base = if wanted {
                pos.line(e.range.start) as u32
            } else {
                0
            };
            if let Slot::Unknown = cache.diagnostics.items[i] {
                let own_found = own.entry_findings(i, notes).into_iter();
                let spelled = own.entry_misspellings(i, text, notes, terms);
                // After the misspellings, as `workspace::diagnose_open` adds
                // them: the sort below is stable.
                let short = short_answer_on
                    .then(|| ide::short_answer(text, e, config.short_answer_words))
                    .flatten();
                let mut found: Vec<Diagnostic> = own_found.chain(spelled).chain(short).collect();
                found.sort_by_key(Diagnostic::order);
                // Which finding of a range stays depends on the severities.
                let found = ide::one_per_range(
                    found
                        .into_iter()
                        .filter_map(|d| {
                            let sev = config.severity(&d.kind)?;
                            Some((d, sev))
                        })
                        .collect(),
                );
                let cached: Vec<Cached> = found
                    .iter()
                    .filter_map(|(d, sev)| {
                        let mut lsp =
                            to_proto::diagnostic(&mut |r| pos.range(r), uri, d, *sev, &elsewhere);
                        relative_diagnostic(&mut lsp, base);
                        Some(Cached {
                            start: d.range.start - e.range.start,
                            end: d.range.end - e.range.start,
                            rank: d.order().2,
                            piece: Piece::new(serde_json::to_string(&lsp).ok()?),
                        })
                    })
                    .collect();
                cache.diagnostics.items[i] = if cached.is_empty() {
                    Slot::Empty
                } else {
                    Slot::Full(cached.into())
                };
            }
            let cached: &[Cached] = match &cache.diagnostics.items[i] {
                Slot::Full(c) => c,
                _ => &[],
            };
            fresh.clear();
            while let Some((_, d)) = dynamic.get(next_dynamic).filter(|(j, _)| *j == i) {
                next_dynamic += 1;
                if let Some(lsp) = convert(d, &pos) {
                    let (start, end, rank) = d.order();
                    fresh.push((start, end, rank, lsp));
                }
            }
            // Merge in `Diagnostic::order`: cached ones first among equals,
            // as the stable sort of `diagnose` leaves them.
            let mut next_fresh = 0;
            for c in cached {
                let key = (c.start + e.range.start, c.end + e.range.start, c.rank);
                while let Some(f) = fresh.get(next_fresh).filter(|f| (f.0, f.1, f.2) < key) {
                    next_fresh += 1;
                    w.item(|out| serde_json::to_writer(out, &f.3));
                }
                w.item(|out| {
                    c.piece.write(base, out);
                    Ok(())
                });
            }
            for f in &fresh[next_fresh..] {
                w.item(|out| serde_json::to_writer(out, &f.3));
            }
        }
        for d in gap(TextRange::new(gap_start, text.len())) {
            if let Some(d) = convert(&d, &pos) {
                w.item(|out| serde_json::to_writer(out, &d));
            }
        }
        w.finish();
        cache.gaps = gaps;
        cache.diagnostics_len = out.len() - list_start;
    }

    /// Writes the JSON array of `doc`'s outline, as `to_proto::symbols`
    /// gives it, into `out`: its length first, then the array in parts.
    pub fn write_symbols(&self, doc: &Document, encoding: Encoding, out: &mut impl Parts) {
        let (text, notes) = (&*doc.text, &*doc.notes);
        let mut cache = self.lock();
        let (bases, pos) = entry_positions(doc, encoding);
        cache.symbols.check(encoding, notes.entries.len());
        // The pieces missing, then the length of the whole.
        let (mut len, mut items) = (2, 0usize);
        for (i, e) in notes.entries.iter().enumerate() {
            let base = bases[i];
            let slot = &mut cache.symbols.items[i];
            if let Slot::Unknown = slot {
                let item = ide::outline_entry(text, e);
                let piece = to_proto::symbols(&pos, vec![item.clone()])
                    .pop()
                    .map(|mut s| {
                        relative_symbol(&mut s, base);
                        SymbolPiece::new(&s, &item, text, e.range.start)
                    });
                *slot = piece.map_or(Slot::Empty, Slot::Full);
            }
            if let Slot::Full(piece) = slot {
                len += piece.json_len(base);
                items += 1;
            }
        }
        out.start(len + items.saturating_sub(1));
        out.buf().push(b'[');
        let mut first = true;
        for (i, e) in notes.entries.iter().enumerate() {
            if let Slot::Full(piece) = &cache.symbols.items[i] {
                let buf = out.buf();
                if !first {
                    buf.push(b',');
                }
                first = false;
                piece.write(text, e.range.start, bases[i], buf);
                out.item_done();
            }
        }
        out.buf().push(b']');
    }
}

/// The line each entry starts on (entries in order: a step each), and
/// positions in the document.
fn entry_positions(doc: &Document, encoding: Encoding) -> (Vec<u32>, Positions<'_>) {
    let pos = doc.positions(encoding);
    let bases = doc
        .notes
        .entries
        .iter()
        .map(|e| pos.line(e.range.start) as u32)
        .collect();
    (bases, pos)
}

/// Writes `[a,b,...]`.
struct ListWriter<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> ListWriter<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'[');
        ListWriter { out, first: true }
    }

    fn item(&mut self, write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) {
        let mark = self.out.len();
        if !self.first {
            self.out.push(b',');
        }
        match write(self.out) {
            Ok(()) => self.first = false,
            Err(e) => {
                // Nothing of ours fails to serialise; drop a broken item whole.
                tracing::error!("cannot serialise an item: {e}");
                self.out.truncate(mark);
            }
        }
    }

    fn finish(self) {
        self.out.push(b']');
    }
}

/// The configured severity of each code.
fn severities(config: &Config) -> Severities {
    kinds().map(|k| config.severity(&k))
}

/// A diagnostic kind of each code, in `DiagnosticKind::CODES` order (a test
/// checks the order).
fn kinds() -> [DiagnosticKind; DiagnosticKind::CODES.len()] {
    [
        DiagnosticKind::UnansweredQuestion(Unanswered::NoArrow),
        DiagnosticKind::MissingQuestionMarker,
        DiagnosticKind::EmptyQuestion,
        DiagnosticKind::MissingArrow,
        DiagnosticKind::DuplicateQuestion,
        DiagnosticKind::MisspelledTerm {
            word: String::new(),
            suggestion: String::new(),
        },
        DiagnosticKind::PlaceholderAnswer,
        DiagnosticKind::ShortAnswer { words: 0 },
        DiagnosticKind::EnglishSpelling {
            word: String::new(),
            suggestions: Vec::new(),
        },
    ]
}

fn relative_range(r: &mut lsp::Range, base: u32) {
    r.start.line -= base;
    r.end.line -= base;
}

fn relative_diagnostic(d: &mut lsp::Diagnostic, base: u32) {
    relative_range(&mut d.range, base);
    for r in d.related_information.iter_mut().flatten() {
        relative_range(&mut r.location.range, base);
    }
}

fn relative_symbol(s: &mut lsp::DocumentSymbol, base: u32) {
    relative_range(&mut s.range, base);
    relative_range(&mut s.selection_range, base);
    for c in s.children.iter_mut().flatten() {
        relative_symbol(c, base);
    }
}

/// Serialises to JSON for tests of equality with the slow path.
#[cfg(test)]
fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The protocol diagnostics of a snapshot, computed afresh: what the
    /// message written from cached pieces must equal.
    fn compute(
        index: &WorkspaceIndex,
        snap: &Document,
        uri: &Url,
        enc: Encoding,
    ) -> Vec<lsp::Diagnostic> {
        let path = crate::lsp::state::doc_path(uri);
        let others = super::super::publish::OtherFiles::new(index, enc);
        let elsewhere = |doc: &str, range: TextRange| others.locate(doc, range);
        let pos = snap.positions(enc);
        crate::workspace::diagnose_open(index, &path, &snap.text, &snap.notes, &snap.diagnostics)
            .iter()
            .map(|(d, sev)| to_proto::diagnostic(&mut |r| pos.range(r), uri, d, *sev, &elsewhere))
            .collect()
    }

    fn doc(text: &str) -> Document {
        Document::new(text.to_string(), 1)
    }

    fn check(d: &Document, f: &Fragments, index: &WorkspaceIndex, uri: &Url) {
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let mut out = Vec::new();
            f.write_diagnostics(d, uri, index, enc, &mut out);
            let fast: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
            let slow = to_json(&compute(index, d, uri, enc));
            assert_eq!(fast, slow, "diagnostics of {:?}", d.text);

            let mut out = Measured::default();
            f.write_symbols(d, enc, &mut out);
            assert_eq!(out.announced, Some(out.buf.len()), "announced length");
            let fast: serde_json::Value = serde_json::from_slice(&out.buf).unwrap_or_default();
            let pos = d.positions(enc);
            let slow = to_json(&to_proto::symbols(&pos, ide::outline(&d.text, &d.notes)));
            assert_eq!(fast, slow, "symbols of {:?}", d.text);
        }
    }

    /// Parts that remember the length announced.
    #[derive(Default)]
    struct Measured {
        announced: Option<usize>,
        buf: Vec<u8>,
    }

    impl Parts for Measured {
        fn start(&mut self, len: usize) {
            assert_eq!(self.announced, None, "started twice");
            self.announced = Some(len);
        }

        fn buf(&mut self) -> &mut Vec<u8> {
            &mut self.buf
        }
    }

    /// A symbol piece gives serde's JSON of the symbol whatever line the
    /// entry starts on, and knows its length without writing it, also when
    /// the entry's lines cross a power of ten.
    #[test]
    fn symbol_pieces_are_serde_json_at_any_line() {
        let text =
            "intro\n*Wh\"at  is 😀?\n-> Term: a thing\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n*\n";
        let d = doc(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for e in &d.notes.entries {
                let item = ide::outline_entry(text, e);
                let pos = d.positions(enc);
                let Some(mut s) = to_proto::symbols(&pos, vec![item.clone()]).pop() else {
                    panic!("no symbol");
                };
                let base = s.range.start.line;
                relative_symbol(&mut s, base);
                let piece = SymbolPiece::new(&s, &item, text, e.range.start);
                for at in [0, 1, 8, 9, 95, 99, 999_998, 4_294_967_000] {
                    let mut want = s.clone();
                    shift_symbol(&mut want, at);
                    let mut out = Vec::new();
                    piece.write(text, e.range.start, at, &mut out);
                    let want = serde_json::to_string(&want).unwrap_or_default();
                    assert_eq!(String::from_utf8_lossy(&out), want, "at line {at}");
                    assert_eq!(piece.json_len(at), out.len(), "length at line {at}");
                }
            }
        }
    }

    fn shift_symbol(s: &mut lsp::DocumentSymbol, by: u32) {
        for r in [&mut s.range, &mut s.selection_range] {
            r.start.line += by;
            r.end.line += by;
        }
        for c in s.children.iter_mut().flatten() {
            shift_symbol(c, by);
        }
    }

    #[test]
    fn pieces_put_back_line_numbers() {
        let p =
            Piece::new(r#"{"a":{"line":0,"character":3},"name":"\"line\":9","line":12}"#.into());
        let mut out = Vec::new();
        p.write(100, &mut out);
        assert_eq!(
            String::from_utf8_lossy(&out),
            r#"{"a":{"line":100,"character":3},"name":"\"line\":9","line":112}"#
        );
    }

    #[test]
    fn messages_equal_the_slow_path_over_edits() {
        let uri = Url::parse("file:///n/a.notes").unwrap_or_else(|_| unreachable!());
        let other = "*What is CSRF?\n-> x\n";
        let mut config = Config::default();
        config
            .severities
            .insert("short-answer".into(), Some(Severity::Hint));
        config
            .severities
            .insert("english-spelling".into(), Some(Severity::Information));
        let mut index = WorkspaceIndex::new(Vec::new(), config);
        index.add_text("/n/b.notes".into(), other.to_string());
        let mut d = doc(
            "Intro with gunicon.\n\n*What is CSRF?\n->\nA forged request from a trustes site. See gunicon.\n\n\
             *what is  csrf\n\n*Q?->\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
             *Components? (3 parts)\n-> Header: alg\n- Payload: claims 😀\n\n\
             what is X ?\n-> y\n\n*\n-> orphan\n\n*What is Y?\nNo arrow here.\n\n\
             Is DEBUG on in production?\n\n*What is a stub?\n-> TODO\n\n*Is it 😀?\n-> Yes.\n",
        );
        let mut f = Fragments::default();
        check(&d, &f, &index, &uri);
        let codes: std::collections::BTreeSet<String> = compute(&index, &d, &uri, Encoding::Utf16)
            .iter()
            .filter_map(|d| match &d.code {
                Some(lsp::NumberOrString::String(c)) => Some(c.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            codes.len(),
            DiagnosticKind::CODES.len(),
            "every code is exercised: {codes:?}"
        );
        // Edits that add and remove lines, questions and misspellings.
        let edits: [(&str, &str); 12] = [
            ("See gunicon.", "See gunicon.\nMore lines\n"),
            ("*Q?->", "*Q? (2)->\n"),
            ("what is X ?", "*what is X?"),
            ("Header: alg", "Header: alg\nUvicron: a server"),
            ("\n\n*\n", "\n"),
            ("Intro", "Preface 语"),
            ("*what is  csrf", "*What is XSS?"),
            ("A forged", "\r\nA forged"),
            // Lone CRs, and an entry that ends inside a CRLF.
            ("claims 😀", "claims 😀\rLone CR line\r"),
            ("-> y\n", "-> y\r\n"),
            // Text between entries: its misspellings come from the gap cache.
            ("\n\nwhat is X", "\n\nstray gunicon line\n\nwhat is X"),
            ("stray gunicon", "stray gunicorn"),
        ];
        for (find, replace) in edits {
            let at = d.text.find(find).unwrap_or(0);
            let reparsed = d.replace(TextRange::new(at, at + find.len()), replace);
            f.update(&reparsed, d.notes.entries.len());
            check(&d, &f, &index, &uri);
        }
        // Known terms change: misspellings are checked again.
        index.add_text("/n/c.notes".into(), "*Q\n-> Uvicron: a server\n".into());
        check(&d, &f, &index, &uri);
        // The severity of any code, or the short-answer threshold, changes:
        // no piece of the old settings is kept.
        for code in DiagnosticKind::CODES {
            let mut config = index.config().clone();
            config.severities.insert(code.into(), Some(Severity::Error));
            index.set_config(config);
            check(&d, &f, &index, &uri);
        }
        let mut config = index.config().clone();
        config.short_answer_words = 1;
        index.set_config(config);
        check(&d, &f, &index, &uri);
    }

    #[test]
    fn the_stamp_has_one_kind_per_code_in_order() {
        let codes = kinds().map(|k| k.code());
        assert_eq!(codes, DiagnosticKind::CODES);
    }
}
