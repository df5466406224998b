//! Cross-file duplicates as findings: a question of one document that the
//! index says is also asked in another, with the first few other places
//! named and the rest counted.

use super::index::QuestionIndex;
use crate::ide::diagnostics::{Diagnostic, DiagnosticKind, Related};
use crate::ide::doc_key::DocKey;
use crate::ide::question::{question_hash, question_key, QuestionKey};
use crate::syntax::{Notes, TextRange};

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
    use crate::ide::question_index::fixture::{set, shared};
    use crate::syntax::parse;

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
}
