//! Building a [`TermIndex`]: documents and glossary files added, replaced
//! and removed by key (a path or URI string) as the caller learns of them,
//! documents taken in from a [`TermPreparer`], which did most of the work on
//! other threads (`resolve.rs`), and the generation that tells cached
//! spelling verdicts they are stale.
//!
//! The user's definitions are kept per document and indexed incrementally, so
//! re-indexing the document being edited costs as much as that document.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use super::glossary;
use super::model::{
    DocDefs, Glossary, PreparedTerms, TermIndex, TermPreparer, UserDef, UserGlossary, UserTerm,
};
use super::near::NearTerms;
use crate::ide::words::words;
use crate::ide::DocKey;
use crate::syntax::Notes;

fn same_glossary(a: Option<&Glossary>, b: Option<&Glossary>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// A generation number never handed out before, in any index.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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
    pub fn set_document(&mut self, doc: &DocKey, text: &str, notes: &Notes) {
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
    pub fn set_prepared(&mut self, doc: &DocKey, prepared: PreparedTerms) {
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
        self.insert_document(doc.clone(), defs);
    }

    /// The known terms changed: near terms are found again, and results
    /// cached for the old generation (spelling verdicts) no longer hold.
    fn terms_changed(&mut self) {
        self.near = OnceLock::new();
        self.generation = next_generation();
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
    pub fn set_user_glossary(&mut self, path: &DocKey, text: &str) -> Result<usize, String> {
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
            path.clone(),
            UserGlossary {
                glossary,
                keys,
                by_key,
            },
        );
        self.rekey_documents();
        Ok(count)
    }

    pub fn remove_user_glossary(&mut self, path: &DocKey) {
        if self.glossaries.remove(path).is_some() {
            self.rekey_documents();
        }
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
    fn insert_document(&mut self, doc: DocKey, mut defs: Vec<UserDef>) {
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
                    term.docs.insert(doc.clone());
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
                        docs: BTreeSet::from([doc.clone()]),
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

    pub fn remove_document(&mut self, doc: &DocKey) {
        if self.take_document(doc) {
            self.terms_changed();
        }
    }

    /// Takes a document's definitions out of the index; false if it had
    /// none. The caller says whether the terms changed.
    fn take_document(&mut self, doc: &DocKey) -> bool {
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

    /// What the spelling check compares words with besides the built-in
    /// glossary: the user's glossary files and some of their notes' terms.
    pub(super) fn user_near_terms(&self) -> &NearTerms {
        self.near.get_or_init(|| {
            // A file's term is suggested by the name the index shows for it.
            let files = self
                .user_glossaries()
                .flat_map(|g| g.near_terms(|name| Arc::from(self.name(name).unwrap_or(name))));
            Arc::new(NearTerms::new(files, self.user_term_names()))
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;
    #[test]
    fn the_generation_changes_only_when_the_terms_do() {
        let mut idx = TermIndex::builtin();
        let set = |idx: &mut TermIndex, text: &str| {
            idx.set_document(&"/n/a.notes".into(), text, &parse(text));
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
    fn documents_come_and_go() {
        let mut idx = TermIndex::empty();
        let a = "*What is Foo Bar?\n-> A thing.\n";
        idx.set_document(&"a".into(), a, &parse(a));
        let b = "*Q\n-> foo bar: another\n";
        idx.set_document(&"b".into(), b, &parse(b));
        assert_eq!(idx.definitions("FOO BAR").len(), 2);
        assert_eq!(idx.name("foo bar"), Some("Foo Bar"));
        assert_eq!(idx.max_words("foo"), 2);
        idx.remove_document(&"a".into());
        assert_eq!(idx.name("foo bar"), Some("foo bar"));
        idx.set_document(&"b".into(), "", &parse(""));
        assert!(!idx.is_known("foo bar"));
        assert_eq!(idx.max_words("foo"), 0);
        assert!(idx.user.is_empty() && idx.user_first.is_empty() && idx.docs.is_empty());
    }

    #[test]
    fn switching_the_builtin_glossary_keeps_the_documents() {
        let a = "*What is a JWT?\n-> A token.\n\n*Q\n-> Uvicron: a server\n";
        let b = "*What is uvicron?\n-> The same server.\n";
        let mut on = TermIndex::builtin();
        on.set_document(&"a".into(), a, &parse(a));
        on.set_document(&"b".into(), b, &parse(b));
        let mut off = TermIndex::empty();
        off.set_document(&"a".into(), a, &parse(a));
        off.set_document(&"b".into(), b, &parse(b));
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
}
