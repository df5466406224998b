//! Answers written without tower-lsp's `Value` step, for the requests whose
//! results are large (an outline of megabytes, pulled diagnostics): the
//! handler finds its request's [`ReplySlot`] (set by [`with_slot`]) and
//! queues the JSON it wrote, whole ([`reply_with`]) or in parts as it is
//! written ([`ReplyStream`]), on the server's `Output`; tower-lsp's own
//! response is then dropped.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use futures::future::{BoxFuture, FutureExt};
use tower_lsp::jsonrpc::{Error, Id, Response};

use super::output::Output;

/// The request being answered, for a [`ReplyStream`]: set by [`with_slot`] around
/// the handlers of the requests answered raw.
pub struct ReplySlot {
    id: Id,
    output: Output,
    /// Whoever sets it answers the request, and only they: the handler's
    /// raw reply, or tower-lsp's response (the result, or `-32800` when the
    /// client cancelled). A request has exactly one response, even when
    /// it is cancelled while its work goes on on another thread.
    claimed: AtomicBool,
}

impl ReplySlot {
    /// Whether the request has its response (a cancelled one has): work
    /// not yet started for it can be skipped.
    pub fn answered(&self) -> bool {
        self.claimed.load(Ordering::SeqCst)
    }

    /// True for the first caller only.
    fn claim(&self) -> bool {
        !self.claimed.swap(true, Ordering::SeqCst)
    }
}

tokio::task_local! {
    static SLOT: Arc<ReplySlot>;
}

/// Answers the request of `slot` with a result written by `write`
/// straight into the message (a pulled report of megabytes is not copied
/// into it). False when it could not be queued (the writer is gone).
///
/// True as well when the request was answered already (cancelled): the
/// result is then dropped.
pub fn reply_with(slot: &ReplySlot, write: impl FnOnce(&mut Vec<u8>)) -> bool {
    if !slot.claim() {
        return true;
    }
    let mut body = slot.output.body_buffer();
    body.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    // An id is a number or a string: nothing that fails to serialise.
    let _ = serde_json::to_writer(&mut body, &slot.id);
    body.extend_from_slice(br#","result":"#);
    write(&mut body);
    body.push(b'}');
    slot.output.frame(body).send()
}

/// The slot of the request whose handler is running (a request answered
/// raw, under [`with_slot`]). Take it before moving work to another thread:
/// task-locals stay behind.
pub fn reply_slot() -> Result<Arc<ReplySlot>, Error> {
    SLOT.try_with(Arc::clone).map_err(|_| {
        tracing::error!("a raw reply outside `with_slot`");
        Error::internal_error()
    })
}

/// Answers the request of `slot` with what `write` writes, a part at a
/// time ([`ReplyStream`]), unless it was answered (cancelled) while it
/// waited for a thread. What `write` holds (a document's snapshot) is let
/// go before the last part goes: an edit the client sends on receiving the
/// answer must not find the document still shared, which would copy it.
pub fn stream(slot: Arc<ReplySlot>, write: impl FnOnce(&mut ReplyStream)) {
    if !slot.answered() {
        let mut reply = ReplyStream::new(slot);
        write(&mut reply);
        reply.finish();
    }
}

/// A JSON value of known length, written a part at a time.
pub trait Parts {
    /// Called once, before anything is written, with the value's exact
    /// length in bytes.
    fn start(&mut self, len: usize);
    /// Where the next bytes go.
    fn buf(&mut self) -> &mut Vec<u8>;
    /// Called between items: the bytes so far may be passed on.
    fn item_done(&mut self) {}
    /// About this many more bytes are coming (room made at once, where
    /// the whole value is held).
    fn reserve(&mut self, _additional: usize) {}
}

/// A value held whole: its length needs no announcing.
impl Parts for Vec<u8> {
    fn start(&mut self, _len: usize) {}

    fn buf(&mut self) -> &mut Vec<u8> {
        self
    }

    fn reserve(&mut self, additional: usize) {
        // `reserve` would double a buffer that is short by a byte.
        self.reserve_exact(additional);
    }
}

/// How many bytes of a streamed answer go to the writer at once: large
/// enough that handing them over costs nothing next to writing them.
const PART: usize = 64 * 1024;

/// Streamed parts in flight at once: memory is bounded by a few parts
/// however large the answer, and the writer never waits for the next one.
const PARTS_QUEUED: usize = 2;

/// Where a started stream's parts go, and where written ones come back.
type Sending = (SyncSender<Vec<u8>>, Receiver<Vec<u8>>);

/// Answers the request of a [`ReplySlot`] with a result written in parts
/// ([`Parts`]) and sent to the client as they fill, so that a large answer is
/// never held whole; or sends a notification so (a large file's pushed
/// diagnostics). Its length must be known before it is written.
pub struct ReplyStream {
    /// The request answered; `None` for a notification.
    slot: Option<Arc<ReplySlot>>,
    output: Output,
    /// The body before the result or params.
    prefix: Vec<u8>,
    /// The body after them: `,"id":…}` or `}`.
    suffix: Vec<u8>,
    buf: Vec<u8>,
    sending: Option<Sending>,
    /// Whether each part goes through the output's rewrite (`Output::start`),
    /// as a whole message does; its length must then be counted rewritten.
    rewrite: bool,
}

impl ReplyStream {
    pub fn new(slot: Arc<ReplySlot>) -> Self {
        let mut suffix = br#","id":"#.to_vec();
        // An id is a number or a string: nothing that fails to serialise.
        let _ = serde_json::to_writer(&mut suffix, &slot.id);
        suffix.push(b'}');
        ReplyStream {
            output: slot.output.clone(),
            slot: Some(slot),
            prefix: br#"{"jsonrpc":"2.0","result":"#.to_vec(),
            suffix,
            buf: Vec::new(),
            sending: None,
            rewrite: false,
        }
    }

    /// A notification of `method`, its params written in parts.
    pub fn notification(output: &Output, method: &str) -> Self {
        // Small: not one of the output's spare bodies, which are for whole
        // messages.
        let mut prefix = Vec::new();
        super::output::notification_prefix(&mut prefix, method);
        ReplyStream {
            slot: None,
            output: output.clone(),
            prefix,
            suffix: b"}".to_vec(),
            buf: Vec::new(),
            sending: None,
            rewrite: false,
        }
    }

    /// Puts each part through the output's rewrite: for an answer whose
    /// length was counted rewritten (one that names documents, which the
    /// server's rewrite spells as the client did).
    pub fn rewriting(&mut self) -> &mut Self {
        self.rewrite = true;
        self
    }

    fn send_part(&mut self) {
        let Some((parts, spent)) = &self.sending else {
            self.buf.clear();
            return;
        };
        let next = spent
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(PART + PART / 4));
        let mut full = std::mem::replace(&mut self.buf, next);
        if self.rewrite {
            // Parts end between items, so each holds its URIs whole.
            full = self.output.rewritten(full);
        }
        if parts.send(full).is_err() {
            // The writer is gone: nothing more can reach the client.
            self.sending = None;
        }
    }

    /// Sends what is left.
    pub fn finish(mut self) {
        if self.sending.is_some() {
            self.buf.extend_from_slice(&self.suffix);
            self.send_part();
        }
    }
}

