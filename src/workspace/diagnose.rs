//! The diagnostics of one file in its workspace: the file's own findings,
//! questions also asked in other files, with the configured severities. The
//! CLI and the language server both call this, so they report the same.

use std::path::Path;

use super::index::{doc_key, WorkspaceIndex};
use crate::ide::{self, Diagnostic, Severity};
use crate::syntax::Notes;

/// Findings for `text` (the file at `path`), sorted by position, each with
/// the severity to report; codes switched off are left out.
pub fn diagnose(
    index: &WorkspaceIndex,
    path: &Path,
    text: &str,
    notes: &Notes,
) -> Vec<(Diagnostic, Severity)> {
    let mut all = ide::diagnostics(text, notes);
    let key = doc_key(path);
    all.extend(ide::cross_file_duplicates(
        text,
        notes,
        &key,
        index.questions(),
    ));
    all.sort_by_key(|d| (d.range.start, d.range.end));
    all.into_iter()
        .filter_map(|d| {
            let severity = index.config().severity(&d.kind)?;
            Some((d, severity))
        })
        .collect()
}
