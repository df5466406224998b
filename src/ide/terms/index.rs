//! Known terms: the built-in glossary, the user's glossary files and what the
//! user's notes define.
//!
//! A [`TermIndex`] answers "which known term is written here?" (longest match,
//! multi-word terms and aliases included) and "what does it mean?" (every
//! definition: the user's notes first, then their glossary files, then the
//! built-in glossary). It is plain data: documents and glossary files are
//! added and removed by key (a path or URI string) as the caller learns of
//! them.
//!
//! Matching rules, shared by hover, highlights and completion:
//! - words are those of [`words`](super::words): `N+1`, `HTTP/2`,
//!   `django-oauth-toolkit` are one word each;
//! - a multi-word term matches across white space inside one line, never
//!   across a line break or punctuation;
//! - case is ignored, and aliases and known misspellings lead to their term
//!   (`fast-api`, `Fast API` → FastAPI; the spelling check flags the latter);
//! - a last word ending in a lowercase `s`, `es` or `ies` also matches the
//!   singular term (`JWTs` → JWT, `N+1 queries` → N+1 query);
//! - when no whole word matches, the parts of a word between `.` and `/` are
//!   tried (`Django/Flask`, `django.Is` with a missing space).
//!
//! The user's definitions are kept per document and indexed incrementally, so
//! re-indexing the document being edited costs as much as that document.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use super::glossary::{self, Glossary};
use super::near::NearTerms;
use crate::ide::hash::FxBuildHasher;
use crate::ide::question::{collapse, collapse_cow, is_collapsed};
use crate::ide::words::{normalize, segments, singulars, words, MAX_WORDS};
use crate::syntax::{
    inside_crlf, line_breaks, line_end, line_start, Answer, LineIter, Notes, TextRange,
};

/// Where a definition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermSource {
    /// The glossary embedded in the binary (`data/glossary.toml`).
    Builtin { category: String },
    /// A user glossary file.
    UserGlossary { path: String },
    /// The user's notes: a `What is X?` question or an `X: ...` line.
    Notes {
        /// The document key given to [`TermIndex::set_document`], shared by
        /// the document's definitions.
        doc: Arc<str>,
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
    defs: Vec<UserDef>,
    /// Set when a [`TermPreparer`] resolved the definitions against the
    /// built-in glossary: which one, and which definitions it named.
    resolved: Option<Resolved>,
}

#[derive(Debug, Clone)]
struct Resolved {
    builtin: Option<&'static Glossary>,
    by_builtin: Vec<bool>,
}

/// Prepares documents for a [`TermIndex`] away from it (on other threads):
/// extracts their definitions and resolves them against the built-in
/// glossary, which is most of the work of adding them. Only the user's
/// glossary files, which the index holds, are left to do there.
#[derive(Debug, Clone, Copy)]
pub struct TermPreparer {
    builtin: Option<&'static Glossary>,
}

