//! Which known spellings a word is close to, found without comparing it with
//! every term.
//!
//! The spelling check asks this for every new word of a file, so the
//! question has to cost well under a microsecond. Spellings are kept in
//! buckets by length, and for each length and letter a bit set of the
//! spellings that lack the letter. Counting those bits for the word's
//! letters (64 spellings at a time) leaves the few spellings that lack at
//! most one or two of them; only those are compared letter by letter
//! (`distance.rs`), and only within the allowed distance.
//!
//! Words of multi-word spellings are kept too, marked with their phrase, so
//! `Django REST Framwork` can be caught in context. Known misspellings
//! (`misspellings = [...]` in a glossary) are kept apart, by first word,
//! because they are matched exactly.

use std::collections::HashMap;
use std::sync::Arc;

use super::distance::{distance, max_distance, Letters, MAX_LEN};
use crate::ide::words::{normalize, words};

/// Shortest one-word term from the notes, not in camel case, that words are
/// compared with (`memoization`); multi-word ones are compared in context.
const MIN_PLAIN_WORD: usize = 7;

/// One spelling a word may be close to.
#[derive(Debug)]
pub(crate) struct Target {
    /// ASCII, lowercase.
    pub(crate) text: Box<[u8]>,
    /// The spelling a fix inserts: the canonical name of the term, or an
    /// alias that does not shorten it (see `Builder::add_term`).
    pub(crate) name: Arc<str>,
    /// For a word of a multi-word spelling: all its words, lowercase, and
    /// this word's position among them.
    pub(crate) phrase: Option<(Arc<[Box<str>]>, usize)>,
    /// Written in capitals (`JSON`, `HTTPS`): only a word of the same length
    /// counts as a misspelling, because one with a letter more or less is
    /// usually another name (`JSONB`, `HTTPX`).
    acronym: bool,
    /// Written with a capital inside (`FastAPI`); only such a word can be a
    /// misspelling of a word like that (`asyncId` is no misspelling of
    /// asyncio, but `FastCGI` could be one of FastAPI).
    pub(crate) camel: bool,
    /// Taken from the user's notes, where terms are found by heuristics: one
    /// edit at most, and only for a word in camel case too unless `plain`.
    pub(crate) strict: bool,
    /// A term the user's notes define that is not in camel case
    /// (`Consistent hashing`, `memoization`): words not in camel case are
    /// compared with it too, under stricter rules (see `Checker::hits`).
    pub(crate) plain: bool,
    /// Position in the glossary, to break ties the same way every time.
    pub(crate) order: u32,
}

/// One glossary term's spellings, as [`NearTerms::new`] takes them.
pub(crate) struct GlossaryTerm<'a> {
    /// The canonical name as the glossary writes it.
    pub(crate) name: &'a str,
    /// What a fix inserts for the name and the misspellings: the name the
    /// index shows for the term.
    pub(crate) shown: Arc<str>,
    pub(crate) aliases: &'a [String],
    pub(crate) misspellings: &'a [String],
}

/// A known wrong spelling (`Fast API`), matched exactly, case included: `a
/// fast API` is English.
#[derive(Debug)]
pub(crate) struct Misspelled {
    /// The words as written.
    pub(crate) words: Box<[Box<str>]>,
    pub(crate) name: Arc<str>,
}

#[derive(Debug, Default)]
pub(crate) struct NearTerms {
    /// Sorted by length.
    targets: Vec<Target>,
    /// The letters of each target, parallel to `targets`.
    masks: Vec<Letters>,
    /// `targets[starts[n]..starts[n + 1]]` are `n` bytes long.
    starts: Vec<usize>,
    /// For each length, which of its targets lack each letter bit: bit `i`
    /// of `lacks[lacks_at[n] + bit * w + k]` (with `w` words of 64 bits per
    /// length) is set when `targets[starts[n] + 64 * k + i]` lacks `bit`.
    /// Counting, for a word's letters, how many each target lacks rules out
    /// most targets 64 at a time.
    lacks: Vec<u64>,
    lacks_at: Vec<usize>,
    /// Known misspellings by their first word.
    misspelled: HashMap<Box<str>, Vec<Misspelled>>,
    /// Bit `n` is set when some misspelling's first word is `n` bytes long,
    /// and bit `b` of `misspelled_starts` when one starts with byte `b`, so
    /// most words need no lookup.
    misspelled_lens: u64,
    misspelled_starts: [u64; 4],
}

