//! A file's diagnostics written from the pieces each entry keeps, copied
//! with line numbers added back; a question asked earlier in the file from
//! its two ranges (`duplicates`); what depends on other files (duplicates
//! across files) written fresh, and misspellings between entries from
//! `ide::GapSpelling`.

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::cached::{Built, CachedDiagnostic};
use super::duplicates::{Piece, Template};
use super::{relative_range, EntryJson, Source};
use crate::config::Config;
use crate::ide::{self, Diagnostic, DiagnosticKind, DocKey, Severity, Unanswered};
use crate::lsp::position::{Encoding, Positions};
use crate::lsp::to_proto;
use crate::lsp::uri::{doc_key, OtherFiles};
use crate::rpc::Parts;
use crate::syntax::TextRange;
use crate::workspace::{self, WorkspaceIndex};

/// What every cached diagnostic depends on besides its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DiagnosticsStamp {
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
pub(super) type Severities = [Option<Severity>; DiagnosticKind::CODES.len()];

impl EntryJson {
    /// Appends the JSON array of `doc`'s diagnostics, as converting
    /// `workspace::diagnose_open`'s findings afresh gives them (the tests'
    /// `compute`).
    pub fn write_diagnostics(
        &self,
        doc: Source<'_>,
        uri: &Url,
        index: &WorkspaceIndex,
        others: &OtherFiles<'_>,
        encoding: Encoding,
        out: &mut dyn Parts,
    ) {
        let (text, notes, own) = (doc.text, doc.notes, doc.diagnostics);
        let config = index.config();
        let terms = index.terms();
        let stamp = DiagnosticsStamp {
            encoding,
            terms: terms.generation(),
            severities: severities(config),
            short_answer_words: config.short_answer_words,
        };
        // Duplicates across files depend on the other files: found afresh.
        let mut dynamic: Vec<(usize, Diagnostic)> = Vec::new();
        let key = doc_key(uri);
        for asked in own.entries_asking(text, notes, index.questions().shared_keys()) {
            let i = asked.0;
            for d in ide::cross_file_duplicates_at(notes, &key, index.questions(), [asked]) {
                dynamic.push((i, d));
            }
        }
        dynamic.sort_by_key(|(i, d)| (*i, d.order().2));
        // Walked by index, not moved through a `Peekable`: a diagnostic is
        // a few hundred bytes, and thousands of moves per message showed in
        // profiles as copying.
        let mut next_dynamic = 0;
        // Duplicates within the file: from their pieces.
        let pairs = own.duplicate_pairs(text, notes);
        let mut next_pair = 0;
        let duplicate = config
            .severity(&DiagnosticKind::DuplicateQuestion)
            .and_then(|sev| Template::new(uri, sev));
        let mut used: Vec<u64> = Vec::with_capacity(pairs.len());

        // Each other file's lines are counted once, however many places
        // point into it. A place in a document open in the editor is found
        // in its text, under the documents' lock, which an edit holds while
        // it copies this cache, waiting for the cache's lock: so places in
        // other files are found before that lock is taken, and the
        // findings converted under it point into no other file.
        let elsewhere = |doc: &DocKey, range: TextRange| others.locate(doc, range);
        let convert_with = |d: &Diagnostic, pos: &Positions, elsewhere: &Elsewhere<'_>| {
            let sev = config.severity(&d.kind)?;
            let range = &mut |r| pos.range(r);
            Some(to_proto::diagnostic(range, uri, d, sev, elsewhere))
        };
        let pos = doc.positions(encoding);
        let dynamic: Vec<(usize, (usize, usize, u8), lsp::Diagnostic)> = (dynamic.iter())
            .filter_map(|(i, d)| Some((*i, d.order(), convert_with(d, &pos, &elsewhere)?)))
            .collect();
        let convert = |d: &Diagnostic, pos: &Positions| convert_with(d, pos, &|_, _| None);
        let mut fresh: Vec<Fresh<'_>> = Vec::new();
        // The spelling of the entries to rebuild is checked before the lock
        // is taken (`own` keeps the results): after a change of known terms
        // that is every entry, a long check, and an edit arriving meanwhile
        // must copy this cache, which waits for the lock.
        let unknown: Vec<usize> = {
            let mut cache = self.lock();
            cache.diagnostics.check(stamp, notes.entries.len());
            let items = &cache.diagnostics.items;
            (0..items.len()).filter(|&i| !items[i].is_built()).collect()
        };
        own.check_entries(&unknown, text, notes, terms);
        let mut cache = self.lock();
        cache.diagnostics.check(stamp, notes.entries.len());
        let mut gaps = std::mem::take(&mut cache.gaps).pass(terms);
        // Room for a list like the last one, and a little more: `reserve`
        // would double a buffer that is short by a byte.
        let last = cache.diagnostics_len;
        out.reserve(last + last / 8 + 1024);
        let mut w = ListWriter::new(out);
        let mut gap_start = 0;
        for (i, e) in notes.entries.iter().enumerate() {
            for d in gaps.misspellings(text, TextRange::new(gap_start, e.range.start())) {
                if let Some(d) = convert(&d, &pos) {
                    w.item(|out| serde_json::to_writer(out, &d));
                }
            }
            gap_start = gap_start.max(e.range.end());
            while pairs.get(next_pair).is_some_and(|&(k, _)| (k as usize) < i) {
                next_pair += 1;
            }
            let original = match pairs.get(next_pair) {
                Some(&(k, j)) if k as usize == i => {
                    next_pair += 1;
                    notes
                        .entries
                        .get(j as usize)
                        .map(|first| (j as usize, first))
                }
                _ => None,
            };
            // Entries with nothing to write (most) need no line.
            let item = &cache.diagnostics.items[i];
            let wanted = !item.is_built()
                || item.found.is_some()
                || original.is_some()
                || dynamic.get(next_dynamic).is_some_and(|(j, ..)| *j == i);
            let base = if wanted {
                pos.line(e.range.start()) as u32
            } else {
                0
            };
            if !cache.diagnostics.items[i].is_built() {
                let found = workspace::entry_findings(index, own, i, text, notes);
                let tails = &mut cache.tails;
                let cached: Vec<CachedDiagnostic> = found
                    .iter()
                    .filter_map(|(d, sev)| {
                        let mut lsp =
                            to_proto::diagnostic(&mut |r| pos.range(r), uri, d, *sev, &|_, _| None);
                        relative_diagnostic(&mut lsp, base);
                        let offset = |at: usize| (at - e.range.start()) as u32;
                        let (start, end) = (offset(d.range.start()), offset(d.range.end()));
                        CachedDiagnostic::new(&lsp, start, end, d.order().2, tails)
                    })
                    .collect();
                cache.builds += 1;
                cache.diagnostics.items[i] = Built {
                    id: cache.builds,
                    found: (!cached.is_empty()).then(|| cached.into()),
                };
            }
            fresh.clear();
            // The first asker comes before, so both entries are built.
            let builds = original.and_then(|(j, _)| {
                let (me, first) = (&cache.diagnostics.items[i], cache.diagnostics.items.get(j)?);
                (me.is_built() && first.is_built()).then_some((me.id, first.id))
            });
            if let (Some((_, first_entry)), Some(template), Some((me, first))) =
                (original, &duplicate, builds)
            {
                let first_base = pos.line(first_entry.range.start()) as u32;
                let piece = cache.duplicates.piece(me, first, || {
                    let own = pos.range(e.question.text);
                    Piece::new(own, base, pos.range(first_entry.question.text), first_base)
                });
                used.push(me);
                let q = e.question.text;
                fresh.push(Fresh {
                    key: (q.start(), q.end(), template.rank),
                    json: FreshJson::Duplicate(template, piece, first_base),
                });
            }
            while let Some((_, key, d)) = dynamic.get(next_dynamic).filter(|(j, ..)| *j == i) {
                next_dynamic += 1;
                fresh.push(Fresh {
                    key: *key,
                    json: FreshJson::Converted(d),
                });
            }
            let cached = cache.diagnostics.items[i].found.as_deref().unwrap_or(&[]);
            // Merge in `Diagnostic::order`: cached ones first among equals,
            // as the stable sort of `diagnose` leaves them.
            let mut next_fresh = 0;
            for c in cached {
                let at = |offset: u32| offset as usize + e.range.start();
                let key = (at(c.start), at(c.end), c.rank);
                while let Some(f) = fresh.get(next_fresh).filter(|f| f.key < key) {
                    next_fresh += 1;
                    f.write(base, &mut w);
                }
                w.item(|out| {
                    c.write(base, out);
                    Ok(())
                });
            }
            for f in &fresh[next_fresh..] {
                f.write(base, &mut w);
            }
        }
        for d in gaps.misspellings(text, TextRange::new(gap_start, text.len())) {
            if let Some(d) = convert(&d, &pos) {
                w.item(|out| serde_json::to_writer(out, &d));
            }
        }
        cache.diagnostics_len = w.finish();
        cache.gaps = gaps.finish();
        cache.duplicates.keep_only(&used);
        cache.tails.tidy();
    }
}

