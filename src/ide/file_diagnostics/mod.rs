//! The diagnostics of one open file, kept up to date edit by edit.
//!
//! `syntax::apply_edit` says which entries it parsed again; only those are
//! hashed again. An entry's own findings ([`entry_diagnostics`]) are not
//! kept: they come from the entry alone, cheaply, and whoever sends them
//! keeps them in its own form (the server as JSON, per entry); kept here as
//! well, they were the largest part of a large file's memory after its
//! parse. Duplicate questions come from a count of every entry's question
//! hash, updated for the touched entries only; only the questions whose
//! hash is counted twice are folded again to compare them.
//!
//! The result of [`FileDiagnostics::diagnostics`] is always equal to
//! [`diagnostics`](super::diagnostics()) on the same text, which
//! `tests/file_diagnostics.rs` checks over random edits.
//!
//! Misspellings ([`FileDiagnostics::misspellings`]) depend on the term index
//! as well, so they are kept per entry for one [`TermIndex::generation`](super::TermIndex::generation): an
//! edit clears the touched entries, a change of known terms clears all, and
//! whoever asks next checks what is missing. They sit behind a mutex so that
//! a request working on a snapshot fills in the document's own cache (the
//! two share it until the next edit), without holding it while checking.
//!
//! Duplicate questions are found in `duplicates.rs`, misspellings checked
//! and cached in `spelling.rs`; this file keeps the per-entry facts both
//! stand on and brings them up to date after an edit.

mod duplicates;
mod spelling;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use super::diagnostics::{entry_diagnostics, Diagnostic};
use super::fix::line_break;
use super::hash::FastBuildHasher;
use super::question::{question_hash, question_key, QuestionKey};
use crate::syntax::{Entry, Notes};

pub(crate) use spelling::shifted;

#[derive(Debug, Default)]
pub struct FileDiagnostics {
    /// One per entry of the notes, in the same order.
    entries: Vec<EntryFacts>,
    /// Question hash ([`question_hash`]) → how many entries ask it. Hashes,
    /// not the folded questions: those cost more than half the text's size,
    /// and are needed only for the few asked twice.
    counts: HashMap<u64, u32, FastBuildHasher>,
    /// The hashes asked more than once.
    repeated: HashSet<u64, FastBuildHasher>,
    /// The line break fixes write, which the whole file decides.
    eol: &'static str,
    spelling: Mutex<Spelling>,
    /// The duplicates last found ([`FileDiagnostics::duplicates`]): each
    /// later copy's entry and the entry that asked first. An edit that
    /// touches no repeated question only shifts them; one that does drops
    /// them. Comparing the copies' folded texts was a tenth of a
    /// keystroke's message in a file with thousands of them.
    pairs: Mutex<Option<Pairs>>,
}

/// Misspellings found per entry, for one term index generation.
#[derive(Debug, Clone, Default)]
struct Spelling {
    generation: Option<u64>,
    /// One per entry, ranges relative to the entry's start; `None` until
    /// checked.
    entries: Vec<Option<Found>>,
}

/// Findings of one entry, ranges relative to its start; empty for none
/// (the entries without share one empty list).
type Found = Arc<[Diagnostic]>;

/// Each later copy of a question (entry index) and the entry that asked it first.
pub type Pairs = Arc<[(u32, u32)]>;

