//! The JSON of each entry's diagnostics and outline symbol, kept across
//! edits, so that publishing diagnostics and answering `documentSymbol` cost
//! a copy of bytes rather than a conversion of every entry.
//!
//! After a keystroke a document's diagnostics and outline are what they were
//! but for the entries the edit touched, and for line numbers, which shift
//! below an added or removed line. So each entry's JSON is kept with its line
//! numbers relative to the entry's first line (a column depends only on its
//! own line, which belongs to the entry), and a message is those pieces
//! copied in order with each entry's first line added back.
//!
//! An edit drops the pieces of the entries it re-parsed ([`EntryJson::update`]),
//! and a change of position encoding, configured severities or known terms
//! (which decide misspellings) drops them all; the next message rebuilds what
//! is missing. A question asked earlier in the file is kept by the build of
//! its entry and of the entry that asked first, since it depends on both.
//! What depends on other files (duplicates across files) or on no entry
//! (misspellings outside entries) is written fresh every time. The pieces sit
//! behind a mutex so that a task working on a snapshot fills in the
//! document's own copy (the two share it until the next edit).
//!
//! The result is the JSON that converting every finding and symbol afresh
//! gives, which the tests below check over random edits. `diagnostics`
//! writes a file's diagnostics from these pieces, `symbols` its outline.

mod cached;
mod diagnostics;
mod duplicates;
mod sink;
mod symbols;

use std::ops::Range;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tower_lsp::lsp_types as lsp;

use super::position::{Encoding, Positions};
use crate::ide::{FileDiagnostics, GapSpelling};
use crate::syntax::{LineIndex, Notes};
use cached::{Built, Tails};
use diagnostics::DiagnosticsStamp;
use duplicates::Duplicates;
use symbols::SymbolJson;

/// What the messages are written from: one version of a document's text,
/// its lines, its parse and its own findings.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub notes: &'a Notes,
    pub diagnostics: &'a FileDiagnostics,
}

impl<'a> Source<'a> {
    fn positions(&self, enc: Encoding) -> Positions<'a> {
        Positions::new(self.text, self.lines, enc)
    }
}

#[derive(Debug, Default)]
pub struct EntryJson {
    cache: Mutex<Cache>,
}

