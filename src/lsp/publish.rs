//! Diagnostics for open documents: computed off the async threads on a
//! snapshot, published only while their version is current.

use std::cell::RefCell;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tokio::task::JoinHandle;
use tower_lsp::lsp_types::notification::{Notification, PublishDiagnostics};
use tower_lsp::lsp_types::Url;

use super::documents::{Document, Snapshot};
use super::guard::background;
use super::position::Encoding;
use super::state::State;
use super::uri::OtherFiles;
use crate::rpc::{Frame, Measure, Parts, ReplyStream};
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

/// Pushes the document's diagnostics, computed against the index as it is.
/// Tasks for a version that is no longer current return at once, so a burst
/// of edits costs one computation, and a stale result is never published.
/// The task is returned for a refresh pass to wait for (`refresh`).
pub fn schedule(state: &Arc<State>, uri: Url, version: i32, cause: Cause) -> JoinHandle<()> {
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
    })
}

/// Empties a document's diagnostics at the client (a push client's file
/// that was closed): through the same queue slot as its findings, so it
/// never overtakes them.
pub fn clear(state: &State, uri: Url) {
    send_unversioned(state, &uri, b"[]");
}

/// Sends `items` (a JSON array) as the diagnostics of `uri`, a document
/// with no version (closed, or never open).
pub fn send_unversioned(state: &State, uri: &Url, items: &[u8]) {
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
        Cause::Edit => Measure::counting(&state.output),
        Cause::Other => Measure::new(&state.output),
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
            stream.rewriting().start(measured.counted());
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
/// `PublishDiagnosticsParams` with every finding converted afresh (which
/// the tests of `entry_json` check).
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
