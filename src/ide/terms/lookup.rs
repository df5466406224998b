//! Asking a [`TermIndex`]: which known term is written here (longest match,
//! multi-word terms and aliases included), what it means (every definition:
//! the user's notes first, then their glossary files, then the built-in
//! glossary), how often it is named, its canonical name, and every term.
//!
//! Matching rules, shared by hover, highlights and completion:
//! - words are those of [`words`](crate::ide::words): `N+1`, `HTTP/2`,
//!   `django-oauth-toolkit` are one word each;
//! - a multi-word term matches across white space inside one line, never
//!   across a line break or punctuation;
//! - case is ignored, and aliases and known misspellings lead to their term
//!   (`fast-api`, `Fast API` → FastAPI; the spelling check flags the latter);
//! - a last word ending in a lowercase `s`, `es` or `ies` also matches the
//!   singular term (`JWTs` → JWT, `N+1 queries` → N+1 query);
//! - when no whole word matches, the parts of a word between `.` and `/` are
//!   tried (`Django/Flask`, `django.Is` with a missing space).

use super::glossary;
use super::model::{Glossary, KnownTerm, TermDefinition, TermIndex, TermMatch};
use crate::ide::words::{normalize, segments, singulars, words, MAX_WORDS};
use crate::syntax::{line_end, line_start, LineIter, TextRange};

impl TermIndex {
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
        let ending = ws.iter().position(|r| r.end() == offset);
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
        for (s, e, _) in LineIter::new(text, range.start(), range.end()) {
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

    /// Whether the user's notes define the term (not only a glossary): a
    /// look-up, where collecting its definitions walked every document
    /// that defines it (a search over 5,000 files that all define a term
    /// asked once per file, and took minutes).
    pub fn defined_in_notes(&self, key: &str) -> bool {
        self.lookup(key)
            .and_then(|k| self.user.get(k))
            .is_some_and(|t| !t.docs.is_empty())
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
    pub(super) fn glossary_name(&self, key: &str) -> Option<&str> {
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
    pub(super) fn user_glossaries(&self) -> impl Iterator<Item = &Glossary> {
        self.glossaries.values().map(|g| &g.glossary)
    }

    /// Whether the built-in glossary is on.
    pub(super) fn has_builtin(&self) -> bool {
        self.builtin.is_some()
    }

    /// The spelling the user's notes give each term that only they define.
    pub(super) fn user_term_names(&self) -> impl Iterator<Item = &str> {
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
    pub(super) fn user_accepts(&self, spelling: &str) -> bool {
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

    /// The definitions one document contributes, in text order.
    pub fn user_terms_in(&self, doc: &str) -> impl Iterator<Item = &TermDefinition> {
        self.docs
            .get(doc)
            .into_iter()
            .flat_map(|d| &d.defs)
            .map(|d| &d.def)
    }

    pub(super) fn glossary(&self) -> &'static Glossary {
        self.builtin.unwrap_or_else(glossary::empty)
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
            let range = TextRange::new(ws[0].start(), ws[len - 1].end());
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
    pub(super) fn max_words(&self, first: &str) -> usize {
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
}

/// Tries a spelling's key, then the keys of its singular forms, and returns
/// the first that `find` knows.
pub(super) fn first_key<T>(spelling: &str, mut find: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let key = normalize(spelling);
    find(&key).or_else(|| singulars(spelling, &key).iter().find_map(|k| find(k)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;
    #[test]
    fn frequency_counts_what_definitions_lists() {
        let mut idx = TermIndex::builtin();
        let mut set = |doc: &str, text: &str| idx.set_document(&doc.into(), text, &parse(text));
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
        idx.remove_document(&"/n/a.notes".into());
        assert_eq!(idx.frequency("gunicorn"), 2);
        assert_eq!(idx.frequency("kafka"), idx.definitions("kafka").len());
    }
}
