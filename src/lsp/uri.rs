//! A document's identity on both sides: the URI the client names it by,
//! and the path the workspace index keys it by (a file's path, or for other
//! schemes, `untitled:`, the URI itself as an opaque key); and places in
//! other files of the index as the client's locations.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp::lsp_types::{Location, Range, Url};

use super::position::{Encoding, Positions};
use crate::ide::DocKey;
use crate::syntax::{LineIndex, TextRange};
use crate::workspace::{Definition, WorkspaceIndex};

/// The path a document has in the workspace index: its file path, or for
/// other schemes (`untitled:`) the URI itself as an opaque key.
pub fn doc_path(uri: &Url) -> PathBuf {
    uri.to_file_path()
        .unwrap_or_else(|_| PathBuf::from(uri.as_str()))
}

/// The document's key in the index (and in the core's term and question
/// indexes): the key of [`doc_path`].
pub fn doc_key(uri: &Url) -> DocKey {
    DocKey::of(&doc_path(uri))
}

/// The URI for a path from the index (the inverse of [`doc_path`]).
pub fn path_uri(path: &Path) -> Option<Url> {
    Url::from_file_path(path)
        .ok()
        .or_else(|| Url::parse(&path.to_string_lossy()).ok())
}

/// The editor's text of an open document and its line index, by the
/// document's path (`State::editor_text`).
pub type EditorText<'e> = dyn Fn(&Path) -> Option<(Arc<String>, Arc<LineIndex>)> + 'e;

/// No document open: for tests of what other files' places are.
#[cfg(test)]
pub fn no_editor(_: &Path) -> Option<(Arc<String>, Arc<LineIndex>)> {
    None
}

/// Places in other files of the index (the first copy of a duplicate),
/// each file's line index built once, however many findings point into it.
pub struct OtherFiles<'i> {
    index: &'i WorkspaceIndex,
    /// Open documents: the index keeps no text of them.
    editor: Box<EditorText<'i>>,
    enc: Encoding,
    /// Each file's lines and URI, found once.
    files: RefCell<HashMap<&'i Path, (Lines<'i>, Option<Url>)>>,
}

/// The lines of a file places point into.
enum Lines<'i> {
    Indexed(Positions<'i>),
    /// An open document's text now. The places come from the index, which
    /// takes in an edited document after a pause: until it does, they are
    /// where the question or term was before the latest edits, as they
    /// were when the index kept a copy of the text.
    Open(Arc<String>, Arc<LineIndex>),
    Unknown,
}

impl<'i> OtherFiles<'i> {
    /// `editor` finds open documents' texts (`State::other_files` gives
    /// the server's).
    pub fn new(index: &'i WorkspaceIndex, editor: Box<EditorText<'i>>, enc: Encoding) -> Self {
        OtherFiles {
            index,
            editor,
            enc,
            files: RefCell::default(),
        }
    }

    /// `range` of the file the index knows as `doc`.
    pub fn locate(&self, doc: impl AsRef<Path>, range: TextRange) -> Option<Location> {
        let (other, file) = self.index.file_entry(doc.as_ref())?;
        let mut files = self.files.borrow_mut();
        let (lines, uri) = files.entry(other).or_insert_with(|| {
            // The editor is asked only about a file the index keeps no
            // text of: asking takes the documents' lock.
            let lines = match &file.text {
                Some(text) => Lines::Indexed(Positions::of_text(text, self.enc)),
                None => match (self.editor)(other) {
                    Some((text, lines)) => Lines::Open(text, lines),
                    None => Lines::Unknown,
                },
            };
            (lines, path_uri(other))
        });
        let range = match lines {
            Lines::Indexed(pos) => pos.range(range),
            Lines::Open(text, lines) => Positions::new(text, lines, self.enc).range(range),
            Lines::Unknown => return None,
        };
        Some(Location::new(uri.clone()?, range))
    }

    /// The editor's text of a document open in it.
    pub fn open_text(&self, path: &Path) -> Option<Arc<String>> {
        (self.editor)(path).map(|(text, _)| text)
    }

    /// Where a term is defined: its place in a notes file, or the top of a
    /// glossary file.
    pub fn definition(&self, d: Definition) -> Option<Location> {
        match d {
            Definition::Notes { path, range } => self.locate(path, range),
            Definition::Glossary { path } => Some(Location::new(path_uri(path)?, Range::default())),
        }
    }
}
