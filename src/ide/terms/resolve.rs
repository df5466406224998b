//! Which term a spelling the notes define names: the built-in glossary's,
//! else a user glossary file's, else its own. The [`TermPreparer`] does the
//! part that needs no index (extracting a document's definitions and
//! resolving them against the built-in glossary) on other threads; the
//! index resolves the rest when it takes them in, and everything again
//! when a glossary file changes.

use std::sync::Arc;

use super::extract::extract;
use super::lookup::first_key;
use super::model::{Glossary, PreparedTerms, Resolved, TermIndex, TermPreparer, UserDef};
use crate::ide::question::{collapse, is_collapsed};
use crate::ide::words::{normalize, singulars};
use crate::ide::DocKey;
use crate::syntax::Notes;

impl TermPreparer {
    pub fn prepare(&self, doc: &DocKey, text: &str, notes: &Notes) -> PreparedTerms {
        let mut defs = extract(text, notes, doc, self.builtin);
        let by_builtin = defs
            .iter_mut()
            .map(|d| {
                let (key, name, by_builtin) = resolve_by_builtin(self.builtin, d.spelling());
                d.set_resolution(Arc::from(key), name);
                by_builtin
            })
            .collect();
        PreparedTerms {
            defs,
            resolved: Some(Resolved {
                builtin: self.builtin,
                by_builtin,
            }),
        }
    }
}

/// The key and name the built-in glossary gives a spelling (its plural
/// included), and `true`; else the spelling's own, and `false`. A name of
/// `None` is the spelling itself.
fn resolve_by_builtin(
    builtin: Option<&Glossary>,
    spelling: &str,
) -> (String, Option<String>, bool) {
    let key = normalize(spelling);
    if let Some(g) = builtin {
        let found = g.lookup.get(&key).copied().or_else(|| {
            singulars(spelling, &key)
                .iter()
                .find_map(|k| g.lookup.get(k).copied())
        });
        if let Some(i) = found {
            return (g.keys[i].clone(), Some(g.defs[i].name.clone()), true);
        }
    }
    let name = (!is_collapsed(spelling)).then(|| collapse(spelling));
    (key, name, false)
}

impl TermIndex {
    pub(super) fn resolve_all(&self, defs: &mut [UserDef]) {
        for d in defs {
            let (key, name) = self.resolve(d.spelling());
            d.set_resolution(Arc::from(key), name);
        }
    }

    /// The glossary entry a spelling names, a plural included.
    pub(super) fn resolve_builtin(&self, spelling: &str) -> Option<usize> {
        first_key(spelling, |k| self.glossary().lookup.get(k).copied())
    }

    /// The key and shown name of a term the notes define: the built-in
    /// glossary's, else a glossary file's, else the spelling itself.
    /// A name of `None` is the spelling itself.
    pub(super) fn resolve(&self, spelling: &str) -> (String, Option<String>) {
        let (key, name, by_builtin) = resolve_by_builtin(self.builtin, spelling);
        if by_builtin {
            return (key, name);
        }
        match self.resolve_in_files(spelling) {
            Some((key, name)) => (key, Some(name)),
            None => (key, name),
        }
    }

    /// The key and name a user glossary file gives a spelling.
    pub(super) fn resolve_in_files(&self, spelling: &str) -> Option<(String, String)> {
        if self.glossaries.is_empty() {
            return None;
        }
        let key = first_key(spelling, |k| {
            self.glossaries.values().find_map(|g| {
                let &i = g.glossary.lookup.get(k)?;
                Some(g.keys[i].clone())
            })
        })?;
        let name = self.glossary_name(&key).unwrap_or(spelling).to_string();
        Some((key, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn prepared_for_another_glossary_is_resolved_again() {
        let a = "*What are JWTs?\n-> Tokens.\n\n*Q\n-> Uvicron: a server\n";
        let on = TermIndex::builtin();
        let prepared = on.preparer().prepare(&"a".into(), a, &parse(a));
        let mut off = TermIndex::empty();
        off.set_prepared(&"a".into(), prepared.clone());
        let mut expected = TermIndex::empty();
        expected.set_document(&"a".into(), a, &parse(a));
        for key in ["jwt", "jwts", "uvicron"] {
            assert_eq!(off.definitions(key), expected.definitions(key), "{key}");
            assert_eq!(off.name(key), expected.name(key), "{key}");
        }
        let mut with_file = TermIndex::builtin();
        let glossary = "[[term]]\nname = \"Uvicron\"\naliases = [\"uvi\"]\n";
        assert!(with_file
            .set_user_glossary(&"g.toml".into(), glossary)
            .is_ok());
        let b = "*Q\n-> uvi: the same server\n";
        with_file.set_prepared(
            &"b".into(),
            on.preparer().prepare(&"b".into(), b, &parse(b)),
        );
        with_file.set_prepared(&"a".into(), prepared);
        let defs = with_file.definitions("uvicron");
        assert_eq!(defs.len(), 3, "{defs:#?}");
        assert!(defs[..2].iter().all(|d| d.name == "Uvicron"), "{defs:#?}");
        assert_eq!(with_file.definitions("JWT")[0].name, "JWT");
    }
}
