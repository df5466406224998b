//! A term's mentions across the workspace, for references and rename: every
//! indexed file, with the editor's text for open documents (the index takes
//! an edit in only after a pause, so its copy of an open file can be behind).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::index::WorkspaceIndex;
use crate::ide;
use crate::syntax::{Notes, TextRange};

/// An open document as the editor layer holds it.
#[derive(Debug, Clone)]
pub struct OpenText {
    pub text: Arc<String>,
    pub notes: Arc<Notes>,
}

/// Open documents by path.
pub type OpenTexts = BTreeMap<PathBuf, OpenText>;

/// A file's mentions of a term, with the text their ranges are in.
#[derive(Debug, Clone)]
pub struct FileMentions {
    pub path: PathBuf,
    pub text: Arc<String>,
    /// Open in the editor: `text` is the editor's.
    pub open: bool,
    pub ranges: Vec<TextRange>,
}

/// Every file's text: open documents from the editor, the rest from the
/// index; open documents the index does not hold (outside the workspace)
/// too. In path order.
pub(crate) fn texts<'a>(
    index: &'a WorkspaceIndex,
    open: &'a OpenTexts,
) -> impl Iterator<Item = (&'a Path, &'a Arc<String>, Option<&'a OpenText>)> + 'a {
    // An open document the caller did not pass has no text to search.
    let indexed =
        index
            .files()
            .filter_map(move |(path, file)| match (open.get(path), &file.text) {
                (Some(o), _) => Some((path, &o.text, Some(o))),
                (None, Some(text)) => Some((path, text, None)),
                (None, None) => None,
            });
    let others = open
        .iter()
        .filter(move |(path, _)| index.file(path).is_none())
        .map(|(path, o)| (path.as_path(), &o.text, Some(o)));
    indexed.chain(others)
}

/// Every place the term `key` is written, file by file (files without one
/// left out).
pub fn mentions_everywhere(
    index: &WorkspaceIndex,
    open: &OpenTexts,
    key: &str,
) -> Vec<FileMentions> {
    let filter = ide::MentionFilter::new(index.terms(), key);
    texts(index, open)
        .filter(|(_, text, _)| filter.may_mention(text))
        .filter_map(|(path, text, o)| {
            let ranges = ide::mentions(text, index.terms(), key);
            (!ranges.is_empty()).then(|| FileMentions {
                path: path.to_path_buf(),
                text: Arc::clone(text),
                open: o.is_some(),
                ranges,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::syntax::parse;

    #[test]
    fn open_documents_count_with_the_editors_text() {
        let mut index = WorkspaceIndex::new(vec![PathBuf::from("/w")], Config::default());
        index.add_text(
            PathBuf::from("/w/a.notes"),
            "*What is CSRF?\n-> Forged.\n".into(),
        );
        index.add_text(PathBuf::from("/w/b.notes"), "*Q\n-> old text\n".into());
        let edited = "*Q\n-> Send a CSRF token. CSRF!\n".to_string();
        let mut open = OpenTexts::new();
        for path in ["/w/b.notes", "/elsewhere/c.notes"] {
            open.insert(
                PathBuf::from(path),
                OpenText {
                    notes: Arc::new(parse(&edited)),
                    text: Arc::new(edited.clone()),
                },
            );
        }
        let found: Vec<(String, usize, bool)> = mentions_everywhere(&index, &open, "csrf")
            .into_iter()
            .map(|f| (f.path.display().to_string(), f.ranges.len(), f.open))
            .collect();
        assert_eq!(
            found,
            [
                ("/w/a.notes".to_string(), 1, false),
                ("/w/b.notes".to_string(), 2, true),
                ("/elsewhere/c.notes".to_string(), 2, true),
            ]
        );
    }

    /// A term defined in each of 3,000 daily notes and mentioned in each:
    /// every mention is found, and whether the notes define the term is
    /// asked once, not once per file (that was quadratic in the number of
    /// files).
    #[test]
    fn a_term_defined_in_every_file_is_searched_in_linear_time() {
        let mut index = WorkspaceIndex::new(vec![PathBuf::from("/w")], Config::default());
        for i in 0..3_000 {
            index.add_text(
                PathBuf::from(format!("/w/day{i:04}.notes")),
                format!("*Day {i}?\n->\nGunicorn: a WSGI server.\nRan Gunicorn again.\n"),
            );
        }
        let found = mentions_everywhere(&index, &OpenTexts::new(), "gunicorn");
        assert_eq!(found.len(), 3_000);
        assert!(found.iter().all(|f| f.ranges.len() == 2));
    }
}
