//! The question index's data and its updates: documents put in, replaced
//! and taken out, each question's places kept in (document, position) order
//! so that asking it (`lookup.rs`) never sorts them.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::ide::doc_key::DocKey;
use crate::ide::hash::FastBuildHasher;
use crate::ide::question::{question_key, QuestionKey};
use crate::syntax::{Notes, TextRange};

/// Where a question is asked: a view into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionPlace<'a> {
    /// The document key given to [`QuestionIndex::set_document`].
    pub doc: &'a DocKey,
    pub range: TextRange,
}

/// A document's questions ready to go into a [`QuestionIndex`]: the key of
/// each folded question and where it is.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuestions(Vec<(QuestionKey, Span)>);

/// A byte range in 8 bytes rather than 16: there is one per question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
}

impl Span {
    /// `None` past 4 GiB, which no notes file reaches (files are read up to
    /// `max_file_size`); such a question is left out of the index.
    fn new(r: TextRange) -> Option<Span> {
        Some(Span {
            start: u32::try_from(r.start()).ok()?,
            end: u32::try_from(r.end()).ok()?,
        })
    }

    pub(super) fn range(self) -> TextRange {
        TextRange::new(self.start as usize, self.end as usize)
    }
}

/// One question of one document: the document's id and the question's
/// position in the document's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) doc: u32,
    at: u32,
}

#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) name: DocKey,
    /// `None` for a document open in an editor (see the top of this file).
    pub(super) text: Option<Arc<String>>,
    /// The questions in text order, each with its key.
    pub(super) questions: Vec<(QuestionKey, Span)>,
}

impl Doc {
    fn place(&self, at: usize) -> Option<QuestionPlace<'_>> {
        let (_, span) = self.questions.get(at)?;
        Some(QuestionPlace {
            doc: &self.name,
            range: span.range(),
        })
    }
}

/// The keys of the question tables are already good hashes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type KeyBuild = BuildHasherDefault<KeyHasher>;

#[derive(Debug, Clone, Default)]
pub struct QuestionIndex {
    /// Documents by id; the slot of a removed document is `None` until an
    /// id is handed out again.
    pub(super) docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    pub(super) ids: HashMap<DocKey, u32, FastBuildHasher>,
    /// Hash → the first place asked. Most questions are asked once, so the
    /// others are kept apart, in `more`, and cost nothing here.
    pub(super) first: HashMap<u64, Place, KeyBuild>,
    /// Hash → the places after the first.
    pub(super) more: HashMap<u64, More, KeyBuild>,
}

/// The places of a question asked more than once, after the first.
#[derive(Debug, Clone, Default)]
pub(super) struct More {
    /// In the order they were added.
    pub(super) places: Vec<Place>,
    /// When the places are in more than one document, the distinct second
    /// hashes (`QuestionKey::check`) asked: one, unless two questions share
    /// the first hash. These are the only questions that can be cross-file
    /// duplicates. Else empty.
    pub(super) shared: Vec<u64>,
}

impl QuestionIndex {
    pub fn set_document(&mut self, doc: &DocKey, text: &Arc<String>, notes: &Notes) {
        let prepared = QuestionIndex::prepare(text, notes);
        self.set_prepared(doc, Arc::clone(text), prepared);
    }

    /// [`set_document`](Self::set_document) for a document open in an
    /// editor: its text is not kept.
    pub fn set_open_document(&mut self, doc: &DocKey, text: &str, notes: &Notes) {
        let prepared = QuestionIndex::prepare(text, notes);
        self.insert(doc, None, prepared);
    }

    /// A document's questions hashed: the part of
    /// [`set_document`](Self::set_document) that needs no index, so that
    /// many documents can be prepared at once on several threads.
    pub fn prepare(text: &str, notes: &Notes) -> PreparedQuestions {
        let asked = || {
            let ranges = notes.entries.iter().map(|e| e.question.text);
            ranges.filter(|r| !r.is_empty())
        };
        // Kept as long as the document is indexed: sized exactly, not grown.
        let mut places = Vec::with_capacity(asked().count());
        let keyed = asked().filter_map(|r| Some((question_key(r.slice(text)), Span::new(r)?)));
        places.extend(keyed);
        PreparedQuestions(places)
    }

