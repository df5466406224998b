//! A document's one identity below the protocol: the key the term index,
//! the question index and the workspace index know a file by, and what a
//! finding that points into another file names. It is made from the file's
//! path ([`DocKey::of`]); the editor's URI becomes one in one place
//! (`lsp::uri`), and a path is asked of it only to read the file.

use std::borrow::Borrow;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A file's key: its path as text. Cloning it shares the text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocKey(Arc<str>);

impl DocKey {
    /// The key of the file at `path`. Keys are text: a path that is not
    /// UTF-8 gets the replacement character, as it does in every message.
    pub fn of(path: &Path) -> DocKey {
        DocKey(Arc::from(path.to_string_lossy()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file this key names.
    pub fn path(&self) -> &Path {
        Path::new(&*self.0)
    }
}

impl From<&str> for DocKey {
    fn from(key: &str) -> DocKey {
        DocKey(Arc::from(key))
    }
}

impl AsRef<Path> for DocKey {
    fn as_ref(&self) -> &Path {
        self.path()
    }
}

impl Borrow<str> for DocKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
