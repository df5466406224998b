//! What `initialize` settles: what the client can do ([`Negotiated`], read
//! by [`negotiate`]) and what the server advertises, exactly the features
//! that are implemented.

use std::path::PathBuf;

use tower_lsp::lsp_types::*;

use super::position::Encoding;
use super::to_proto::TOKEN_TYPES;

/// What was negotiated in `initialize`.
#[derive(Debug, Clone, Default)]
pub struct Negotiated {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and can be
    /// asked to pull again; do not push.
    pub pull_diagnostics: bool,
    /// The client can be asked to pull again (`workspace/diagnostic/refresh`).
    pub diagnostic_refresh: bool,
    pub snippets: bool,
    /// `window/workDoneProgress/create` may be sent.
    pub progress: bool,
    /// File watchers may be registered dynamically.
    pub watch_files: bool,
    /// The client can be asked to ask for code lenses again.
    pub code_lens_refresh: bool,
    /// `workspace/applyEdit` with file creation is allowed.
    pub create_files: bool,
    /// Workspace edits may be `documentChanges` (with versions).
    pub document_changes: bool,
    /// The client asks `textDocument/prepareRename` before a rename.
    pub prepare_rename: bool,
    pub roots: Vec<PathBuf>,
}

pub fn server_capabilities(negotiated: &Negotiated) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(negotiated.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        // The options only for a client that asks before renaming (the
        // specification allows nothing else).
        rename_provider: Some(if negotiated.prepare_rename {
            OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })
        } else {
            OneOf::Left(true)
        }),
        document_highlight_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            resolve_provider: Some(false),
            trigger_characters: Some(vec!["*".to_string()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(false),
            ..Default::default()
        })),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        // Edits only: the server never writes the file itself.
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            // Targets are known when links are listed: nothing to resolve.
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: TOKEN_TYPES.to_vec(),
                    token_modifiers: Vec::new(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: Some(false),
                ..Default::default()
            },
        )),
        diagnostic_provider: negotiated.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("notes-ls".to_string()),
                // Duplicates and misspellings depend on other files and the
                // glossary: the server asks for a pull again when they change.
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            })
        }),
        ..Default::default()
    }
}

/// The client capabilities this server cares about.
pub fn negotiate(params: &InitializeParams) -> Negotiated {
    let caps = &params.capabilities;
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let text = caps.text_document.as_ref();
    let workspace = caps.workspace.as_ref();
    let diagnostic_refresh = workspace
        .and_then(|w| w.diagnostic.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    Negotiated {
        encoding: Encoding::negotiate(offered),
        // Pulled only where the server can ask for a pull again: when the
        // glossary, the configuration or another file changes, a client that
        // cannot be told (Neovim 0.11 pulls only on open and edit) would keep
        // stale findings until the next keystroke. Such clients get pushes.
        pull_diagnostics: text.is_some_and(|t| t.diagnostic.is_some()) && diagnostic_refresh,
        diagnostic_refresh,
        snippets: text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        progress: caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watch_files: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        code_lens_refresh: workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
        create_files: workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        document_changes: workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        prepare_rename: text
            .and_then(|t| t.rename.as_ref())
            .and_then(|r| r.prepare_support)
            .unwrap_or(false),
        roots: roots(params),
    }
}

/// Workspace roots from `initialize`: the folders, else the root URI.
fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)] // Older clients send only rootUri.
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
            roots.push(p);
        }
    }
    roots.retain(|r| r.is_dir());
    roots
}
