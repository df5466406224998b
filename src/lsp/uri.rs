//! A document's identity on both sides: the URI the client names it by,
//! and the path the workspace index keys it by (a file's path, or for other
//! schemes, `untitled:`, the URI itself as an opaque key); and places in
//! other files of the index as the client's locations.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tower_lsp::lsp_types::{Location, Range, Url};

use super::position::{Encoding, Positions};
use crate::ide::DocKey;
use crate::syntax::TextRange;
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

/// Places in other files of the index (the first copy of a duplicate),
/// each file's line index built once, however many findings point into it.
pub struct OtherFiles<'i> {
    index: &'i WorkspaceIndex,
    enc: Encoding,
    /// Each file's line index and URI, made once.
    positions: RefCell<HashMap<&'i Path, (Positions<'i>, Option<Url>)>>,
}

impl<'i> OtherFiles<'i> {
    pub fn new(index: &'i WorkspaceIndex, enc: Encoding) -> Self {
        OtherFiles {
            index,
            enc,
            positions: RefCell::default(),
        }
    }

    /// `range` of the file the index knows as `doc`.
    pub fn locate(&self, doc: impl AsRef<Path>, range: TextRange) -> Option<Location> {
        let (other, file) = self.index.file_entry(doc.as_ref())?;
        let mut positions = self.positions.borrow_mut();
        let (pos, uri) = positions
            .entry(other)
            .or_insert_with(|| (Positions::of_text(&file.text, self.enc), path_uri(other)));
        Some(Location::new(uri.clone()?, pos.range(range)))
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
