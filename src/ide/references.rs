//! Mentions of a known term, for references and document highlights.

use super::terms::TermIndex;
use crate::syntax::TextRange;

/// Every place in `text` where the term `key` is written (by name, alias or
/// plural), in text order.
pub fn mentions(text: &str, terms: &TermIndex, key: &str) -> Vec<TextRange> {
    terms
        .terms_in(text, TextRange::new(0, text.len()))
        .into_iter()
        .filter(|m| m.key == key)
        .map(|m| m.range)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_aliases_and_plurals_but_not_other_terms() {
        let terms = TermIndex::builtin();
        let text = "*What is a JWT?\n->\nJWTs are signed. JSON Web Token. Not OAuth.\n";
        let key = terms
            .term_at(text, text.find("JWT").unwrap_or(0))
            .map(|m| m.key);
        let key = key.expect("JWT is in the glossary");
        let found: Vec<&str> = mentions(text, &terms, &key)
            .iter()
            .map(|r| r.slice(text))
            .collect();
        assert_eq!(found, ["JWT", "JWTs", "JSON Web Token"]);
    }
}
