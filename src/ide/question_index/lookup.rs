//! What the question index answers: the questions asked in more than one
//! document, every question with its text (for workspace symbols), and the
//! places in other documents that ask a given question, found without
//! visiting every place of a question asked thousands of times.

use super::index::{check_at, name_of, QuestionIndex, QuestionPlace};
use crate::ide::doc_key::DocKey;
use crate::ide::question::{question_hash, QuestionKey};
use crate::syntax::TextRange;

impl QuestionIndex {
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
    pub(super) fn elsewhere<'a>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::question::question_key;
    use crate::ide::question_index::duplicates::{cross_file_duplicates, MAX_RELATED};
    use crate::ide::question_index::fixture::{count, set};
    use crate::syntax::parse;

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
}
