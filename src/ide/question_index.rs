//! Every question of every file, by its folded form: for duplicates across
//! files and for "go to symbol in workspace".
//!
//! Updated one document at a time (remove, then add), so an edit costs the
//! size of that document, not of the workspace. A workspace holds hundreds of
//! thousands of questions, so each costs little: a byte range and the two
//! hashes of its folded form ([`QuestionKey`]), which is all that finding
//! duplicates compares, and a table from the first hash to where it is
//! asked. The index keeps a file's text (shared with the workspace index,
//! not copied) for the labels of workspace symbols; of a document open in an
//! editor it keeps none: the editor layer has the text, and edits it, so a
//! shared copy would be copied whole by the next keystroke and then held
//! twice. That layer lends it when symbols are searched.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::diagnostics::{Diagnostic, DiagnosticKind, Related};
use super::doc_key::DocKey;
use super::hash::FxBuildHasher;
use super::question::{question_hash, question_key, QuestionKey};
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
struct Span {
    start: u32,
    end: u32,
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

    fn range(self) -> TextRange {
        TextRange::new(self.start as usize, self.end as usize)
    }
}

/// One question of one document: the document's id and the question's
/// position in the document's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    doc: u32,
    at: u32,
}

#[derive(Debug, Clone)]
struct Doc {
    name: DocKey,
    /// `None` for a document open in an editor (see the top of this file).
    text: Option<Arc<String>>,
    /// The questions in text order, each with its key.
    questions: Vec<(QuestionKey, Span)>,
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
struct KeyHasher(u64);

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

type KeyBuild = BuildHasherDefault<KeyHasher>;

#[derive(Debug, Clone, Default)]
pub struct QuestionIndex {
    /// Documents by id; the slot of a removed document is `None` until an
    /// id is handed out again.
    docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    ids: HashMap<DocKey, u32, FxBuildHasher>,
    /// Hash → the first place asked. Most questions are asked once, so the
    /// others are kept apart, in `more`, and cost nothing here.
    first: HashMap<u64, Place, KeyBuild>,
    /// Hash → the places after the first.
    more: HashMap<u64, More, KeyBuild>,
}

/// The places of a question asked more than once, after the first.
#[derive(Debug, Clone, Default)]
struct More {
    /// In the order they were added.
    places: Vec<Place>,
    /// When the places are in more than one document, the distinct second
    /// hashes (`QuestionKey::check`) asked: one, unless two questions share
    /// the first hash. These are the only questions that can be cross-file
    /// duplicates. Else empty.
    shared: Vec<u64>,
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
    fn places_of(&self, hash: u64) -> impl Iterator<Item = Place> + '_ {
        let more = self.more.get(&hash).into_iter().flat_map(|m| &m.places);
        self.first
            .get(&hash)
            .copied()
            .into_iter()
            .chain(more.copied())
    }

