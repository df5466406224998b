//! The built-in glossary: `data/glossary.toml`, embedded in the binary and
//! parsed once on first use.
//!
//! The file is a list of `[[term]]` tables (`name`, `aliases`, `category`,
//! `definition`). Besides the definitions, parsing builds what lookups need:
//! every name and alias under its normalized key, and for each first word the
//! most words a term starting with it has, so finding terms in a line costs a
//! few hash lookups per word whatever the size of the glossary.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::terms::{TermDefinition, TermSource};
use super::words::{normalize, words};

const BUILTIN_TOML: &str = include_str!("../../data/glossary.toml");

#[derive(Debug, Default)]
pub(crate) struct Glossary {
    pub(crate) defs: Vec<TermDefinition>,
    /// The normalized name of each definition, parallel to `defs`.
    pub(crate) keys: Vec<String>,
    /// Every normalized name and alias → its index in `defs`.
    pub(crate) lookup: HashMap<String, usize>,
    /// First word of a name or alias → the most words such a name has.
    pub(crate) first_words: HashMap<String, usize>,
    /// Names or aliases that were already taken by an earlier term, and so
    /// were left out.
    pub(crate) conflicts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    term: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    category: String,
    definition: String,
}

/// The embedded glossary. Should it ever fail to parse, terms come from the
/// user's notes alone; a unit test keeps that from shipping.
pub(crate) fn builtin() -> &'static Glossary {
    static BUILTIN: OnceLock<Glossary> = OnceLock::new();
    BUILTIN.get_or_init(|| Glossary::parse(BUILTIN_TOML).unwrap_or_default())
}

/// A glossary with no terms, for an index with the built-in one switched off.
pub(crate) fn empty() -> &'static Glossary {
    static EMPTY: OnceLock<Glossary> = OnceLock::new();
    EMPTY.get_or_init(Glossary::default)
}

impl Glossary {
    pub(crate) fn parse(toml_text: &str) -> Result<Glossary, toml::de::Error> {
        let file: File = toml::from_str(toml_text)?;
        let mut g = Glossary::default();
        for raw in file.term {
            let key = normalize(&raw.name);
            if key.is_empty() || g.lookup.contains_key(&key) {
                g.conflicts.push(raw.name);
                continue;
            }
            let index = g.defs.len();
            for spelling in std::iter::once(&raw.name).chain(&raw.aliases) {
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
                g.lookup.insert(k, index);
            }
            g.keys.push(key);
            g.defs.push(TermDefinition {
                name: raw.name.trim().to_string(),
                aliases: raw.aliases,
                definition: raw.definition.trim().to_string(),
                source: TermSource::Builtin {
                    category: raw.category,
                },
            });
        }
        Ok(g)
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
    fn aliases_lead_to_their_term() {
        let g = builtin();
        let i = g.lookup["fast api"];
        assert_eq!(g.defs[i].name, "FastAPI");
        assert_eq!(g.keys[i], "fastapi");
        assert!(g.first_words["refresh"] >= 2);
    }
}
