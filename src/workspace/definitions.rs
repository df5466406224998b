//! Where the term at a cursor is defined, across the workspace: the notes
//! that define it (ranges in the text the index read)
//! and the user glossary files that list it. Built-in terms have no place.

use std::path::Path;

use super::index::WorkspaceIndex;
use crate::ide::{self, TermSource};
use crate::syntax::TextRange;

/// One place a term is defined.
#[derive(Debug, Clone, Copy)]
pub enum Definition<'i> {
    /// In a notes file: `range` of the file as the index read it.
    Notes { path: &'i Path, range: TextRange },
    /// In a glossary file, which has no position to point at.
    Glossary { path: &'i Path },
}

/// The definitions of the term at `offset` of `text` (inside `CSRF token`,
/// the `CSRF` the notes define).
pub fn definitions<'i>(
    index: &'i WorkspaceIndex,
    text: &str,
    offset: usize,
) -> Vec<Definition<'i>> {
    let terms = index.terms();
    let Some(m) = ide::definition_term_at(text, terms, offset) else {
        return Vec::new();
    };
    terms
        .definitions(&m.key)
        .into_iter()
        .filter_map(|d| match &d.source {
            TermSource::Notes { doc, range, .. } => {
                let (path, _) = index.file_entry(doc.path())?;
                Some(Definition::Notes {
                    path,
                    range: *range,
                })
            }
            TermSource::UserGlossary { path } => Some(Definition::Glossary { path: path.path() }),
            TermSource::Builtin { .. } => None,
        })
        .collect()
}