impl Clone for EntryJson {
    fn clone(&self) -> Self {
        EntryJson {
            cache: Mutex::new(self.lock().clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Cache {
    diagnostics: Slots<Built, DiagnosticsStamp>,
    /// The last id given to an entry's build of its diagnostics (`Built`).
    builds: u64,
    duplicates: Duplicates,
    /// What the cached diagnostics share.
    tails: Tails,
    symbols: Slots<Slot<SymbolJson>, Encoding>,
    gaps: GapSpelling,
    /// The length of the last diagnostics list written, to size the next.
    diagnostics_len: usize,
}

/// One piece per entry, valid for one stamp.
#[derive(Debug, Clone)]
struct Slots<T, S> {
    stamp: Option<S>,
    /// `T::default()` until built.
    items: Vec<T>,
}

impl<T, S> Default for Slots<T, S> {
    fn default() -> Self {
        Slots {
            stamp: None,
            items: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
enum Slot<T> {
    #[default]
    Unknown,
    Empty,
    Full(T),
}

impl<T: Clone + Default, S: PartialEq + Copy> Slots<T, S> {
    /// Drops everything unless it was built for `stamp` and `entries` entries.
    fn check(&mut self, stamp: S, entries: usize) {
        if self.stamp != Some(stamp) || self.items.len() != entries {
            self.stamp = Some(stamp);
            self.items = vec![T::default(); entries];
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
        let unknown = std::iter::repeat(T::default()).take(reparsed.len());
        self.items.splice(reparsed.start..old_end, unknown);
    }
}

impl EntryJson {
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
}

fn relative_range(r: &mut lsp::Range, base: u32) {
    r.start.line -= base;
    r.end.line -= base;
}

/// Serialises to JSON for tests of equality with the slow path.
#[cfg(test)]
fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::cached::RelativeJson;
    use super::diagnostics::kinds;
    use super::symbols::relative_symbol;
    use super::*;
    use crate::config::Config;
    use crate::ide;
    use crate::ide::{DiagnosticKind, Severity};
    use crate::lsp::documents::Document;
    use crate::lsp::to_proto;
    use crate::lsp::uri::no_editor;
    use crate::rpc::Parts;
    use crate::syntax::TextRange;
    use crate::workspace::WorkspaceIndex;
    use tower_lsp::lsp_types::Url;

    /// The protocol diagnostics of a snapshot, computed afresh: what the
    /// message written from cached pieces must equal.
    fn compute(
        index: &WorkspaceIndex,
        snap: &Document,
        uri: &Url,
        enc: Encoding,
    ) -> Vec<lsp::Diagnostic> {
        let path = crate::lsp::uri::doc_path(uri);
        let others = crate::lsp::uri::OtherFiles::new(index, Box::new(no_editor), enc);
        let elsewhere = |doc: &ide::DocKey, range: TextRange| others.locate(doc, range);
        let pos = snap.positions(enc);
        crate::workspace::diagnose_open(index, &path, &snap.text, &snap.notes, &snap.diagnostics)
            .iter()
            .map(|(d, sev)| to_proto::diagnostic(&mut |r| pos.range(r), uri, d, *sev, &elsewhere))
            .collect()
    }

    fn doc(text: &str) -> Document {
        Document::new(text.to_string(), 1)
    }

    /// One cache per encoding: a change of encoding drops every piece, and
    /// the pieces kept across edits are what is checked.
    fn check(d: &Document, caches: &[EntryJson; 2], index: &WorkspaceIndex, uri: &Url) {
        for (enc, f) in [Encoding::Utf16, Encoding::Utf8].into_iter().zip(caches) {
            let mut out = Vec::new();
            let others = crate::lsp::uri::OtherFiles::new(index, Box::new(no_editor), enc);
            f.write_diagnostics(d.source(), uri, index, &others, enc, &mut out);
            let fast: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
            let slow = to_json(&compute(index, d, uri, enc));
            assert_eq!(fast, slow, "diagnostics of {:?}", d.text);

            let mut out = Measured::default();
            f.write_symbols(d.source(), enc, &mut out);
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
    fn symbol_json_is_serde_json_at_any_line() {
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
                let piece = SymbolJson::new(&s, &item, text, e.range.start());
                for at in [0, 1, 8, 9, 95, 99, 999_998, 4_294_967_000] {
                    let mut want = s.clone();
                    shift_symbol(&mut want, at);
                    let mut out = Vec::new();
                    piece.write(text, e.range.start(), at, &mut out);
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
        let p = RelativeJson::new(
            r#"{"a":{"line":0,"character":3},"name":"\"line\":9","line":12}"#.into(),
        );
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
             Is DEBUG on in production?\n\n*What is a stub?\n-> TODO\n\n*Is it 😀?\n-> Yes.\n\n*what is a  STUB\n-> again\n",
        );
        let mut f = [EntryJson::default(), EntryJson::default()];
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
        let edits: [(&str, &str); 15] = [
            ("See gunicon.", "See gunicon.\nMore lines\n"),
            ("*Q?->", "*Q? (2)->\n"),
            ("what is X ?", "*what is X?"),
            ("Header: alg", "Header: alg\nUvicron: a server"),
            ("\n\n*\n", "\n"),
            ("Intro", "Preface 语"),
            // The question first asked moves and changes; its copy does not.
            ("Preface", "Preface\n\n"),
            ("*What is CSRF?", "*What   is CSRF?"),
            ("*What is a stub?", "*What   is a stub?"),
            ("*what is  csrf", "*What is XSS?"),
            ("A forged", "\r\nA forged"),
            // Lone CRs, and an entry that ends inside a CRLF.
            ("claims 😀", "claims 😀\rLone CR line\r"),
            ("-> y\n", "-> y\r\n"),
            // Text between entries: its misspellings come from the gap cache.
            ("\n\n*what is X?", "\n\nstray gunicon line\n\n*what is X?"),
            ("stray gunicon", "stray gunicorn"),
        ];
        for (find, replace) in edits {
            let at = d
                .text
                .find(find)
                .unwrap_or_else(|| panic!("{find:?} not in {:?}", d.text));
            let reparsed = d.replace(TextRange::new(at, at + find.len()), replace);
            for f in &mut f {
                f.update(&reparsed, d.notes.entries.len());
            }
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
