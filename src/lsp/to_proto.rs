//! Core results to protocol types. Every range goes through `position`, so
//! the encoding is handled in exactly one place.

use std::collections::HashMap;

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::position::Positions;
use crate::ide::{self, CompletionKind, DocKey, HighlightKind, OutlineKind, Severity};
use crate::rpc;
use crate::syntax::TextRange;

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// `elsewhere` places a range of another file, which
/// only the caller, holding the workspace index, can do.
/// Positions come from `pos` (converting a sorted list costs a step each).
pub fn diagnostic(
    pos: &mut dyn FnMut(TextRange) -> lsp::Range,
    uri: &Url,
    d: &ide::Diagnostic,
    sev: Severity,
    elsewhere: &dyn Fn(&DocKey, TextRange) -> Option<lsp::Location>,
) -> lsp::Diagnostic {
    let range = pos(d.range);
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => lsp::Location::new(uri.clone(), pos(r.range)),
                Some(doc) => elsewhere(doc, r.range)?,
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(severity(sev)),
        code: Some(lsp::NumberOrString::String(d.code().to_string())),
        // No link: the project has no public home a link could point to
        // (a dead link on every finding is worse than none); the codes are
        // explained in docs/format.md, shipped with the sources.
        code_description: None,
        source: Some("notes-ls".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn symbol_kind(k: OutlineKind) -> lsp::SymbolKind {
    match k {
        OutlineKind::Question => lsp::SymbolKind::STRING,
        OutlineKind::Definition => lsp::SymbolKind::FIELD,
        OutlineKind::Table => lsp::SymbolKind::ARRAY,
    }
}

/// The outline as protocol symbols. Items are taken by value (their names
/// move), and positions come from one forward pass: each item's start, its
/// selection, its children, then its end, which is the order of the text.
#[allow(deprecated)] // `deprecated` is a required field of DocumentSymbol.
pub fn symbols(pos: &Positions, items: Vec<ide::OutlineItem>) -> Vec<lsp::DocumentSymbol> {
    items
        .into_iter()
        .map(|it| {
            let start = pos.position(it.range.start());
            let selection_range = pos.range(it.selection);
            let children = (!it.children.is_empty()).then(|| symbols(pos, it.children));
            let end = pos.position(it.range.end());
            lsp::DocumentSymbol {
                name: if it.name.is_empty() {
                    "(empty)".to_string()
                } else {
                    it.name
                },
                detail: it.detail,
                kind: symbol_kind(it.kind),
                tags: None,
                deprecated: None,
                range: lsp::Range::new(start, end),
                selection_range,
                children,
            }
        })
        .collect()
}

pub fn hover(pos: &Positions, h: ide::Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(pos.range(h.range)),
    }
}

/// The completions a client gets: snippets (`*Q?` + `->` skeletons) only
/// when it takes snippet text, and always as an incomplete list, so that
/// each typed character asks again.
pub fn completions(
    pos: &Positions,
    snippets: bool,
    items: Vec<ide::Completion>,
) -> lsp::CompletionResponse {
    let items = items
        .into_iter()
        .filter(|c| snippets || c.kind != CompletionKind::Snippet)
        .filter(|c| !writes_substitute(&c.insert))
        .map(|c| completion(pos, snippets, c))
        .collect();
    lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: true,
        items,
    })
}

/// A term's mentions in one document, for `documentHighlight`.
pub fn highlights(pos: &Positions, ranges: Vec<TextRange>) -> Vec<lsp::DocumentHighlight> {
    ranges
        .into_iter()
        .map(|r| lsp::DocumentHighlight {
            range: pos.range(r),
            kind: Some(lsp::DocumentHighlightKind::TEXT),
        })
        .collect()
}

