//! Diagnostics for open documents: computed off the async threads on a
//! snapshot, published only while their version is current.

use std::cell::RefCell;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp::lsp_types::notification::{Notification, PublishDiagnostics};
use tower_lsp::lsp_types::Url;

use super::documents::{Document, Snapshot};
use super::guard::background;
use super::measure::Measure;
use super::position::Encoding;
use super::pull;
use super::state::State;
use super::uri::{doc_path, path_uri, OtherFiles};
use crate::rpc::{Frame, Parts, ReplyStream};
use crate::workspace::WorkspaceIndex;

/// Why a document's findings go out: its own edit, sent as fast as can
/// be, or anything else (opened, the workspace changed), whose message the
/// writer also hashes once written, so that the next refresh of the same
/// version can tell it unchanged (`State::publish_if_newest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Edit,
    Other,
}

/// How long the workspace index waits after an edit before taking in the
/// edited text: typing bursts then cost one update, not one per keystroke.
const INDEX_DELAY: Duration = Duration::from_millis(300);

/// A document was opened: the index takes it in (its terms and questions
/// serve hover and the other files' diagnostics), then its diagnostics go
/// out. Its `turn` ends once the index has it: a pulling client asks for
/// the findings right after opening, and a term the document defines is
/// no misspelling.
pub async fn opened(state: &Arc<State>, uri: Url, version: i32, turn: impl Send + 'static) {
    let indexed = update_index(state, &uri, version).await;
    drop(turn);
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if indexed {
            // Its questions and terms may change the other documents'
            // findings (a question they ask too).
            refresh_all(&state).await;
        } else {
            schedule(&state, uri, version, Cause::Other);
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
pub async fn changed(
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
    let state = Arc::clone(state);
    if new_terms {
        let indexed = update_index(&state, &uri, version).await;
        drop(turn);
        tokio::spawn(async move {
            if indexed {
                refresh_all(&state).await;
            } else {
                schedule(&state, uri, version, Cause::Edit);
            }
        });
        return;
    }
    drop(turn);
    schedule(&state, uri.clone(), version, Cause::Edit);
    tokio::spawn(async move {
        tokio::time::sleep(INDEX_DELAY).await;
        if update_index(&state, &uri, version).await {
            refresh_all(&state).await;
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

/// Pushes the document's diagnostics, computed against the index as it is.
/// Tasks for a version that is no longer current return at once, so a burst
/// of edits costs one computation, and a stale result is never published.
pub fn schedule(state: &Arc<State>, uri: Url, version: i32, cause: Cause) {
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if state.version(&uri) != Some(version) {
            return;
        }
        let negotiated = state.negotiated();
        if negotiated.pull_diagnostics {
            return;
        }
        let Some(snap) = state.snapshot(&uri) else {
            return;
        };
        let worker = Arc::clone(&state);
        let computed = background("diagnostics", move || {
            // The generation before the index it names (see
            // `State::index_mut` and `State::publish_if_newest`).
            let generation = worker.generation();
            if snap.text.len() >= STREAMED_TEXT {
                stream_publication(
                    &worker,
                    snap,
                    &uri,
                    negotiated.encoding,
                    (generation, cause),
                );
                return None;
            }
            let index = worker.index();
            // Written here, off the thread that reads the client's
            // messages, from the pieces the document keeps (`entry_json`).
            let mut body = worker.output.notification_start(PublishDiagnostics::METHOD);
            let others = worker.other_files(&index, negotiated.encoding);
            write_params(&index, &others, &snap, &uri, negotiated.encoding, &mut body);
            let frame = worker.output.finish_keyed(body, uri.as_str());
            Some(Ready(uri, snap.version, generation, frame))
        });
        let Some(Some(Ready(uri, v, generation, frame))) = computed.await else {
            return;
        };
        if state.version(&uri) != Some(v) {
            return;
        }
        let frame = RefCell::new(Some(frame));
        let digest = || frame.borrow().as_ref().map_or(0, Frame::digest);
        state.publish_if_newest(&uri, v, generation, digest, || {
            let mut frame = frame.borrow_mut().take()?;
            let written = (cause == Cause::Other).then(|| frame.digest_when_written());
            frame.send();
            written
        });
    });
}

/// Empties a document's diagnostics at the client (a push client's file
/// that was closed): through the same queue slot as its findings, so it
/// never overtakes them.
pub async fn clear(state: &State, uri: Url) {
    send_unversioned(state, &uri, b"[]");
}

/// Sends `items` (a JSON array) as the diagnostics of `uri`, a document
/// with no version (closed, or never open).
fn send_unversioned(state: &State, uri: &Url, items: &[u8]) {
    let mut body = state.output.notification_start(PublishDiagnostics::METHOD);
    body.extend_from_slice(br#"{"uri":"#);
    let _ = serde_json::to_writer(&mut body, uri);
    body.extend_from_slice(br#","diagnostics":"#);
    body.extend_from_slice(items);
    body.push(b'}');
    state.output.finish_keyed(body, uri.as_str()).send();
}

/// From this size of text a document's pushed diagnostics are streamed
/// ([`stream_publication`]). Higher than a pulled report's
/// (`pull::STREAMED_TEXT`): a pushed message held whole is written in one
/// pass, and streaming it takes two, which costs more time than it saves
/// memory below this (measured in docs/performance.md).
const STREAMED_TEXT: usize = 4 * 1024 * 1024;

/// [`schedule`]'s message for a document of [`STREAMED_TEXT`] or more,
/// sent in parts as it is written, never held whole (as a pulled report of
/// it is). Its length comes first, so it is written twice from the pieces
/// the document keeps: once to count and hash it, then to the client, if
/// still newest. The snapshot goes before the last part, so that an edit
/// sent on receiving it finds the document unshared.
fn stream_publication(
    state: &State,
    snap: Snapshot,
    uri: &Url,
    enc: Encoding,
    (generation, cause): (u64, Cause),
) {
    let index = state.index();
    let others = state.other_files(&index, enc);
    // An edit's message is of a new version: its digest is compared only
    // if a refresh of that version went first, and a digest of 0 matches
    // none, so the message is sent again, never wrongly kept back. So it
    // is only counted (hashing it cost a tenth of the pass).
    let mut measured = match cause {
        Cause::Edit => Measure::counting(),
        Cause::Other => Measure::default(),
    };
    write_params(&index, &others, &snap, uri, enc, &mut measured);
    if state.version(uri) != Some(snap.version) {
        return;
    }
    let (version, digest) = (snap.version, measured.digest());
    let mut started = None;
    state.publish_if_newest(
        uri,
        version,
        generation,
        || digest,
        || {
            let mut stream = ReplyStream::notification(&state.output, PublishDiagnostics::METHOD);
            // Queued here, in its turn among the document's publications.
            stream.rewriting().start(measured.len());
            started = Some(stream);
            Some(Arc::new(AtomicU64::new(digest)))
        },
    );
    // Written once the lock that orders publications is free: other
    // documents' publications, some taken on the async threads, must not
    // wait for a large message to reach a slow client.
    if let Some(mut stream) = started {
        write_params(&index, &others, &snap, uri, enc, &mut stream);
        // The places in other open documents hold their texts too.
        drop((snap, others));
        stream.finish();
    }
}

/// The params of `publishDiagnostics` as JSON, the same as serde makes of
/// `PublishDiagnosticsParams` with [`compute`]'s list.
fn write_params(
    index: &WorkspaceIndex,
    others: &OtherFiles<'_>,
    snap: &Document,
    uri: &Url,
    enc: Encoding,
    out: &mut dyn Parts,
) {
    let buf = out.buf();
    buf.extend_from_slice(br#"{"uri":"#);
    let _ = serde_json::to_writer(&mut *buf, uri);
    buf.extend_from_slice(br#","diagnostics":"#);
    snap.entry_json
        .write_diagnostics(snap.source(), uri, index, others, enc, out);
    let buf = out.buf();
    buf.extend_from_slice(br#","version":"#);
    buf.extend_from_slice(itoa::Buffer::new().format(snap.version).as_bytes());
    buf.push(b'}');
    out.item_done();
}

/// Diagnostics ready to publish: the document, its version, the state's
/// generation the findings were computed at, and the message.
struct Ready(Url, i32, u64, Frame);

/// The workspace changed (index, configuration): every open document's
/// diagnostics may have changed too, and with `workspace.diagnostics` on,
/// those of the files nobody has open.
pub async fn refresh_all(state: &Arc<State>) {
    let negotiated = state.negotiated();
    if negotiated.pull_diagnostics {
        if negotiated.diagnostic_refresh {
            let _ = state.client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    let index = state.index();
    for (uri, version) in state.open_documents() {
        // A document whose opening has not reached the index is published by
        // its opening, once it has: computed now, its findings would lack
        // the questions it shares with other files (the index says which).
        let indexed = index.file_entry(&doc_path(&uri));
        if indexed.is_some_and(|(_, file)| file.is_open()) {
            schedule(state, uri, version, Cause::Other);
        }
    }
    drop(index);
    publish_closed(state).await;
}

/// For clients that do not pull: the findings of every notes file nobody
/// has open, when `workspace.diagnostics` asks for them. Each goes out when
/// it differs from what was last sent (the report ids of `pull` tell), and a
/// file that left the workspace, or the setting switched off, gets an empty
/// list.
async fn publish_closed(state: &Arc<State>) {
    let worker = Arc::clone(state);
    let messages = background("workspace diagnostics", move || closed_messages(&worker));
    for (uri, items) in messages.await.unwrap_or_default() {
        send_unversioned(state, &uri, &items);
    }
}

/// The `(uri, diagnostics array)` of each closed file whose findings
/// changed since last sent.
fn closed_messages(state: &State) -> Vec<(Url, Vec<u8>)> {
    let wanted = state.index().config().workspace_diagnostics;
    let closed: Vec<Url> = if wanted {
        let index = state.index();
        let docs = state.docs();
        index
            .files()
            .filter_map(|(path, _)| path_uri(path))
            .filter(|uri| !docs.contains_key(uri))
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    let mut published = state.published_closed();
    // Gone from the workspace (or opened, or the setting off): cleared.
    let keep: std::collections::HashSet<&Url> = closed.iter().collect();
    let gone: Vec<Url> = published
        .iter()
        .filter(|(uri, _)| !keep.contains(uri))
        .map(|(uri, _)| uri.clone())
        .collect();
    for uri in gone {
        let was_open = state.version(&uri).is_some();
        published.remove(&uri);
        if !was_open {
            out.push((uri, b"[]".to_vec()));
        }
    }
    let last = published.clone();
    pull::reports(
        state,
        &closed,
        &|uri| last.get(uri).cloned(),
        500,
        &mut |uri, report| {
            if let pull::Report::Full { result_id, items } = report {
                published.insert(uri.clone(), result_id.to_string());
                out.push((uri.clone(), items));
            }
        },
    );
    out
}