impl Parts for ReplyStream {
    fn start(&mut self, len: usize) {
        if self.slot.as_ref().is_some_and(|slot| !slot.claim()) {
            // Cancelled and answered: what is written goes nowhere.
            return;
        }
        let (parts, parts_rx) = sync_channel(PARTS_QUEUED);
        let (spent_tx, spent) = channel();
        let whole = self.prefix.len() + len + self.suffix.len();
        if self.output.streamed(whole, parts_rx, spent_tx).send() {
            self.sending = Some((parts, spent));
        }
        self.buf = Vec::with_capacity(PART + PART / 4);
        self.buf.extend_from_slice(&self.prefix);
    }

    fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn item_done(&mut self) {
        if self.buf.len() >= PART {
            self.send_part();
        }
    }
}

/// `handler` (the service's future for the message `id`), given a
/// [`ReplySlot`] when it is a request answered `raw`: tower-lsp's own
/// response is then dropped when the handler already replied.
pub fn with_slot<E: Send + 'static>(
    id: Option<&Id>,
    raw: bool,
    output: &Output,
    handler: impl Future<Output = Result<Option<Response>, E>> + Send + 'static,
) -> BoxFuture<'static, Result<Option<Response>, E>> {
    let slot = match id {
        Some(id) if raw => Arc::new(ReplySlot {
            id: id.clone(),
            output: output.clone(),
            claimed: AtomicBool::new(false),
        }),
        _ => return handler.boxed(),
    };
    let handler = SLOT.scope(Arc::clone(&slot), handler);
    async move {
        let response = handler.await?;
        // The handler's work may still run (a cancelled request's blocking
        // task); whichever answer comes first is the answer.
        Ok(if slot.claim() { response } else { None })
    }
    .boxed()
}