impl NearTerms {
    /// The spellings of `glossary` terms, then those of the terms only the
    /// user's notes define (`notes`). Taking the spellings rather than the
    /// index keeps this search below the index, which holds one.
    ///
    /// Terms from the notes spelled like a product (`PgBouncer`) are
    /// compared with camel-case words; the others (`Consistent hashing`,
    /// `memoization`) are `plain`: notes define ordinary words too
    /// (`Stored: ...`), and words near those are mostly English, which only
    /// the built-in glossary's exception list covers, so the checker holds
    /// them to stricter rules.
    pub(crate) fn new<'a>(
        glossary: impl IntoIterator<Item = GlossaryTerm<'a>>,
        notes: impl IntoIterator<Item = &'a str>,
    ) -> NearTerms {
        let mut b = Builder::default();
        for term in glossary {
            b.add_term(&term);
        }
        b.strict = true;
        for name in notes {
            b.plain = !is_camel(name);
            // A short word one edit from another is as often another word
            // (`Stored`, `Stores`) as a typo.
            if b.plain && !name.contains(char::is_whitespace) && name.len() < MIN_PLAIN_WORD {
                continue;
            }
            b.add(name, &Arc::from(name), false);
        }
        b.finish()
    }

    /// Where `t` is in this list, if it is one of this list's targets: a
    /// verdict kept past the borrow that found it names its targets so.
    pub(crate) fn index_of(&self, t: &Target) -> Option<u32> {
        let size = std::mem::size_of::<Target>().max(1);
        let base = self.targets.as_ptr() as usize;
        let at = t as *const Target as usize;
        let inside = at >= base && at < base + self.targets.len() * size;
        inside.then(|| ((at - base) / size) as u32)
    }

    /// The target [`index_of`](Self::index_of) named.
    pub(crate) fn target(&self, i: u32) -> Option<&Target> {
        self.targets.get(i as usize)
    }

    /// Calls `found` with every spelling within [`max_distance`] of `word`
    /// (ASCII, lowercase) and its distance; 0 means `word` is spelled so.
    pub(crate) fn near<'s>(&'s self, word: &[u8], mut found: impl FnMut(&'s Target, u8)) {
        let n = word.len();
        if n > MAX_LEN || self.targets.is_empty() {
            return;
        }
        let mask = Letters::of(word);
        for len in n.saturating_sub(2)..=(n + 2).min(MAX_LEN) {
            let limit = max_distance(n, len);
            if limit == 0 || n.abs_diff(len) > limit as usize {
                continue;
            }
            let start = self.starts[len];
            let count = self.starts[len + 1] - start;
            let w = count.div_ceil(64);
            for k in 0..w {
                // How many of the word's letters each target lacks, as a
                // bit-sliced counter: `b0` + 2 `b1`, `over` from 4 on.
                let (mut b0, mut b1, mut over) = (0u64, 0u64, 0u64);
                let mut letters = mask.once;
                while letters != 0 {
                    let bit = letters.trailing_zeros() as usize;
                    letters &= letters - 1;
                    let lacks = self.lacks[self.lacks_at[len] + bit * w + k];
                    let carry = b0 & lacks;
                    b0 ^= lacks;
                    over |= b1 & carry;
                    b1 ^= carry;
                }
                let too_many = if limit == 1 {
                    b1 | over
                } else {
                    (b1 & b0) | over
                };
                let present = if count - 64 * k >= 64 {
                    u64::MAX
                } else {
                    (1 << (count - 64 * k)) - 1
                };
                let mut candidates = !too_many & present;
                while candidates != 0 {
                    let i = start + 64 * k + candidates.trailing_zeros() as usize;
                    candidates &= candidates - 1;
                    let t = &self.targets[i];
                    if (t.acronym && len != n) || !mask.within(&self.masks[i], limit) {
                        continue;
                    }
                    let limit = if t.strict { 1 } else { limit };
                    let d = distance(word, &t.text, limit);
                    if d <= limit {
                        found(t, d);
                    }
                }
            }
        }
    }

    /// The known misspellings whose first word is `first` (as written).
    pub(crate) fn misspellings_from(&self, first: &str) -> &[Misspelled] {
        let b = usize::from(first.as_bytes().first().copied().unwrap_or(0));
        if first.len() >= 64
            || self.misspelled_lens & (1 << first.len()) == 0
            || self.misspelled_starts[b / 64] & (1 << (b % 64)) == 0
        {
            return &[];
        }
        self.misspelled.get(first).map_or(&[], Vec::as_slice)
    }
}

#[derive(Default)]
struct Builder {
    targets: Vec<Target>,
    misspelled: HashMap<Box<str>, Vec<Misspelled>>,
    /// Whether targets added now are [`Target::strict`].
    strict: bool,
    /// Whether targets added now are [`Target::plain`].
    plain: bool,
}

impl Builder {
    fn add_term(&mut self, term: &GlossaryTerm) {
        let name = &term.shown;
        self.add(term.name, name, false);
        for a in term.aliases {
            // An alias is suggested as itself unless it shortens the name
            // (`postgres` for PostgreSQL): `threding` means threading, not
            // multithreading, of which it is an alias.
            let shortens = name.to_lowercase().starts_with(&a.to_lowercase());
            let shown = if shortens {
                name.clone()
            } else {
                Arc::from(a.as_str())
            };
            self.add(a, &shown, false);
        }
        for m in term.misspellings {
            self.add(m, name, true);
        }
    }

