//! Glossaries: the built-in one (`data/glossary.toml`, embedded in the binary
//! and parsed once on first use) and user glossary files in the same format.
//!
//! A file is a list of `[[term]]` tables (`name`, `aliases`, `misspellings`,
//! `category`, `definition`) and, in user files, a top-level `words = [...]`
//! list of words that are correct but need no definition (what "add to
//! glossary" writes). Besides the definitions, parsing builds what lookups
//! need: every name, alias and misspelling under its normalized key, and for
//! each first word the most words such a spelling has, so finding terms in a
//! line costs a few hash lookups per word whatever the size of the glossary.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::model::{Glossary, TermDefinition, TermSource};
use super::near::{GlossaryTerm, NearTerms};
use crate::ide::excerpt::toml_error;
use crate::ide::words::{normalize, words};
use crate::ide::DocKey;

const BUILTIN_TOML: &str = include_str!("../../../data/glossary.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    term: Vec<RawTerm>,
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    misspellings: Vec<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    definition: String,
}

/// The embedded glossary. Should it ever fail to parse, terms come from the
/// user's notes alone; a unit test keeps that from shipping.
pub(super) fn builtin() -> &'static Glossary {
    static BUILTIN: OnceLock<Glossary> = OnceLock::new();
    BUILTIN.get_or_init(|| Glossary::parse(BUILTIN_TOML).unwrap_or_default())
}

/// The built-in glossary's spellings, as the spelling check searches them,
/// built once.
pub(super) fn builtin_near_terms() -> &'static NearTerms {
    static BUILTIN: OnceLock<NearTerms> = OnceLock::new();
    BUILTIN.get_or_init(|| NearTerms::new(builtin().near_terms(Arc::from), []))
}

/// A glossary with no terms, for an index with the built-in one switched off.
pub(super) fn empty() -> &'static Glossary {
    static EMPTY: OnceLock<Glossary> = OnceLock::new();
    EMPTY.get_or_init(Glossary::default)
}

impl Glossary {
    /// Parses the built-in glossary's format; definitions get a built-in
    /// source.
    pub(super) fn parse(toml_text: &str) -> Result<Glossary, toml::de::Error> {
        Glossary::parse_with(toml_text, |category| TermSource::Builtin { category })
    }

    /// Parses a user glossary file; definitions name `path` as their source.
    /// The error says where, and quotes at most a short, escaped excerpt:
    /// the file may be anything a configuration named.
    pub(super) fn parse_user(path: &DocKey, toml_text: &str) -> Result<Glossary, String> {
        Glossary::parse_with(toml_text, |_| TermSource::UserGlossary {
            path: path.clone(),
        })
        .map_err(|e| toml_error(toml_text, &e))
    }

    fn parse_with(
        toml_text: &str,
        source: impl Fn(String) -> TermSource,
    ) -> Result<Glossary, toml::de::Error> {
        let file: File = toml::from_str(toml_text)?;
        let mut g = Glossary::default();
        for raw in file.term {
            let key = normalize(&raw.name);
            if key.is_empty() || g.lookup.contains_key(&key) {
                g.conflicts.push(raw.name);
                continue;
            }
            let index = g.defs.len();
            let spellings = std::iter::once((&raw.name, false))
                .chain(raw.aliases.iter().map(|a| (a, false)))
                .chain(raw.misspellings.iter().map(|m| (m, true)));
            for (spelling, misspelled) in spellings {
                let k = normalize(spelling);
                if k.is_empty() || g.lookup.contains_key(&k) {
                    g.conflicts.push(spelling.clone());
                    continue;
                }
                let ws = words(&k, 0);
                if let Some(first) = ws.first() {
                    let max = g
                        .first_words
                        .entry(first.slice(&k).to_string())
                        .or_default();
                    *max = (*max).max(ws.len());
                }
                if misspelled {
                    g.misspellings.insert(k.clone(), index);
                }
                g.lookup.insert(k, index);
            }
            g.keys.push(key);
            g.misspelled.push(raw.misspellings);
            g.defs.push(TermDefinition {
                name: raw.name.trim().to_string(),
                aliases: raw.aliases,
                definition: raw.definition.trim().to_string(),
                source: source(raw.category),
            });
        }
        g.words = file
            .words
            .iter()
            .map(|w| normalize(w))
            .filter(|w| !w.is_empty())
            .collect();
        Ok(g)
    }

    /// How many terms and `words` the file holds.
    pub(super) fn count(&self) -> usize {
        self.defs.len() + self.words.len()
    }

    /// Each term's spellings for the near-term search, the term shown by the
    /// name `shown` gives its canonical name (the index may name it
    /// otherwise than this file does).
    pub(super) fn near_terms<'a>(
        &'a self,
        shown: impl Fn(&'a str) -> Arc<str> + 'a,
    ) -> impl Iterator<Item = GlossaryTerm<'a>> + 'a {
        self.defs
            .iter()
            .zip(&self.misspelled)
            .map(move |(d, misspellings)| GlossaryTerm {
                name: &d.name,
                shown: shown(&d.name),
                aliases: &d.aliases,
                misspellings,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_glossary_parses_complete_and_unique() {
        let g = Glossary::parse(BUILTIN_TOML).expect("data/glossary.toml parses");
        assert!(g.defs.len() >= 120, "only {} terms", g.defs.len());
        assert_eq!(g.conflicts, Vec::<String>::new(), "names or aliases repeat");
        for d in &g.defs {
            let TermSource::Builtin { category } = &d.source else {
                unreachable!("built-in terms have a built-in source")
            };
            assert!(!category.is_empty(), "{} has no category", d.name);
            assert!(!d.definition.is_empty(), "{} has no definition", d.name);
        }
        assert_eq!(builtin().defs.len(), g.defs.len());
    }

    #[test]
    fn aliases_and_misspellings_lead_to_their_term() {
        let g = builtin();
        let i = g.lookup["fast-api"];
        assert_eq!(g.defs[i].name, "FastAPI");
        assert_eq!(g.keys[i], "fastapi");
        assert_eq!(g.lookup["fast api"], i);
        assert_eq!(g.misspellings["fast api"], i);
        assert!(!g.misspellings.contains_key("fast-api"));
        assert!(!g.defs[i].aliases.contains(&"Fast API".to_string()));
        assert!(g.first_words["refresh"] >= 2);
        assert!(g.first_words["fast"] >= 2);
    }

    #[test]
    fn user_files_need_only_names_and_may_list_words() {
        let g = Glossary::parse_user(
            &"team.toml".into(),
            "words = [\"gunicon\", \" Foo  Bar \", \"\"]\n\n[[term]]\nname = \"Kestrel\"\n",
        )
        .expect("parses");
        assert_eq!(g.defs.len(), 1);
        assert_eq!(g.defs[0].definition, "");
        assert_eq!(
            g.defs[0].source,
            TermSource::UserGlossary {
                path: "team.toml".into()
            }
        );
        let mut words: Vec<&str> = g.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        assert_eq!(words, ["foo bar", "gunicon"]);
        assert_eq!(g.count(), 3);
        let err = Glossary::parse_user(&"x.toml".into(), "[[term]]\nnam = \"x\"\n").unwrap_err();
        assert!(err.contains("nam"), "{err}");
    }
}
