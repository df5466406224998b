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
//! term check's business (`spelling.rs`); this module judges one word.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::diagnostics::{Diagnostic, DiagnosticKind};
use super::fix::{Fix, TextChange};
use super::near_terms::{distance, MAX_LEN};
use crate::syntax::TextRange;

const AFF: &str = include_str!("../../data/en_US.aff");
const DIC: &str = include_str!("../../data/en_US.dic");

/// Suggestions offered, at most.
const MAX_SUGGESTIONS: usize = 3;

/// Words judged by [`suggestions`] kept at most: the vocabulary of a large
/// workspace's misspellings fits many times over.
const MAX_REMEMBERED: usize = 50_000;

/// The dictionary, compiled on first use (about 100 ms); `None`, with a log
/// line, if it does not compile.
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
/// first (at most two edits away, case ignored); `None` when it knows the
/// word or has nothing near, which is more often a name or jargon than a
/// typo. Verdicts are kept for the process: the dictionary never changes.
pub(crate) fn suggestions(word: &str) -> Option<Arc<[String]>> {
    static SEEN: OnceLock<Mutex<HashMap<Box<str>, Option<Arc<[String]>>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Mutex::default);
    if let Some(v) = seen.lock().unwrap_or_else(PoisonError::into_inner).get(word) {
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
    let dict = dictionary()?;
    if dict.check(word) {
        return None;
    }
    let mut found = Vec::new();
    dict.suggest(word, &mut found);
    let lower = word.to_ascii_lowercase();
    let mut near: Vec<(u8, String)> = found
        .into_iter()
        .filter_map(|s| {
            let d = distance(lower.as_bytes(), s.to_ascii_lowercase().as_bytes(), 2);
            (d <= 2 && s.is_ascii()).then_some((d, s))
        })
        .collect();
    // Stable: equal distances keep the dictionary's order.
    near.sort_by_key(|(d, _)| *d);
    near.truncate(MAX_SUGGESTIONS);
    (!near.is_empty()).then(|| near.into_iter().map(|(_, s)| s).collect())
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
        assert_eq!(s[0], "Attack", "{s:?}");
    }
}
