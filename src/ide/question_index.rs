//! Every question of every file, by its folded form: for duplicates across
//! files and for "go to symbol in workspace".
//!
//! Updated one document at a time (remove, then add), so an edit costs the
//! size of that document, not of the workspace. A workspace holds hundreds of
//! thousands of questions, so each costs little: the document's name and
//! each folded question are allocated once and shared.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::diagnostics::{Diagnostic, DiagnosticKind, Related};
use super::hash::FxBuildHasher;
use super::question::{normalize_question, question_label};
use crate::syntax::{Notes, TextRange};

/// Where a question is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionPlace {
    pub doc: Arc<str>,
    pub range: TextRange,
    pub label: String,
}

/// A document's questions ready to go into a [`QuestionIndex`]: folded key,
/// range and label of each.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuestions(Vec<(String, TextRange, String)>);

#[derive(Debug, Clone, Default)]
pub struct QuestionIndex {
    by_key: HashMap<Arc<str>, Vec<QuestionPlace>, FxBuildHasher>,
    keys_of_doc: HashMap<Arc<str>, Vec<Arc<str>>, FxBuildHasher>,
    /// Keys asked in more than one document: usually few, and the only ones
    /// that can make cross-file duplicates.
    shared: HashSet<Arc<str>, FxBuildHasher>,
}

impl QuestionIndex {
    pub fn set_document(&mut self, doc: &str, text: &str, notes: &Notes) {
        self.set_prepared(doc, QuestionIndex::prepare(text, notes));
    }

    /// A document's questions folded and labelled: the part of
    /// [`set_document`](Self::set_document) that needs no index, so that
    /// many documents can be prepared at once on several threads.
    pub fn prepare(text: &str, notes: &Notes) -> PreparedQuestions {
        let places = notes
            .entries
            .iter()
            .filter(|e| !e.question.text.is_empty())
            .map(|e| {
                let key = normalize_question(e.question.text.slice(text));
                (key, e.question.text, question_label(e, text))
            })
            .collect();
        PreparedQuestions(places)
    }

    /// [`set_document`](Self::set_document) with questions from
    /// [`prepare`](Self::prepare).
    pub fn set_prepared(&mut self, doc: &str, prepared: PreparedQuestions) {
        self.remove_document(doc);
        let doc: Arc<str> = Arc::from(doc);
        let mut keys = Vec::with_capacity(prepared.0.len());
        for (folded, range, label) in prepared.0 {
            let key = match self.by_key.get_key_value(folded.as_str()) {
                Some((k, _)) => Arc::clone(k),
                None => Arc::from(folded),
            };
            // Most questions are asked once: no room for more up front.
            let places = self
                .by_key
                .entry(Arc::clone(&key))
                .or_insert_with(|| Vec::with_capacity(1));
            places.push(QuestionPlace {
                doc: Arc::clone(&doc),
                range,
                label,
            });
            // Another document's places come first: this one's were removed
            // above and are appended.
            if places[0].doc != doc && !self.shared.contains(&key) {
                self.shared.insert(Arc::clone(&key));
            }
            keys.push(key);
        }
        self.keys_of_doc.insert(doc, keys);
    }

    pub fn remove_document(&mut self, doc: &str) {
        let Some(keys) = self.keys_of_doc.remove(doc) else {
            return;
        };
        for key in keys {
            if let Some(places) = self.by_key.get_mut(&key) {
                places.retain(|p| &*p.doc != doc);
                if !places.iter().any(|p| p.doc != places[0].doc) {
                    self.shared.remove(&key);
                }
                if places.is_empty() {
                    self.by_key.remove(&key);
                }
            }
        }
    }

    /// The folded questions asked in more than one document.
    pub fn shared_keys(&self) -> impl Iterator<Item = &str> {
        self.shared.iter().map(|k| &**k)
    }

    /// Every question in the workspace.
    pub fn places(&self) -> impl Iterator<Item = &QuestionPlace> {
        self.by_key.values().flatten()
    }

    /// Places of the same question in documents other than `doc`.
    pub fn elsewhere<'a>(
        &'a self,
        doc: &'a str,
        question: &str,
    ) -> impl Iterator<Item = &'a QuestionPlace> {
        self.elsewhere_by_key(doc, &normalize_question(question))
    }

    /// [`elsewhere`](Self::elsewhere) for a question already folded by
    /// [`normalize_question`].
    pub fn elsewhere_by_key<'a>(
        &'a self,
        doc: &'a str,
        key: &str,
    ) -> impl Iterator<Item = &'a QuestionPlace> {
        self.by_key
            .get(key)
            .into_iter()
            .flatten()
            .filter(move |p| &*p.doc != doc)
    }
}