    /// [`set_document`](Self::set_document) with questions from
    /// [`prepare`](Self::prepare) of the same `text`.
    pub fn set_prepared(&mut self, doc: &DocKey, text: Arc<String>, prepared: PreparedQuestions) {
        self.insert(doc, Some(text), prepared);
    }

    fn insert(&mut self, doc: &DocKey, text: Option<Arc<String>>, prepared: PreparedQuestions) {
        self.remove_document(doc);
        if prepared.0.is_empty() {
            return;
        }
        let name = doc.clone();
        let keys: Vec<QuestionKey> = prepared.0.iter().map(|&(k, _)| k).collect();
        let slot = Some(Doc {
            name: name.clone(),
            text,
            questions: prepared.0,
        });
        let id = match self.free.pop() {
            Some(id) => {
                self.docs[id as usize] = slot;
                id
            }
            None => {
                self.docs.push(slot);
                (self.docs.len() - 1) as u32
            }
        };
        self.ids.insert(name, id);
        for (at, key) in keys.into_iter().enumerate() {
            let place = Place {
                doc: id,
                at: at as u32,
            };
            let first = match self.first.entry(key.hash) {
                MapEntry::Vacant(v) => {
                    v.insert(place);
                    continue;
                }
                MapEntry::Occupied(o) => *o.get(),
            };
            let more = self.more.entry(key.hash).or_default();
            // Places are kept in (document name, position) order, the order
            // findings list them in, so a question asked in thousands of
            // files names its first few others without sorting them all.
            let new = order_key(&self.docs, place);
            if new < order_key(&self.docs, first) {
                self.first.insert(key.hash, place);
                more.places.insert(0, first);
            } else {
                let at = more
                    .places
                    .partition_point(|&p| order_key(&self.docs, p) <= new);
                more.places.insert(at, place);
            }
            let head = self.first.get(&key.hash).copied().unwrap_or(place);
            if !more.shared.is_empty() {
                if !more.shared.contains(&key.check) {
                    more.shared.push(key.check);
                }
            } else if first.doc != id {
                // Until now every place was in one document (the shared list
                // is empty): `first`'s. Another document's place first means
                // the hash is now shared.
                more.shared = distinct_checks(&self.docs, head, &more.places);
            }
        }
    }

    pub fn remove_document(&mut self, doc: &DocKey) {
        let Some(id) = self.ids.remove(doc) else {
            return;
        };
        let Some(removed) = self.docs.get_mut(id as usize).and_then(Option::take) else {
            return;
        };
        self.free.push(id);
        for &(key, _) in &removed.questions {
            self.remove_places(key.hash, id);
        }
    }

    /// Takes document `id`'s places out of the `hash` entry.
    fn remove_places(&mut self, hash: u64, id: u32) {
        let MapEntry::Occupied(mut first) = self.first.entry(hash) else {
            return;
        };
        let mut rest = self.more.remove(&hash).unwrap_or_default().places;
        rest.retain(|p| p.doc != id);
        let head = *first.get();
        let head = if head.doc != id {
            head
        } else if rest.is_empty() {
            first.remove();
            return;
        } else {
            rest.remove(0)
        };
        *first.get_mut() = head;
        if rest.is_empty() {
            return;
        }
        let shared = if rest.iter().any(|p| p.doc != head.doc) {
            distinct_checks(&self.docs, head, &rest)
        } else {
            Vec::new()
        };
        let more = More {
            places: rest,
            shared,
        };
        self.more.insert(hash, more);
    }

    /// Every place with this hash.
    pub(super) fn places_of(&self, hash: u64) -> impl Iterator<Item = Place> + '_ {
        let more = self.more.get(&hash).into_iter().flat_map(|m| &m.places);
        self.first
            .get(&hash)
            .copied()
            .into_iter()
            .chain(more.copied())
    }

    pub(super) fn view(&self, p: Place) -> Option<QuestionPlace<'_>> {
        view(&self.docs, p)
    }
}

/// The order places are kept and listed in.
fn order_key(docs: &[Option<Doc>], p: Place) -> (&str, u32) {
    (name_of(docs, p), p.at)
}

