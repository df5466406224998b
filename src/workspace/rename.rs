//! Renaming a term across the workspace: every file's mentions and
//! definitions (open documents with the editor's text), and the entries of
//! the user's glossary files that name it. Only the changes are computed;
//! the editor applies them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::index::WorkspaceIndex;
use super::references::{texts, OpenTexts};
use crate::ide::{self, RenameKind, TermSource, TextChange};
use crate::syntax;

/// One file's changes, with the text their ranges are in.
#[derive(Debug, Clone)]
pub struct FileChanges {
    pub path: PathBuf,
    pub text: Arc<String>,
    /// Open in the editor: `text` is the editor's.
    pub open: bool,
    pub changes: Vec<TextChange>,
}

/// The changes renaming what is at `offset` of the open document at `path`
/// (in `open`, as the request saw it) to `new_name` makes: a question's own
/// text in that document, or a term in every file ([`rename_term`]). An
/// error (its message) when nothing there can be renamed so.
pub fn rename_at(
    index: &WorkspaceIndex,
    open: &OpenTexts,
    path: &Path,
    offset: usize,
    new_name: &str,
) -> Result<Vec<FileChanges>, String> {
    let doc = open.get(path).ok_or("the document is not open")?;
    let (text, notes) = (&doc.text, &*doc.notes);
    let target =
        ide::prepare_rename(text, notes, index.terms(), offset).map_err(|e| e.to_string())?;
    match target.kind {
        RenameKind::Question { entry } => {
            let change =
                ide::rename_question(text, notes, entry, new_name).map_err(|e| e.to_string())?;
            Ok(vec![FileChanges {
                path: path.to_path_buf(),
                text: Arc::clone(text),
                open: true,
                changes: vec![change],
            }])
        }
        RenameKind::Term { key } => rename_term(index, open, &key, new_name),
    }
}

/// The changes renaming the term `key` to `new_name` makes in every file:
/// notes files in path order, then glossary files. An error (its message)
/// when the name is not one a term can have, or a glossary file that names
/// the term cannot be read or is not valid TOML: renaming the notes alone
/// would leave that entry behind.
pub fn rename_term(
    index: &WorkspaceIndex,
    open: &OpenTexts,
    key: &str,
    new_name: &str,
) -> Result<Vec<FileChanges>, String> {
    let new_name = ide::check_term_name(new_name).map_err(|e| e.to_string())?;
    let terms = index.terms();
    let mut out = Vec::new();
    let filter = ide::MentionFilter::new(terms, key);
    for (path, text, o) in texts(index, open) {
        if !filter.may_mention(text) {
            continue;
        }
        // Most files never mention the term: parse only those that do.
        let mentions = ide::mentions(text, terms, key);
        if mentions.is_empty() {
            continue;
        }
        let parsed;
        let notes = match o {
            Some(o) => &*o.notes,
            None => {
                parsed = syntax::parse_as(text, index.config().dialect.for_text(text));
                &parsed
            }
        };
        let changes = ide::rename_mentions(text, notes, terms, key, new_name, mentions);
        if !changes.is_empty() {
            out.push(FileChanges {
                path: path.to_path_buf(),
                text: Arc::clone(text),
                open: o.is_some(),
                changes,
            });
        }
    }
    let mut glossaries: Vec<&str> = terms
        .definitions(key)
        .into_iter()
        .filter_map(|d| match &d.source {
            TermSource::UserGlossary { path } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    glossaries.dedup();
    for path in glossaries {
        let path = Path::new(path);
        let shown = ide::printable(&path.display().to_string(), 300);
        let text = match index.read_glossary(path) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(format!("glossary {shown} is gone")),
            Err(refused) => return Err(format!("cannot edit glossary {refused}")),
        };
        let changes = ide::rename_in_glossary(&text, terms, key, new_name)
            .map_err(|e| format!("cannot edit glossary {shown}: {e}"))?;
        if !changes.is_empty() {
            out.push(FileChanges {
                path: path.to_path_buf(),
                text: Arc::new(text),
                open: false,
                changes,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ide::Fix;

    #[test]
    fn every_file_that_mentions_the_term_and_the_glossary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        let glossary = "[[term]]\nname = \"CSRF\"\ndefinition = \"Forgery.\"\n";
        std::fs::write(root.join("glossary.toml"), glossary).expect("write");
        let mut index = WorkspaceIndex::new(vec![root.clone()], Config::default());
        index.load_glossaries(std::slice::from_ref(&root), &mut |line| panic!("{line}"));
        let a = "*What is CSRF?\n-> Forged.\n";
        let b = "*Q\n-> Send a CSRF token.\n";
        index.add_text(root.join("a.notes"), a.into());
        index.add_text(root.join("b.notes"), b.into());
        index.add_text(root.join("c.notes"), "*Q\n-> nothing\n".into());
        let files = rename_term(&index, &OpenTexts::new(), "csrf", "XSRF").expect("renamed");
        let after: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
                let fix = Fix {
                    label: String::new(),
                    changes: f.changes.clone(),
                    preferred: false,
                };
                (name.unwrap_or_default(), fix.apply(&f.text))
            })
            .collect();
        assert_eq!(
            after,
            [
                ("a.notes".into(), "*What is XSRF?\n-> Forged.\n".into()),
                ("b.notes".into(), "*Q\n-> Send a XSRF token.\n".into()),
                (
                    "glossary.toml".into(),
                    "[[term]]\nname = \"XSRF\"\ndefinition = \"Forgery.\"\n".into()
                ),
            ]
        );
        let bad = rename_term(&index, &OpenTexts::new(), "csrf", "a: b");
        assert!(bad.is_err_and(|e| e.contains("`:`")));
    }
}
