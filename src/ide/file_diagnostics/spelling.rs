//! Misspelled terms of one file, checked per entry and kept for one term
//! index generation, so that only the entries an edit touched are checked
//! again; and the shift that moves an entry's findings to and from
//! entry-relative ranges.

use std::sync::Arc;

use super::{FileDiagnostics, Found, Spelling};
use crate::ide::diagnostics::Diagnostic;
use crate::ide::terms::{entries_misspellings, range_misspellings, TermIndex};
use crate::syntax::{Notes, TextRange};

impl FileDiagnostics {
    /// Misspelled terms, equal to `misspellings(text, notes, terms)` for the
    /// notes this was last updated with. Entries checked against this
    /// generation of `terms` are not checked again.
    pub fn misspellings(&self, text: &str, notes: &Notes, terms: &TermIndex) -> Vec<Diagnostic> {
        let generation = terms.generation();
        let mut found: Vec<Option<Found>> = {
            let s = self.spelling_for(generation, notes.entries.len());
            s.entries.clone()
        };
        let unchecked: Vec<usize> = (0..found.len()).filter(|&i| found[i].is_none()).collect();
        self.check_each(&unchecked, text, notes, terms, |i, d| {
            found[i] = Some(Arc::clone(d));
        });
        // In text order, with the text outside entries, as `misspellings`.
        let mut out = Vec::new();
        let mut pos = 0;
        for (e, d) in notes.entries.iter().zip(found.iter().flatten()) {
            if e.range.start() > pos {
                outside(text, TextRange::new(pos, e.range.start()), terms, &mut out);
            }
            out.extend(d.iter().map(|d| shifted(d, e.range.start() as isize)));
            pos = pos.max(e.range.end());
        }
        if pos < text.len() {
            outside(text, TextRange::new(pos, text.len()), terms, &mut out);
        }
        out
    }

    /// Checks the spelling of the entries `indices` (in text order) with one
    /// checker, and keeps the results for this generation of `terms`.
    pub fn check_entries(&self, indices: &[usize], text: &str, notes: &Notes, terms: &TermIndex) {
        self.check_each(indices, text, notes, terms, |_, _| {});
    }

    /// [`check_entries`](Self::check_entries), giving `each` entry's
    /// findings as they are kept. They are kept in batches: the lock is not
    /// held while a batch is checked, and a whole file's findings are never
    /// held twice (once a file's worth of lists was most of the peak memory
    /// of opening a large file).
    fn check_each(
        &self,
        indices: &[usize],
        text: &str,
        notes: &Notes,
        terms: &TermIndex,
        mut each: impl FnMut(usize, &Found),
    ) {
        const BATCH: usize = 1024;
        let generation = terms.generation();
        let none: Found = Arc::from(Vec::new());
        let entries = indices.iter().filter_map(|&i| notes.entries.get(i));
        let mut found = entries_misspellings(text, entries, terms);
        for batch in indices.chunks(BATCH) {
            let checked: Vec<(usize, Found)> = batch
                .iter()
                .zip(&mut found)
                .map(|(&i, d)| {
                    let start = notes.entries[i].range.start() as isize;
                    let found = if d.is_empty() {
                        Arc::clone(&none)
                    } else {
                        d.iter().map(|d| shifted(d, -start)).collect()
                    };
                    (i, found)
                })
                .collect();
            let mut s = self.spelling_for(generation, notes.entries.len());
            for (i, d) in &checked {
                each(*i, s.entries[*i].get_or_insert_with(|| Arc::clone(d)));
            }
        }
    }

    /// The misspellings of entry `i`, ranges in the text: from the cache
    /// when the entry was checked against this generation of `terms`.
    pub fn entry_misspellings(
        &self,
        i: usize,
        text: &str,
        notes: &Notes,
        terms: &TermIndex,
    ) -> Vec<Diagnostic> {
        let Some(e) = notes.entries.get(i) else {
            return Vec::new();
        };
        let generation = terms.generation();
        let cached = {
            let s = self.spelling_for(generation, notes.entries.len());
            s.entries[i].clone()
        };
        let found = cached.unwrap_or_else(|| {
            let mut found = Arc::from(Vec::new());
            self.check_each(&[i], text, notes, terms, |_, d| found = Arc::clone(d));
            found
        });
        found
            .iter()
            .map(|d| shifted(d, e.range.start() as isize))
            .collect()
    }

    /// The spelling cache, emptied first unless it holds `entries` entries
    /// checked against term index generation `generation`.
    fn spelling_for(&self, generation: u64, entries: usize) -> std::sync::MutexGuard<'_, Spelling> {
        let mut s = self.spelling();
        if s.generation != Some(generation) || s.entries.len() != entries {
            s.generation = Some(generation);
            s.entries = vec![None; entries];
        }
        s
    }
}

/// Misspellings in text outside entries: usually blank lines, skipped
/// without looking for words.
fn outside(text: &str, range: TextRange, terms: &TermIndex, out: &mut Vec<Diagnostic>) {
    if !range.slice(text).trim().is_empty() {
        out.extend(range_misspellings(text, range, terms));
    }
}

/// `d` with every range in this file moved by `delta` bytes.
pub(crate) fn shifted(d: &Diagnostic, delta: isize) -> Diagnostic {
    let mut d = d.clone();
    d.range = d.range.shifted(delta);
    for f in &mut d.fixes {
        for c in &mut f.changes {
            c.range = c.range.shifted(delta);
        }
    }
    for r in &mut d.related {
        if r.path.is_none() {
            r.range = r.range.shifted(delta);
        }
    }
    d
}
