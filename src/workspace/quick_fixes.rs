//! The quick fixes for a range of one document: each finding's own fixes,
//! and for a misspelling "add to the workspace glossary" (a term) or "...
//! dictionary" (an English word), an edit of the `words` list of the first
//! configured glossary file of the first root, which both checks accept.
//! The server only proposes the edit; the client writes the file, and the
//! file watcher brings the change back.

use std::path::{Path, PathBuf};

use super::WorkspaceIndex;
use crate::ide::{self, Diagnostic, DiagnosticKind, FileDiagnostics, Severity, TextChange};
use crate::syntax::{Notes, TextRange};

/// At most this many fixes (a finding's own, an addition) answer one
/// request: a range over a long line of findings made an answer of tens of
/// megabytes (docs/robustness.md). An editor shows a handful.
pub const MAX_FIXES: usize = 200;

/// What [`quick_fixes`] found.
#[derive(Debug, Default)]
pub struct QuickFixes {
    /// The findings that touch the range, in `diagnose_open`'s order, each
    /// with its own fixes (`Diagnostic::fixes`) and the word it may add.
    pub found: Vec<(Diagnostic, Severity, Option<AddWord>)>,
    /// The glossary file the additions edit and its text (`None`: a file to
    /// create). Read once for all the additions, and only when there is one.
    pub glossary: Option<(PathBuf, Option<String>)>,
}

/// Adding a misspelled word to the glossary file.
#[derive(Debug)]
pub struct AddWord {
    pub title: String,
    /// In the glossary file's text (a new file's whole text at offset 0).
    pub change: TextChange,
}

/// The fixes for the findings of the document at `path` (`text`, `notes`,
/// its own findings `own`) that touch `wanted`. Additions go to the
/// glossary under `root`; a file that does not exist yet is offered only
/// when the client can create one (`create_files`).
pub fn quick_fixes(
    index: &WorkspaceIndex,
    (path, text, notes, own): (&Path, &str, &Notes, &FileDiagnostics),
    wanted: TextRange,
    root: Option<&Path>,
    create_files: bool,
) -> QuickFixes {
    let touches =
        |d: &Diagnostic| d.range.start() <= wanted.end() && wanted.start() <= d.range.end();
    let found: Vec<(Diagnostic, Severity)> = super::diagnose_open(index, path, text, notes, own)
        .into_iter()
        .filter(|(d, _)| touches(d))
        .collect();
    // An editor asks for code actions at every move of the cursor: the
    // glossary file is read only for a misspelling.
    let glossary = root
        .filter(|_| found.iter().any(|(d, _)| added_word(d).is_some()))
        .and_then(|root| index.glossary_edit_target(root))
        .filter(|(_, existing)| existing.is_some() || create_files);
    let name = index.config().glossary_paths.first();
    let mut fixes = QuickFixes::default();
    let mut count = 0;
    for (d, severity) in found {
        if count >= MAX_FIXES {
            break;
        }
        let add = match (added_word(&d), &glossary, name) {
            (Some((word, what)), Some((path, existing)), Some(name)) => {
                add_word(path, existing.as_deref(), word, what, name)
            }
            _ => None,
        };
        count += d.fixes.len() + usize::from(add.is_some());
        fixes.found.push((d, severity, add));
    }
    fixes.glossary = glossary;
    fixes
}

/// The word a finding may add, and to what.
fn added_word(d: &Diagnostic) -> Option<(&str, &'static str)> {
    match &d.kind {
        DiagnosticKind::MisspelledTerm { word, .. } => Some((word, "glossary")),
        DiagnosticKind::EnglishSpelling { word, .. } => Some((word, "dictionary")),
        _ => None,
    }
}

/// Adding `word` to the glossary file at `path` (`existing` text), which
/// the configuration calls `name`.
fn add_word(
    path: &Path,
    existing: Option<&str>,
    word: &str,
    what: &str,
    name: &str,
) -> Option<AddWord> {
    match ide::add_word(existing, word) {
        // The configured name, escaped: it comes from a file in the notes.
        Ok(change) => Some(AddWord {
            title: format!(
                "Add `{word}` to the workspace {what} ({})",
                name.escape_debug()
            ),
            change: change?,
        }),
        Err(e) => {
            tracing::warn!("cannot add to {}: {e}", path.display());
            None
        }
    }
}
