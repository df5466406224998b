//! `textDocument/prepareRename`, `textDocument/rename` and `references` →
//! protocol: what the core and the workspace layer found, as a range with a
//! placeholder, a `WorkspaceEdit` (versioned `documentChanges` when the
//! client takes them, so an edit computed on an older text is refused, else
//! `changes`) or locations. The server never writes a file: the editor
//! applies the edit.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp::jsonrpc::{Error, ErrorCode};
use tower_lsp::lsp_types::*;

use super::documents::Document;
use super::position::{Encoding, Positions};
use super::state::State;
use super::to_proto::text_edit;
use super::uri::{doc_path, path_uri};
use crate::ide;
use crate::workspace::{rename::FileChanges, OpenText, OpenTexts, WorkspaceIndex};

/// The open documents for the workspace layer, and the URI and version of
/// each, taken under one lock so each text goes with its version.
pub struct Opened {
    pub texts: OpenTexts,
    versions: HashMap<PathBuf, (Url, i32)>,
}

impl Opened {
    pub fn of(state: &State) -> Opened {
        let mut opened = Opened {
            texts: OpenTexts::new(),
            versions: HashMap::new(),
        };
        for (uri, doc) in state.docs().iter() {
            opened.insert(uri, doc);
        }
        opened
    }

    /// `doc` as the open document `uri`, in place of what was there.
    fn insert(&mut self, uri: &Url, doc: &Document) {
        let path = doc_path(uri);
        let text = OpenText {
            text: Arc::clone(&doc.text),
            notes: Arc::clone(&doc.notes),
        };
        self.texts.insert(path.clone(), text);
        self.versions.insert(path, (uri.clone(), doc.version));
    }

    /// The URI of a file: the editor's for an open document.
    pub fn uri_of(&self, path: &std::path::Path) -> Option<Url> {
        self.uri(path).map(|(uri, _)| uri)
    }

    /// The URI of a file, and its version when it is open.
    fn uri(&self, path: &std::path::Path) -> Option<(Url, Option<i32>)> {
        match self.versions.get(path) {
            Some((uri, version)) => Some((uri.clone(), Some(*version))),
            None => path_uri(path).map(|uri| (uri, None)),
        }
    }
}

/// A refusal the user should read: LSP's `RequestFailed`, with the message.
pub fn refused(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into().into(),
        data: None,
    }
}

pub fn prepare(
    snap: &Document,
    enc: Encoding,
    index: &WorkspaceIndex,
    offset: usize,
) -> Result<PrepareRenameResponse, Error> {
    let target = ide::prepare_rename(&snap.text, &snap.notes, index.terms(), offset)
        .map_err(|e| refused(e.to_string()))?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: snap.positions(enc).range(target.range),
        placeholder: target.placeholder,
    })
}

/// Where a rename was asked: the document, its snapshot, the position as a
/// byte offset and the encoding the client's positions are in.
pub struct At<'a> {
    pub uri: &'a Url,
    pub snap: &'a Document,
    pub enc: Encoding,
    pub offset: usize,
}

/// The edit renaming what is `at` to `new_name`, in the shape the client
/// takes (versioned `documentChanges`, else `changes`). The document asked
/// about is the request's snapshot, with its version, so that the offset,
/// the text changed and the version sent agree.
pub fn rename(state: &State, at: At<'_>, new_name: &str) -> Result<WorkspaceEdit, Error> {
    let At {
        uri,
        snap,
        enc,
        offset,
    } = at;
    let (mut opened, index) = (Opened::of(state), state.index());
    opened.insert(uri, snap);
    let path = doc_path(uri);
    let found = crate::workspace::rename::rename_at(&index, &opened.texts, &path, offset, new_name)
        .map_err(refused)?;
    let mut files = Vec::new();
    for f in found {
        files.extend(file_edits(&opened, snap, enc, f)?);
    }
    Ok(workspace_edit(files, state.negotiated().document_changes))
}

/// A file's URI, its version when open, and its edits.
type FileEdits = (Url, Option<i32>, Vec<TextEdit>);

/// `f` as edits of its file, with the URI and, when open, the version the
/// edits are for; none for a file with no URI. Refused when an edit would
/// write bytes the client sent that are not UTF-8 (`to_proto::text_edit`).
fn file_edits(
    opened: &Opened,
    snap: &Document,
    enc: Encoding,
    f: FileChanges,
) -> Result<Option<FileEdits>, Error> {
    let Some((uri, version)) = opened.uri(&f.path) else {
        return Ok(None);
    };
    // The asking document's own line index, not one built again.
    let pos = if Arc::ptr_eq(&f.text, &snap.text) {
        snap.positions(enc)
    } else {
        Positions::of_text(&f.text, enc)
    };
    let edits = (f.changes.into_iter())
        .map(|c| text_edit(&pos, c))
        .collect::<Option<_>>()
        .ok_or_else(|| refused("cannot rename: the new name holds bytes that are not UTF-8"))?;
    Ok(Some((uri, version.filter(|_| f.open), edits)))
}

fn workspace_edit(files: Vec<FileEdits>, document_changes: bool) -> WorkspaceEdit {
    if document_changes {
        let edits = files
            .into_iter()
            .map(|(uri, version, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        return WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(edits)),
            ..Default::default()
        };
    }
    WorkspaceEdit {
        changes: Some(files.into_iter().map(|(u, _, e)| (u, e)).collect()),
        ..Default::default()
    }
}
/// Every place `key` is mentioned: open documents with the editor's text,
/// other files from the index.
pub fn mentions_everywhere(state: &State, key: &str, enc: Encoding) -> Vec<Location> {
    let opened = Opened::of(state);
    let index = state.index();
    let mut out = Vec::new();
    for file in crate::workspace::mentions_everywhere(&index, &opened.texts, key) {
        let Some(uri) = opened.uri_of(&file.path) else {
            continue;
        };
        let pos = Positions::of_text(&file.text, enc);
        out.extend(
            file.ranges
                .into_iter()
                .map(|r| Location::new(uri.clone(), pos.range(r))),
        );
    }
    out
}
