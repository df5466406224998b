//! English spelling (`english-spelling`, off unless configured): ordinary
//! words the en_US Hunspell dictionary does not know (`Attact`, `trustes`,
//! `bydefault`), with its nearest suggestions.
//!
//! The dictionary is SCOWL's en_US (`data/en_US.aff`, `data/en_US.dic`,
//! permissive licence in `data/en_US.LICENSE`), embedded in the binary and
//! compiled by `spellbook` once, on first use: only when the check is on.
//! `docs/spelling.md` says why this library and dictionary.
//!
//! Which words are prose (not code, URLs, terms, other languages) is the
//! term check's business (`check.rs`, `prose.rs`); this module judges one word.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::super::distance::{distance, MAX_LEN};
use super::super::glossary;
use crate::ide::diagnostics::{Diagnostic, DiagnosticKind};
use crate::ide::fix::{Fix, TextChange};
use crate::syntax::TextRange;

const AFF: &str = include_str!("../../../../data/en_US.aff");
const DIC: &str = include_str!("../../../../data/en_US.dic");

/// Suggestions offered, at most.
const MAX_SUGGESTIONS: usize = 3;

/// Words judged by [`suggestions`] kept at most: the vocabulary of a large
/// workspace's misspellings fits many times over.
const MAX_REMEMBERED: usize = 50_000;

/// Words judged by [`suggestions`], with the verdict.
type Judged = HashMap<Box<str>, Option<Arc<[String]>>>;

/// The dictionary, compiled on first use (docs/spelling.md); `None`, with a
/// log line, if it does not compile.
fn dictionary() -> Option<&'static spellbook::Dictionary> {
    static DICT: OnceLock<Option<spellbook::Dictionary>> = OnceLock::new();
    DICT.get_or_init(|| match spellbook::Dictionary::new(AFF, DIC) {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::error!("the English dictionary does not load: {e}");
            None
        }
    })
    .as_ref()
}

/// Whether `word` has the shape of an ordinary English word worth looking
/// up: ASCII letters only, four or more, and no capital after the first
/// letter (acronyms, `camelCase` and `PascalCase` names are identifiers).
pub(crate) fn candidate(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 4
        && b.len() <= MAX_LEN
        && b.iter().all(u8::is_ascii_alphabetic)
        && !b[1..].iter().any(u8::is_ascii_uppercase)
}

/// The dictionary's spellings for a [`candidate`] it does not know, nearest
/// first (one edit away, or split in two words; case ignored); `None` when it knows the
/// word or has nothing near, which is more often a name or jargon than a
/// typo. Verdicts are kept for the process: the dictionary never changes.
pub(crate) fn suggestions(word: &str) -> Option<Arc<[String]>> {
    static SEEN: OnceLock<Mutex<Judged>> = OnceLock::new();
    let seen = SEEN.get_or_init(Mutex::default);
    if let Some(v) = seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(word)
    {
        return v.clone();
    }
    let v = judge(word);
    let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    if seen.len() >= MAX_REMEMBERED {
        seen.clear();
    }
    seen.insert(word.into(), v.clone());
    v
}

fn judge(word: &str) -> Option<Arc<[String]>> {
    let lower = word.to_ascii_lowercase();
    if vocabulary().contains(lower.as_str()) {
        return None;
    }
    let dict = dictionary()?;
    if dict.check(word) {
        return None;
    }
    // `untrusted`, `Denormalize`, `autoescape`: a prefix on a word.
    let prefixed = PREFIXES.iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.len() >= 4 && dict.check(rest))
    });
    if prefixed {
        return None;
    }
    // The dictionary's words one edit away, and the word split in two
    // words it knows. Not Hunspell's `suggest`: it was slow for a check
    // that runs as the user types a new word (every prefix of it is judged,
    // docs/spelling.md), and ranked splits first (`At tact` for `Attact`).
    // These are a few dozen lookups a letter.
    let splits = (1..word.len()).filter_map(|i| {
        let (a, b) = word.split_at(i);
        // Single letters are words to the dictionary; only `a` is one here.
        let sized = |p: &str| p.len() >= 2 || p.eq_ignore_ascii_case("a");
        (sized(a) && sized(b) && dict.check(a) && dict.check(b)).then(|| format!("{a} {b}"))
    });
    let found: Vec<String> = one_edit(word)
        .filter(|c| dict.check(c))
        .chain(splits)
        .collect();
    let mut near: Vec<(u8, bool, String)> = Vec::new();
    for s in found {
        let d = distance(lower.as_bytes(), s.to_ascii_lowercase().as_bytes(), 2);
        let split = s.contains([' ', '-']);
        // A word run together is a typo between short words (`bydefault`);
        // between longer ones it is more often a name (`runserver`,
        // `stdlib`, `autovacuum`).
        let short_part = s.split([' ', '-']).any(|p| p.len() <= 2);
        if d <= 2 && s.is_ascii() && (!split || short_part) && !near.iter().any(|(_, _, n)| *n == s)
        {
            near.push((d, split, s));
        }
    }
    // Stable: the nearest, whole words before split ones, then letters
    // dropped, swapped, changed, added.
    near.sort_by_key(|(d, split, _)| (*d, *split));
    near.truncate(MAX_SUGGESTIONS);
    (!near.is_empty()).then(|| near.into_iter().map(|(_, _, s)| s).collect())
}

