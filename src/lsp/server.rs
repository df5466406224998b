//! The LSP handlers. Each one converts in, calls the core, converts out; the
//! only logic here is about the protocol (ordering, versions, push vs pull).

use std::sync::Arc;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::capabilities;
use super::documents::{Document, Snapshot};
use super::guard::guarded;
use super::position::{self, Encoding};
use super::state::{Session, State};
use super::to_proto;
use crate::ide;

pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            state: Arc::new(State::new(client)),
        }
    }

    fn snapshot(&self, uri: &Url) -> Result<Snapshot> {
        self.state.snapshot(uri).ok_or_else(|| {
            let mut e = Error::invalid_params(format!("document not open: {uri}"));
            e.data = None;
            e
        })
    }

    /// Computes and pushes diagnostics off the async threads. Tasks for a
    /// version that is no longer current return at once, so a burst of edits
    /// costs one computation, and a stale result is never published.
    fn schedule_diagnostics(&self, uri: Url, version: i32) {
        let state = Arc::clone(&self.state);
        tokio::spawn(async move {
            if state.version(&uri) != Some(version) {
                return;
            }
            let Some(snap) = state.snapshot(&uri) else {
                return;
            };
            let session = state.session();
            let key = uri.to_string();
            let worker = Arc::clone(&state);
            let computed = tokio::task::spawn_blocking(move || {
                guarded("diagnostics", || {
                    worker
                        .terms_mut()
                        .set_document(&key, &snap.text, &snap.notes);
                    if session.pull_diagnostics {
                        return None;
                    }
                    Some(lsp_diagnostics(&snap, &uri, session.encoding))
                })
                .map(|d| d.map(|d| (uri, d, snap.version)))
            })
            .await;
            match computed {
                Ok(Ok(Some((uri, diags, v)))) if state.version(&uri) == Some(v) => {
                    state.client.publish_diagnostics(uri, diags, Some(v)).await;
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!("{}", e.message),
                Err(e) => tracing::error!("diagnostics task failed: {e}"),
            }
        });
    }
}

fn lsp_diagnostics(snap: &Snapshot, uri: &Url, enc: Encoding) -> Vec<Diagnostic> {
    ide::diagnostics(&snap.text, &snap.notes)
        .iter()
        .map(|d| to_proto::diagnostic(&snap.rope, enc, uri, d, d.kind.default_severity()))
        .collect()
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        super::process_watch::watch(params.process_id);
        let caps = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let session = Session {
            encoding: Encoding::negotiate(offered),
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
        };
        tracing::info!(
            "initialize: encoding {:?}, pull diagnostics {}",
            session.encoding,
            session.pull_diagnostics
        );
        let result = InitializeResult {
            capabilities: capabilities::server_capabilities(&session),
            server_info: Some(ServerInfo {
                name: "notes-ls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        };
        self.state.set_session(session);
        Ok(result)
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("initialized");
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let version = doc.version;
        let uri = doc.uri;
        let document = Document::new(doc.text, version);
        self.state.docs().insert(uri.clone(), document);
        self.schedule_diagnostics(uri, version);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Everything up to scheduling runs before the first `.await`, so
        // changes are applied in the order they arrived.
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.state.session().encoding;
        let applied = {
            let mut docs = self.state.docs();
            match docs.get_mut(&uri) {
                None => Err(format!("didChange for a document that is not open: {uri}")),
                Some(doc) if version <= doc.version => Err(format!(
                    "didChange for {uri} ignored: version {version} is not newer than {}",
                    doc.version
                )),
                Some(doc) => {
                    let result = guarded("didChange", || {
                        for change in &params.content_changes {
                            doc.apply_change(enc, change);
                        }
                    });
                    doc.version = version;
                    result.map_err(|e| e.message.to_string())
                }
            }
        };
        match applied {
            Ok(()) => self.schedule_diagnostics(uri, version),
            Err(msg) => {
                tracing::warn!("{msg}");
                self.state
                    .client
                    .log_message(MessageType::WARNING, msg)
                    .await;
            }
        }
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.docs().remove(&uri);
        self.state.terms_mut().remove_document(uri.as_str());
        if !self.state.session().pull_diagnostics {
            self.state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let snap = self.snapshot(&params.text_document.uri)?;
        let enc = self.state.session().encoding;
        guarded("documentSymbol", || {
            let items = ide::outline(&snap.text, &snap.notes);
            Some(DocumentSymbolResponse::Nested(to_proto::symbols(
                &snap.rope, enc, &items,
            )))
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let snap = self.snapshot(&p.text_document.uri)?;
        let enc = self.state.session().encoding;
        let offset = position::offset(&snap.rope, enc, p.position);
        let terms = self.state.terms();
        guarded("hover", || {
            ide::hover(
                &snap.text,
                &snap.notes,
                &terms,
                p.text_document.uri.as_str(),
                offset,
            )
            .map(|h| to_proto::hover(&snap.rope, enc, h))
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let snap = self.snapshot(&p.text_document.uri)?;
        let session = self.state.session();
        let enc = session.encoding;
        let offset = position::offset(&snap.rope, enc, p.position);
        let terms = self.state.terms();
        guarded("completion", || {
            let items: Vec<CompletionItem> =
                ide::completions(&snap.text, &snap.notes, &terms, offset)
                    .into_iter()
                    .filter(|c| session.snippets || c.kind != ide::CompletionKind::Snippet)
                    .map(|c| to_proto::completion(&snap.rope, enc, &snap.text, c))
                    .collect();
            // Incomplete: the ranking changes as the user types more.
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: true,
                items,
            }))
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri)?;
        let enc = self.state.session().encoding;
        let wanted = position::text_range(&snap.rope, enc, params.range);
        guarded("codeAction", || {
            let mut actions = Vec::new();
            for d in ide::diagnostics(&snap.text, &snap.notes) {
                if d.range.start > wanted.end || wanted.start > d.range.end {
                    continue;
                }
                let lsp_diag =
                    to_proto::diagnostic(&snap.rope, enc, &uri, &d, d.kind.default_severity());
                for f in &d.fixes {
                    actions.push(CodeActionOrCommand::CodeAction(to_proto::code_action(
                        &snap.rope,
                        enc,
                        &uri,
                        f,
                        lsp_diag.clone(),
                    )));
                }
            }
            Some(actions)
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let snap = self.snapshot(&params.text_document.uri)?;
        guarded("foldingRange", || {
            Some(to_proto::folding(
                &snap.rope,
                &ide::folding_ranges(&snap.text, &snap.notes),
            ))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let snap = self.snapshot(&params.text_document.uri)?;
        let enc = self.state.session().encoding;
        let terms = self.state.terms();
        guarded("semanticTokens", || {
            let hl = ide::highlights(&snap.text, &snap.notes, &terms);
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: to_proto::semantic_tokens(&snap.rope, enc, &hl),
            }))
        })
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri)?;
        let enc = self.state.session().encoding;
        let items = tokio::task::spawn_blocking(move || {
            guarded("diagnostic", || lsp_diagnostics(&snap, &uri, enc))
        })
        .await
        .map_err(|e| {
            tracing::error!("diagnostic task failed: {e}");
            Error::internal_error()
        })??;
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}
