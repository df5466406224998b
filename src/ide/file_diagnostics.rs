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
//! as well, so they are kept per entry for one [`TermIndex::generation`]: an
//! edit clears the touched entries, a change of known terms clears all, and
//! whoever asks next checks what is missing. They sit behind a mutex so that
//! a request working on a snapshot fills in the document's own cache (the
//! two share it until the next edit), without holding it while checking.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use super::diagnostics::{duplicate_diagnostic, entry_diagnostics, Diagnostic};
use super::fix::line_break;
use super::hash::FxBuildHasher;
use super::question::{question_hash, question_key, same_question, QuestionKey};
use super::terms::{entries_misspellings, range_misspellings, TermIndex};
use crate::syntax::{Entry, Notes, TextRange};

#[derive(Debug, Default)]
pub struct FileDiagnostics {
    /// One per entry of the notes, in the same order.
    entries: Vec<EntryFacts>,
    /// Question hash ([`question_hash`]) → how many entries ask it. Hashes,
    /// not the folded questions: those cost more than half the text's size,
    /// and are needed only for the few asked twice.
    counts: HashMap<u64, u32, FxBuildHasher>,
    /// The hashes asked more than once.
    repeated: HashSet<u64, FxBuildHasher>,
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
        let repeated = |f: &EntryFacts, r: &HashSet<u64, FxBuildHasher>| {
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

    /// The questions asked earlier in the file: each later copy's entry
    /// index and its diagnostic, in text order.
    pub fn duplicates(&self, text: &str, notes: &Notes) -> Vec<(usize, Diagnostic)> {
        let question = |i: u32| notes.entries.get(i as usize).map(|e| e.question.text);
        self.duplicate_pairs(text, notes)
            .iter()
            .filter_map(|&(i, j)| {
                Some((i as usize, duplicate_diagnostic(question(i)?, question(j)?)))
            })
            .collect()
    }

    /// Each later copy of a question (its entry index) and the entry that
    /// asked it first, in text order: what [`FileDiagnostics::duplicates`]
    /// are made of, for a caller that keeps their output per entry.
    pub fn duplicate_pairs(&self, text: &str, notes: &Notes) -> Pairs {
        if self.repeated.is_empty() {
            return Arc::from([]);
        }
        let known = self.pairs().clone();
        known.unwrap_or_else(|| {
            let found = self.find_pairs(text, notes);
            *self.pairs() = Some(Arc::clone(&found));
            found
        })
    }

    /// Each later copy of a question and the entry that asked it first.
    fn find_pairs(&self, text: &str, notes: &Notes) -> Pairs {
        let mut out = Vec::new();
        // The first question of each hash; a later one with that hash is
        // its duplicate only if their texts fold alike. Others that share
        // a hash without being alike (a collision) wait in `apart`.
        let mut first: HashMap<u64, (TextRange, u32), FxBuildHasher> = HashMap::default();
        let mut apart: Vec<(u64, TextRange, u32)> = Vec::new();
        let mut scratch = String::new();
        for (i, (e, f)) in notes.entries.iter().zip(&self.entries).enumerate() {
            let Some(key) = f.key() else { continue };
            if !self.repeated.contains(&key) {
                continue;
            }
            let (asked, i) = (e.question.text, i as u32);
            let mut same = |original: TextRange| {
                same_question(original.slice(text), asked.slice(text), &mut scratch)
            };
            let original = match first.entry(key) {
                MapEntry::Vacant(v) => {
                    v.insert((asked, i));
                    continue;
                }
                MapEntry::Occupied(o) if same(o.get().0) => Some(o.get().1),
                MapEntry::Occupied(_) => apart
                    .iter()
                    .find(|&&(k, r, _)| k == key && same(r))
                    .map(|&(_, _, j)| j),
            };
            match original {
                Some(j) => out.push((i, j)),
                None => apart.push((key, asked, i)),
            }
        }
        out.into()
    }

    fn pairs(&self) -> std::sync::MutexGuard<'_, Option<Pairs>> {
        self.pairs.lock().unwrap_or_else(PoisonError::into_inner)
    }

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
        let wanted: HashMap<u64, Vec<u64>, FxBuildHasher> = keys
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// Two questions whose hashes collide are not duplicates; a third that
    /// asks the first again still is. A real 64-bit collision cannot be
    /// found for a test, so the second entry is given the first's hash.
    #[test]
    fn a_hash_collision_is_not_a_duplicate() {
        let text = "*What is CSRF?\n-> a\n*What is XSS?\n-> b\n*what is  csrf\n-> c\n";
        let notes = parse(text);
        let mut f = FileDiagnostics::new(text, &notes);
        let (first, second) = (f.entries[0].hash, f.entries[1].hash);
        f.forget(second);
        f.entries[1].hash = f.remember(first);
        let found: Vec<usize> = f.duplicates(text, &notes).iter().map(|(i, _)| *i).collect();
        assert_eq!(found, [2], "only the third entry repeats the first");
    }
}
