//! Known terms: the built-in glossary plus what the user's notes define.
//!
//! A [`TermIndex`] answers "which known term is written here?" (longest match,
//! multi-word terms and aliases included) and "what does it mean?" (every
//! definition, the user's own first). It is plain data: documents are added
//! and removed by key (a path or URI string) as the caller learns of them.

use crate::syntax::{Notes, TextRange};

/// Where a definition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermSource {
    /// The glossary embedded in the binary (`data/glossary.toml`).
    Builtin { category: String },
    /// A user glossary file.
    UserGlossary { path: String },
    /// The user's notes: a `What is X?` question or an `X: ...` line.
    Notes {
        /// The document key given to [`TermIndex::set_document`].
        doc: String,
        /// Where the definition is (the question text or the term).
        range: TextRange,
        /// Zero-based line of `range.start`, for messages.
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermDefinition {
    /// Canonical spelling, as it should be inserted.
    pub name: String,
    pub aliases: Vec<String>,
    pub definition: String,
    pub source: TermSource,
}

/// A known term found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    pub range: TextRange,
    /// The lookup key (canonical name, lowercased).
    pub key: String,
}

/// Every known term, keyed case-insensitively by name and alias.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    _todo: (),
}

impl TermIndex {
    /// An index holding the built-in glossary only.
    pub fn builtin() -> Self {
        todo!()
    }

    /// An empty index (built-in glossary switched off).
    pub fn empty() -> Self {
        TermIndex::default()
    }

    /// Replaces the definitions taken from one document.
    pub fn set_document(&mut self, doc: &str, text: &str, notes: &Notes) {
        let _ = (doc, text, notes);
        todo!()
    }

    pub fn remove_document(&mut self, doc: &str) {
        let _ = doc;
        todo!()
    }

    /// The known term at `offset`, longest match first.
    pub fn term_at(&self, text: &str, offset: usize) -> Option<TermMatch> {
        let _ = (text, offset);
        todo!()
    }

    /// Definitions for a key, the user's own first.
    pub fn definitions(&self, key: &str) -> Vec<&TermDefinition> {
        let _ = key;
        todo!()
    }
}
