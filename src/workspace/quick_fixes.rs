//! The quick fixes for a range of one document: each finding's own fixes,
//! and for a misspelling "add to the workspace glossary" (a term) or "...
//! dictionary" (an English word), an edit of the `words` list of the first
//! configured glossary file of the first root, which both checks accept.
//! The server only proposes the edit; the client writes the file, and the
//! file watcher brings the change back.

use std::collections::HashMap;
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
#[derive(Debug, Clone)]
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
    // A line of misspellings repeats a few words: each one's change is
    // worked out once (it parses the glossary twice).
    let mut adds: HashMap<(String, &str), Option<AddWord>> = HashMap::new();
    let mut fixes = QuickFixes::default();
    let mut count = 0;
    for (d, severity) in found {
        if count >= MAX_FIXES {
            break;
        }
        let add = match (added_word(&d), &glossary, name) {
            (Some((word, what)), Some((path, existing)), Some(name)) => adds
                .entry((word.to_string(), what))
                .or_insert_with(|| add_word(path, existing.as_deref(), word, what, name))
                .clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The fixes for `text` over the range `a..b`, in a workspace whose
    /// glossary file holds `glossary` (none when `None`).
    fn fixes(
        glossary: Option<&str>,
        text: &str,
        range: (usize, usize),
        create: bool,
    ) -> QuickFixes {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        if let Some(g) = glossary {
            std::fs::write(root.join("glossary.toml"), g).expect("write");
        }
        let index = WorkspaceIndex::new(vec![root.clone()], Config::default());
        let notes = crate::syntax::parse(text);
        let own = FileDiagnostics::new(text, &notes);
        let doc = (&*root.join("q.notes"), text, &notes, &own);
        quick_fixes(
            &index,
            doc,
            TextRange::new(range.0, range.1),
            Some(&root),
            create,
        )
    }

    fn titles(f: &QuickFixes) -> Vec<String> {
        let adds = f.found.iter().filter_map(|(_, _, a)| a.as_ref());
        adds.map(|a| a.title.clone()).collect()
    }

    #[test]
    fn a_misspelling_offers_its_own_fix_and_an_addition_to_the_glossary() {
        let text = "*Why gunicon and gunicon, not redus?\n-> Speed.\n";
        let f = fixes(Some("words = [\"celery\"]\n"), text, (0, text.len()), false);
        assert_eq!(
            titles(&f),
            [
                "Add `gunicon` to the workspace glossary (glossary.toml)",
                "Add `gunicon` to the workspace glossary (glossary.toml)",
                "Add `redus` to the workspace glossary (glossary.toml)",
            ]
        );
        assert!(f.found.iter().all(|(d, _, _)| !d.fixes.is_empty()));
        // The same word, the same change: appended to the list.
        let changes: Vec<&TextChange> = f
            .found
            .iter()
            .filter_map(|(_, _, a)| Some(&a.as_ref()?.change))
            .collect();
        assert_eq!(changes[0], changes[1]);
        assert_eq!(changes[0].insert, ", \"gunicon\"");
        assert_eq!(f.glossary.as_ref().map(|(_, t)| t.is_some()), Some(true));
    }

    #[test]
    fn a_glossary_to_create_is_offered_only_to_a_client_that_can() {
        let text = "*Why gunicon?\n-> Speed.\n";
        let none = fixes(None, text, (0, text.len()), false);
        assert!(titles(&none).is_empty() && none.glossary.is_none());
        let created = fixes(None, text, (0, text.len()), true);
        assert_eq!(titles(&created).len(), 1);
        let change = &created.found[0].2.as_ref().expect("an addition").change;
        assert!(
            change.insert.contains("words = [\"gunicon\"]"),
            "{}",
            change.insert
        );
    }

    #[test]
    fn findings_outside_the_range_and_past_the_cap_are_left_out() {
        let text = "*Why gunicon?\n-> Speed.\n*What is redus?\n-> A store.\n";
        let first = fixes(None, text, (0, 5), true);
        assert_eq!(
            titles(&first),
            ["Add `gunicon` to the workspace glossary (glossary.toml)"]
        );
        let many = format!("*{}?\n-> Yes.\n", vec!["gunicon"; 500].join(" "));
        let capped = fixes(None, &many, (0, many.len()), true);
        let offered: usize = capped
            .found
            .iter()
            .map(|(d, _, a)| d.fixes.len() + usize::from(a.is_some()))
            .sum();
        assert!((MAX_FIXES..MAX_FIXES + 3).contains(&offered), "{offered}");
    }
}
