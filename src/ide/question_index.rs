//! Every question of every file, by its folded form: for duplicates across
//! files and for "go to symbol in workspace".
//!
//! Updated one document at a time (remove, then add), so an edit costs the
//! size of that document, not of the workspace. A workspace holds hundreds of
//! thousands of questions, so each costs little: the index keeps each
//! document's text (shared with the workspace index, not copied), a byte
//! range per question, and a table from the 64-bit hash of the folded
//! question ([`question_hash`]) to where it is asked. Of a document open in
//! an editor it keeps the questions alone: the editor layer has the text,
//! and edits it, so a shared copy would be copied whole by the next
//! keystroke and then held twice. Folded questions and
//! labels are made from the text when asked for. A hash only names a
//! question: two places are called the same question only after their
//! folded texts compare equal, so a collision cannot make a false duplicate.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::diagnostics::{Diagnostic, DiagnosticKind, Related};
use super::doc_key::DocKey;
use super::hash::FxBuildHasher;
use super::question::{
    ascii_space, collapse, folded_box, folds_to, key_hash, normalize_question, question_hash,
};
use crate::syntax::{Notes, TextRange};

/// Where a question is asked: a view into the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionPlace<'a> {
    /// The document key given to [`QuestionIndex::set_document`].
    pub doc: &'a DocKey,
    pub range: TextRange,
    question: &'a str,
}

impl<'a> QuestionPlace<'a> {
    /// The question as written.
    pub fn question(&self) -> &'a str {
        self.question
    }

    /// The question as one line, white space collapsed.
    pub fn label(&self) -> String {
        collapse(self.question())
    }
}

/// A document's questions ready to go into a [`QuestionIndex`]: the hash of
/// each folded question and where it is.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuestions(Vec<(u64, Span)>);

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
    asked: Asked,
    /// The questions in text order, each with its hash (kept so that
    /// removing the document needs no folding).
    questions: Vec<(u64, Span)>,
}

/// Where a document's questions are read.
#[derive(Debug, Clone)]
enum Asked {
    /// In the document's text: each question is its span of it.
    InText(Arc<String>),
    /// The questions alone, one after the other: question `i` ends at
    /// `ends[i]` (an open document's; see the top of this file).
    Alone {
        questions: Box<str>,
        ends: Box<[u32]>,
    },
}

impl Doc {
    /// The text of question `at`.
    fn question(&self, at: usize) -> &str {
        match &self.asked {
            Asked::InText(text) => self
                .questions
                .get(at)
                .and_then(|(_, s)| text.get(s.start as usize..s.end as usize)),
            Asked::Alone { questions, ends } => {
                let start = at.checked_sub(1).map_or(Some(0), |i| ends.get(i).copied());
                let end = ends.get(at).copied();
                start
                    .zip(end)
                    .and_then(|(a, b)| questions.get(a as usize..b as usize))
            }
        }
        .unwrap_or("")
    }

