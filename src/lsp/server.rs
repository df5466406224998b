//! The LSP handlers. Each one converts in, calls the core, converts out; the
//! only logic here is about the protocol (ordering, versions, push vs pull).

use std::sync::Arc;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::capabilities;
use super::code_actions;
use super::documents::Snapshot;
use super::editing;
use super::guard::blocking;
use super::position::Encoding;
use super::pull;
use super::rename;
use super::state::State;
use super::to_proto;
use super::uri::{doc_key, doc_path};
use crate::ide;
use crate::rpc;
use crate::workspace;

pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    /// A server whose own messages (diagnostics, large answers) go to
    /// `output`, the queue tower-lsp's responses are written to as well.
    pub fn new(client: Client, output: rpc::Output) -> Self {
        Backend {
            state: Arc::new(State::new(client, output)),
        }
    }

    /// The document as the messages before this request left it: after
    /// its turn (see [`State::turn`]), so a change still being applied is
    /// waited for, while changes to other documents are not.
    async fn snapshot(&self, uri: &Url) -> Result<Snapshot> {
        drop(self.state.open_turn(uri).await);
        self.state
            .snapshot(uri)
            .ok_or_else(|| Error::invalid_params(format!("document not open: {uri}")))
    }

    /// Snapshot, encoding and byte offset for a position request.
    async fn at(&self, p: &TextDocumentPositionParams) -> Result<(Snapshot, Encoding, usize)> {
        let snap = self.snapshot(&p.text_document.uri).await?;
        let enc = self.state.negotiated().encoding;
        let offset = snap.positions(enc).offset(p.position);
        Ok((snap, enc, offset))
    }

    /// What every request handler starts from: the state, to move onto the
    /// blocking pool with the work (and the notifications' handlers,
    /// `notifications`).
    pub fn state(&self) -> Arc<State> {
        Arc::clone(&self.state)
    }

    /// Formatting edits for an open document (the whole of it, or the
    /// entries `range` touches), computed off the async threads: a large
    /// file is read again whole to check nothing changed meaning.
    async fn format(&self, uri: &Url, range: Option<Range>) -> Result<Option<Vec<TextEdit>>> {
        let snap = self.snapshot(uri).await?;
        let enc = self.state.negotiated().encoding;
        let options = self.state.index().config().format;
        blocking("formatting", move || {
            Ok(Some(editing::formatting(&snap, enc, &options, range)))
        })
        .await
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        super::process_watch::watch(params.process_id);
        let negotiated = capabilities::negotiate(&params);
        tracing::info!(
            "initialize: encoding {:?}, pull diagnostics {}, roots {:?}",
            negotiated.encoding,
            negotiated.pull_diagnostics,
            negotiated.roots
        );
        self.state.layers().settings = params.initialization_options.clone();
        let result = InitializeResult {
            capabilities: capabilities::server_capabilities(&negotiated),
            server_info: Some(ServerInfo {
                name: "notes-ls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        };
        self.state.set_negotiated(negotiated);
        Ok(result)
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    // The notifications are handled by `notifications`, not routed here.

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let snap = self.snapshot(&params.text_document.uri).await?;
        let enc = self.state.negotiated().encoding;
        // A large file's outline is megabytes of JSON: written from the
        // pieces the document keeps (`entry_json`) off the thread that reads
        // messages, and streamed without tower-lsp's `Value` step (`replies`).
        let slot = rpc::reply_slot()?;
        blocking("documentSymbol", move || {
            rpc::stream(slot, move |reply| {
                snap.entry_json.write_symbols(snap.source(), enc, reply);
            });
            // Answered: tower-lsp's own response is dropped.
            Ok(None)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        let enc = self.state.negotiated().encoding;
        let (index, state) = (self.state.index(), Arc::clone(&self.state));
        blocking("workspace/symbol", move || {
            let files = state.other_files(&index, enc);
            Ok(Some(editing::workspace_symbols(
                &index,
                &files,
                &params.query,
            )))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let (snap, enc, offset) = self.at(&p).await?;
        let index = self.state.index();
        let key = doc_key(&p.text_document.uri);
        blocking("hover", move || {
            Ok(
                ide::hover(&snap.text, &snap.notes, index.terms(), &key, offset)
                    .map(|h| to_proto::hover(&snap.positions(enc), h)),
            )
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let (snap, enc, offset) = self.at(&p).await?;
        let (index, state) = (self.state.index(), Arc::clone(&self.state));
        blocking("definition", move || {
            let files = state.other_files(&index, enc);
            let found = workspace::definitions(&index, &snap.text, offset).into_iter();
            let locations: Vec<Location> = found.filter_map(|d| files.definition(d)).collect();
            Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let (snap, enc, offset) = self.at(&p).await?;
        let state = self.state();
        blocking("references", move || {
            let term = ide::definition_term_at(&snap.text, state.index().terms(), offset);
            Ok(term.map(|m| rename::mentions_everywhere(&state, &m.key, enc)))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let (snap, enc, offset) = self.at(&params).await?;
        let index = self.state.index();
        blocking("prepareRename", move || {
            rename::prepare(&snap, enc, &index, offset).map(Some)
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let (snap, enc, offset) = self.at(&p).await?;
        let state = self.state();
        blocking("rename", move || {
            let uri = &p.text_document.uri;
            let at = rename::At {
                uri,
                snap: &snap,
                enc,
                offset,
            };
            rename::rename(&state, at, &params.new_name).map(Some)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let (snap, enc, offset) = self.at(&p).await?;
        let index = self.state.index();
        blocking("documentHighlight", move || {
            let terms = index.terms();
            let Some(m) = terms.term_at(&snap.text, offset) else {
                return Ok(None);
            };
            let found = ide::mentions(&snap.text, terms, &m.key);
            Ok(Some(to_proto::highlights(&snap.positions(enc), found)))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let (snap, enc, offset) = self.at(&p).await?;
        let snippets = self.state.negotiated().snippets;
        let index = self.state.index();
        blocking("completion", move || {
            let found = ide::completions(&snap.text, &snap.notes, index.terms(), offset);
            Ok(Some(to_proto::completions(
                &snap.positions(enc),
                snippets,
                found,
            )))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri).await?;
        let negotiated = self.state.negotiated();
        let enc = negotiated.encoding;
        let wanted = snap.positions(enc).text_range(params.range);
        let index = self.state.index();
        blocking("codeAction", move || {
            Ok(Some(code_actions::code_actions(
                &negotiated,
                &index,
                &uri,
                &snap,
                wanted,
            )))
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri).await?;
        if !self.state.index().config().code_lens {
            return Ok(None);
        }
        let negotiated = self.state.negotiated();
        let path = doc_path(&uri);
        // The review file is read from disk.
        blocking("codeLens", move || {
            let lenses =
                crate::study::store::file_lenses(&negotiated.roots, &path, &snap.text, &snap.notes);
            let positions = snap.positions(negotiated.encoding);
            let to_proto = |l| super::code_lens::to_proto(&positions, &path, l);
            Ok(Some(lenses.into_iter().map(to_proto).collect()))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let snap = self.snapshot(&params.text_document.uri).await?;
        blocking("foldingRange", move || {
            Ok(Some(to_proto::folding(
                &snap.positions(Encoding::Utf8),
                &ide::folding_ranges(&snap.text, &snap.notes),
            )))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let snap = self.snapshot(&params.text_document.uri).await?;
        let enc = self.state.negotiated().encoding;
        let index = self.state.index();
        blocking("semanticTokens", move || {
            let hl = ide::highlights(&snap.text, &snap.notes, index.terms());
            Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: to_proto::semantic_tokens(&snap.positions(enc), &hl),
            })))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.format(&params.text_document.uri, None).await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.format(&params.text_document.uri, Some(params.range))
            .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri).await?;
        let enc = self.state.negotiated().encoding;
        // Whether a linked file exists is asked of the disk.
        blocking("documentLink", move || {
            Ok(Some(editing::document_links(&snap, &uri, enc)))
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let snap = self.snapshot(&params.text_document.uri).await?;
        let enc = self.state.negotiated().encoding;
        let index = self.state.index();
        blocking("selectionRange", move || {
            Ok(Some(editing::selection_ranges(
                &snap,
                index.terms(),
                enc,
                &params.positions,
            )))
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let previous = params.previous_result_id;
        // After the changes that came before this request.
        drop(self.state.open_turn(&uri).await);
        let state = Arc::clone(&self.state);
        let slot = rpc::reply_slot()?;
        blocking("diagnostic", move || {
            pull::answer_document(&state, &uri, previous.as_deref(), slot);
            // Answered: tower-lsp's own response is dropped.
            Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(Default::default()),
            ))
        })
        .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        let token = params.partial_result_params.partial_result_token;
        let state = Arc::clone(&self.state);
        let slot = rpc::reply_slot()?;
        blocking("workspace/diagnostic", move || {
            pull::answer_workspace(&state, &previous, token.as_ref(), &slot);
            // Answered: tower-lsp's own response is dropped.
            Ok(WorkspaceDiagnosticReportResult::Report(Default::default()))
        })
        .await
    }
}
