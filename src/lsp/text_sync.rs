//! Text synchronisation: `didOpen`, `didChange`, `didClose`. Each takes
//! its document's turn (`State::turn`), so one document's messages apply in
//! the order they came while others go on; heavy work (a large file parsed,
//! a Replace All) runs on the blocking pool. Then the document's findings
//! go out, and the workspace index takes its text in.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp::jsonrpc::Error;
use tower_lsp::lsp_types::*;

use super::documents::{self, Document};
use super::guard::{background, blocking, guarded};
use super::publish::{self, Cause};
use super::refresh;
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
    // The index takes it in (its terms and questions serve hover and the
    // other files' diagnostics) before its turn ends: a pulling client asks
    // for the findings right after opening, and a term the document defines
    // is no misspelling.
    index_then_publish(state, uri, version, Cause::Other, turn).await;
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
        Ok(reparsed) => changed(state, uri, version, reparsed, turn).await,
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
        publish::clear(state, uri);
    }
    refresh::refresh_all(state).await;
}

/// How long the workspace index waits after an edit before taking in the
/// edited text: typing bursts then cost one update, not one per keystroke.
const INDEX_DELAY: Duration = Duration::from_millis(300);

/// Puts the document into the index before its `turn` ends, then
/// publishes: a refresh of every open document when the index took it (its
/// questions and terms may change the other documents' findings, a question
/// they ask too), else the document's own findings, for `cause`.
async fn index_then_publish(
    state: &Arc<State>,
    uri: Url,
    version: i32,
    cause: Cause,
    turn: impl Send + 'static,
) {
    let indexed = update_index(state, &uri, version).await;
    drop(turn);
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if indexed {
            refresh::refresh_all(&state).await;
        } else {
            publish::schedule(&state, uri, version, cause);
        }
    });
}

/// A document changed: its diagnostics go out at once, and the index takes
/// in the new text once edits pause for [`INDEX_DELAY`].
///
/// A document's own diagnostics need not wait for its entry in the index:
/// its findings within the file come from its own text, and a question the
/// edit made that another file asks too (which questions are shared is the
/// index's to say) is named once the index takes the text in, when the
/// document is refreshed. With one exception: a term the edit just defined
/// (the entries `reparsed`), which an index without it would call a
/// misspelling of a known one. Then the index takes the text first, before the
/// document's `turn` ends (a pulling client asks right after the edit), and
/// the first message is already right. The other open documents are
/// refreshed after the index update, since their cross-file duplicates may
/// have changed.
async fn changed(
    state: &Arc<State>,
    uri: Url,
    version: i32,
    reparsed: std::ops::Range<usize>,
    turn: impl Send + 'static,
) {
    let index = state.index();
    let new_terms = state.docs().get(&uri).is_some_and(|doc| {
        crate::ide::defines_unknown_terms(&doc.text, &doc.notes, reparsed, index.terms())
    });
    drop(index);
    if new_terms {
        return index_then_publish(state, uri, version, Cause::Edit, turn).await;
    }
    drop(turn);
    publish::schedule(state, uri.clone(), version, Cause::Edit);
    let state = Arc::clone(state);
    tokio::spawn(async move {
        tokio::time::sleep(INDEX_DELAY).await;
        if update_index(&state, &uri, version).await {
            refresh::refresh_all(&state).await;
        }
    });
}

/// Puts the document, if still at `version`, into the workspace index.
/// Returns whether it did.
async fn update_index(state: &Arc<State>, uri: &Url, version: i32) -> bool {
    if state.version(uri) != Some(version) {
        return false;
    }
    let Some(snap) = state.snapshot(uri) else {
        return false;
    };
    let worker = Arc::clone(state);
    let path = doc_path(uri);
    let uri = uri.clone();
    background("indexing an open document", move || {
        let mut index = worker.index_mut();
        // Checked under the index lock: a `didClose` that came after the
        // snapshot has taken the file out of the index (or will, once this
        // lock is free); putting it back afterwards would keep a closed
        // document forever.
        if worker.version(&uri) != Some(version) {
            return false;
        }
        index.set_open(path, &snap.text, &snap.notes);
        true
    })
    .await
    .unwrap_or(false)
}
