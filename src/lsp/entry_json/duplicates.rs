//! Questions asked again in the same file. Such a finding depends on two
//! entries: the one that asks again and the one that asked first. Two of
//! them differ only in their two ranges, so each is kept as those ranges
//! (lines relative to their entries' first lines), by the build of the
//! entry that asks again, and written into a template that a message makes
//! once from the converted finding. Converted and serialised afresh, the
//! duplicates had been most of a keystroke's message in a file with
//! thousands of them (docs/performance.md).

use std::collections::{HashMap, HashSet};

use memchr::memmem;
use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::relative_range;
use super::sink::{numbers, range, Bytes};
use crate::ide::{self, FastBuildHasher, Severity};
use crate::lsp::to_proto;
use crate::syntax::TextRange;

/// The pieces, by the build of the entry that asks again.
#[derive(Debug, Clone, Default)]
pub(super) struct Duplicates {
    pieces: HashMap<u64, Piece, FastBuildHasher>,
}

/// One duplicate: its own range relative to its entry's first line, and
/// the range first asked relative to that entry's (`original`'s).
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    original: u64,
    own: lsp::Range,
    first: lsp::Range,
}

impl Duplicates {
    /// The piece of the entry built as `me`, whose question `original`
    /// asked first, made by `make` unless it is kept.
    pub(super) fn piece(&mut self, me: u64, original: u64, make: impl FnOnce() -> Piece) -> Piece {
        match self.pieces.get(&me) {
            Some(p) if p.original == original => *p,
            _ => {
                let p = Piece { original, ..make() };
                self.pieces.insert(me, p);
                p
            }
        }
    }

    /// Drops the pieces of entries no longer built or no longer duplicates,
    /// once they are as many again as those `used` by the last message.
    pub(super) fn keep_only(&mut self, used: &[u64]) {
        if self.pieces.len() > 2 * used.len() + 64 {
            let used: HashSet<u64, FastBuildHasher> = used.iter().copied().collect();
            self.pieces.retain(|id, _| used.contains(id));
        }
    }
}

impl Piece {
    /// `own` and `first` as converted, relative to `base` and `first_base`.
    pub(super) fn new(own: lsp::Range, base: u32, first: lsp::Range, first_base: u32) -> Piece {
        let relative = |mut r: lsp::Range, base: u32| {
            relative_range(&mut r, base);
            r
        };
        Piece {
            original: 0,
            own: relative(own, base),
            first: relative(first, first_base),
        }
    }
}

/// The JSON of a duplicate around its two ranges, for one document and
/// severity: what converting one gives, cut where the ranges go.
pub(super) struct Template {
    parts: [Vec<u8>; 3],
    /// Where a duplicate goes among its entry's findings of the same range
    /// (`Diagnostic::order`).
    pub(super) rank: u8,
}

impl Template {
    pub(super) fn new(uri: &Url, severity: Severity) -> Option<Template> {
        let d = ide::duplicate_diagnostic(TextRange::default(), TextRange::default());
        // A range no converted finding has marks where each range goes.
        let end = lsp::Position::new(u32::MAX, u32::MAX);
        let mark = lsp::Range::new(end, end);
        let none = |_: &ide::DocKey, _| None;
        let lsp = to_proto::diagnostic(&mut |_| mark, uri, &d, severity, &none);
        let json = serde_json::to_vec(&lsp).ok()?;
        let mark = serde_json::to_vec(&mark).ok()?;
        let cuts: Vec<usize> = memmem::find_iter(&json, &mark).collect();
        let [own, first] = cuts[..] else {
            tracing::error!("a duplicate's JSON has {} ranges, not 2", cuts.len());
            return None;
        };
        let parts = [
            json[..own].to_vec(),
            json[own + mark.len()..first].to_vec(),
            json[first + mark.len()..].to_vec(),
        ];
        Some(Template {
            parts,
            rank: d.order().2,
        })
    }

    /// Writes `piece` for an entry on line `base` whose question was first
    /// asked by the entry on line `first_base`.
    pub(super) fn write(&self, piece: &Piece, base: u32, first_base: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.parts[0]);
        range(numbers(&piece.own), base, &mut Bytes(out));
        out.extend_from_slice(&self.parts[1]);
        range(numbers(&piece.first), first_base, &mut Bytes(out));
        out.extend_from_slice(&self.parts[2]);
    }
}