/// Where a place in another file is.
type Elsewhere<'o> = dyn Fn(&DocKey, TextRange) -> Option<lsp::Location> + 'o;

/// A diagnostic of one entry not copied from its own pieces, by its order
/// (`Diagnostic::order`) among them.
struct Fresh<'t> {
    key: (usize, usize, u8),
    json: FreshJson<'t>,
}

enum FreshJson<'t> {
    Converted(&'t lsp::Diagnostic),
    /// A duplicate within the file, the message's template it is written
    /// into, and the first line of the entry that asked first.
    Duplicate(&'t Template, Piece, u32),
}

impl Fresh<'_> {
    fn write(&self, base: u32, w: &mut ListWriter<'_>) {
        match &self.json {
            FreshJson::Converted(d) => w.item(|out| serde_json::to_writer(out, d)),
            FreshJson::Duplicate(t, piece, first) => w.item(|out| {
                t.write(piece, base, *first, out);
                Ok(())
            }),
        }
    }
}

/// Writes `[a,b,...]`, passing the parts on between items.
struct ListWriter<'o> {
    out: &'o mut dyn Parts,
    first: bool,
    /// Bytes written.
    len: usize,
}

impl<'o> ListWriter<'o> {
    fn new(out: &'o mut dyn Parts) -> Self {
        out.buf().push(b'[');
        ListWriter {
            out,
            first: true,
            len: 1,
        }
    }

    fn item(&mut self, write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) {
        let buf = self.out.buf();
        let mark = buf.len();
        if !self.first {
            buf.push(b',');
        }
        match write(buf) {
            Ok(()) => {
                self.first = false;
                self.len += buf.len() - mark;
            }
            Err(e) => {
                // Nothing of ours fails to serialise; drop a broken item whole.
                tracing::error!("cannot serialise an item: {e}");
                buf.truncate(mark);
            }
        }
        self.out.item_done();
    }

    /// Closes the list; returns its length in bytes.
    fn finish(self) -> usize {
        self.out.buf().push(b']');
        self.out.item_done();
        self.len + 1
    }
}

/// The configured severity of each code.
fn severities(config: &Config) -> Severities {
    kinds().map(|k| config.severity(&k))
}

/// A diagnostic kind of each code, in `DiagnosticKind::CODES` order (a test
/// checks the order).
pub(super) fn kinds() -> [DiagnosticKind; DiagnosticKind::CODES.len()] {
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

pub(super) fn relative_diagnostic(d: &mut lsp::Diagnostic, base: u32) {
    relative_range(&mut d.range, base);
    for r in d.related_information.iter_mut().flatten() {
        relative_range(&mut r.location.range, base);
    }
}
