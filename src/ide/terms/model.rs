//! The term index's data: what a definition is and where it comes from,
//! what a lookup finds, a glossary's contents, and the [`TermIndex`] with
//! the per-document records it keeps. Building it is `index.rs`'s business,
//! asking it `lookup.rs`'s; keeping the types here, below both, is what
//! lets the parts of the folder import them without importing each other.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use super::near::NearTerms;
use crate::ide::hash::FastBuildHasher;
use crate::ide::DocKey;
use crate::syntax::TextRange;

/// Where a definition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermSource {
    /// The glossary embedded in the binary (`data/glossary.toml`).
    Builtin { category: String },
    /// A user glossary file.
    UserGlossary { path: DocKey },
    /// The user's notes: a `What is X?` question or an `X: ...` line.
    Notes {
        /// The document key given to [`TermIndex::set_document`], shared by
        /// the document's definitions.
        doc: DocKey,
        /// Where the definition is (the question text or the term).
        range: TextRange,
        /// Zero-based line of `range.start`, for messages.
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermDefinition {
    /// Canonical spelling, as it should be inserted.
    pub name: String,
    pub aliases: Vec<String>,
    pub definition: String,
    pub source: TermSource,
}

/// A known term found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    pub range: TextRange,
    /// The lookup key (canonical name, lowercased).
    pub key: String,
}

/// One known term, for listing them all (completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownTerm<'a> {
    /// The canonical name, lowercased, as in [`TermMatch::key`].
    pub key: &'a str,
    /// Canonical spelling.
    pub name: &'a str,
    pub aliases: &'a [String],
    /// The user's notes define it (whether or not the glossary does).
    pub user_defined: bool,
}

/// A document's definitions ready to go into a [`TermIndex`].
#[derive(Debug, Clone, Default)]
pub struct PreparedTerms {
    pub(super) defs: Vec<UserDef>,
    /// Set when a [`TermPreparer`] resolved the definitions against the
    /// built-in glossary: which one, and which definitions it named.
    pub(super) resolved: Option<Resolved>,
}

#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub(super) builtin: Option<&'static Glossary>,
    pub(super) by_builtin: Vec<bool>,
}

/// Prepares documents for a [`TermIndex`] away from it (on other threads):
/// extracts their definitions and resolves them against the built-in
/// glossary, which is most of the work of adding them. Only the user's
/// glossary files, which the index holds, are left to do there.
#[derive(Debug, Clone, Copy)]
pub struct TermPreparer {
    pub(super) builtin: Option<&'static Glossary>,
}

/// Every known term, keyed case-insensitively by name and alias.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    pub(super) builtin: Option<&'static Glossary>,
    /// User glossary files by path.
    pub(super) glossaries: BTreeMap<DocKey, UserGlossary>,
    /// The definitions each document contributes, in text order.
    pub(super) docs: HashMap<DocKey, DocDefs, FastBuildHasher>,
    /// Canonical key → the documents that define it. The key is shared with
    /// every definition of the term.
    pub(super) user: HashMap<Arc<str>, UserTerm, FastBuildHasher>,
    /// First word of a user term → (number of words → how many such terms).
    /// Counted rather than a plain maximum so removing a term lowers it.
    pub(super) user_first: HashMap<String, BTreeMap<usize, usize>, FastBuildHasher>,
    /// What the spelling check compares words with besides the built-in
    /// glossary, built on first use after a change.
    pub(super) near: OnceLock<Arc<NearTerms>>,
    /// Changes (to a number no index had before) whenever `near` is reset:
    /// what the spelling check knows changed, so cached verdicts are stale.
    pub(super) generation: u64,
    /// Whether the spelling check flags ordinary English words too
    /// (`english-spelling`, `ide::english`).
    pub(super) english: bool,
}

/// One document's definitions in text order, with their order by key: a
/// term's definitions in a file that defines thousands are found by binary
/// search rather than by reading them all.
#[derive(Debug, Clone)]
pub(super) struct DocDefs {
    pub(super) defs: Vec<UserDef>,
    /// Indices into `defs`, sorted by key, then by position.
    pub(super) by_key: Vec<u32>,
}