    fn view(&self, p: Place) -> Option<QuestionPlace<'_>> {
        view(&self.docs, p)
    }

    /// The questions asked in more than one document.
    pub fn shared_keys(&self) -> impl Iterator<Item = QuestionKey> + '_ {
        self.more.iter().flat_map(|(&hash, m)| {
            m.shared
                .iter()
                .map(move |&check| QuestionKey { hash, check })
        })
    }

    /// The documents open in an editor, whose text the index does not keep.
    pub fn open_documents(&self) -> impl Iterator<Item = &DocKey> {
        self.docs
            .iter()
            .flatten()
            .filter(|d| d.text.is_none())
            .map(|d| &d.name)
    }

    /// Every question in the workspace with its text, each document's in
    /// text order. The text of a document open in an editor comes from
    /// `open` (the editor's text now): a question there whose place no
    /// longer holds it (the index takes in an edit after a pause) is left
    /// out until it does.
    pub fn questions<'a>(
        &'a self,
        open: &'a dyn Fn(&DocKey) -> Option<&'a str>,
    ) -> impl Iterator<Item = (QuestionPlace<'a>, &'a str)> {
        self.docs.iter().flatten().flat_map(move |d| {
            let (text, open) = match &d.text {
                Some(text) => (Some(text.as_str()), false),
                None => (open(&d.name), true),
            };
            d.questions.iter().filter_map(move |&(key, span)| {
                let question = text?.get(span.start as usize..span.end as usize)?;
                if open && question_hash(question) != key.hash {
                    return None;
                }
                let place = QuestionPlace {
                    doc: &d.name,
                    range: span.range(),
                };
                Some((place, question))
            })
        })
    }

    /// Every place in a document other than `doc` that asks `key`, each
    /// checked by its second hash: the slow way, for the rare first hash
    /// two questions share.
    fn elsewhere<'a>(
        &'a self,
        doc: &'a DocKey,
        key: QuestionKey,
    ) -> impl Iterator<Item = QuestionPlace<'a>> {
        let own = self.ids.get(doc).copied();
        self.places_of(key.hash)
            .filter(move |p| Some(p.doc) != own)
            .filter(move |&p| check_at(&self.docs, p) == Some(key.check))
            .filter_map(|p| self.view(p))
    }

    /// When the index holds `text` as `doc`'s text (the same string, not a
    /// copy), its questions whose hash is asked more than once in the
    /// workspace, in text order: the only ones that can be asked in another
    /// document. Looking them up costs a probe of the small table of
    /// repeated hashes per question, not of the table of every question.
    pub fn repeated_in(&self, doc: &DocKey, text: &str) -> Option<Vec<(TextRange, QuestionKey)>> {
        let id = *self.ids.get(doc)?;
        let d = self.docs.get(id as usize)?.as_ref()?;
        if !d
            .text
            .as_ref()
            .is_some_and(|own| std::ptr::eq(own.as_str(), text))
        {
            return None;
        }
        Some(
            d.questions
                .iter()
                .filter(|(k, _)| self.more.contains_key(&k.hash))
                .map(|&(k, s)| (s.range(), k))
                .collect(),
        )
    }

    /// Whether a question whose first hash is `hash` may be asked in a
    /// document other than `doc`: false for a question asked only there.
    pub fn may_be_elsewhere(&self, doc: &DocKey, hash: u64) -> bool {
        let Some(head) = self.first.get(&hash) else {
            return false;
        };
        let here = self.ids.get(doc).is_some_and(|&id| id == head.doc);
        match self.more.get(&hash) {
            None => !here,
            Some(more) => !(here && more.shared.is_empty()),
        }
    }

    /// How many places in documents other than `doc` ask the question
    /// `key`, and the first `limit` of them in (document, position) order.
    /// Costs the logarithm of the places, not their number, when the first
    /// hash names only this question (the usual case).
    pub fn duplicates_of<'a>(
        &'a self,
        doc: &'a DocKey,
        key: QuestionKey,
        limit: usize,
    ) -> Elsewhere<'a> {
        let none = Elsewhere::default();
        let Some(&head) = self.first.get(&key.hash) else {
            return none;
        };
        let own = self.ids.get(doc).copied();
        let Some(more) = self.more.get(&key.hash) else {
            // Asked once: elsewhere only if not here.
            return match self.view(head) {
                Some(p)
                    if Some(head.doc) != own && check_at(&self.docs, head) == Some(key.check) =>
                {
                    Elsewhere {
                        count: 1,
                        first: vec![p],
                    }
                }
                _ => none,
            };
        };
        if more.shared.is_empty() && Some(head.doc) == own {
            // Every place is in this document.
            return none;
        }
        if more.shared != [key.check] {
            // Two questions share the hash, or all places are in one other
            // document: the second hash decides, place by place.
            let all: Vec<QuestionPlace> = self.elsewhere(doc, key).collect();
            return Elsewhere {
                count: all.len(),
                first: all.into_iter().take(limit).collect(),
            };
        }
        // Every place asks `key`; this document's places are together.
        let own_count = if own.is_some() {
            let lo = more
                .places
                .partition_point(|&p| name_of(&self.docs, p) < doc.as_str());
            let hi = more
                .places
                .partition_point(|&p| name_of(&self.docs, p) <= doc.as_str());
            hi - lo + usize::from(Some(head.doc) == own)
        } else {
            0
        };
        let first = std::iter::once(head)
            .chain(more.places.iter().copied())
            .filter(|p| Some(p.doc) != own)
            .take(limit)
            .filter_map(|p| self.view(p))
            .collect();
        Elsewhere {
            count: 1 + more.places.len() - own_count,
            first,
        }
    }
}

/// What [`QuestionIndex::duplicates_of`] found.
#[derive(Debug, Clone, Default)]
pub struct Elsewhere<'a> {
    /// Places in other documents.
    pub count: usize,
    /// The first few of them, in (document, position) order.
    pub first: Vec<QuestionPlace<'a>>,
}

/// The order places are kept and listed in.
fn order_key(docs: &[Option<Doc>], p: Place) -> (&str, u32) {
    (name_of(docs, p), p.at)
}