impl Clone for FileDiagnostics {
    fn clone(&self) -> Self {
        FileDiagnostics {
            entries: self.entries.clone(),
            counts: self.counts.clone(),
            repeated: self.repeated.clone(),
            eol: self.eol,
            spelling: Mutex::new(self.spelling().clone()),
            pairs: Mutex::new(self.pairs().clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct EntryFacts {
    /// The folded question's hash ([`question_hash`], never 0); 0 when the
    /// question is empty: 8 bytes an entry, where an option takes 16.
    hash: u64,
}

impl EntryFacts {
    fn key(&self) -> Option<u64> {
        (self.hash != 0).then_some(self.hash)
    }
}

impl FileDiagnostics {
    pub fn new(text: &str, notes: &Notes) -> Self {
        let mut f = FileDiagnostics {
            entries: Vec::with_capacity(notes.entries.len()),
            counts: HashMap::default(),
            repeated: HashSet::default(),
            eol: line_break(text),
            spelling: Mutex::default(),
            pairs: Mutex::default(),
        };
        let facts: Vec<EntryFacts> = notes.entries.iter().map(|e| f.facts(text, e)).collect();
        f.entries = facts;
        f
    }

    /// Brings the findings up to date after `syntax::apply_edit` re-parsed
    /// the entries `reparsed` (indices in the updated `notes`); the entries
    /// before and after it were only kept or shifted.
    pub fn update(&mut self, text: &str, notes: &Notes, reparsed: Range<usize>) {
        if line_break(text) != self.eol {
            // The fixes of every entry write the file's line break.
            *self = FileDiagnostics::new(text, notes);
            return;
        }
        // The entries that were replaced: as many more than were parsed as
        // the file had entries more than it has now.
        let old_end = (reparsed.end + self.entries.len()).saturating_sub(notes.entries.len());
        if old_end > self.entries.len() || reparsed.start > old_end {
            *self = FileDiagnostics::new(text, notes);
            return;
        }
        let removed: Vec<EntryFacts> = self.entries.drain(reparsed.start..old_end).collect();
        let repeated = |f: &EntryFacts, r: &HashSet<u64, FastBuildHasher>| {
            f.key().is_some_and(|k| r.contains(&k))
        };
        let mut touched = removed.iter().any(|f| repeated(f, &self.repeated));
        for f in removed {
            if let Some(k) = f.key() {
                self.forget(k);
            }
        }
        let fresh: Vec<EntryFacts> = notes.entries[reparsed.clone()]
            .iter()
            .map(|e| self.facts(text, e))
            .collect();
        touched |= fresh.iter().any(|f| repeated(f, &self.repeated));
        self.entries.splice(reparsed.start..reparsed.start, fresh);
        let pairs = self.pairs.get_mut().unwrap_or_else(PoisonError::into_inner);
        if touched {
            *pairs = None;
        } else if let Some(p) = pairs.as_mut() {
            let (from, by) = (old_end as i64, reparsed.end as i64 - old_end as i64);
            let shift = |i: u32| {
                if i as i64 >= from {
                    (i as i64 + by) as u32
                } else {
                    i
                }
            };
            *p = p.iter().map(|&(a, b)| (shift(a), shift(b))).collect();
        }
        let spelling = self
            .spelling
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if spelling.entries.len() >= old_end {
            let unchecked = std::iter::repeat(None).take(reparsed.len());
            spelling.entries.splice(reparsed.start..old_end, unchecked);
        } else {
            spelling.generation = None;
        }
        debug_assert_eq!(self.entries.len(), notes.entries.len());
    }

    /// Every diagnostic of the file, in text order: equal to
    /// `diagnostics(text, notes)` for the notes this was last updated with.
    pub fn diagnostics(&self, text: &str, notes: &Notes) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = notes
            .entries
            .iter()
            .flat_map(|e| entry_diagnostics(text, e))
            .collect();
        out.extend(self.duplicates(text, notes).into_iter().map(|(_, d)| d));
        // Stable, like `diagnostics`: ties keep entry findings first.
        out.sort_by_key(|d| (d.range.start(), d.range.end()));
        out
    }

    fn pairs(&self) -> std::sync::MutexGuard<'_, Option<Pairs>> {
        self.pairs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn spelling(&self) -> std::sync::MutexGuard<'_, Spelling> {
        self.spelling.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The hash of entry `i`'s folded question, as [`question_hash`] gives it.
    pub fn question_hash(&self, i: usize) -> Option<u64> {
        self.entries.get(i)?.key()
    }

    /// The entries that ask one of `keys`, each with its key, in text
    /// order. Costs a lookup per key, then, only if one of them may be
    /// asked here, a pass over the entries.
    pub fn entries_asking(
        &self,
        text: &str,
        notes: &Notes,
        keys: impl IntoIterator<Item = QuestionKey>,
    ) -> Vec<(usize, QuestionKey)> {
        let wanted: HashMap<u64, Vec<u64>, FastBuildHasher> = keys
            .into_iter()
            .filter(|k| self.counts.contains_key(&k.hash))
            .fold(HashMap::default(), |mut m, k| {
                m.entry(k.hash).or_default().push(k.check);
                m
            });
        if wanted.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .zip(&notes.entries)
            .enumerate()
            .filter_map(|(i, (f, e))| {
                let checks = wanted.get(&f.key()?)?;
                let key = question_key(e.question.text.slice(text));
                checks.contains(&key.check).then_some((i, key))
            })
            .collect()
    }

    fn facts(&mut self, text: &str, e: &Entry) -> EntryFacts {
        let asked = e.question.text;
        let hash = match asked.is_empty() {
            true => 0,
            false => self.remember(question_hash(asked.slice(text))),
        };
        EntryFacts { hash }
    }

    /// Counts one more entry asking the question of hash `key`.
    fn remember(&mut self, key: u64) -> u64 {
        let n = self.counts.entry(key).or_insert(0);
        *n += 1;
        if *n == 2 {
            self.repeated.insert(key);
        }
        key
    }

    fn forget(&mut self, key: u64) {
        if let Some(n) = self.counts.get_mut(&key) {
            *n -= 1;
            if *n < 2 {
                self.repeated.remove(&key);
            }
            if *n == 0 {
                self.counts.remove(&key);
            }
        }
    }
}
