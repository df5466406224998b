//! Verdicts on words: whether a word is spelled right, near no known
//! spelling, or near some (which, and how far), judged once per distinct
//! word and kept, within one check and, for a [`Speller`](super::Speller),
//! from one to the next while the known terms stay the same.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::super::distance::MAX_LEN;
use super::super::glossary::builtin_near_terms;
use super::super::model::TermIndex;
use super::super::near::{is_camel, NearTerms, Target};
use crate::ide::FastBuildHasher;

const ENGLISH: &str = include_str!("../../../../data/english-near-terms.txt");
const TECH: &str = include_str!("../../../../data/tech-words.txt");

/// A [`Speller`](super::Speller)'s verdicts, kept from one speller to the next while the
/// known terms stay the same: a report on thousands of files checks them a
/// batch at a time (each batch under its own read of the index), and judging
/// the workspace's words again for every batch was a tenth of its time.
#[derive(Default)]
pub struct Verdicts {
    /// The terms' generation and whether the built-in glossary was on.
    pub(super) terms: Option<(u64, bool)>,
    pub(super) seen: Seen<Kept>,
}

pub(super) type Seen<V> = RefCell<HashMap<Box<str>, V, FastBuildHasher>>;

/// A [`Verdict`] that names its targets by place (which list, where in it)
/// rather than by reference, so it outlives the borrow of the terms.
#[derive(Clone)]
pub(super) enum Kept {
    Fine,
    Unrelated,
    Suspect {
        hits: Box<[(u8, u32, u8)]>,
        plural: bool,
    },
}

pub(super) struct Checker<'a> {
    pub(super) terms: &'a TermIndex,
    /// The built-in glossary's spellings (when it is on) and the user's.
    pub(super) near: [Option<&'a NearTerms>; 2],
    /// Verdicts on the words seen so far: text repeats its words, and looking
    /// one up costs a fraction of judging it again.
    pub(super) seen: Seen<Kept>,
}

/// A spelling a word may have meant, with how far it is.
#[derive(Clone, Copy)]
pub(super) struct Hit<'a> {
    pub(super) target: &'a Target,
    pub(super) distance: u8,
}

/// What a word alone says, before its neighbours are looked at.
#[derive(Clone)]
pub(super) enum Verdict<'a> {
    /// Spelled right, or close to nothing.
    Fine,
    /// Close to no spelling at all: its parts may still be (`gunicon-based`).
    Unrelated,
    /// Close to these; `plural` when they are close to the word without its
    /// final `s`, which the fix keeps.
    Suspect { hits: Vec<Hit<'a>>, plural: bool },
}

impl<'a> Checker<'a> {
    pub(super) fn new(terms: &'a TermIndex) -> Self {
        let builtin = terms.has_builtin().then(builtin_near_terms);
        Checker {
            terms,
            near: [builtin, Some(terms.user_near_terms())],
            seen: RefCell::default(),
        }
    }

    /// What verdicts depend on: the known terms.
    pub(super) fn terms_key(terms: &TermIndex) -> (u64, bool) {
        (terms.generation(), terms.has_builtin())
    }

    /// `v` with its targets named by place.
    fn keep(&self, v: &Verdict<'a>) -> Kept {
        match v {
            Verdict::Fine => Kept::Fine,
            Verdict::Unrelated => Kept::Unrelated,
            Verdict::Suspect { hits, plural } => Kept::Suspect {
                hits: hits
                    .iter()
                    .filter_map(|h| {
                        self.near.iter().enumerate().find_map(|(n, near)| {
                            let i = near.as_ref()?.index_of(h.target)?;
                            Some((n as u8, i, h.distance))
                        })
                    })
                    .collect(),
                plural: *plural,
            },
        }
    }

