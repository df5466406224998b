//! Questions asked twice in one file: found among the entries whose hash is
//! counted twice, compared by their folded text (a shared hash alone is not
//! enough), and kept until an edit touches a repeated question.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::sync::Arc;

use super::{FileDiagnostics, Pairs};
use crate::ide::diagnostics::{duplicate_diagnostic, Diagnostic};
use crate::ide::hash::FastBuildHasher;
use crate::ide::question::same_question;
use crate::syntax::{Notes, TextRange};

impl FileDiagnostics {
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
        let mut first: HashMap<u64, (TextRange, u32), FastBuildHasher> = HashMap::default();
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
