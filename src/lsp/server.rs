//! The LSP handlers. Each one converts in, calls the core, converts out; the
//! only logic here is about the protocol (ordering, versions, push vs pull).
//! A request about an open document runs its work through
//! [`Backend::on_document`]: after the document's earlier messages, on the
//! blocking pool, from a [`Request`] taken before the work starts.

use std::sync::Arc;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::capabilities;
use super::code_actions;
use super::documents::Snapshot;
use super::editing;
use super::guard::blocking;
use super::position::{Encoding, Positions};
use super::pull;
use super::rename;
use super::state::State;
use super::to_proto;
use super::uri::{doc_key, doc_path};
use crate::ide;
use crate::rpc;
use crate::workspace::{self, WorkspaceIndex};

pub struct Backend {
    state: Arc<State>,
}

/// What a request about an open document computes from: the document as
/// the messages before the request left it, the client's encoding, the
/// index and the state, all read-only views taken before the work starts.
struct Request {
    snap: Snapshot,
    enc: Encoding,
    index: Arc<WorkspaceIndex>,
    state: Arc<State>,
}

impl Request {
    /// Positions in the document, in the client's encoding.
    fn positions(&self) -> Positions<'_> {
        self.snap.positions(self.enc)
    }
}

impl Backend {
    /// A server whose own messages (diagnostics, large answers) go to
    /// `output`, the queue tower-lsp's responses are written to as well.
    pub fn new(client: Client, output: rpc::Output) -> Self {
        Backend {
            state: Arc::new(State::new(client, output)),
        }
    }

    /// What every request handler starts from: the state, to move onto the
    /// blocking pool with the work (and the notifications' handlers,
    /// `notifications`).
    pub fn state(&self) -> Arc<State> {
        Arc::clone(&self.state)
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

    /// Runs `work` for a request about the open document `uri` on the
    /// blocking pool (`guard::blocking`: a panic answers this request with
    /// an error), holding no lock.
    async fn on_document<T: Send + 'static>(
        &self,
        name: &'static str,
        uri: &Url,
        work: impl FnOnce(Request) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let request = Request {
            snap: self.snapshot(uri).await?,
            enc: self.state.negotiated().encoding,
            index: self.state.index(),
            state: self.state(),
        };
        blocking(name, move || work(request)).await
    }

    /// [`Backend::on_document`] for a position in it, given to `work` as a
    /// byte offset (clamped into the text).
    async fn on_position<T: Send + 'static>(
        &self,
        name: &'static str,
        at: &TextDocumentPositionParams,
        work: impl FnOnce(Request, usize) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let position = at.position;
        self.on_document(name, &at.text_document.uri, move |r| {
            let offset = r.positions().offset(position);
            work(r, offset)
        })
        .await
    }

    /// Formatting edits for an open document (the whole of it, or the
    /// entries `range` touches), computed off the async threads: a large
    /// file is read again whole to check nothing changed meaning.
    async fn format(&self, uri: &Url, range: Option<Range>) -> Result<Option<Vec<TextEdit>>> {
        self.on_document("formatting", uri, move |r| {
            let options = r.index.config().format;
            Ok(Some(editing::formatting(&r.snap, r.enc, &options, range)))
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
        // A large file's outline is megabytes of JSON: written from the
        // pieces the document keeps (`entry_json`) off the thread that reads
        // messages, and streamed without tower-lsp's `Value` step (`replies`).
        let slot = rpc::reply_slot()?;
        self.on_document("documentSymbol", &params.text_document.uri, |r| {
            rpc::stream(slot, move |reply| {
                r.snap
                    .entry_json
                    .write_symbols(r.snap.source(), r.enc, reply);
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
        let (index, state) = (self.state.index(), self.state());
        blocking("workspace/symbol", move || {
            let files = state.other_files(&index, enc);
            let found = editing::workspace_symbols(&index, &files, &params.query);
            Ok(Some(found))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let key = doc_key(&at.text_document.uri);
        self.on_position("hover", &at, move |r, offset| {
            let found = ide::hover(&r.snap.text, &r.snap.notes, r.index.terms(), &key, offset);
            Ok(found.map(|h| to_proto::hover(&r.positions(), h)))
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.on_position("definition", &at, |r, offset| {
            let files = r.state.other_files(&r.index, r.enc);
            let found = workspace::definitions(&r.index, &r.snap.text, offset).into_iter();
            let locations: Vec<Location> = found.filter_map(|d| files.definition(d)).collect();
            Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.on_position("references", &params.text_document_position, |r, offset| {
            let term = ide::definition_term_at(&r.snap.text, r.index.terms(), offset);
            Ok(term.map(|m| rename::mentions_everywhere(&r.state, &m.key, r.enc)))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.on_position("prepareRename", &params, |r, offset| {
            rename::prepare(&r.snap, r.enc, &r.index, offset).map(Some)
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let uri = at.text_document.uri.clone();
        self.on_position("rename", &at, move |r, offset| {
            let (snap, enc) = (&r.snap, r.enc);
            let at = rename::At {
                uri: &uri,
                snap,
                enc,
                offset,
            };
            rename::rename(&r.state, at, &params.new_name).map(Some)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let at = params.text_document_position_params;
        self.on_position("documentHighlight", &at, |r, offset| {
            let terms = r.index.terms();
            let Some(m) = terms.term_at(&r.snap.text, offset) else {
                return Ok(None);
            };
            let found = ide::mentions(&r.snap.text, terms, &m.key);
            Ok(Some(to_proto::highlights(&r.positions(), found)))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let snippets = self.state.negotiated().snippets;
        self.on_position(
            "completion",
            &params.text_document_position,
            move |r, at| {
                let found = ide::completions(&r.snap.text, &r.snap.notes, r.index.terms(), at);
                Ok(Some(to_proto::completions(&r.positions(), snippets, found)))
            },
        )
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let negotiated = self.state.negotiated();
        self.on_document("codeAction", &uri.clone(), move |r| {
            let wanted = r.positions().text_range(params.range);
            let found = code_actions::code_actions(&negotiated, &r.index, &uri, &r.snap, wanted);
            Ok(Some(found))
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let roots = self.state.negotiated().roots;
        let path = doc_path(&uri);
        // The review file is read from disk.
        self.on_document("codeLens", &uri, move |r| {
            if !r.index.config().code_lens {
                return Ok(None);
            }
            let (text, notes) = (&r.snap.text, &r.snap.notes);
            let lenses = crate::study::store::file_lenses(&roots, &path, text, notes);
            let positions = r.positions();
            let to_proto = |l| super::code_lens::to_proto(&positions, &path, l);
            Ok(Some(lenses.into_iter().map(to_proto).collect()))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.on_document("foldingRange", &params.text_document.uri, |r| {
            let found = ide::folding_ranges(&r.snap.text, &r.snap.notes);
            Ok(Some(to_proto::folding(
                &r.snap.positions(Encoding::Utf8),
                &found,
            )))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.on_document("semanticTokens", &params.text_document.uri, |r| {
            let hl = ide::highlights(&r.snap.text, &r.snap.notes, r.index.terms());
            Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: to_proto::semantic_tokens(&r.positions(), &hl),
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
        // Whether a linked file exists is asked of the disk.
        self.on_document("documentLink", &uri.clone(), move |r| {
            Ok(Some(editing::document_links(&r.snap, &uri, r.enc)))
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let at = params.positions;
        self.on_document("selectionRange", &params.text_document.uri, move |r| {
            let found = editing::selection_ranges(&r.snap, r.index.terms(), r.enc, &at);
            Ok(Some(found))
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
