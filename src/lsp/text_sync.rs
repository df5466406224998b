//! Text synchronisation: `didOpen`, `didChange`, `didClose`. Each takes
//! its document's turn (`State::turn`), so one document's messages apply in
//! the order they came while others go on; heavy work (a large file parsed,
//! a Replace All) runs on the blocking pool.

use std::sync::Arc;

use tower_lsp::jsonrpc::Error;
use tower_lsp::lsp_types::*;

use super::documents::{self, Document};
use super::guard::{background, blocking, guarded};
use super::publish;
use super::state::State;
use super::uri::doc_path;

pub async fn did_open(state: &Arc<State>, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let (version, uri) = (doc.version, doc.uri);
    let turn = state.turn(&uri).await;
    let dialect = state.index().config().dialect.for_text(&doc.text);
    let document = if doc.text.len() > documents::LARGE_TEXT {
        let text = doc.text;
        let parsed = blocking("didOpen", move || {
            Ok(Document::new_as(text, version, dialect))
        })
        .await;
        match parsed {
            Ok(document) => document,
            Err(e) => return tracing::error!("didOpen {uri}: {}", e.message),
        }
    } else {
        Document::new_as(doc.text, version, dialect)
    };
    state.docs().insert(uri.clone(), document);
    publish::opened(state, uri, version, turn).await;
}

pub async fn did_change(state: &Arc<State>, params: DidChangeTextDocumentParams) {
    // In this document's turn: changes are applied in the order they
    // arrived, and requests about it wait for them (`State::turn`).
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let turn = state.open_turn(&uri).await;
    let enc = state.negotiated().encoding;
    let changes = params.content_changes;
    let current = {
        let docs = state.docs();
        match docs.get(&uri) {
            None => Err(format!("didChange for a document that is not open: {uri}")),
            Some(doc) if version <= doc.version => Err(format!(
                "didChange for {uri} ignored: version {version} is not newer than {}",
                doc.version
            )),
            Some(_) => Ok(Document::is_heavy(&changes)),
        }
    };
    let applied = match current {
        Err(msg) => Err(msg),
        // One keystroke: applied here, in place.
        Ok(false) => state.docs().get_mut(&uri).map_or_else(
            || Err(format!("{uri} closed meanwhile")),
            |doc| {
                let result = guarded("didChange", || doc.apply_changes(enc, changes));
                doc.version = version;
                result.map_err(|e| e.message.to_string())
            },
        ),
        // Replace All and the like: on the blocking pool, on a copy that
        // replaces the document; requests about others go on meanwhile.
        Ok(true) => {
            let doc = state.docs().get(&uri).cloned();
            let done = blocking("didChange", move || {
                let mut doc = doc.ok_or_else(Error::internal_error)?;
                let reparsed = doc.apply_changes(enc, changes);
                doc.version = version;
                Ok((doc, reparsed))
            })
            .await;
            done.map(|(doc, reparsed)| {
                state.docs().insert(uri.clone(), doc);
                reparsed
            })
            .map_err(|e| e.message.to_string())
        }
    };
    match applied {
        Ok(reparsed) => publish::changed(state, uri, version, reparsed, turn).await,
        Err(msg) => {
            drop(turn);
            tracing::warn!("{msg}");
            state.client.log_message(MessageType::WARNING, msg).await;
        }
    }
}

pub async fn did_close(state: &Arc<State>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let turn = state.open_turn(&uri).await;
    state.docs().remove(&uri);
    drop(turn);
    state.forget_turn(&uri);
    state.pulls().forget(&uri);
    state.forget_published(&uri);
    let worker = Arc::clone(state);
    let path = doc_path(&uri);
    let closed = uri.clone();
    // Re-reading the file from disk is I/O: not on the async threads.
    let reopened = background("closing a document", move || {
        let mut index = worker.index_mut();
        // Opened again while this waited (the client's next message):
        // the open document is the index's now, and stays.
        if worker.version(&closed).is_some() {
            return true;
        }
        index.close(&path, &mut |line| tracing::info!("{line}"));
        false
    })
    .await
    .unwrap_or(false);
    if reopened {
        return;
    }
    if !state.negotiated().pull_diagnostics {
        publish::clear(state, uri).await;
    }
    publish::refresh_all(state).await;
}