pub(super) fn name_of(docs: &[Option<Doc>], p: Place) -> &str {
    docs.get(p.doc as usize)
        .and_then(Option::as_ref)
        .map_or("", |d| d.name.as_str())
}

fn view(docs: &[Option<Doc>], p: Place) -> Option<QuestionPlace<'_>> {
    docs.get(p.doc as usize)?.as_ref()?.place(p.at as usize)
}

/// The second hash (`QuestionKey::check`) of the question at `p`.
pub(super) fn check_at(docs: &[Option<Doc>], p: Place) -> Option<u64> {
    let doc = docs.get(p.doc as usize)?.as_ref()?;
    Some(doc.questions.get(p.at as usize)?.0.check)
}

/// The distinct second hashes asked at `first` and `rest`: one, unless two
/// questions share the first hash.
fn distinct_checks(docs: &[Option<Doc>], first: Place, rest: &[Place]) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(1);
    for &p in std::iter::once(&first).chain(rest) {
        let check = check_at(docs, p).unwrap_or(0);
        if !out.contains(&check) {
            out.push(check);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::question_index::fixture::{count, set, shared};
    use crate::syntax::parse;

    #[test]
    fn a_hash_collision_is_not_a_duplicate() {
        // Two different questions given one first hash, as a collision would.
        let a = Arc::new("*What is CSRF?\n->\nx\n".to_string());
        let b = Arc::new("*What is XSS?\n->\ny\n".to_string());
        let c = Arc::new("*what is xss\n->\nz\n".to_string());
        let mut idx = QuestionIndex::default();
        for (doc, text) in [("a", &a), ("b", &b), ("c", &c)] {
            let mut prepared = QuestionIndex::prepare(text, &parse(text));
            prepared.0[0].0.hash = 7;
            idx.set_prepared(&DocKey::from(doc), Arc::clone(text), prepared);
        }
        let collided = |q: &str| QuestionKey {
            hash: 7,
            ..question_key(q)
        };
        let (csrf, xss) = (collided("what is csrf"), collided("what is xss"));
        let mut both = vec![csrf, xss];
        both.sort();
        assert_eq!(shared(&idx), both);
        let b = DocKey::from("b");
        let others: Vec<&str> = idx.elsewhere(&b, xss).map(|p| p.doc.as_str()).collect();
        assert_eq!(others, ["c"]);
        assert_eq!(idx.duplicates_of(&b, xss, 3).count, 1);
        assert_eq!(idx.elsewhere(&"a".into(), csrf).count(), 0);
        idx.remove_document(&"c".into());
        assert_eq!(idx.shared_keys().count(), 2, "a and b still share the hash");
        assert_eq!(idx.elsewhere(&"b".into(), xss).count(), 0);
        idx.remove_document(&"a".into());
        assert_eq!(idx.shared_keys().count(), 0);
        assert_eq!(count(&idx), 1);
    }

    #[test]
    fn documents_replace_and_reuse_ids() {
        let mut idx = QuestionIndex::default();
        let (one, two) = (question_key("q one"), question_key("q two"));
        set(&mut idx, "a", "*Q one?\n->\nx\n*Q one\n->\ny\n");
        set(&mut idx, "b", "*Q two\n->\nx\n");
        assert_eq!(idx.shared_keys().count(), 0, "asked twice in one file");
        set(&mut idx, "b", "*q ONE\n->\nx\n");
        assert_eq!(shared(&idx), [one]);
        assert_eq!(idx.elsewhere(&"b".into(), one).count(), 2);
        idx.remove_document(&"a".into());
        set(&mut idx, "c", "*Q two\n->\nx\n");
        assert_eq!(idx.shared_keys().count(), 0);
        assert_eq!(idx.elsewhere(&"c".into(), one).count(), 1);
        assert_eq!(idx.elsewhere(&"c".into(), two).count(), 0);
        set(&mut idx, "b", "");
        idx.remove_document(&"c".into());
        assert_eq!(count(&idx), 0);
        assert!(idx.first.is_empty() && idx.more.is_empty() && idx.ids.is_empty());
    }
}
