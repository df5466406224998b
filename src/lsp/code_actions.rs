//! Quick fixes for a range of a document: each finding's own fixes, and
//! "add to the workspace glossary / dictionary" for a misspelling, as an
//! edit the client applies (the server never writes the file).

use tower_lsp::lsp_types::*;

use super::documents::Snapshot;
use super::position::{self, Encoding, StrPositions};
use super::state::{doc_path, Session};
use super::to_proto;
use crate::ide;

/// The quick fixes for the findings of `snap` that touch `wanted`.
pub fn code_actions(
    session: &Session,
    index: &crate::workspace::WorkspaceIndex,
    uri: &Url,
    snap: &Snapshot,
    wanted: crate::syntax::TextRange,
) -> Vec<CodeActionOrCommand> {
    let enc = session.encoding;
    let none = |_: &str, _| None;
    let mut actions = Vec::new();
    let mut pos = position::Cursor::new(&snap.rope, &snap.text, enc);
    let path = doc_path(uri);
    let found =
        crate::workspace::diagnose_open(index, &path, &snap.text, &snap.notes, &snap.diagnostics);
    for (d, sev) in found {
        if d.range.start > wanted.end || wanted.start > d.range.end {
            continue;
        }
        let lsp_diag = to_proto::diagnostic(&mut |r| pos.range(r), uri, &d, sev, &none);
        for f in &d.fixes {
            actions.push(CodeActionOrCommand::CodeAction(to_proto::code_action(
                &snap.rope,
                enc,
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
            if let Some(mut action) = add_to_glossary(session, index, word, what, enc) {
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
    word: &str,
    what: &str,
    enc: Encoding,
) -> Option<CodeAction> {
    let root = session.roots.first()?;
    let rel = index.config().glossary_paths.first()?;
    let (path, existing) = index.glossary_edit_target(root)?;
    let uri = Url::from_file_path(&path).ok()?;
    let change = match ide::add_word(existing.as_deref(), word) {
        Ok(Some(change)) => change,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!("cannot add to {}: {e}", path.display());
            return None;
        }
    };
    let range = match &existing {
        Some(text) => StrPositions::new(text).range(enc, change.range),
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