/// Every spelling one edit from `word` (ASCII letters): a letter dropped,
/// swapped with the next, changed or added, in the word's case.
fn one_edit(word: &str) -> impl Iterator<Item = String> + '_ {
    let b = word.as_bytes();
    let upper = b.first().is_some_and(u8::is_ascii_uppercase);
    let letter = move |i: usize, c: u8| {
        if i == 0 && upper {
            c.to_ascii_uppercase()
        } else {
            c
        }
    };
    let make = |v: Vec<u8>| String::from_utf8(v).unwrap_or_default();
    let deletes = (0..b.len()).map(move |i| {
        let mut v = b.to_vec();
        v.remove(i);
        if i == 0 && upper {
            if let Some(f) = v.first_mut() {
                *f = f.to_ascii_uppercase();
            }
        }
        make(v)
    });
    let swaps = (0..b.len().saturating_sub(1)).map(move |i| {
        let mut v = b.to_vec();
        v.swap(i, i + 1);
        if i == 0 && upper {
            v[0] = v[0].to_ascii_uppercase();
            v[1] = v[1].to_ascii_lowercase();
        }
        make(v)
    });
    let changes = (0..b.len()).flat_map(move |i| {
        (b'a'..=b'z').map(move |c| {
            let mut v = b.to_vec();
            v[i] = letter(i, c);
            make(v)
        })
    });
    let inserts = (0..=b.len()).flat_map(move |i| {
        (b'a'..=b'z').map(move |c| {
            let mut v = b.to_vec();
            if i == 0 && upper {
                v[0] = v[0].to_ascii_lowercase();
            }
            v.insert(i, letter(i, c));
            make(v)
        })
    });
    deletes
        .chain(swaps)
        .chain(changes)
        .chain(inserts)
        .filter(move |v| v.as_str() != word)
}

/// Prefixes that make words the dictionary does not list.
const PREFIXES: [&str; 12] = [
    "anti", "auto", "co", "de", "inter", "micro", "multi", "non", "pre", "re", "sub", "un",
];

const TECH: &str = include_str!("../../../../data/tech-vocabulary.txt");

/// Words the built-in glossary uses in its names, aliases and definitions
/// (`async`, `namespace`), and `data/tech-vocabulary.txt`: a technical
/// vocabulary the English dictionary lacks, which notes on the same topics
/// use all the time.
fn vocabulary() -> &'static std::collections::HashSet<String> {
    static WORDS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let g = glossary::builtin();
        let texts = g.defs.iter().flat_map(|d| {
            std::iter::once(d.name.as_str())
                .chain(d.aliases.iter().map(String::as_str))
                .chain(std::iter::once(d.definition.as_str()))
        });
        let listed = TECH
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        texts
            .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
            .chain(listed)
            .filter(|w| w.len() >= 4)
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

/// The finding for `range` (the word `word`), with a fix per suggestion.
pub(crate) fn finding(range: TextRange, word: &str, suggestions: &[String]) -> Diagnostic {
    let listed: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    Diagnostic {
        kind: DiagnosticKind::EnglishSpelling {
            word: word.to_string(),
            suggestions: suggestions.to_vec(),
        },
        range,
        message: format!("Unknown word `{word}`: did you mean {}?", listed.join(", ")),
        fixes: suggestions
            .iter()
            .enumerate()
            .map(|(i, s)| Fix {
                label: format!("Change to `{s}`"),
                changes: vec![TextChange {
                    range,
                    insert: s.clone(),
                }],
                preferred: i == 0,
            })
            .collect(),
        related: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_worth_looking_up() {
        assert!(candidate("trustes"));
        assert!(candidate("Attact"));
        assert!(!candidate("HTTP"));
        assert!(!candidate("asyncIO"));
        assert!(!candidate("PgBouncer"));
        assert!(!candidate("abc"));
        assert!(!candidate("sha256"));
        assert!(!candidate("café"));
    }

    #[test]
    fn the_dictionary_judges_and_suggests() {
        assert_eq!(suggestions("attack"), None);
        assert_eq!(suggestions("Attack"), None);
        let s = suggestions("trustes").expect("a misspelling");
        assert!(s.iter().any(|s| s == "trusted" || s == "trusts"), "{s:?}");
        let s = suggestions("Attact").expect("a misspelling");
        assert!(s.iter().any(|s| s == "Attack"), "{s:?}");
        assert_eq!(suggestions("Zzyzxqw"), None, "nothing near");
        assert_eq!(suggestions("async"), None, "the glossary's vocabulary");
    }
}