    fn add(&mut self, spelling: &str, name: &Arc<str>, misspelled: bool) {
        let key = normalize(spelling);
        if !key.is_ascii() {
            return;
        }
        let written = words(spelling, 0);
        let ws: Vec<Box<str>> = words(&key, 0)
            .into_iter()
            .map(|w| w.slice(&key).into())
            .collect();
        if ws.is_empty() || written.len() != ws.len() {
            return;
        }
        if misspelled {
            let words: Box<[Box<str>]> = written.iter().map(|r| r.slice(spelling).into()).collect();
            self.misspelled
                .entry(words[0].clone())
                .or_default()
                .push(Misspelled {
                    words,
                    name: name.clone(),
                });
            return;
        }
        let order = self.targets.len() as u32;
        let phrase: Option<Arc<[Box<str>]>> = (ws.len() > 1).then(|| ws.clone().into());
        for (pos, (w, r)) in ws.iter().zip(&written).enumerate() {
            // A lone word must be the whole spelling: `f()` is not `f`.
            if !(4..=MAX_LEN).contains(&w.len()) || (phrase.is_none() && **w != *key) {
                continue;
            }
            let acronym = is_acronym(r.slice(spelling));
            let camel = is_camel(r.slice(spelling));
            // Hyphens and slashes are style: `keepalive` is spelled right
            // for `keep-alive`.
            let joined = w.contains(['-', '/']).then(|| w.replace(['-', '/'], ""));
            for text in std::iter::once(&**w).chain(joined.as_deref()) {
                self.targets.push(Target {
                    text: text.as_bytes().into(),
                    name: name.clone(),
                    phrase: phrase.clone().map(|p| (p, pos)),
                    acronym,
                    camel,
                    strict: self.strict,
                    plain: self.plain,
                    order,
                });
            }
        }
    }

    fn finish(mut self) -> NearTerms {
        self.targets.sort_by_key(|t| (t.text.len(), t.order));
        let mut starts = vec![0; MAX_LEN + 2];
        for t in &self.targets {
            starts[t.text.len() + 1] += 1;
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        let masks: Vec<Letters> = self.targets.iter().map(|t| Letters::of(&t.text)).collect();
        let mut lacks = Vec::new();
        let mut lacks_at = vec![0; MAX_LEN + 1];
        for len in 0..=MAX_LEN {
            lacks_at[len] = lacks.len();
            let bucket = &masks[starts[len]..starts[len + 1]];
            let w = bucket.len().div_ceil(64);
            for bit in 0..32 {
                for k in 0..w {
                    let chunk = bucket.iter().skip(64 * k).take(64);
                    let word = chunk
                        .enumerate()
                        .filter(|(_, m)| m.once & (1 << bit) == 0)
                        .fold(0u64, |acc, (i, _)| acc | (1 << i));
                    lacks.push(word);
                }
            }
        }
        let misspelled_lens = self
            .misspelled
            .keys()
            .filter(|k| k.len() < 64)
            .fold(0u64, |bits, k| bits | (1 << k.len()));
        let mut misspelled_starts = [0u64; 4];
        for k in self.misspelled.keys() {
            let b = usize::from(k.as_bytes()[0]);
            misspelled_starts[b / 64] |= 1 << (b % 64);
        }
        NearTerms {
            masks,
            targets: self.targets,
            starts,
            lacks,
            lacks_at,
            misspelled: self.misspelled,
            misspelled_lens,
            misspelled_starts,
        }
    }
}

/// All capitals, at most five letters: an acronym.
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (1..=5).contains(&letters) && !word.chars().any(char::is_lowercase)
}

/// A capital after a small letter (`PgBouncer`, `asyncId`): a name or an
/// identifier, not an English word.
pub(crate) fn is_camel(name: &str) -> bool {
    let b = name.as_bytes();
    name.is_ascii()
        && b.windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_spellings_only() {
        let near = super::super::glossary::builtin_near_terms();
        let found = |w: &str| {
            let mut out = Vec::new();
            near.near(w.as_bytes(), |t, d| out.push((t.name.to_string(), d)));
            out.sort();
            out
        };
        // Also 2 from `unicorn` in the alias `Green Unicorn`, which is
        // suggested as itself.
        assert_eq!(
            found("gunicon"),
            [
                ("Green Unicorn".to_string(), 2),
                ("Gunicorn".to_string(), 1)
            ]
        );
        assert!(found("uvicorn").contains(&("Uvicorn".to_string(), 0)));
        assert!(found("jsonb").is_empty(), "an acronym only by substitution");
        assert!(found("jsno").contains(&("JSON".to_string(), 1)));
        assert!(found("zzzzzz").is_empty());
        assert_eq!(near.misspellings_from("Fast").len(), 1);
        assert!(near.misspellings_from("fast").is_empty());
    }

    #[test]
    fn camel_case() {
        assert!(is_camel("PgBouncer"));
        assert!(is_camel("asyncId"));
        assert!(!is_camel("Stored"));
        assert!(!is_camel("MVCC"));
    }
}