    fn place(&self, at: usize) -> Option<QuestionPlace<'_>> {
        let (_, span) = self.questions.get(at)?;
        Some(QuestionPlace {
            doc: &self.name,
            range: span.range(),
            question: self.question(at),
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
    /// When the places are in more than one document, the distinct folded
    /// questions asked (one, unless two questions share a hash): the only
    /// questions that can be cross-file duplicates. Else empty.
    shared: Vec<Box<str>>,
}

impl QuestionIndex {
    pub fn set_document(&mut self, doc: &DocKey, text: &Arc<String>, notes: &Notes) {
        let prepared = QuestionIndex::prepare(text, notes);
        self.set_prepared(doc, Arc::clone(text), prepared);
    }

    /// [`set_document`](Self::set_document) for a document open in an
    /// editor: its questions are copied, its text is not kept.
    pub fn set_open_document(&mut self, doc: &DocKey, text: &str, notes: &Notes) {
        let prepared = QuestionIndex::prepare(text, notes);
        let mut questions = String::new();
        let mut ends = Vec::with_capacity(prepared.0.len());
        for (_, span) in &prepared.0 {
            questions.push_str(span.range().slice(text));
            // Within 4 GiB: the questions are part of a text whose spans fit.
            ends.push(u32::try_from(questions.len()).unwrap_or(u32::MAX));
        }
        let asked = Asked::Alone {
            questions: questions.into(),
            ends: ends.into(),
        };
        self.insert(doc, asked, prepared);
    }

    /// A document's questions hashed: the part of
    /// [`set_document`](Self::set_document) that needs no index, so that
    /// many documents can be prepared at once on several threads.
    pub fn prepare(text: &str, notes: &Notes) -> PreparedQuestions {
        let places = notes
            .entries
            .iter()
            .map(|e| e.question.text)
            .filter(|r| !r.is_empty())
            .filter_map(|r| Some((question_hash(r.slice(text)), Span::new(r)?)))
            .collect();
        PreparedQuestions(places)
    }

    /// [`set_document`](Self::set_document) with questions from
    /// [`prepare`](Self::prepare) of the same `text`.
    pub fn set_prepared(&mut self, doc: &DocKey, text: Arc<String>, prepared: PreparedQuestions) {
        self.insert(doc, Asked::InText(text), prepared);
    }

    fn insert(&mut self, doc: &DocKey, asked: Asked, prepared: PreparedQuestions) {
        self.remove_document(doc);
        if prepared.0.is_empty() {
            return;
        }
        let name = doc.clone();
        let hashes: Vec<u64> = prepared.0.iter().map(|&(h, _)| h).collect();
        let slot = Some(Doc {
            name: name.clone(),
            asked,
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
        for (at, hash) in hashes.into_iter().enumerate() {
            let place = Place {
                doc: id,
                at: at as u32,
            };
            let first = match self.first.entry(hash) {
                MapEntry::Vacant(v) => {
                    v.insert(place);
                    continue;
                }
                MapEntry::Occupied(o) => *o.get(),
            };
            let more = self.more.entry(hash).or_default();
            // Places are kept in (document name, position) order, the order
            // findings list them in, so a question asked in thousands of
            // files names its first few others without sorting them all.
            let new = order_key(&self.docs, place);
            if new < order_key(&self.docs, first) {
                self.first.insert(hash, place);
                more.places.insert(0, first);
            } else {
                let at = more
                    .places
                    .partition_point(|&p| order_key(&self.docs, p) <= new);
                more.places.insert(at, place);
            }
            let head = self.first.get(&hash).copied().unwrap_or(place);
            let question = question_at(&self.docs, place);
            if !more.shared.is_empty() {
                if !more.shared.iter().any(|k| folds_to(question, k)) {
                    more.shared.push(folded_box(question));
                }
            } else if first.doc != id {
                // Until now every place was in one document (the shared list
                // is empty): `first`'s. Another document's place first means
                // the hash is now shared.
                more.shared = folded_questions(&self.docs, head, &more.places);
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
        for &(hash, _) in &removed.questions {
            self.remove_places(hash, id);
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
            folded_questions(&self.docs, head, &rest)
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

    /// The folded questions asked in more than one document.
    pub fn shared_keys(&self) -> impl Iterator<Item = &str> {
        self.more.values().flat_map(|m| &m.shared).map(|k| &**k)
    }

    /// Every question in the workspace, each document's in text order.
    pub fn places(&self) -> impl Iterator<Item = QuestionPlace<'_>> {
        self.docs
            .iter()
            .flatten()
            .flat_map(|d| (0..d.questions.len()).filter_map(|at| d.place(at)))
    }

    /// Places of the same question in documents other than `doc`: for tests.
    #[cfg(test)]
    pub fn elsewhere<'a>(
        &'a self,
        doc: &'a DocKey,
        question: &str,
    ) -> impl Iterator<Item = QuestionPlace<'a>> {
        let key = normalize_question(question);
        self.elsewhere_by_hash(doc, key_hash(&key), &key)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// Every place in a document other than `doc` whose question folds to
    /// `key` (hashed to `hash`), each checked by its text: the slow way,
    /// for the rare hash two questions share.
    fn elsewhere_by_hash<'a, 'k>(
        &'a self,
        doc: &'a DocKey,
        hash: u64,
        key: &'k str,
    ) -> impl Iterator<Item = QuestionPlace<'a>> + 'k
    where
        'a: 'k,
    {
        let own = self.ids.get(doc).copied();
        self.places_of(hash)
            .filter(move |p| Some(p.doc) != own)
            .filter_map(|p| self.view(p))
            // The hash matched; the text decides.
            .filter(move |p| folds_to(p.question(), key))
    }

    /// When the index holds `text` as `doc`'s text (the same string, not a
    /// copy), the ranges of its questions whose hash is asked more than once
    /// in the workspace, in text order: the only ones that can be asked in
    /// another document. Looking them up costs a probe of the small table of
    /// repeated hashes per question, not of the table of every question.
    pub fn repeated_in(&self, doc: &DocKey, text: &str) -> Option<Vec<TextRange>> {
        let id = *self.ids.get(doc)?;
        let d = self.docs.get(id as usize)?.as_ref()?;
        match &d.asked {
            Asked::InText(own) if std::ptr::eq(own.as_str(), text) => {}
            _ => return None,
        }
        Some(
            d.questions
                .iter()
                .filter(|(h, _)| self.more.contains_key(h))
                .map(|(_, s)| s.range())
                .collect(),
        )
    }

    /// Whether a question whose folded form hashes to `hash` may be asked
    /// in a document other than `doc`: false for a question asked only
    /// there.
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
    /// folded to `key`, and the first `limit` of them in (document,
    /// position) order. Costs the logarithm of the places, not their number,
    /// when the hash names only this question (the usual case).
    pub fn duplicates_of<'a>(&'a self, doc: &'a DocKey, key: &str, limit: usize) -> Elsewhere<'a> {
        let hash = key_hash(key);
        let none = Elsewhere::default();
        let Some(&head) = self.first.get(&hash) else {
            return none;
        };
        let own = self.ids.get(doc).copied();
        let Some(more) = self.more.get(&hash) else {
            // Asked once: elsewhere only if not here.
            return match self.view(head) {
                Some(p) if Some(head.doc) != own && folds_to(p.question(), key) => Elsewhere {
                    count: 1,
                    first: vec![p],
                },
                _ => none,
            };
        };
        if more.shared.is_empty() && Some(head.doc) == own {
            // Every place is in this document.
            return none;
        }
        if more.shared.len() != 1 || *more.shared[0] != *key {
            // Two questions share the hash, or all places are in one other
            // document: the text decides, place by place.
            let all: Vec<QuestionPlace> = self.elsewhere_by_hash(doc, hash, key).collect();
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

fn question_at(docs: &[Option<Doc>], p: Place) -> &str {
    view(docs, p).map_or("", |v| v.question())
}

/// The distinct folded questions asked at `first` and `rest`: one, unless
/// two questions share a hash.
fn folded_questions(docs: &[Option<Doc>], first: Place, rest: &[Place]) -> Vec<Box<str>> {
    let mut out: Vec<Box<str>> = Vec::with_capacity(1);
    for &p in std::iter::once(&first).chain(rest) {
        let question = question_at(docs, p);
        if !out.iter().any(|k| folds_to(question, k)) {
            out.push(folded_box(question));
        }
    }
    out
}

/// Questions whose text matches `query` the way "go to symbol" pickers do:
/// a case-insensitive substring first (earlier is better), then the query's
/// characters in order. An empty query lists everything. At most `limit`.
pub fn search_questions<'a>(
    index: &'a QuestionIndex,
    query: &str,
    limit: usize,
) -> Vec<QuestionPlace<'a>> {
    let q: Vec<char> = query
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut buf = Vec::new();
    // White space does not count, so the question as written scores as its
    // label (white space collapsed) would.
    let mut scored: Vec<(usize, QuestionPlace)> = index
        .places()
        .filter_map(|p| score(&q, p.question(), &mut buf).map(|s| (s, p)))
        .collect();
    scored
        .sort_by(|a, b| (a.0, a.1.doc, a.1.range.start()).cmp(&(b.0, b.1.doc, b.1.range.start())));
    scored.into_iter().take(limit).map(|(_, p)| p).collect()
}

/// Lower is better; `None` when the label does not match. `buf` is room for
/// the label's characters, reused from one call to the next.
fn score(q: &[char], label: &str, buf: &mut Vec<char>) -> Option<usize> {
    if q.is_empty() {
        return Some(0);
    }
    buf.clear();
    if label.is_ascii() {
        buf.extend(
            label
                .bytes()
                .filter(|&b| !ascii_space(b))
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        buf.extend(label.to_lowercase().chars().filter(|c| !c.is_whitespace()));
    }
    let l = &buf[..];
    if let Some(pos) = l.windows(q.len()).position(|w| w == q) {
        return Some(pos);
    }
    // Subsequence: penalise the characters skipped between matches.
    Some(1000 + super::fuzzy::subsequence_gaps(q, l)?)
}

/// Questions of `doc` that are also asked in other documents.
pub fn cross_file_duplicates(
    text: &str,
    notes: &Notes,
    doc: &DocKey,
    index: &QuestionIndex,
) -> Vec<Diagnostic> {
    // Most questions are asked once, here: the hash says so, and only the
    // others are folded. When the index holds this very text, its hashes
    // and the few hashes asked more than once give the candidates outright.
    let repeated = index.repeated_in(doc, text);
    let keys: Vec<(usize, String)> = notes
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.question.text.is_empty())
        .filter(|(_, e)| match &repeated {
            Some(ranges) => ranges
                .binary_search_by_key(&e.question.text.start(), |r| r.start())
                .is_ok(),
            None => index.may_be_elsewhere(doc, question_hash(e.question.text.slice(text))),
        })
        .map(|(i, e)| (i, normalize_question(e.question.text.slice(text))))
        .collect();
    cross_file_duplicates_at(
        notes,
        doc,
        index,
        keys.iter().map(|(i, k)| (*i, k.as_str())),
    )
}

/// [`cross_file_duplicates`] for the given entries (index and folded
/// question), for callers that keep the folded questions (`FileDiagnostics`
/// with [`QuestionIndex::shared_keys`] gives exactly the entries that can be
/// duplicates).
pub fn cross_file_duplicates_at<'k>(
    notes: &Notes,
    doc: &DocKey,
    index: &QuestionIndex,
    entries: impl IntoIterator<Item = (usize, &'k str)>,
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
    let keys: Vec<(TextRange, String)> = repeated
        .into_iter()
        .map(|r| (r, normalize_question(r.slice(text))))
        .collect();
    Some(duplicates_at(
        doc,
        index,
        keys.iter().map(|(r, k)| (*r, k.as_str())),
    ))
}

/// The findings for questions at these ranges, each with its folded form.
fn duplicates_at<'k>(
    doc: &DocKey,
    index: &QuestionIndex,
    questions: impl Iterator<Item = (TextRange, &'k str)>,
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

    #[test]
    fn duplicates_across_files_point_at_the_others() {
        let a = "*What is CSRF?\n->\nx\n";
        let b = "*what is csrf\n->\ny\n\n*What is XSS?\n->\nz\n";
        let mut idx = QuestionIndex::default();
        set(&mut idx, "/n/a.notes", a);
        set(&mut idx, "/n/b.notes", b);
        let d = cross_file_duplicates(b, &parse(b), &"/n/b.notes".into(), &idx);
        assert_eq!(idx.shared_keys().collect::<Vec<_>>(), ["what is csrf"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Duplicate question: also asked in a.notes");
        assert_eq!(
            d[0].related[0].path.as_ref().map(DocKey::as_str),
            Some("/n/a.notes")
        );
        assert_eq!(d[0].related[0].range.slice(a), "What is CSRF?");
        let found: Vec<&str> = search_questions(&idx, "csrf", 10)
            .iter()
            .map(|p| p.doc.as_str())
            .collect();
        assert_eq!(found, ["/n/a.notes", "/n/b.notes"]);
        assert_eq!(
            search_questions(&idx, "wixss", 10)[0].label(),
            "What is XSS?"
        );
        assert!(search_questions(&idx, "zzz", 10).is_empty());
        let a = DocKey::from("/n/a.notes");
        let there: Vec<&str> = idx
            .elsewhere(&a, "WHAT is  CSRF")
            .map(|p| p.doc.as_str())
            .collect();
        assert_eq!(there, ["/n/b.notes"]);
        idx.remove_document(&"/n/a.notes".into());
        assert_eq!(idx.shared_keys().count(), 0);
        assert!(cross_file_duplicates(b, &parse(b), &"/n/b.notes".into(), &idx).is_empty());
        assert_eq!(idx.places().count(), 2);
    }

    /// The fast count and the first places in (document, position) order
    /// agree with checking every place by its text, whatever order the
    /// documents came in and after one is replaced.
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
        for doc in ["/n/a.notes", "/n/b.notes", "/n/c.notes", "/n/z.notes"] {
            let doc = &DocKey::from(doc);
            let fast = idx.duplicates_of(doc, "what is csrf", MAX_RELATED);
            let slow: Vec<(&str, usize)> = idx
                .elsewhere(doc, "What is CSRF?")
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
        assert_eq!(
            idx.duplicates_of(&"/n/a.notes".into(), "what is csrf", 3)
                .count,
            6
        );
    }

    #[test]
    fn a_hash_collision_is_not_a_duplicate() {
        // Two different questions given one hash, as a collision would.
        let a = Arc::new("*What is CSRF?\n->\nx\n".to_string());
        let b = Arc::new("*What is XSS?\n->\ny\n".to_string());
        let c = Arc::new("*what is xss\n->\nz\n".to_string());
        let mut idx = QuestionIndex::default();
        for (doc, text) in [("a", &a), ("b", &b), ("c", &c)] {
            let mut prepared = QuestionIndex::prepare(text, &parse(text));
            prepared.0[0].0 = 7;
            idx.set_prepared(&DocKey::from(doc), Arc::clone(text), prepared);
        }
        let mut keys: Vec<&str> = idx.shared_keys().collect();
        keys.sort();
        assert_eq!(keys, ["what is csrf", "what is xss"]);
        let b = DocKey::from("b");
        let others: Vec<&str> = idx
            .elsewhere_by_hash(&b, 7, "what is xss")
            .map(|p| p.doc.as_str())
            .collect();
        assert_eq!(others, ["c"]);
        assert_eq!(
            idx.elsewhere_by_hash(&"a".into(), 7, "what is csrf")
                .count(),
            0
        );
        idx.remove_document(&"c".into());
        assert_eq!(idx.shared_keys().count(), 2, "a and b still share the hash");
        assert_eq!(
            idx.elsewhere_by_hash(&"b".into(), 7, "what is xss").count(),
            0
        );
        idx.remove_document(&"a".into());
        assert_eq!(idx.shared_keys().count(), 0);
        assert_eq!(idx.places().count(), 1);
    }

    #[test]
    fn documents_replace_and_reuse_ids() {
        let mut idx = QuestionIndex::default();
        set(&mut idx, "a", "*Q one?\n->\nx\n*Q one\n->\ny\n");
        set(&mut idx, "b", "*Q two\n->\nx\n");
        assert_eq!(idx.shared_keys().count(), 0, "asked twice in one file");
        set(&mut idx, "b", "*q ONE\n->\nx\n");
        assert_eq!(idx.shared_keys().collect::<Vec<_>>(), ["q one"]);
        assert_eq!(idx.elsewhere(&"b".into(), "q one").count(), 2);
        idx.remove_document(&"a".into());
        set(&mut idx, "c", "*Q two\n->\nx\n");
        assert_eq!(idx.shared_keys().count(), 0);
        assert_eq!(idx.elsewhere(&"c".into(), "q one").count(), 1);
        assert_eq!(idx.elsewhere(&"c".into(), "q two").count(), 0);
        set(&mut idx, "b", "");
        idx.remove_document(&"c".into());
        assert_eq!(idx.places().count(), 0);
        assert!(idx.first.is_empty() && idx.more.is_empty() && idx.ids.is_empty());
    }
}
