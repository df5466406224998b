//! Mentions of a known term, for references, document highlights and rename.

use std::collections::BTreeSet;

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
    let look_inside = defined_in_notes(terms, key);
    let mut out = Vec::new();
    for m in terms.terms_in(text, TextRange::new(0, text.len())) {
        if m.key == key {
            out.push(m.range);
            continue;
        }
        if !look_inside {
            continue;
        }
        if defined_in_notes(terms, &m.key) {
            continue;
        }
        let start = line_start(text, m.range.start());
        let inner_words = words(&text[start..line_end(text, m.range.start())], start)
            .into_iter()
            .filter(|w| m.range.start() <= w.start() && w.end() <= m.range.end());
        let mut found: Vec<TextRange> = Vec::new();
        for w in inner_words {
            let Some(inner) = shorter_defined(text, terms, &m, w.start()) else {
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

/// What a text must hold to mention a term at all: the start of one of its
/// spellings' first word (less two letters, for an inflection: `policy`,
/// `policies`), in any case. A search over many files skips the files
/// without it instead of reading their every word (which made references
/// over a large workspace take seconds).
#[derive(Debug)]
pub struct MentionFilter(Option<regex::Regex>);

impl MentionFilter {
    pub fn new(terms: &TermIndex, key: &str) -> MentionFilter {
        let mut spellings = vec![key.to_string()];
        for d in terms.definitions(key) {
            spellings.push(d.name.clone());
            spellings.extend(d.aliases.iter().cloned());
        }
        let mut anchors = BTreeSet::new();
        for spelling in &spellings {
            let word: String = spelling
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            let n = word.chars().count();
            if n == 0 {
                // Nothing to look for: every file is searched.
                return MentionFilter(None);
            }
            let keep = if n <= 3 { n } else { (n - 2).max(3) };
            anchors.insert(word.chars().take(keep).collect::<String>());
        }
        let pattern: Vec<String> = anchors.iter().map(|a| regex::escape(a)).collect();
        let built = regex::RegexBuilder::new(&pattern.join("|"))
            .case_insensitive(true)
            .build();
        MentionFilter(built.ok())
    }

    /// False only when `text` cannot mention the term.
    pub fn may_mention(&self, text: &str) -> bool {
        self.0.as_ref().map_or(true, |r| r.is_match(text))
    }
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
        terms.set_document(&"a".into(), text, &parse(text));
        assert_eq!(found(text, &terms, "csrf"), ["CSRF", "CSRF"]);
        // The longer term is still found whole.
        assert_eq!(found(text, &terms, "csrf token"), ["CSRF token"]);
        // Once the notes define the longer term too, it is its own.
        let both = "*What is CSRF?\n-> Forged.\n\n*Q\n-> CSRF token: a secret.\n";
        terms.set_document(&"a".into(), both, &parse(both));
        assert_eq!(found(both, &terms, "csrf"), ["CSRF"]);
    }

    /// A file the filter skips mentions no term (and whether the notes
    /// define a term is the same looked up as collected), for every term of the
    /// glossary and of the notes, in every bundled sample and raw fixture.
    #[test]
    fn the_filter_never_skips_a_file_that_mentions_the_term() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["sample-notes", "tests/fixtures/sample-notes-raw"] {
            for e in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(texts.len() >= 8);
        let mut terms = TermIndex::builtin();
        for (i, t) in texts.iter().enumerate() {
            terms.set_document(
                &crate::ide::DocKey::from(format!("/s/{i}.notes").as_str()),
                t,
                &parse(t),
            );
        }
        let keys: Vec<String> = terms.all_terms().map(|k| k.key.to_string()).collect();
        let mut checked = 0;
        for key in &keys {
            // The look-up agrees with the definitions it replaced collecting.
            let by_definitions = terms
                .definitions(key)
                .iter()
                .any(|d| matches!(d.source, super::super::TermSource::Notes { .. }));
            assert_eq!(terms.defined_in_notes(key), by_definitions, "{key}");
            let filter = MentionFilter::new(&terms, key);
            for t in &texts {
                if !filter.may_mention(t) {
                    assert!(mentions(t, &terms, key).is_empty(), "{key}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "the filter skips files: {checked}");
    }
}
