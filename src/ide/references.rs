//! Mentions of a known term, for references, document highlights and rename.

use std::collections::HashMap;

use super::term_fallback::{defined_in_notes, shorter_defined};
use super::terms::TermIndex;
use super::words::words;
use crate::syntax::{line_end, line_start, TextRange};

/// Every place in `text` where the term `key` is written (by name, alias or
/// plural), in text order. Matching takes the longest term, but inside a
/// longer match the notes do not define (`CSRF token`), a shorter term they
/// do define (`CSRF`) is what a cursor there means (see `term_fallback`), so
/// it is counted here as well: references from that spot include it.
pub fn mentions(text: &str, terms: &TermIndex, key: &str) -> Vec<TextRange> {
    mentions_with(text, terms, key, &mut DefinedInNotes::default())
}

/// Whether the notes define a term, by key, asked once per term however
/// many files are searched: asking means collecting the term's
/// definitions, and a term defined in each of 5,000 files made a search of
/// them all quadratic (minutes).
#[derive(Debug, Default)]
pub struct DefinedInNotes(HashMap<String, bool>);

impl DefinedInNotes {
    fn get(&mut self, terms: &TermIndex, key: &str) -> bool {
        if let Some(&known) = self.0.get(key) {
            return known;
        }
        let defined = defined_in_notes(terms, key);
        self.0.insert(key.to_string(), defined);
        defined
    }
}

/// [`mentions`], with what is known of which terms the notes define kept
/// from file to file.
pub fn mentions_with(
    text: &str,
    terms: &TermIndex,
    key: &str,
    defined: &mut DefinedInNotes,
) -> Vec<TextRange> {
    let look_inside = defined.get(terms, key);
    let mut out = Vec::new();
    for m in terms.terms_in(text, TextRange::new(0, text.len())) {
        if m.key == key {
            out.push(m.range);
            continue;
        }
        if !look_inside {
            continue;
        }
        if defined.get(terms, &m.key) {
            continue;
        }
        let start = line_start(text, m.range.start);
        let inner_words = words(&text[start..line_end(text, m.range.start)], start)
            .into_iter()
            .filter(|w| m.range.start <= w.start && w.end <= m.range.end);
        let mut found: Vec<TextRange> = Vec::new();
        for w in inner_words {
            let Some(inner) = shorter_defined(text, terms, &m, w.start) else {
                continue;
            };
            if inner.key == key && !found.contains(&inner.range) {
                found.push(inner.range);
            }
        }
        out.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn found<'t>(text: &'t str, terms: &TermIndex, key: &str) -> Vec<&'t str> {
        mentions(text, terms, key)
            .iter()
            .map(|r| r.slice(text))
            .collect()
    }

    #[test]
    fn finds_names_aliases_and_plurals_but_not_other_terms() {
        let terms = TermIndex::builtin();
        let text = "*What is a JWT?\n->\nJWTs are signed. JSON Web Token. Not OAuth.\n";
        let key = terms
            .term_at(text, text.find("JWT").unwrap_or(0))
            .map(|m| m.key);
        let key = key.expect("JWT is in the glossary");
        assert_eq!(found(text, &terms, &key), ["JWT", "JWTs", "JSON Web Token"]);
    }

    #[test]
    fn a_defined_term_inside_a_longer_glossary_term_counts() {
        let mut terms = TermIndex::builtin();
        let text = "*What is CSRF?\n->\nForged requests. Send a CSRF token with each form.\n";
        terms.set_document("a", text, &parse(text));
        assert_eq!(found(text, &terms, "csrf"), ["CSRF", "CSRF"]);
        // The longer term is still found whole.
        assert_eq!(found(text, &terms, "csrf token"), ["CSRF token"]);
        // Once the notes define the longer term too, it is its own.
        let both = "*What is CSRF?\n-> Forged.\n\n*Q\n-> CSRF token: a secret.\n";
        terms.set_document("a", both, &parse(both));
        assert_eq!(found(both, &terms, "csrf"), ["CSRF"]);
    }
}