/// Questions whose text matches `query` the way "go to symbol" pickers do:
/// a case-insensitive substring first (earlier is better), then the query's
/// characters in order. An empty query lists everything. At most `limit`.
pub fn search_questions<'a>(
    index: &'a QuestionIndex,
    query: &str,
    limit: usize,
) -> Vec<&'a QuestionPlace> {
    let q: Vec<char> = query
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut scored: Vec<(usize, &QuestionPlace)> = index
        .places()
        .filter_map(|p| score(&q, &p.label).map(|s| (s, p)))
        .collect();
    scored.sort_by(|a, b| (a.0, &a.1.doc, a.1.range.start).cmp(&(b.0, &b.1.doc, b.1.range.start)));
    scored.into_iter().take(limit).map(|(_, p)| p).collect()
}

/// Lower is better; `None` when the label does not match.
fn score(q: &[char], label: &str) -> Option<usize> {
    if q.is_empty() {
        return Some(0);
    }
    let l: Vec<char> = label
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(pos) = l.windows(q.len()).position(|w| w == q) {
        return Some(pos);
    }
    // Subsequence: penalise the characters skipped between matches.
    let mut at = 0;
    let mut gaps = 0;
    for (i, &c) in q.iter().enumerate() {
        let skip = l[at..].iter().position(|&x| x == c)?;
        if i > 0 {
            gaps += skip;
        }
        at += skip + 1;
    }
    Some(1000 + gaps)
}

/// Questions of `doc` that are also asked in other documents.
pub fn cross_file_duplicates(
    text: &str,
    notes: &Notes,
    doc: &str,
    index: &QuestionIndex,
) -> Vec<Diagnostic> {
    let keys: Vec<(usize, String)> = notes
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.question.text.is_empty())
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
    doc: &str,
    index: &QuestionIndex,
    entries: impl IntoIterator<Item = (usize, &'k str)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, k) in entries {
        let Some(e) = notes.entries.get(i) else {
            continue;
        };
        let mut others: Vec<&QuestionPlace> = index.elsewhere_by_key(doc, k).collect();
        if others.is_empty() {
            continue;
        }
        others.sort_by(|a, b| (&a.doc, a.range.start).cmp(&(&b.doc, b.range.start)));
        let first = others[0];
        out.push(Diagnostic {
            kind: DiagnosticKind::DuplicateQuestion,
            range: e.question.text,
            message: format!(
                "Duplicate question: also asked in {}{}",
                file_name(&first.doc),
                if others.len() > 1 {
                    format!(" and {} more", others.len() - 1)
                } else {
                    String::new()
                }
            ),
            fixes: Vec::new(),
            related: others
                .iter()
                .map(|p| Related {
                    path: Some(p.doc.to_string()),
                    range: p.range,
                    message: "also asked here".to_string(),
                })
                .collect(),
        });
    }
    out
}

fn file_name(doc: &str) -> &str {
    doc.rsplit(['/', '\\']).next().unwrap_or(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn duplicates_across_files_point_at_the_others() {
        let a = "*What is CSRF?\n->\nx\n";
        let b = "*what is csrf\n->\ny\n\n*What is XSS?\n->\nz\n";
        let mut idx = QuestionIndex::default();
        idx.set_document("/n/a.notes", a, &parse(a));
        idx.set_document("/n/b.notes", b, &parse(b));
        let d = cross_file_duplicates(b, &parse(b), "/n/b.notes", &idx);
        assert_eq!(idx.shared_keys().collect::<Vec<_>>(), ["what is csrf"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Duplicate question: also asked in a.notes");
        assert_eq!(d[0].related[0].path.as_deref(), Some("/n/a.notes"));
        assert_eq!(d[0].related[0].range.slice(a), "What is CSRF?");
        let found: Vec<&str> = search_questions(&idx, "csrf", 10)
            .iter()
            .map(|p| &*p.doc)
            .collect();
        assert_eq!(found, ["/n/a.notes", "/n/b.notes"]);
        assert_eq!(search_questions(&idx, "wixss", 10)[0].label, "What is XSS?");
        assert!(search_questions(&idx, "zzz", 10).is_empty());
        idx.remove_document("/n/a.notes");
        assert_eq!(idx.shared_keys().count(), 0);
        assert!(cross_file_duplicates(b, &parse(b), "/n/b.notes", &idx).is_empty());
        assert_eq!(idx.places().count(), 2);
    }
}
