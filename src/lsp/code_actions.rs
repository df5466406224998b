//! Quick fixes for a range of a document: each finding's own fixes, and
//! "add to the workspace glossary / dictionary" for a misspelling, as an
//! edit the client applies (the server never writes the file).

use tower_lsp::lsp_types::*;

use super::documents::Document;
use super::position::Positions;
use super::state::Session;
use super::to_proto;
use super::uri::doc_path;
use crate::ide::{self, DocKey};

/// At most this many actions answer one request: a range over a long line
/// of findings made an answer of tens of megabytes (docs/robustness.md).
/// An editor shows a handful.
const MAX_ACTIONS: usize = 200;

/// The glossary file "add to glossary" edits, as read for one request.
struct Glossary<'a> {
    path: &'a std::path::Path,
    existing: Option<&'a str>,
    lines: Option<&'a Positions<'a>>,
}

/// The quick fixes for the findings of `snap` that touch `wanted`.
pub fn code_actions(
    session: &Session,
    index: &crate::workspace::WorkspaceIndex,
    uri: &Url,
    snap: &Document,
    wanted: crate::syntax::TextRange,
) -> Vec<CodeActionOrCommand> {
    let enc = session.encoding;
    let none = |_: &DocKey, _| None;
    let mut actions = Vec::new();
    let pos = snap.positions(enc);
    let path = doc_path(uri);
    let found =
        crate::workspace::diagnose_open(index, &path, &snap.text, &snap.notes, &snap.diagnostics);
    let found: Vec<_> = found
        .into_iter()
        .filter(|(d, _)| d.range.start() <= wanted.end() && wanted.start() <= d.range.end())
        .collect();
    // The glossary file an "add" edits, read (and its lines counted) once
    // for all the misspellings in the range, and only when there is one:
    // an editor asks for code actions at every move of the cursor.
    let misspelled = found.iter().any(|(d, _)| {
        matches!(
            d.kind,
            ide::DiagnosticKind::MisspelledTerm { .. }
                | ide::DiagnosticKind::EnglishSpelling { .. }
        )
    });
    let target = session
        .roots
        .first()
        .filter(|_| misspelled)
        .and_then(|root| index.glossary_edit_target(root));
    let lines = target
        .as_ref()
        .and_then(|(_, existing)| existing.as_deref())
        .map(|text| Positions::of_text(text, enc));
    let glossary = target.as_ref().map(|(path, existing)| Glossary {
        path,
        existing: existing.as_deref(),
        lines: lines.as_ref(),
    });
    for (d, sev) in found {
        if actions.len() >= MAX_ACTIONS {
            break;
        }
        let lsp_diag = to_proto::diagnostic(&mut |r| pos.range(r), uri, &d, sev, &none);
        for f in &d.fixes {
            actions.push(CodeActionOrCommand::CodeAction(to_proto::code_action(
                &pos,
                uri,
                f,
                lsp_diag.clone(),
            )));
        }
        let added = match &d.kind {
            ide::DiagnosticKind::MisspelledTerm { word, .. } => Some((word, "glossary")),
            ide::DiagnosticKind::EnglishSpelling { word, .. } => Some((word, "dictionary")),
            _ => None,
        };
        if let Some((word, what)) = added {
            let action = glossary
                .as_ref()
                .and_then(|g| add_to_glossary(session, index, g, word, what));
            if let Some(mut action) = action {
                action.diagnostics = Some(vec![lsp_diag.clone()]);
                actions.push(CodeActionOrCommand::CodeAction(action));
            }
        }
    }
    actions
}

/// "Add `word` to the workspace glossary" (a misspelled term) or "...
/// dictionary" (`what`; an English word): an edit of the `words` list of
/// the first configured glossary file of the first root, which both checks
/// accept, creating the file when the client can. The server only proposes
/// the edit; the client writes the file, and the file watcher brings the
/// change back.
fn add_to_glossary(
    session: &Session,
    index: &crate::workspace::WorkspaceIndex,
    glossary: &Glossary<'_>,
    word: &str,
    what: &str,
) -> Option<CodeAction> {
    let rel = index.config().glossary_paths.first()?;
    let (path, existing) = (glossary.path, glossary.existing);
    let uri = Url::from_file_path(path).ok()?;
    let change = match ide::add_word(existing, word) {
        Ok(Some(change)) => change,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!("cannot add to {}: {e}", path.display());
            return None;
        }
    };
    let range = match glossary.lines {
        Some(lines) => lines.range(change.range),
        None => Range::default(),
    };
    let edit = TextEdit::new(range, change.insert);
    let workspace_edit = if existing.is_some() {
        WorkspaceEdit {
            changes: Some(std::collections::HashMap::from([(uri, vec![edit])])),
            ..Default::default()
        }
    } else if session.create_files {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                })),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(edit)],
                }),
            ])),
            ..Default::default()
        }
    } else {
        return None;
    };
    Some(CodeAction {
        // The configured name, escaped: it comes from a file in the notes.
        title: format!(
            "Add `{word}` to the workspace {what} ({})",
            rel.escape_debug()
        ),
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(workspace_edit),
        ..Default::default()
    })
}
