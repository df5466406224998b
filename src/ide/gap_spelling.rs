//! Misspelled terms in the text between entries (stray lines, an
//! introduction), kept by that text for one term index generation. An edit
//! need not re-parse the entry before a gap it touches, so gaps are not kept
//! per entry; keyed by their text, each is checked once, not on every pass
//! over the file.

use std::collections::HashMap;
use std::sync::Arc;

use super::diagnostics::Diagnostic;
use super::file_diagnostics::shifted;
use super::terms::{range_misspellings, TermIndex};
use crate::syntax::TextRange;

/// What the last pass over a file's gaps found.
#[derive(Debug, Clone, Default)]
pub struct GapSpelling {
    generation: Option<u64>,
    /// Gap text → its misspellings, ranges relative to the gap's start.
    found: HashMap<Box<str>, Arc<[Diagnostic]>>,
}

/// One pass over a file's gaps, in any order: what the last pass found is
/// reused, and what this pass does not see again is dropped when it ends.
pub struct GapPass<'t> {
    last: GapSpelling,
    this: GapSpelling,
    terms: &'t TermIndex,
}

impl GapSpelling {
    /// Starts a pass against `terms` (a new generation forgets all).
    pub fn pass(self, terms: &TermIndex) -> GapPass<'_> {
        let generation = Some(terms.generation());
        let last = if self.generation == generation {
            self
        } else {
            GapSpelling::default()
        };
        GapPass {
            last,
            this: GapSpelling {
                generation,
                found: HashMap::new(),
            },
            terms,
        }
    }
}

impl GapPass<'_> {
    /// The misspellings in `range` of `text`, a stretch between entries.
    pub fn misspellings(&mut self, text: &str, range: TextRange) -> Vec<Diagnostic> {
        let slice = range.slice(text);
        if slice.trim().is_empty() {
            return Vec::new();
        }
        let found = match self.last.found.remove(slice) {
            Some(f) => f,
            None => match self.this.found.get(slice) {
                Some(f) => Arc::clone(f),
                None => range_misspellings(text, range, self.terms)
                    .iter()
                    .map(|d| shifted(d, -(range.start() as isize)))
                    .collect(),
            },
        };
        let out = found
            .iter()
            .map(|d| shifted(d, range.start() as isize))
            .collect();
        self.this.found.insert(slice.into(), found);
        out
    }

    pub fn finish(self) -> GapSpelling {
        self.this
    }
}
