//! The diagnostics of one file in its workspace: the file's own findings,
//! questions also asked in other files and misspelled known terms, with the
//! configured severities. The
//! CLI and the language server both call this, so they report the same.

use std::path::Path;

use super::index::WorkspaceIndex;
use crate::ide::{self, Diagnostic, DocKey, FileDiagnostics, Severity};
use crate::syntax::Notes;

/// Findings for `text` (the file at `path`), sorted by position, each with
/// the severity to report; codes switched off are left out.
pub fn diagnose(
    index: &WorkspaceIndex,
    path: &Path,
    text: &str,
    notes: &Notes,
) -> Vec<(Diagnostic, Severity)> {
    diagnose_with(index, path, text, notes, &ide::Speller::new(index.terms()))
}

/// [`diagnose`] with a speller shared by many files (one workspace report):
/// each distinct word is judged once for all of them.
pub fn diagnose_with(
    index: &WorkspaceIndex,
    path: &Path,
    text: &str,
    notes: &Notes,
    speller: &ide::Speller,
) -> Vec<(Diagnostic, Severity)> {
    let mut all = ide::diagnostics(text, notes);
    let key = DocKey::of(path);
    all.extend(ide::cross_file_duplicates(
        text,
        notes,
        &key,
        index.questions(),
    ));
    all.extend(speller.misspellings(text, notes));
    all.extend(short_answers(index, text, notes));
    with_severities(index, all)
}

/// [`diagnose`] of a file nobody has open, from what the index keeps of it
/// (no parse), without fixes (see [`FileSummary`](ide::FileSummary)); `None` when the index keeps no summary of it (an open
/// document, the CLI's files) or holds no such file.
pub fn diagnose_closed(
    index: &WorkspaceIndex,
    path: &Path,
    speller: &ide::Speller,
) -> Option<Vec<(Diagnostic, Severity)>> {
    let file = index.file(path)?;
    let summary = file.summary.as_ref()?;
    let text = file.text.as_deref()?;
    let mut all = summary.findings.to_vec();
    all.extend(ide::indexed_cross_file_duplicates(
        text,
        &DocKey::of(path),
        index.questions(),
    )?);
    all.extend(speller.misspellings_in(text, summary.entries()));
    Some(with_severities(index, all))
}

/// The findings of a file of the index nobody has open, and its text:
/// from what the index keeps of it ([`diagnose_closed`]), or parsed here
/// when the index was given it already parsed (no summary). `None` for an
/// open document (its text is the editor's) or a file not in the index.
pub fn diagnose_indexed<'i>(
    index: &'i WorkspaceIndex,
    path: &Path,
    speller: &ide::Speller,
) -> Option<(&'i str, Vec<(Diagnostic, Severity)>)> {
    let text = index.file(path)?.text.as_deref()?;
    let found = diagnose_closed(index, path, speller)
        .unwrap_or_else(|| diagnose_with(index, path, text, &crate::syntax::parse(text), speller));
    Some((text, found))
}

/// [`diagnose`] for an open file whose own findings `own` keeps up to date
/// edit by edit: only the cross-file part is computed here. Gives the same
/// as `diagnose` on the same text when the index holds this file's current
/// questions; while the index lags behind the editor (it takes in an edited
/// file after a pause), a question just typed that another file also asks
/// is reported once the index has caught up.
pub fn diagnose_open(
    index: &WorkspaceIndex,
    path: &Path,
    text: &str,
    notes: &Notes,
    own: &FileDiagnostics,
) -> Vec<(Diagnostic, Severity)> {
    let mut all = own.diagnostics(text, notes);
    let key = DocKey::of(path);
    // Only questions asked in more than one file can be duplicates of
    // another file's; the index keeps those few apart.
    let candidates = own.entries_asking(text, notes, index.questions().shared_keys());
    all.extend(ide::cross_file_duplicates_at(
        notes,
        &key,
        index.questions(),
        candidates,
    ));
    all.extend(own.misspellings(text, notes, index.terms()));
    all.extend(short_answers(index, text, notes));
    with_severities(index, all)
}

/// The findings of entry `i` of an open file that depend on nothing outside
/// it (its own, its misspelled terms, a short answer), with the configured
/// severities, in the order [`diagnose_open`] gives them: what a server
/// keeps per entry between edits.
pub fn entry_findings(
    index: &WorkspaceIndex,
    own: &FileDiagnostics,
    i: usize,
    text: &str,
    notes: &Notes,
) -> Vec<(Diagnostic, Severity)> {
    let Some(e) = notes.entries.get(i) else {
        return Vec::new();
    };
    let mut found = ide::entry_diagnostics(text, e);
    found.extend(own.entry_misspellings(i, text, notes, index.terms()));
    let config = index.config();
    let short = config.severity(&ide::DiagnosticKind::ShortAnswer { words: 0 });
    if short.is_some() {
        found.extend(ide::short_answer(text, e, config.short_answer_words));
    }
    with_severities(index, found)
}

/// `short-answer` findings, when the configuration turns the check on.
fn short_answers(index: &WorkspaceIndex, text: &str, notes: &Notes) -> Vec<Diagnostic> {
    let config = index.config();
    let on = config
        .severity(&ide::DiagnosticKind::ShortAnswer { words: 0 })
        .is_some();
    if !on {
        return Vec::new();
    }
    ide::short_answers(text, notes, config.short_answer_words)
}

/// In [`Diagnostic::order`], with the configured severities, one structural
/// finding per range; codes switched off are left out.
fn with_severities(
    index: &WorkspaceIndex,
    mut all: Vec<Diagnostic>,
) -> Vec<(Diagnostic, Severity)> {
    all.sort_by_key(Diagnostic::order);
    ide::one_per_range(
        all.into_iter()
            .filter_map(|d| {
                let severity = index.config().severity(&d.kind)?;
                Some((d, severity))
            })
            .collect(),
    )
}
