//! The pieces an entry's diagnostics are kept as: each finding's range
//! (lines relative to its entry) and the JSON after it, shared by the
//! findings of a document that say the same.

use std::collections::HashSet;
use std::sync::Arc;

use tower_lsp::lsp_types as lsp;

use super::sink::{numbers, range, Bytes};
use crate::ide::FastBuildHasher;

/// An entry's own findings as built for one stamp. `id` names this build:
/// a duplicate's piece is valid while the builds of both its entries stand.
/// The default, id 0, is an entry not built (no tag beside: one of these
/// per entry).
#[derive(Debug, Clone, Default)]
pub(super) struct Built {
    pub(super) id: u64,
    pub(super) found: Option<Arc<[CachedDiagnostic]>>,
}

impl Built {
    pub(super) fn is_built(&self) -> bool {
        self.id != 0
    }
}

/// A diagnostic of one entry, with what orders it among the entry's others.
#[derive(Debug, Clone)]
pub(super) struct CachedDiagnostic {
    /// The diagnostic's range, relative to the entry's start.
    pub(super) start: u32,
    pub(super) end: u32,
    /// Entry findings before duplicates, then cross-file duplicates, then
    /// misspellings: the order `workspace::diagnose` gives equal ranges.
    pub(super) rank: u8,
    /// Its range as converted, lines relative to the entry's first line:
    /// start line and character, end line and character.
    range: [u32; 4],
    /// The JSON after the range, shared by the entry findings that say the
    /// same (most do: a code's message rarely varies), so that a finding
    /// costs its numbers, not a copy of its text.
    rest: Arc<RelativeJson>,
}

impl CachedDiagnostic {
    /// `d` as converted, lines relative to its entry's; `None` when its JSON
    /// does not start with its range.
    pub(super) fn new(
        d: &lsp::Diagnostic,
        start: u32,
        end: u32,
        rank: u8,
        tails: &mut Tails,
    ) -> Option<Self> {
        let json = serde_json::to_string(d).ok()?;
        let range = serde_json::to_string(&d.range).ok()?;
        let rest = json
            .strip_prefix("{\"range\":")?
            .strip_prefix(range.as_str())?;
        Some(CachedDiagnostic {
            start,
            end,
            rank,
            range: numbers(&d.range),
            rest: tails.get(rest),
        })
    }

    pub(super) fn write(&self, base: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"range\":");
        range(self.range, base, &mut Bytes(out));
        self.rest.write(base, out);
    }
}

/// The distinct JSON after a range that a document's cached findings share.
#[derive(Debug, Clone, Default)]
pub(super) struct Tails {
    shared: HashSet<Tail, FastBuildHasher>,
    /// How many were in use when unused ones were last dropped.
    kept: usize,
}

/// A shared tail, looked up by its JSON.
#[derive(Debug, Clone)]
struct Tail(Arc<RelativeJson>);

impl PartialEq for Tail {
    fn eq(&self, other: &Self) -> bool {
        self.0.json == other.0.json
    }
}

impl Eq for Tail {}

impl std::hash::Hash for Tail {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.json.hash(state);
    }
}

impl std::borrow::Borrow<str> for Tail {
    fn borrow(&self) -> &str {
        &self.0.json
    }
}

impl Tails {
    pub(super) fn get(&mut self, json: &str) -> Arc<RelativeJson> {
        if let Some(t) = self.shared.get(json) {
            return Arc::clone(&t.0);
        }
        let t = Arc::new(RelativeJson::new(json.to_string()));
        self.shared.insert(Tail(Arc::clone(&t)));
        t
    }

    /// Drops the tails no finding holds, once they may be as many again as
    /// those held.
    pub(super) fn tidy(&mut self) {
        if self.shared.len() > 2 * self.kept + 64 {
            self.shared.retain(|t| Arc::strong_count(&t.0) > 1);
            self.kept = self.shared.len();
        }
    }
}

/// JSON whose line numbers are relative to a base line.
#[derive(Debug, Clone)]
pub(super) struct RelativeJson {
    json: Box<str>,
    /// Where each line number is in `json` (its digits) and its value.
    lines: Box<[(u32, u32, u32)]>,
}

impl RelativeJson {
    /// `json` is serialised with relative lines; every `"line":` key is one
    /// (a string value cannot hold an unescaped quote, so none is missed or
    /// made up).
    pub(super) fn new(json: String) -> RelativeJson {
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
        RelativeJson {
            json: json.into_boxed_str(),
            lines: lines.into_boxed_slice(),
        }
    }

    pub(super) fn write(&self, base: u32, out: &mut Vec<u8>) {
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
