//! Formatting, document links, selection ranges and workspace symbols: the
//! conversions between their protocol types and the core's results, so the
//! handlers in `server.rs` stay one call each. Positions go through
//! `position` only.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::documents::Document;
use super::position::Encoding;
use super::to_proto::text_edit;
use super::uri::path_uri;
use super::uri::OtherFiles;
use crate::ide::{self, DocKey, FormatOptions, SymbolKind, TermIndex};
use crate::workspace::{openable_links, LinkTarget, WorkspaceIndex};

/// The edits that format `snap`, or only the entries `range` touches.
///
/// The request's `FormattingOptions` are not used: the layout is the
/// workspace's (`[format]` in `notes-ls.toml`), so the editor formats a file
/// exactly as `notes-ls fmt --check` in CI wants it. Tab size and spaces do
/// not apply (nothing is indented), trailing spaces are always trimmed and
/// a final line break always ensured; and VS Code sends its
/// `files.insertFinalNewline` and friends only when they are on, so their
/// absence says nothing. A range formatting may return edits outside the
/// range: it formats the whole entries the range touches, as a partial
/// entry has no layout of its own.
pub fn formatting(
    snap: &Document,
    enc: Encoding,
    options: &FormatOptions,
    range: Option<lsp::Range>,
) -> Vec<lsp::TextEdit> {
    let changes = match range {
        None => ide::format_edits(&snap.text, &snap.notes, options),
        Some(r) => {
            let wanted = snap.positions(enc).text_range(r);
            ide::format_range_edits(&snap.text, &snap.notes, options, wanted)
        }
    };
    // In text order: one pass of the cursor converts them all.
    let pos = snap.positions(enc);
    let before = changes.len();
    let edits: Vec<_> = (changes.into_iter())
        .filter_map(|c| text_edit(&pos, c))
        .collect();
    if edits.len() < before {
        tracing::warn!(
            "formatting: {} of {before} edits not sent: they would write over bytes that are not UTF-8",
            before - edits.len()
        );
    }
    edits
}

/// The links of `snap`, the document at `uri` that are worth offering
/// (`workspace::openable_links`), as the URLs a client opens.
pub fn document_links(snap: &Document, uri: &Url, enc: Encoding) -> Vec<lsp::DocumentLink> {
    let file = uri.to_file_path().ok();
    let pos = snap.positions(enc);
    openable_links(file.as_deref(), &snap.text, &snap.notes)
        .into_iter()
        .filter_map(|(range, target)| {
            let target = match target {
                LinkTarget::Url(url) => Url::parse(&url).ok()?,
                LinkTarget::File(path) => Url::from_file_path(&path).ok()?,
            };
            Some(lsp::DocumentLink {
                range: pos.range(range),
                target: Some(target),
                tooltip: None,
                data: None,
            })
        })
        .collect()
}

/// One `SelectionRange` per position, in the request's order (the protocol
/// pairs them by index): the innermost range with its parents chained
/// outwards. Where the core has none, the empty range at the position, as
/// an answer must still be given for it.
pub fn selection_ranges(
    snap: &Document,
    terms: &TermIndex,
    enc: Encoding,
    positions: &[lsp::Position],
) -> Vec<lsp::SelectionRange> {
    positions
        .iter()
        .map(|&p| {
            let offset = snap.positions(enc).offset(p);
            let ranges = ide::selection_ranges(&snap.text, &snap.notes, terms, offset);
            // Outermost first, each the parent of the next.
            let mut chain: Option<lsp::SelectionRange> = None;
            for r in ranges.into_iter().rev() {
                chain = Some(lsp::SelectionRange {
                    range: snap.positions(enc).range(r),
                    parent: chain.map(Box::new),
                });
            }
            chain.unwrap_or_else(|| {
                let at = snap.positions(enc).position(offset);
                lsp::SelectionRange {
                    range: lsp::Range::new(at, at),
                    parent: None,
                }
            })
        })
        .collect()
}

/// How many symbols a query lists: enough to scroll, few enough to send
/// at every keystroke of the query.
const SYMBOL_LIMIT: usize = 200;

/// Questions and terms matching `query`, in the core's order.
///
/// Terms of the built-in glossary are left out: they are written nowhere on
/// the user's disk, and a symbol must say where to go. A `WorkspaceSymbol`
/// with only a URI would still need a file to name, and Neovim's
/// `workspace_symbol` reads `location.range` of every result (a result
/// without one breaks its list); hover and completion show those terms
/// instead. A term from a glossary file points at the top of that file, as
/// go to definition does. Flat `SymbolInformation` is what every client
/// takes.
#[allow(deprecated)] // `deprecated` is a required field of SymbolInformation.
pub fn workspace_symbols(
    index: &WorkspaceIndex,
    files: &OtherFiles<'_>,
    query: &str,
) -> Vec<lsp::SymbolInformation> {
    // Asked for all: the built-in terms dropped here must not take places
    // of the limit from the user's own.
    let texts: HashMap<&DocKey, Arc<String>> = (index.questions().open_documents())
        .filter_map(|k| Some((k, files.open_text(k.path())?)))
        .collect();
    let open = |k: &DocKey| texts.get(k).map(|t| t.as_str());
    let questions = index.questions();
    let hits = ide::search_symbols(questions, &open, index.terms(), query, usize::MAX);
    // Many hits are in one large file: its line index is built once.
    hits.into_iter()
        .filter(|h| h.kind != SymbolKind::BuiltinTerm)
        .filter_map(|h| {
            let doc = h.doc.as_ref()?;
            let location = match h.range {
                Some(r) => files.locate(doc, r)?,
                None => lsp::Location::new(path_uri(doc.path())?, lsp::Range::default()),
            };
            Some(lsp::SymbolInformation {
                name: h.name,
                kind: symbol_kind(h.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: doc
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned()),
            })
        })
        .take(SYMBOL_LIMIT)
        .collect()
}

/// The kind says where a hit comes from: a question (as in the outline), a
/// term the notes define (a field, as the outline shows definitions), a
/// term of a glossary file (a constant: defined once, apart from the notes).
fn symbol_kind(k: SymbolKind) -> lsp::SymbolKind {
    match k {
        SymbolKind::Question => lsp::SymbolKind::STRING,
        SymbolKind::NotesTerm => lsp::SymbolKind::FIELD,
        SymbolKind::GlossaryTerm | SymbolKind::BuiltinTerm => lsp::SymbolKind::CONSTANT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::Document;

    #[test]
    fn selection_parents_grow_outwards() {
        let text = "*What is a CSRF token 😀?\n->\nSend 缓存 it.\n";
        let doc = Document::new(text.to_string(), 1);
        let terms = TermIndex::builtin();
        let at = lsp::Position::new(0, 13);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let got = selection_ranges(&doc, &terms, enc, &[at]);
            let mut r = got.first();
            let mut last: Option<lsp::Range> = None;
            while let Some(s) = r {
                if let Some(inner) = last {
                    assert!(s.range.start <= inner.start && inner.end <= s.range.end);
                    assert_ne!(s.range, inner);
                }
                last = Some(s.range);
                r = s.parent.as_deref();
            }
            assert!(last.is_some());
        }
    }
}