    /// A kept verdict with its targets found again.
    fn resolve(&self, k: &Kept) -> Verdict<'a> {
        match k {
            Kept::Fine => Verdict::Fine,
            Kept::Unrelated => Verdict::Unrelated,
            Kept::Suspect { hits, plural } => Verdict::Suspect {
                hits: hits
                    .iter()
                    .filter_map(|&(n, i, distance)| {
                        let target = self.near.get(usize::from(n))?.as_ref()?.target(i)?;
                        Some(Hit { target, distance })
                    })
                    .collect(),
                plural: *plural,
            },
        }
    }

    pub(super) fn verdict(&self, word: &str) -> Verdict<'a> {
        // What the shape of a word rules out costs less than remembering it.
        let bytes = word.as_bytes();
        if bytes.len() < 4
            || bytes.len() > MAX_LEN
            || bytes.iter().any(|&b| {
                !b.is_ascii() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'+' | b'#')
            })
        {
            return Verdict::Fine;
        }
        if let Some(k) = self.seen.borrow().get(word) {
            return self.resolve(k);
        }
        let v = self.judge(word);
        self.seen.borrow_mut().insert(word.into(), self.keep(&v));
        v
    }

    /// The verdict on an ASCII word of 4 to [`MAX_LEN`] bytes without
    /// digits, `_`, `.`, `+` or `#`.
    fn judge(&self, word: &str) -> Verdict<'a> {
        let bytes = word.as_bytes();
        // Acronyms, plurals included (`OIDs`).
        let singular = bytes.strip_suffix(b"s").unwrap_or(bytes);
        let letters = singular.iter().filter(|b| b.is_ascii_alphabetic()).count();
        if letters < 5 && !singular.iter().any(u8::is_ascii_lowercase) {
            return Verdict::Fine;
        }
        let camel = is_camel(word);
        let mut buf = [0u8; 64];
        let Some(lower) = lower(word, &mut buf) else {
            return Verdict::Fine;
        };
        let mut hits = self.hits(lower.as_bytes(), camel);
        let mut plural = false;
        let compound = lower.contains(['-', '/']);
        // Hyphens are style, not spelling: `multi-version` is `multiversion`.
        if compound {
            let joined = lower.replace(['-', '/'], "");
            if self
                .hits(joined.as_bytes(), camel)
                .iter()
                .any(|h| h.distance == 0)
            {
                return Verdict::Fine;
            }
        }
        // `gunicons` is closer to `gunicon` + s than to anything else; but
        // `postgress` is no plural of `postgres`.
        if !compound && bytes.len() >= 5 && bytes.ends_with(b"s") && !bytes.ends_with(b"ss") {
            let stem = self.hits(&lower.as_bytes()[..lower.len() - 1], camel);
            if stem.iter().any(|h| h.distance == 0) {
                return Verdict::Fine;
            }
            let best = |hs: &[Hit]| hs.iter().map(|h| h.distance).min();
            if let Some(b) = best(&stem) {
                if best(&hits).map_or(true, |full| b < full) {
                    hits = stem
                        .into_iter()
                        .filter(|h| h.target.phrase.is_none())
                        .collect();
                    plural = true;
                }
            }
        }
        // A word of a multi-word term the notes define proves nothing alone
        // (`gunicon` in `Gunicon workers: ...` is still a typo of Gunicorn):
        // the phrase is judged in context (`pick`).
        hits.retain(|h| !(h.distance == 0 && h.target.plain && h.target.phrase.is_some()));
        let mut outnumbered = false;
        if hits.iter().any(|h| h.distance == 0) {
            if !self.outnumbered(word, &hits) {
                return Verdict::Fine;
            }
            outnumbered = true;
            hits.retain(|h| h.distance > 0);
        }
        if hits.is_empty() {
            return Verdict::Unrelated;
        }
        let stem = &lower[..lower.len() - usize::from(plural)];
        if excepted(lower)
            || excepted(stem)
            || (!outnumbered && self.terms.is_known(word))
            || self.terms.user_accepts(word)
        {
            return Verdict::Fine;
        }
        Verdict::Suspect { hits, plural }
    }

    /// Whether `word`, spelled as a term only the notes define (`hits` has
    /// it at distance 0), is rare next to a term from the notes one edit
    /// away: the notes define that one at least twice, and twice as often.
    /// A spelling the notes use as often as the other is a term of its own.
    fn outnumbered(&self, word: &str, hits: &[Hit]) -> bool {
        if hits.iter().any(|h| h.distance == 0 && !h.target.plain) {
            return false;
        }
        let own = self.terms.frequency(word).max(1);
        hits.iter().any(|h| {
            h.distance > 0 && h.target.plain && self.terms.frequency(&h.target.name) >= 2 * own
        })
    }

    /// The spellings near `word` (lowercase). A `camel` word (`asyncId`) is
    /// near only those in camel case too, and a name from the user's notes
    /// (`fsRead`) only camel words; being spelled just so always counts.
    fn hits(&self, word: &[u8], camel: bool) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for near in self.near.iter().flatten() {
            near.near(word, |target, distance| {
                let shape = if camel {
                    target.camel
                } else {
                    !target.strict || target.plain
                };
                let same_ends =
                    word.first() == target.text.first() && word.last() == target.text.last();
                // Two edits in a word whose first or last letter changed make
                // another word more often than a typo (`querise` is not
                // QuerySet but queries); for a plain term from the notes, one
                // does (`Stores` is no misspelling of `Stored`).
                let ends = if target.plain {
                    same_ends
                } else {
                    distance < 2 || same_ends
                };
                if (shape && ends) || distance == 0 {
                    out.push(Hit { target, distance });
                }
            });
        }
        out
    }
}

/// `word` in ASCII lowercase, in `buf`; `None` if it does not fit.
pub(super) fn lower<'b>(word: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let out = buf.get_mut(..word.len())?;
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// English and technical words that are near a term but right.
pub(super) fn excepted(lower: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            ENGLISH
                .lines()
                .chain(TECH.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_lists_load() {
        assert!(excepted("flash"));
        assert!(excepted("washing"), "near hashing");
        assert!(excepted("profiler"), "from data/tech-words.txt");
        assert!(!excepted("gunicon"));
        assert!(!excepted("# generated"));
    }
}