impl TermPreparer {
    pub fn prepare(&self, doc: &str, text: &str, notes: &Notes) -> PreparedTerms {
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

fn same_glossary(a: Option<&Glossary>, b: Option<&Glossary>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Every known term, keyed case-insensitively by name and alias.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    builtin: Option<&'static Glossary>,
    /// User glossary files by path.
    glossaries: BTreeMap<String, UserGlossary>,
    /// The definitions each document contributes, in text order.
    docs: HashMap<Arc<str>, DocDefs, FxBuildHasher>,
    /// Canonical key → the documents that define it. The key is shared with
    /// every definition of the term.
    user: HashMap<Arc<str>, UserTerm, FxBuildHasher>,
    /// First word of a user term → (number of words → how many such terms).
    /// Counted rather than a plain maximum so removing a term lowers it.
    user_first: HashMap<String, BTreeMap<usize, usize>, FxBuildHasher>,
    /// What the spelling check compares words with besides the built-in
    /// glossary, built on first use after a change.
    near: OnceLock<Arc<NearTerms>>,
    /// Changes (to a number no index had before) whenever `near` is reset:
    /// what the spelling check knows changed, so cached verdicts are stale.
    generation: u64,
    /// Whether the spelling check flags ordinary English words too
    /// (`english-spelling`, `ide::english`).
    english: bool,
}

/// A generation number never handed out before, in any index.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// One document's definitions in text order, with their order by key: a
/// term's definitions in a file that defines thousands are found by binary
/// search rather than by reading them all.
#[derive(Debug, Clone)]
struct DocDefs {
    defs: Vec<UserDef>,
    /// Indices into `defs`, sorted by key, then by position.
    by_key: Vec<u32>,
}

impl DocDefs {
    fn new(defs: Vec<UserDef>) -> Self {
        let mut by_key: Vec<u32> = (0..defs.len() as u32).collect();
        by_key.sort_by(|&a, &b| defs[a as usize].key.cmp(&defs[b as usize].key));
        DocDefs { defs, by_key }
    }

    /// The definitions of `key`, in text order.
    fn with_key<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a UserDef> + 'a {
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
struct UserDef {
    /// The spelling as written, kept to resolve it again when a glossary
    /// file changes; `None` when it is `def.name` (the usual case).
    spelling: Option<Box<str>>,
    /// Empty until the index resolves the spelling.
    key: Arc<str>,
    def: TermDefinition,
}

impl UserDef {
    fn spelling(&self) -> &str {
        self.spelling.as_deref().unwrap_or(&self.def.name)
    }

    /// Back to what [`extract`] made of it: the name is the spelling.
    fn unresolved(mut self) -> UserDef {
        if let Some(spelling) = self.spelling.take() {
            self.def.name = spelling.into();
        }
        self
    }

    /// Names the definition by the term its spelling resolves to.
    fn set_resolution(&mut self, key: Arc<str>, name: Option<String>) {
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
struct UserGlossary {
    glossary: Glossary,
    /// The key of each definition, parallel to `glossary.defs`: the built-in
    /// term's when the built-in glossary knows its name or an alias (so the
    /// definitions are shown together), else its own normalized name.
    keys: Vec<String>,
    /// Key → its definitions in this file.
    by_key: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
struct UserTerm {
    /// The documents that define the term, in key order.
    docs: BTreeSet<Arc<str>>,
    /// How many definitions the documents hold (several in one document
    /// count apart), kept so that ranking by frequency costs no walk over
    /// every document that defines a common term.
    defs: usize,
    /// The spelling shown for a term the glossary lacks: the first one in
    /// the first document, so it does not depend on the order of indexing.
    name: String,
    first_word: String,
    words: usize,
}

impl TermIndex {
    /// An index holding the built-in glossary only.
    pub fn builtin() -> Self {
        TermIndex {
            builtin: Some(glossary::builtin()),
            generation: next_generation(),
            ..TermIndex::default()
        }
    }

    /// An empty index (built-in glossary switched off).
    pub fn empty() -> Self {
        TermIndex {
            generation: next_generation(),
            ..TermIndex::default()
        }
    }

    /// Changes whenever the terms the spelling check knows may have changed,
    /// to a number no index had before: results cached for one generation
    /// are valid as long as it lasts.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Replaces the definitions taken from one document.
    pub fn set_document(&mut self, doc: &str, text: &str, notes: &Notes) {
        let prepared = self.preparer().prepare(doc, text, notes);
        self.set_prepared(doc, prepared);
    }

    /// Switches the English spelling check on or off (the configuration's
    /// `english-spelling`). A change is a new generation: every verdict kept
    /// per entry must be made again.
    pub fn set_english_spelling(&mut self, on: bool) {
        if self.english != on {
            self.english = on;
            self.generation = next_generation();
        }
    }

    /// Whether the spelling check flags ordinary English words too.
    pub fn english_spelling(&self) -> bool {
        self.english
    }

    /// What prepares documents for this index: the part of
    /// [`set_document`](Self::set_document) that needs no index, so that
    /// many documents can be prepared at once on several threads.
    pub fn preparer(&self) -> TermPreparer {
        TermPreparer {
            builtin: self.builtin,
        }
    }

    /// [`set_document`](Self::set_document) with definitions from a
    /// [`preparer`](Self::preparer). Those resolved against another built-in
    /// glossary than this index's are resolved again.
    pub fn set_prepared(&mut self, doc: &str, prepared: PreparedTerms) {
        // The same spellings as before (an edit of an answer, not of a term):
        // the terms known and their names stay the same, and so does what
        // the spelling check found; a new generation would have every open
        // file checked again, a whole file's worth after each pause in typing.
        let same = self.docs.get(doc).is_some_and(|old| {
            old.defs.len() == prepared.defs.len()
                && old
                    .defs
                    .iter()
                    .zip(&prepared.defs)
                    .all(|(o, n)| o.spelling() == n.spelling())
        });
        let removed = self.take_document(doc);
        if !same && (removed || !prepared.defs.is_empty()) {
            self.terms_changed();
        }
        if prepared.defs.is_empty() {
            return;
        }
        let PreparedTerms { mut defs, resolved } = prepared;
        let by_builtin = resolved
            .filter(|r| same_glossary(r.builtin, self.builtin) && r.by_builtin.len() == defs.len())
            .map(|r| r.by_builtin);
        match by_builtin {
            Some(by_builtin) if !self.glossaries.is_empty() => {
                // The built-in glossary comes first; the files, before a
                // definition's own spelling.
                for (d, by_builtin) in defs.iter_mut().zip(by_builtin) {
                    if !by_builtin {
                        if let Some((key, name)) = self.resolve_in_files(d.spelling()) {
                            d.set_resolution(Arc::from(key), Some(name));
                        }
                    }
                }
            }
            Some(_) => {}
            None => self.resolve_all(&mut defs),
        }
        self.insert_document(Arc::from(doc), defs);
    }

    /// The known terms changed: near terms are found again, and results
    /// cached for the old generation (spelling verdicts) no longer hold.
    fn terms_changed(&mut self) {
        self.near = OnceLock::new();
        self.generation = next_generation();
    }

    fn resolve_all(&self, defs: &mut [UserDef]) {
        for d in defs {
            let (key, name) = self.resolve(d.spelling());
            d.set_resolution(Arc::from(key), name);
        }
    }

    /// This index's documents over the built-in glossary (`builtin`) or
    /// none, and no user glossary files: what setting each document again
    /// on a fresh index gives, without their text.
    pub fn with_builtin(self, builtin: bool) -> TermIndex {
        let mut fresh = if builtin {
            TermIndex::builtin()
        } else {
            TermIndex::empty()
        };
        fresh.docs = self.docs;
        fresh.english = self.english;
        fresh.rekey_documents();
        fresh
    }

    /// Loads (or replaces) a user glossary file: `[[term]]` tables as in
    /// `data/glossary.toml`, where only `name` is required, and a top-level
    /// `words = [...]` list of words that are correct but have no definition.
    /// Returns how many terms and words it holds. On error (the TOML
    /// parser's message) the index is unchanged.
    pub fn set_user_glossary(&mut self, path: &str, text: &str) -> Result<usize, String> {
        let glossary = Glossary::parse_user(path, text)?;
        let count = glossary.count();
        let keys: Vec<String> = glossary
            .defs
            .iter()
            .zip(&glossary.keys)
            .map(|(d, key)| {
                std::iter::once(&d.name)
                    .chain(&d.aliases)
                    .find_map(|s| self.resolve_builtin(s))
                    .map_or_else(|| key.clone(), |i| self.glossary().keys[i].clone())
            })
            .collect();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_key.entry(k.clone()).or_default().push(i);
        }
        self.glossaries.insert(
            path.to_string(),
            UserGlossary {
                glossary,
                keys,
                by_key,
            },
        );
        self.rekey_documents();
        Ok(count)
    }

    pub fn remove_user_glossary(&mut self, path: &str) {
        if self.glossaries.remove(path).is_some() {
            self.rekey_documents();
        }
    }

    /// Whether a user glossary lists `word` (or phrase) under `words`, a
    /// simple plural included.
    pub fn is_glossary_word(&self, word: &str) -> bool {
        first_key(word, |k| {
            self.glossaries
                .values()
                .any(|g| g.glossary.words.contains(k))
                .then_some(())
        })
        .is_some()
    }

    /// Resolves every document's definitions again, after the glossary files
    /// changed what their spellings name.
    fn rekey_documents(&mut self) {
        let docs = std::mem::take(&mut self.docs);
        self.user.clear();
        self.user_first.clear();
        self.terms_changed();
        for (doc, d) in docs {
            let mut defs: Vec<UserDef> = d.defs.into_iter().map(UserDef::unresolved).collect();
            self.resolve_all(&mut defs);
            self.insert_document(doc, defs);
        }
    }

    /// Indexes a document's resolved definitions (the document must have
    /// none yet). The work is per term the document defines, not per
    /// definition, and no definition is copied. The caller says whether
    /// the terms changed ([`terms_changed`](Self::terms_changed)).
    fn insert_document(&mut self, doc: Arc<str>, mut defs: Vec<UserDef>) {
        defs.retain(|d| !d.key.is_empty());
        if defs.is_empty() {
            return;
        }
        let mut entry = DocDefs::new(defs);
        let mut group = 0;
        while group < entry.by_key.len() {
            let first = entry.by_key[group] as usize;
            let end = group
                + entry.by_key[group..]
                    .iter()
                    .take_while(|&&i| entry.defs[i as usize].key == entry.defs[first].key)
                    .count();
            let def = &entry.defs[first];
            let key = match self.user.get_mut(&*def.key) {
                Some(term) => {
                    term.docs.insert(Arc::clone(&doc));
                    term.defs += end - group;
                    // The shown spelling is the first document's.
                    if term.docs.first() == Some(&doc) && term.name != def.def.name {
                        term.name = def.def.name.clone();
                    }
                    self.user
                        .get_key_value(&*def.key)
                        .map(|(k, _)| Arc::clone(k))
                }
                None => {
                    let key = Arc::clone(&def.key);
                    let ws = words(&key, 0);
                    let term = UserTerm {
                        docs: BTreeSet::from([Arc::clone(&doc)]),
                        defs: end - group,
                        name: def.def.name.clone(),
                        first_word: ws
                            .first()
                            .map_or(String::new(), |w| w.slice(&key).to_string()),
                        words: ws.len(),
                    };
                    *self
                        .user_first
                        .entry(term.first_word.clone())
                        .or_default()
                        .entry(term.words)
                        .or_default() += 1;
                    self.user.insert(Arc::clone(&key), term);
                    Some(key)
                }
            };
            // One copy of each key, however many definitions use it.
            if let Some(key) = key {
                for &i in &entry.by_key[group..end] {
                    entry.defs[i as usize].key = Arc::clone(&key);
                }
            }
            group = end;
        }
        self.docs.insert(doc, entry);
    }

    pub fn remove_document(&mut self, doc: &str) {
        if self.take_document(doc) {
            self.terms_changed();
        }
    }

    /// Takes a document's definitions out of the index; false if it had
    /// none. The caller says whether the terms changed.
    fn take_document(&mut self, doc: &str) -> bool {
        let Some(DocDefs { defs, .. }) = self.docs.remove(doc) else {
            return false;
        };
        for d in defs {
            let Some(term) = self.user.get_mut(&d.key) else {
                continue;
            };
            term.defs = term.defs.saturating_sub(1);
            if !term.docs.remove(doc) {
                continue;
            }
            if term.docs.is_empty() {
                if let Some(term) = self.user.remove(&d.key) {
                    self.forget_first_word(&term);
                }
            } else {
                self.rename(&d.key);
            }
        }
        true
    }

    /// The known term at `offset`, longest match first. A cursor right after
    /// a word's last character is on that word.
    pub fn term_at(&self, text: &str, offset: usize) -> Option<TermMatch> {
        let offset = offset.min(text.len());
        if !text.is_char_boundary(offset) {
            return None;
        }
        let start = line_start(text, offset);
        let ws = words(&text[start..line_end(text, offset)], start);
        // Two words touch the offset when nothing separates them (`JWT认证`):
        // the one it is inside is tried first, then the one it ends.
        let inside = ws.iter().position(|r| r.contains(offset));
        let ending = ws.iter().position(|r| r.end == offset);
        [inside, ending]
            .into_iter()
            .flatten()
            .find_map(|w| self.term_covering(text, &ws, w, offset))
    }

    /// The longest term that includes word `w`, earliest first among equals.
    fn term_covering(
        &self,
        text: &str,
        ws: &[TextRange],
        w: usize,
        offset: usize,
    ) -> Option<TermMatch> {
        let mut best: Option<(usize, TermMatch)> = None;
        for i in (w + 1).saturating_sub(MAX_WORDS)..=w {
            let shortest = w - i + 1;
            let longer = best
                .as_ref()
                .map_or(shortest, |(len, _)| (len + 1).max(shortest));
            if let Some(found) = self.longest_from(text, &ws[i..], longer) {
                best = Some(found);
            }
        }
        if let Some((_, m)) = best {
            return Some(m);
        }
        segments(text, ws[w])
            .find(|s| s.contains_inclusive(offset))
            .and_then(|s| self.match_range(text, s))
    }

    /// Every known term inside `range`, left to right, longest first, never
    /// overlapping. Words are cut at the ends of `range`, and each line of it
    /// is searched on its own.
    pub fn terms_in(&self, text: &str, range: TextRange) -> Vec<TermMatch> {
        let mut out = Vec::new();
        for (s, e, _) in LineIter::new(text, range.start, range.end) {
            let ws = words(&text[s..e], s);
            let mut i = 0;
            while i < ws.len() {
                match self.longest_from(text, &ws[i..], 1) {
                    Some((len, m)) => {
                        i += len;
                        out.push(m);
                    }
                    None => {
                        out.extend(segments(text, ws[i]).filter_map(|s| self.match_range(text, s)));
                        i += 1;
                    }
                }
            }
        }
        out
    }

    /// Definitions for a key (or any spelling of the term): the user's notes
    /// first, in document-key order, then their glossary files in path
    /// order, then the built-in glossary.
    pub fn definitions(&self, key: &str) -> Vec<&TermDefinition> {
        let Some(key) = self.lookup(key) else {
            return Vec::new();
        };
        let mut out: Vec<&TermDefinition> = Vec::new();
        if let Some(term) = self.user.get(key) {
            for doc in &term.docs {
                let defs = self.docs.get(doc).into_iter().flat_map(|d| d.with_key(key));
                out.extend(defs.map(|d| &d.def));
            }
        }
        for g in self.glossaries.values() {
            let found = g.by_key.get(key).into_iter().flatten();
            out.extend(found.map(|&i| &g.glossary.defs[i]));
        }
        if let Some(&i) = self.glossary().lookup.get(key) {
            out.push(&self.glossary().defs[i]);
        }
        out
    }

    /// How many definitions [`definitions`](Self::definitions) would give,
    /// without collecting them: how many places name the term.
    pub fn frequency(&self, key: &str) -> usize {
        let Some(key) = self.lookup(key) else {
            return 0;
        };
        let user = self.user.get(key).map_or(0, |t| t.defs);
        let files: usize = self
            .glossaries
            .values()
            .map(|g| g.by_key.get(key).map_or(0, Vec::len))
            .sum();
        let builtin = usize::from(self.glossary().lookup.contains_key(key));
        user + files + builtin
    }

    /// The canonical spelling of a term, given its key or any spelling.
    pub fn name(&self, key: &str) -> Option<&str> {
        let key = self.lookup(key)?;
        if let Some(&i) = self.glossary().lookup.get(key) {
            return Some(&self.glossary().defs[i].name);
        }
        self.glossary_name(key)
            .or_else(|| self.user.get(key).map(|t| t.name.as_str()))
    }

    /// The name a user glossary file gives the term with this key.
    fn glossary_name(&self, key: &str) -> Option<&str> {
        self.glossaries.values().find_map(|g| {
            let &i = g.by_key.get(key)?.first()?;
            Some(g.glossary.defs[i].name.as_str())
        })
    }

    /// Whether `word` (or phrase) is a known term, a simple plural included.
    pub fn is_known(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// Every known term once: the built-in glossary's, then those only the
    /// user's glossary files define, then those only the user's notes define
    /// (in no particular order).
    pub fn all_terms(&self) -> impl Iterator<Item = KnownTerm<'_>> {
        let g = self.glossary();
        let builtin = g.defs.iter().zip(&g.keys).map(|(d, k)| KnownTerm {
            key: k,
            name: &d.name,
            aliases: &d.aliases,
            user_defined: self.user.contains_key(k.as_str()),
        });
        let in_files = self.glossaries.iter().flat_map(move |(path, ug)| {
            ug.glossary
                .defs
                .iter()
                .zip(&ug.keys)
                .enumerate()
                // Once per key: the first definition in the first file.
                .filter(move |&(i, (_, k))| {
                    !g.lookup.contains_key(k)
                        && ug.by_key[k][0] == i
                        && !self
                            .glossaries
                            .iter()
                            .take_while(|(p, _)| *p < path)
                            .any(|(_, earlier)| earlier.by_key.contains_key(k))
                })
                .map(|(_, (d, k))| KnownTerm {
                    key: k,
                    name: &d.name,
                    aliases: &d.aliases,
                    user_defined: self.user.contains_key(k.as_str()),
                })
        });
        let user = self
            .user
            .iter()
            // A user term a glossary knows is stored under the glossary's key.
            .filter(|(k, _)| {
                !g.lookup.contains_key(&***k)
                    && !self
                        .glossaries
                        .values()
                        .any(|ug| ug.by_key.contains_key(&***k))
            })
            .map(|(k, t)| KnownTerm {
                key: k,
                name: &t.name,
                aliases: &[],
                user_defined: true,
            });
        builtin.chain(in_files).chain(user)
    }

    /// The user glossary files, in path order.
    pub(crate) fn user_glossaries(&self) -> impl Iterator<Item = &Glossary> {
        self.glossaries.values().map(|g| &g.glossary)
    }

    /// Whether the built-in glossary is on.
    pub(crate) fn has_builtin(&self) -> bool {
        self.builtin.is_some()
    }

    /// The spelling the user's notes give each term that only they define.
    pub(crate) fn user_term_names(&self) -> impl Iterator<Item = &str> {
        let g = self.glossary();
        self.user
            .iter()
            .filter(move |(k, _)| {
                !g.lookup.contains_key(&***k)
                    && !self
                        .glossaries
                        .values()
                        .any(|ug| ug.by_key.contains_key(&***k))
            })
            .map(|(_, t)| t.name.as_str())
    }

    /// Whether a user glossary file makes `spelling` correct: it lists it
    /// under `words`, or as a term's name or alias.
    pub(crate) fn user_accepts(&self, spelling: &str) -> bool {
        self.is_glossary_word(spelling)
            || first_key(spelling, |k| {
                self.glossaries
                    .values()
                    .any(|g| {
                        g.glossary.lookup.contains_key(k)
                            && !g.glossary.misspellings.contains_key(k)
                    })
                    .then_some(())
            })
            .is_some()
    }

    /// What the spelling check compares words with besides the built-in
    /// glossary: the user's glossary files and some of their notes' terms.
    pub(crate) fn user_near_terms(&self) -> &NearTerms {
        self.near
            .get_or_init(|| Arc::new(NearTerms::for_user(self)))
    }

    /// The definitions one document contributes, in text order.
    pub fn user_terms_in(&self, doc: &str) -> impl Iterator<Item = &TermDefinition> {
        self.docs
            .get(doc)
            .into_iter()
            .flat_map(|d| &d.defs)
            .map(|d| &d.def)
    }

    fn glossary(&self) -> &'static Glossary {
        self.builtin.unwrap_or_else(glossary::empty)
    }

    /// The glossary entry a spelling names, a plural included.
    fn resolve_builtin(&self, spelling: &str) -> Option<usize> {
        first_key(spelling, |k| self.glossary().lookup.get(k).copied())
    }

    /// The key and shown name of a term the notes define: the built-in
    /// glossary's, else a glossary file's, else the spelling itself.
    /// A name of `None` is the spelling itself.
    fn resolve(&self, spelling: &str) -> (String, Option<String>) {
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
    fn resolve_in_files(&self, spelling: &str) -> Option<(String, String)> {
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

    /// The key of the term `spelling` names (a plural included), for rename.
    pub(crate) fn key_of(&self, spelling: &str) -> Option<&str> {
        self.lookup(spelling)
    }

    /// The key `spelling` names as written, not read as a plural: `None`
    /// for `JWTs`, which only its singular names.
    pub(crate) fn exact_key(&self, spelling: &str) -> Option<&str> {
        self.lookup_key(&normalize(spelling))
    }

    /// The canonical key of a spelling, a plural included.
    fn lookup(&self, spelling: &str) -> Option<&str> {
        first_key(spelling, |k| self.lookup_key(k))
    }

    fn lookup_key(&self, key: &str) -> Option<&str> {
        let g = self.glossary();
        if let Some(&i) = g.lookup.get(key) {
            return Some(&g.keys[i]);
        }
        for ug in self.glossaries.values() {
            if let Some(&i) = ug.glossary.lookup.get(key) {
                return Some(&ug.keys[i]);
            }
        }
        self.user.get_key_value(key).map(|(k, _)| &**k)
    }

    /// The longest term of at least `min_len` words that starts at `ws[0]`,
    /// with its length in words. Asking the first word how long a term
    /// starting with it can be keeps this to one lookup for most words.
    fn longest_from(
        &self,
        text: &str,
        ws: &[TextRange],
        min_len: usize,
    ) -> Option<(usize, TermMatch)> {
        // A lone word is always tried: it may be the plural of a term.
        let max_len = self
            .max_words(ws[0].slice(text))
            .clamp(1, MAX_WORDS)
            .min(ws.len());
        (min_len..=max_len).rev().find_map(|len| {
            let range = TextRange::new(ws[0].start, ws[len - 1].end);
            self.match_range(text, range).map(|m| (len, m))
        })
    }

    fn match_range(&self, text: &str, range: TextRange) -> Option<TermMatch> {
        self.lookup(range.slice(text)).map(|key| TermMatch {
            range,
            key: key.to_string(),
        })
    }

    /// The most words a known term starting with `first` has.
    fn max_words(&self, first: &str) -> usize {
        let first = normalize(first);
        let builtin = std::iter::once(self.glossary())
            .chain(self.user_glossaries())
            .filter_map(|g| g.first_words.get(&first).copied())
            .max()
            .unwrap_or(0);
        let user = self
            .user_first
            .get(&first)
            .and_then(|counts| counts.keys().next_back())
            .copied()
            .unwrap_or(0);
        builtin.max(user)
    }

    fn forget_first_word(&mut self, term: &UserTerm) {
        if let Some(counts) = self.user_first.get_mut(&term.first_word) {
            if let Some(n) = counts.get_mut(&term.words) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(&term.words);
                }
            }
            if counts.is_empty() {
                self.user_first.remove(&term.first_word);
            }
        }
    }

    /// Sets a user term's shown spelling from its first document.
    fn rename(&mut self, key: &str) {
        let Some(term) = self.user.get(key) else {
            return;
        };
        let name = term
            .docs
            .first()
            .and_then(|doc| self.docs.get(doc))
            .and_then(|defs| defs.with_key(key).next())
            .map(|d| d.def.name.clone());
        if let (Some(name), Some(term)) = (name, self.user.get_mut(key)) {
            term.name = name;
        }
    }
}

/// Tries a spelling's key, then the keys of its singular forms, and returns
/// the first that `find` knows.
fn first_key<T>(spelling: &str, mut find: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let key = normalize(spelling);
    find(&key).or_else(|| singulars(spelling, &key).iter().find_map(|k| find(k)))
}

/// Questions that define their subject, matched case-insensitively.
const DEFINING: &[&str] = &[
    "what is ",
    "what are ",
    "what's ",
    "what\u{2019}s ",
    "define ",
    "explain ",
];

/// Words that show a `What is ...` question asks about something other than
/// what a term means (`What is the difference between ...`).
const NOT_A_TERM: &[&str] = &[
    "difference",
    "differences",
    "between",
    "vs",
    "vs.",
    "versus",
    "meaning",
    "purpose",
    "use",
    "role",
    "need",
    "advantage",
    "advantages",
    "disadvantage",
    "disadvantages",
    "benefit",
    "benefits",
    "pros",
    "best",
    "way",
    "you",
    "your",
    "i",
    "we",
    "how",
    "why",
    "when",
    "which",
];

/// Longest a user's definition is kept, in characters: a hover, not a copy
/// of the answer.
const MAX_DEFINITION: usize = 300;

/// The terms a document defines, with their spelling as written and their
/// definition (named by that spelling until the index resolves it).
fn extract(text: &str, notes: &Notes, doc: &str, builtin: Option<&Glossary>) -> Vec<UserDef> {
    // Sized exactly, and it is kept as long as the index: on a
    // 20,000-question file, sizing by the most there could be (one per
    // answered question and definition line) reserved 4 MB for 1.3 MB of
    // definitions, and letting it grow 2.5 MB, when memory use peaked.
    let answered = || {
        notes.entries.iter().filter_map(|e| {
            e.answer
                .as_ref()
                .filter(|_| e.is_answered())
                .map(|a| (e, a))
        })
    };
    // The questions that define a term, each found once and kept (with
    // where its entry starts) for the pass that builds the definitions.
    let mut by_question: Vec<(usize, String)> = Vec::new();
    let mut count = 0;
    for (e, a) in answered() {
        if let Some(term) = defined_by_question(e.question.text.slice(text)) {
            by_question.push((e.range.start, term));
        }
        count += a.definitions.len();
    }
    // A prose label (`Fix:`, `Defence:`) is a term only where the notes
    // or the glossary use the word as one. The questions' terms are folded
    // once, and only when a label needs them: a file has thousands of
    // `Example:` lines, and folding every question for each was quadratic
    // (10 MB more memory at the peak on a 20,000-question file).
    let asked: std::cell::OnceCell<std::collections::HashSet<String>> = Default::default();
    let label_is_term = |term: &str| {
        let key = normalize(term);
        asked
            .get_or_init(|| by_question.iter().map(|(_, t)| normalize(t)).collect())
            .contains(&key)
            || builtin.is_some_and(|g| g.lookup.contains_key(&key))
    };
    let skip: Vec<bool> = answered()
        .flat_map(|(_, a)| a.definitions.iter())
        .map(|d| {
            let term = d.term.slice(text);
            super::labels::is_prose_label(term) && !label_is_term(term)
        })
        .collect();
    count -= skip.iter().filter(|&&s| s).count();
    let mut skip = skip.into_iter();
    let mut by_question = by_question.into_iter().peekable();
    let mut out = Vec::with_capacity(count + by_question.len());
    let mut lines = LineCounter::default();
    // Shared by all the document's definitions: one allocation each.
    let doc = &(Arc::from(doc), Arc::from(""));
    for (entry, answer) in answered() {
        if let Some((_, term)) = by_question.next_if(|(at, _)| *at == entry.range.start) {
            let range = entry.question.text;
            let definition = abbreviate_owned(answer_text(text, answer));
            out.push(notes_def(
                term,
                definition,
                doc,
                range,
                lines.line(text, range.start),
            ));
        }
        for d in &answer.definitions {
            if skip.next().unwrap_or(false) {
                continue;
            }
            let definition = abbreviate(d.body.slice(text));
            let term = d.term.slice(text).to_string();
            out.push(notes_def(
                term,
                definition,
                doc,
                d.term,
                lines.line(text, d.term.start),
            ));
        }
    }
    out
}

/// A definition named by its spelling, as the index expects it before
/// resolving it.
fn notes_def(
    spelling: String,
    definition: String,
    (doc, unresolved): &(Arc<str>, Arc<str>),
    range: TextRange,
    line: usize,
) -> UserDef {
    UserDef {
        spelling: None,
        key: Arc::clone(unresolved),
        def: TermDefinition {
            name: spelling,
            aliases: Vec::new(),
            definition,
            source: TermSource::Notes {
                doc: Arc::clone(doc),
                range,
                line,
            },
        },
    }
}

/// `X` in `What is X?`, `What are X?`, `Define X`, `Explain X`: without a
/// leading article, final punctuation or a trailing `in <context>` (`What is
/// middleware in Django?` defines middleware). Questions that ask something
/// else about `X`, or whose subject is longer than five words, define nothing.
fn defined_by_question(question: &str) -> Option<String> {
    // Most questions start otherwise: know that before copying them.
    let lead = question.trim_start();
    let starts = |w: &str| {
        lead.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    };
    if !(starts("what") || starts("define") || starts("explain")) {
        return None;
    }
    let q = collapse_cow(question);
    let rest = DEFINING.iter().find_map(|p| {
        q.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &q[p.len()..])
    })?;
    let mut term = rest.trim_end_matches(|c: char| c.is_whitespace() || "?.!:;".contains(c));
    for article in ["a ", "an ", "the "] {
        let head = term.get(..article.len());
        if term.len() > article.len() && head.is_some_and(|h| h.eq_ignore_ascii_case(article)) {
            term = &term[article.len()..];
            break;
        }
    }
    // `" in "` is ASCII, so a match is on char boundaries.
    let in_at = term
        .as_bytes()
        .windows(4)
        .rposition(|w| w.eq_ignore_ascii_case(b" in "));
    // `q` is collapsed: words are separated by one space each.
    let spaces = |s: &str| s.bytes().filter(|&b| b == b' ').count();
    if let Some(i) = in_at {
        if spaces(&term[i + 4..]) <= 1 {
            term = &term[..i];
        }
    }
    let plain = term.starts_with(char::is_alphanumeric)
        && !term.bytes().any(|b| b",;?!\"".contains(&b))
        && spaces(term) <= 4
        && !term.split(' ').any(|w| {
            if w.is_ascii() {
                NOT_A_TERM.iter().any(|n| n.eq_ignore_ascii_case(w))
            } else {
                NOT_A_TERM.contains(&w.to_lowercase().as_str())
            }
        });
    plain.then(|| term.to_string())
}

/// The answer as running text: its lines joined, tables left out.
fn answer_text(text: &str, answer: &Answer) -> String {
    let mut out = String::new();
    for (s, e, _) in LineIter::new(text, answer.range.start, answer.range.end) {
        if answer.tables.iter().any(|t| t.range.contains_inclusive(s)) {
            continue;
        }
        let line = text[s..e].trim();
        if !line.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(line);
        }
    }
    out
}

/// Cuts a definition to [`MAX_DEFINITION`] characters: at the last sentence
/// end if that keeps a useful amount, else at a word, marked with `…`.
fn abbreviate(definition: &str) -> String {
    abbreviate_owned(collapse(definition))
}

/// [`abbreviate`] of a string it may keep.
fn abbreviate_owned(definition: String) -> String {
    let s = if is_collapsed(&definition) {
        definition
    } else {
        collapse(&definition)
    };
    let Some((cut, _)) = s.char_indices().nth(MAX_DEFINITION) else {
        return s;
    };
    let head = &s[..cut];
    if let Some(i) = head.rfind(". ").filter(|&i| i >= MAX_DEFINITION / 3) {
        return head[..=i].to_string();
    }
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
}

/// Zero-based line numbers for increasing offsets, counted in one pass.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// `offset` must not be before the previous one.
    fn line(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = offset.min(bytes.len());
        // A `\r` whose `\n` is at `offset` ends its line only with the `\n`:
        // counted on the next call, with it.
        if end > self.offset && inside_crlf(bytes, end) {
            end -= 1;
        }
        if end > self.offset {
            self.line += line_breaks(&bytes[self.offset..end]);
            self.offset = end;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn the_generation_changes_only_when_the_terms_do() {
        let mut idx = TermIndex::builtin();
        let set = |idx: &mut TermIndex, text: &str| {
            idx.set_document("/n/a.notes", text, &parse(text));
            idx.generation()
        };
        let g1 = set(&mut idx, "*Q\n-> PgBouncer: a pooler\n");
        // The answer changes, the term does not: cached verdicts stay.
        let g2 = set(&mut idx, "*Q\n-> PgBouncer: a connection pooler\n");
        assert_eq!(g1, g2);
        assert!(idx.definitions("pgbouncer")[0]
            .definition
            .contains("connection"));
        // A new term, or one spelled differently, is news.
        let g3 = set(&mut idx, "*Q\n-> PgBouncer: a pooler\nPgCat: another\n");
        assert_ne!(g2, g3);
        let g4 = set(&mut idx, "*Q\n-> PGBouncer: a pooler\nPgCat: another\n");
        assert_ne!(g3, g4);
        // Terms gone are news; still none is not.
        let g5 = set(&mut idx, "*Q\n-> no terms here\n");
        assert_ne!(g4, g5);
        let g6 = set(&mut idx, "*Q\n-> none here either\n");
        assert_eq!(g5, g6);
    }

    #[test]
    fn frequency_counts_what_definitions_lists() {
        let mut idx = TermIndex::builtin();
        let mut set = |doc: &str, text: &str| idx.set_document(doc, text, &parse(text));
        set(
            "/n/a.notes",
            "*Q\n-> Gunicorn: a server\n- Gunicorn: again\n- Kafka: a log\n",
        );
        set("/n/b.notes", "*Q\n-> gunicorn: here too\n");
        set("/n/c.notes", "*Q\n-> Kafka: a log\n");
        set("/n/c.notes", "*Q\n-> nothing defined\n");
        for key in ["gunicorn", "Gunicorn", "kafka", "csrf", "no such term"] {
            assert_eq!(idx.frequency(key), idx.definitions(key).len(), "{key}");
        }
        assert_eq!(idx.frequency("gunicorn"), 4);
        idx.remove_document("/n/a.notes");
        assert_eq!(idx.frequency("gunicorn"), 2);
        assert_eq!(idx.frequency("kafka"), idx.definitions("kafka").len());
    }

    #[test]
    fn defining_questions() {
        let t = |q: &str| defined_by_question(q);
        assert_eq!(t("What is CSRF?").as_deref(), Some("CSRF"));
        assert_eq!(t("what is webhook ?").as_deref(), Some("webhook"));
        assert_eq!(t("What's an ORM?").as_deref(), Some("ORM"));
        assert_eq!(
            t("What are the\n  generators?").as_deref(),
            Some("generators")
        );
        assert_eq!(t("Define N+1 query.").as_deref(), Some("N+1 query"));
        assert_eq!(
            t("Explain middleware in Django").as_deref(),
            Some("middleware")
        );
        assert_eq!(t("What is the difference between a and b?"), None);
        assert_eq!(t("What is the use of select_related?"), None);
        assert_eq!(t("What is it, really?"), None);
        assert_eq!(t("Why is the GIL there?"), None);
        assert_eq!(t("What is?"), None);
        assert_eq!(t("What is 😀").as_deref(), None);
        assert_eq!(t("What is é?").as_deref(), Some("é"));
    }

    #[test]
    fn abbreviates_long_answers() {
        let long = "word ".repeat(100);
        let a = abbreviate(&long);
        assert!(
            a.ends_with('…') && a.chars().count() <= MAX_DEFINITION + 1,
            "{a}"
        );
        let sentences = format!("{}. {}", "a".repeat(150), "b ".repeat(100));
        assert_eq!(abbreviate(&sentences), format!("{}.", "a".repeat(150)));
        assert_eq!(abbreviate("short\n  answer"), "short answer");
    }

    #[test]
    fn documents_come_and_go() {
        let mut idx = TermIndex::empty();
        let a = "*What is Foo Bar?\n-> A thing.\n";
        idx.set_document("a", a, &parse(a));
        let b = "*Q\n-> foo bar: another\n";
        idx.set_document("b", b, &parse(b));
        assert_eq!(idx.definitions("FOO BAR").len(), 2);
        assert_eq!(idx.name("foo bar"), Some("Foo Bar"));
        assert_eq!(idx.max_words("foo"), 2);
        idx.remove_document("a");
        assert_eq!(idx.name("foo bar"), Some("foo bar"));
        idx.set_document("b", "", &parse(""));
        assert!(!idx.is_known("foo bar"));
        assert_eq!(idx.max_words("foo"), 0);
        assert!(idx.user.is_empty() && idx.user_first.is_empty() && idx.docs.is_empty());
    }

    #[test]
    fn switching_the_builtin_glossary_keeps_the_documents() {
        let a = "*What is a JWT?\n-> A token.\n\n*Q\n-> Uvicron: a server\n";
        let b = "*What is uvicron?\n-> The same server.\n";
        let mut on = TermIndex::builtin();
        on.set_document("a", a, &parse(a));
        on.set_document("b", b, &parse(b));
        let mut off = TermIndex::empty();
        off.set_document("a", a, &parse(a));
        off.set_document("b", b, &parse(b));
        let switched = on.clone().with_builtin(false);
        for key in ["jwt", "uvicron"] {
            assert_eq!(switched.definitions(key), off.definitions(key), "{key}");
            assert_eq!(switched.name(key), off.name(key), "{key}");
        }
        let back = switched.with_builtin(true);
        for key in ["jwt", "uvicron"] {
            assert_eq!(back.definitions(key), on.definitions(key), "{key}");
            assert_eq!(back.name(key), on.name(key), "{key}");
        }
    }

    #[test]
    fn prepared_for_another_glossary_is_resolved_again() {
        let a = "*What are JWTs?\n-> Tokens.\n\n*Q\n-> Uvicron: a server\n";
        let on = TermIndex::builtin();
        let prepared = on.preparer().prepare("a", a, &parse(a));
        let mut off = TermIndex::empty();
        off.set_prepared("a", prepared.clone());
        let mut expected = TermIndex::empty();
        expected.set_document("a", a, &parse(a));
        for key in ["jwt", "jwts", "uvicron"] {
            assert_eq!(off.definitions(key), expected.definitions(key), "{key}");
            assert_eq!(off.name(key), expected.name(key), "{key}");
        }
        let mut with_file = TermIndex::builtin();
        let glossary = "[[term]]\nname = \"Uvicron\"\naliases = [\"uvi\"]\n";
        assert!(with_file.set_user_glossary("g.toml", glossary).is_ok());
        let b = "*Q\n-> uvi: the same server\n";
        with_file.set_prepared("b", on.preparer().prepare("b", b, &parse(b)));
        with_file.set_prepared("a", prepared);
        let defs = with_file.definitions("uvicron");
        assert_eq!(defs.len(), 3, "{defs:#?}");
        assert!(defs[..2].iter().all(|d| d.name == "Uvicron"), "{defs:#?}");
        assert_eq!(with_file.definitions("JWT")[0].name, "JWT");
    }

    #[test]
    fn lines_count_every_kind_of_break() {
        let text = "a\r\nb\rc\nd";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 3), 1);
        assert_eq!(c.line(text, 5), 2);
        assert_eq!(c.line(text, 8), 3);
        let text = "a\nb\n\nc";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 2), 1);
        assert_eq!(c.line(text, 2), 1);
        assert_eq!(c.line(text, 9), 3);
        // Stopping between the `\r` and `\n` of a CRLF: still on that line.
        let text = "a\r\nb";
        let mut c = LineCounter::default();
        assert_eq!(c.line(text, 2), 0);
        assert_eq!(c.line(text, 3), 1);
    }
}