impl DocDefs {
    pub(super) fn new(defs: Vec<UserDef>) -> Self {
        let mut by_key: Vec<u32> = (0..defs.len() as u32).collect();
        by_key.sort_by(|&a, &b| defs[a as usize].key.cmp(&defs[b as usize].key));
        DocDefs { defs, by_key }
    }

    /// The definitions of `key`, in text order.
    pub(super) fn with_key<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a UserDef> + 'a {
        let key_of = |i: &u32| &*self.defs[*i as usize].key;
        let from = self.by_key.partition_point(|i| key_of(i) < key);
        self.by_key[from..]
            .iter()
            .take_while(move |i| key_of(i) == key)
            .map(|&i| &self.defs[i as usize])
    }
}

/// One definition in the user's notes. A workspace has hundreds of
/// thousands: what can be shared is.
#[derive(Debug, Clone)]
pub(super) struct UserDef {
    /// The spelling as written, kept to resolve it again when a glossary
    /// file changes; `None` when it is `def.name` (the usual case).
    pub(super) spelling: Option<Box<str>>,
    /// Empty until the index resolves the spelling.
    pub(super) key: Arc<str>,
    pub(super) def: TermDefinition,
}

impl UserDef {
    pub(super) fn spelling(&self) -> &str {
        self.spelling.as_deref().unwrap_or(&self.def.name)
    }

    /// Back to what [`extract`](super::extract) made of it: the name is the spelling.
    pub(super) fn unresolved(mut self) -> UserDef {
        if let Some(spelling) = self.spelling.take() {
            self.def.name = spelling.into();
        }
        self
    }

    /// Names the definition by the term its spelling resolves to.
    pub(super) fn set_resolution(&mut self, key: Arc<str>, name: Option<String>) {
        self.key = key;
        let Some(name) = name else {
            // Named by its spelling.
            if let Some(spelling) = self.spelling.take() {
                self.def.name = spelling.into();
            }
            return;
        };
        if self.spelling.is_none() {
            if name != self.def.name {
                let spelling = std::mem::replace(&mut self.def.name, name);
                self.spelling = Some(spelling.into_boxed_str());
            }
        } else {
            self.def.name = name;
            if self.spelling.as_deref() == Some(self.def.name.as_str()) {
                self.spelling = None;
            }
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct UserGlossary {
    pub(super) glossary: Glossary,
    /// The key of each definition, parallel to `glossary.defs`: the built-in
    /// term's when the built-in glossary knows its name or an alias (so the
    /// definitions are shown together), else its own normalized name.
    pub(super) keys: Vec<String>,
    /// Key → its definitions in this file.
    pub(super) by_key: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
pub(super) struct UserTerm {
    /// The documents that define the term, in key order.
    pub(super) docs: BTreeSet<DocKey>,
    /// How many definitions the documents hold (several in one document
    /// count apart), kept so that ranking by frequency costs no walk over
    /// every document that defines a common term.
    pub(super) defs: usize,
    /// The spelling shown for a term the glossary lacks: the first one in
    /// the first document, so it does not depend on the order of indexing.
    pub(super) name: String,
    pub(super) first_word: String,
    pub(super) words: usize,
}

/// A parsed glossary file (`glossary.rs` reads them), with what lookups
/// need besides its definitions.
#[derive(Debug, Default, Clone)]
pub(super) struct Glossary {
    pub(super) defs: Vec<TermDefinition>,
    /// The normalized name of each definition, parallel to `defs`.
    pub(super) keys: Vec<String>,
    /// The misspellings of each definition as written, parallel to `defs`.
    pub(super) misspelled: Vec<Vec<String>>,
    /// Every normalized name, alias and misspelling → its index in `defs`.
    /// Misspellings are here too so that hover still explains them.
    pub(super) lookup: HashMap<String, usize, FastBuildHasher>,
    /// Normalized misspellings → index in `defs`.
    pub(super) misspellings: HashMap<String, usize, FastBuildHasher>,
    /// First word of a name, alias or misspelling → the most words such a
    /// spelling has.
    pub(super) first_words: HashMap<String, usize, FastBuildHasher>,
    /// The normalized `words = [...]` of a user file.
    pub(super) words: HashSet<String, FastBuildHasher>,
    /// Names, aliases or misspellings that were already taken by an earlier
    /// term, and so were left out.
    pub(super) conflicts: Vec<String>,
}
