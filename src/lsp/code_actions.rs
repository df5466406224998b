//! Quick fixes for a range of a document (`workspace::quick_fixes`) →
//! protocol: each finding's fixes as edits of the document, an addition to
//! the glossary as an edit of that file (created first when it does not
//! exist), which the client applies (the server never writes the file).

use std::collections::HashMap;

use tower_lsp::lsp_types::*;

use super::capabilities::Negotiated;
use super::documents::Document;
use super::position::Positions;
use super::to_proto::{self, writes_substitute};
use super::uri::doc_path;
use crate::ide::DocKey;
use crate::workspace::{quick_fixes, WorkspaceIndex};

/// The quick fixes for the findings of `snap` that touch `wanted`.
pub fn code_actions(
    negotiated: &Negotiated,
    index: &WorkspaceIndex,
    uri: &Url,
    snap: &Document,
    wanted: crate::syntax::TextRange,
) -> Vec<CodeActionOrCommand> {
    let enc = negotiated.encoding;
    let pos = snap.positions(enc);
    let doc = (
        &*doc_path(uri),
        &**snap.text,
        &*snap.notes,
        &*snap.diagnostics,
    );
    let root = negotiated.roots.first().map(|r| r.as_path());
    let fixes = quick_fixes(index, doc, wanted, root, negotiated.create_files);
    // The glossary's lines are counted once for all the additions.
    let glossary = fixes.glossary.as_ref().and_then(|(path, existing)| {
        let lines = existing.as_deref().map(|t| Positions::of_text(t, enc));
        Some((Url::from_file_path(path).ok()?, lines))
    });
    let none = |_: &DocKey, _| None;
    let mut actions = Vec::new();
    for (d, sev, add) in fixes.found {
        let diagnostic = to_proto::diagnostic(&mut |r| pos.range(r), uri, &d, sev, &none);
        for f in &d.fixes {
            if let Some(action) = to_proto::code_action(&pos, uri, f, diagnostic.clone()) {
                actions.push(CodeActionOrCommand::CodeAction(action));
            }
        }
        let add = add.filter(|a| !writes_substitute(&a.change.insert));
        if let (Some(add), Some((glossary, lines))) = (add, &glossary) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: add.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(glossary_edit(glossary, lines.as_ref(), add.change)),
                ..Default::default()
            }));
        }
    }
    actions
}

/// `change` to the glossary file at `uri`: an edit of its text (`lines`),
/// or, for a file that does not exist, its creation and its whole text.
fn glossary_edit(
    uri: &Url,
    lines: Option<&Positions>,
    change: crate::ide::TextChange,
) -> WorkspaceEdit {
    let Some(lines) = lines else {
        let edit = TextEdit::new(Range::default(), change.insert);
        let uri = uri.clone();
        let create = ResourceOp::Create(CreateFile {
            uri: uri.clone(),
            options: Some(CreateFileOptions {
                overwrite: Some(false),
                ignore_if_exists: Some(true),
            }),
            annotation_id: None,
        });
        let text_document = OptionalVersionedTextDocumentIdentifier { uri, version: None };
        return WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(create),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document,
                    edits: vec![OneOf::Left(edit)],
                }),
            ])),
            ..Default::default()
        };
    };
    let edit = TextEdit::new(lines.range(change.range), change.insert);
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..Default::default()
    }
}