fn name_of(docs: &[Option<Doc>], p: Place) -> &str {
    docs.get(p.doc as usize)
        .and_then(Option::as_ref)
        .map_or("", |d| d.name.as_str())
}

fn view(docs: &[Option<Doc>], p: Place) -> Option<QuestionPlace<'_>> {
    docs.get(p.doc as usize)?.as_ref()?.place(p.at as usize)
}

/// The second hash (`QuestionKey::check`) of the question at `p`.
fn check_at(docs: &[Option<Doc>], p: Place) -> Option<u64> {
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

/// Questions of `doc` that are also asked in other documents.
pub fn cross_file_duplicates(
    text: &str,
    notes: &Notes,
    doc: &DocKey,
    index: &QuestionIndex,
) -> Vec<Diagnostic> {
    // Most questions are asked once, here: the hash says so, and only the
    // others are keyed. When the index holds this very text, its keys and
    // the few hashes asked more than once give the candidates outright.
    if let Some(repeated) = index.repeated_in(doc, text) {
        return duplicates_at(doc, index, repeated.into_iter());
    }
    let keys = notes
        .entries
        .iter()
        .map(|e| e.question.text)
        .filter(|r| !r.is_empty())
        .filter(|r| index.may_be_elsewhere(doc, question_hash(r.slice(text))))
        .map(|r| (r, question_key(r.slice(text))));
    duplicates_at(doc, index, keys)
}

/// [`cross_file_duplicates`] for the given entries (index and key), for
/// callers that keep the entries' hashes (`FileDiagnostics` with
/// [`QuestionIndex::shared_keys`] gives exactly the entries that can be
/// duplicates).
pub fn cross_file_duplicates_at(
    notes: &Notes,
    doc: &DocKey,
    index: &QuestionIndex,
    entries: impl IntoIterator<Item = (usize, QuestionKey)>,
) -> Vec<Diagnostic> {
    let ranges = entries
        .into_iter()
        .filter_map(|(i, k)| Some((notes.entries.get(i)?.question.text, k)));
    duplicates_at(doc, index, ranges)
}

/// [`cross_file_duplicates`] of a file the index holds with this very
/// `text`, from the index alone (no parse); `None` when it holds another
/// text for `doc`, or none.
pub fn indexed_cross_file_duplicates(
    text: &str,
    doc: &DocKey,
    index: &QuestionIndex,
) -> Option<Vec<Diagnostic>> {
    let repeated = index.repeated_in(doc, text)?;
    Some(duplicates_at(doc, index, repeated.into_iter()))
}

/// The findings for questions at these ranges, each with its key.
fn duplicates_at(
    doc: &DocKey,
    index: &QuestionIndex,
    questions: impl Iterator<Item = (TextRange, QuestionKey)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (range, k) in questions {
        let others = index.duplicates_of(doc, k, MAX_RELATED);
        let Some(first) = others.first.first() else {
            continue;
        };
        out.push(Diagnostic {
            kind: DiagnosticKind::DuplicateQuestion,
            range,
            message: format!(
                "Duplicate question: also asked in {}{}",
                file_name(first.doc.as_str()),
                if others.count > 1 {
                    format!(" and {} more", others.count - 1)
                } else {
                    String::new()
                }
            ),
            fixes: Vec::new(),
            // The message counts them all; the list names the first few. A
            // question a hundred daily notes share would otherwise write a
            // hundred locations into every copy's finding, every time.
            related: others
                .first
                .iter()
                .map(|p| Related {
                    path: Some(p.doc.clone()),
                    range: p.range,
                    message: "also asked here".to_string(),
                })
                .collect(),
        });
    }
    out
}

/// At most this many other places are listed with a cross-file duplicate.
pub const MAX_RELATED: usize = 3;

fn file_name(doc: &str) -> &str {
    doc.rsplit(['/', '\\']).next().unwrap_or(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn set(idx: &mut QuestionIndex, doc: &str, text: &str) {
        idx.set_document(
            &DocKey::from(doc),
            &Arc::new(text.to_string()),
            &parse(text),
        );
    }

    fn shared(idx: &QuestionIndex) -> Vec<QuestionKey> {
        let mut keys: Vec<QuestionKey> = idx.shared_keys().collect();
        keys.sort();
        keys
    }

    fn count(idx: &QuestionIndex) -> usize {
        idx.questions(&|_| None).count()
    }

    #[test]
    fn duplicates_across_files_point_at_the_others() {
        let a = "*What is CSRF?\n->\nx\n";
        let b = "*what is csrf\n->\ny\n\n*What is XSS?\n->\nz\n";
        let mut idx = QuestionIndex::default();
        set(&mut idx, "/n/a.notes", a);
        set(&mut idx, "/n/b.notes", b);
        let d = cross_file_duplicates(b, &parse(b), &"/n/b.notes".into(), &idx);
        assert_eq!(shared(&idx), [question_key("what is csrf")]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Duplicate question: also asked in a.notes");
        assert_eq!(
            d[0].related[0].path.as_ref().map(DocKey::as_str),
            Some("/n/a.notes")
        );
        assert_eq!(d[0].related[0].range.slice(a), "What is CSRF?");
        let a = DocKey::from("/n/a.notes");
        let there: Vec<&str> = idx
            .elsewhere(&a, question_key("WHAT is  CSRF"))
            .map(|p| p.doc.as_str())
            .collect();
        assert_eq!(there, ["/n/b.notes"]);
        idx.remove_document(&"/n/a.notes".into());
        assert_eq!(idx.shared_keys().count(), 0);
        assert!(cross_file_duplicates(b, &parse(b), &"/n/b.notes".into(), &idx).is_empty());
        let asked: Vec<&str> = idx.questions(&|_| None).map(|(_, q)| q).collect();
        assert_eq!(asked, ["what is csrf", "What is XSS?"]);
    }

    /// An open document's questions are compared without its text, and
    /// listed from the text the editor lends: a question whose place no
    /// longer holds it is left out.
    #[test]
    fn an_open_documents_questions_need_no_text_of_it() {
        let mut idx = QuestionIndex::default();
        set(&mut idx, "/n/a.notes", "*What is CSRF?\n-> x\n");
        let open = "*what is  csrf\n-> y\n\n*Why?\n-> z\n";
        let b = DocKey::from("/n/b.notes");
        idx.set_open_document(&b, open, &parse(open));
        assert_eq!(idx.open_documents().collect::<Vec<_>>(), [&b]);
        let d = cross_file_duplicates(open, &parse(open), &b, &idx);
        assert_eq!(d.len(), 1, "{d:?}");
        let a = DocKey::from("/n/a.notes");
        assert_eq!(
            idx.duplicates_of(&a, question_key("What is CSRF"), 3).count,
            1
        );
        let lend = |k: &DocKey| (k == &b).then_some(open);
        let asked: Vec<&str> = idx.questions(&lend).map(|(_, q)| q).collect();
        assert_eq!(asked, ["What is CSRF?", "what is  csrf", "Why?"]);
        let edited = "*Who?\n-> y\n\n*what is  csrf\n-> y\n";
        let lend = |k: &DocKey| (k == &b).then_some(edited);
        assert_eq!(idx.questions(&lend).count(), 1, "only the closed file's");
        assert_eq!(count(&idx), 1);
    }

    /// The fast count and the first places in (document, position) order
    /// agree with checking every place, whatever order the documents came in
    /// and after one is replaced.
    #[test]
    fn duplicates_of_counts_all_and_names_the_first_in_order() {
        let q = "*What is CSRF?\n-> x\n";
        let twice = "*What is CSRF?\n-> x\n\n*what is  csrf\n-> y\n";
        let mut idx = QuestionIndex::default();
        for (doc, text) in [
            ("/n/e.notes", q),
            ("/n/b.notes", twice),
            ("/n/d.notes", q),
            ("/n/a.notes", q),
            ("/n/c.notes", twice),
        ] {
            set(&mut idx, doc, text);
        }
        set(&mut idx, "/n/d.notes", "*Other?\n-> z\n");
        set(&mut idx, "/n/d.notes", q);
        let key = question_key("what is csrf");
        for doc in ["/n/a.notes", "/n/b.notes", "/n/c.notes", "/n/z.notes"] {
            let doc = &DocKey::from(doc);
            let fast = idx.duplicates_of(doc, key, MAX_RELATED);
            let slow: Vec<(&str, usize)> = idx
                .elsewhere(doc, key)
                .map(|p| (p.doc.as_str(), p.range.start()))
                .collect();
            let mut sorted = slow.clone();
            sorted.sort();
            assert_eq!(fast.count, slow.len(), "{doc}");
            let first: Vec<(&str, usize)> = fast
                .first
                .iter()
                .map(|p| (p.doc.as_str(), p.range.start()))
                .collect();
            assert_eq!(first, sorted[..MAX_RELATED.min(sorted.len())], "{doc}");
        }
        // b and c ask it twice: from a, six places in four other files.
        assert_eq!(idx.duplicates_of(&"/n/a.notes".into(), key, 3).count, 6);
    }

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