/// `snippets`: the client takes snippet text. Terms then go as snippets
/// too (escaped, so they insert as written): Neovim inserts only the first
/// word of a plain-text edit (`Rate` for `Rate limiting`), but a snippet
/// whole, over the edit's range.
fn completion(pos: &Positions, snippets: bool, c: ide::Completion) -> lsp::CompletionItem {
    let range = pos.range(c.replace);
    let (kind, format, new_text) = match c.kind {
        CompletionKind::Term if snippets => (
            lsp::CompletionItemKind::TEXT,
            lsp::InsertTextFormat::SNIPPET,
            escape_snippet(&c.insert),
        ),
        CompletionKind::Term => (
            lsp::CompletionItemKind::TEXT,
            lsp::InsertTextFormat::PLAIN_TEXT,
            c.insert,
        ),
        CompletionKind::Snippet => (
            lsp::CompletionItemKind::SNIPPET,
            lsp::InsertTextFormat::SNIPPET,
            c.insert,
        ),
    };
    lsp::CompletionItem {
        label: c.label,
        kind: Some(kind),
        detail: c.detail,
        documentation: c.documentation.map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: Some(format!("{:06}", c.rank)),
        filter_text: Some(c.filter),
        insert_text_format: Some(format),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range,
            new_text,
        })),
        ..Default::default()
    }
}

/// Text that a snippet inserts as it is: `$`, `}` and `\` escaped.
fn escape_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

pub fn folding(pos: &Positions, ranges: &[TextRange]) -> Vec<lsp::FoldingRange> {
    ranges
        .iter()
        .map(|r| {
            let start = pos.line(r.start());
            let end = pos.line(r.end());
            lsp::FoldingRange {
                start_line: start as u32,
                start_character: None,
                end_line: end as u32,
                end_character: None,
                kind: Some(lsp::FoldingRangeKind::Region),
                collapsed_text: None,
            }
        })
        .filter(|f| f.end_line > f.start_line)
        .collect()
}

/// The legend's order is the index each token refers to.
pub const TOKEN_TYPES: [lsp::SemanticTokenType; 5] = [
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::OPERATOR,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::TYPE,
];

fn token_type(k: HighlightKind) -> u32 {
    match k {
        HighlightKind::QuestionMarker => 0,
        HighlightKind::Question => 1,
        HighlightKind::Arrow => 2,
        HighlightKind::DefinitionTerm => 3,
        HighlightKind::KnownTerm => 4,
    }
}

pub fn semantic_tokens(pos: &Positions, hl: &[ide::Highlight]) -> Vec<lsp::SemanticToken> {
    let mut out = Vec::with_capacity(hl.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for h in hl {
        let start = pos.position(h.range.start());
        let end = pos.position(h.range.end());
        // Tokens may not span lines; the core promises they do not.
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_col
        } else {
            start.character
        };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: token_type(h.kind),
            token_modifiers_bitset: 0,
        });
        prev_line = start.line;
        prev_col = start.character;
    }
    out
}

/// `fix` as a quick fix, unless one of its edits writes bytes the editor
/// sent that are not UTF-8 ([`text_edit`]).
pub fn code_action(
    pos: &Positions,
    uri: &Url,
    fix: &ide::Fix,
    diagnostic: lsp::Diagnostic,
) -> Option<lsp::CodeAction> {
    let edits = (fix.changes.iter())
        .map(|c| text_edit(pos, c.clone()))
        .collect::<Option<_>>()?;
    Some(lsp::CodeAction {
        title: fix.label.clone(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        command: None,
        is_preferred: fix.preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// `change` as an edit of the document `pos` is in, or `None` when it
/// [writes the substitute](writes_substitute): the caller leaves that place
/// as it is (formatting) or offers nothing (a fix, a rename).
pub fn text_edit(pos: &Positions, change: ide::TextChange) -> Option<lsp::TextEdit> {
    let writes = writes_substitute(&change.insert);
    (!writes).then(|| lsp::TextEdit::new(pos.range(change.range), change.insert))
}

/// Whether an edit inserting `text` writes [`rpc::SUBSTITUTE`], which
/// stands for a byte the editor sent that is not UTF-8: sent back, it
/// would replace the user's byte with another. Such edits are not sent.
pub fn writes_substitute(text: &str) -> bool {
    text.contains(rpc::SUBSTITUTE)
}

#[cfg(test)]
mod tests {
    use super::escape_snippet;

    #[test]
    fn snippet_text_inserts_as_written() {
        assert_eq!(escape_snippet("a $1 ${x} \\ b"), "a \\$1 \\${x\\} \\\\ b");
        assert_eq!(escape_snippet("rate limiting"), "rate limiting");
    }
}
