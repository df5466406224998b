//! The server's stdout: every message goes out whole, through one queue.
//!
//! tower-lsp turns every result and notification into a `Value` tree. For
//! the outline of a 20,000-question file (a 7 MB answer) that tree held
//! about 100 MB in small allocations and took over 100 ms to build, print
//! and free. So published diagnostics are serialised straight from their
//! typed form into a frame, and document symbols are streamed in parts
//! ([`ReplyStream`]) without ever being held whole; the transport queues
//! tower-lsp's other responses and its requests to the client
//! ([`Output::send`]).
//!
//! One writer thread owns the output (stdout, or a test's pipe) and writes
//! the queue in order, so frames never interleave. Each server has its own
//! [`Output`], made with it (`lsp::Server`) and handed to the state, the
//! wrappers and the read loop: everything the server says goes through it.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tower::Service;
use tower_lsp::jsonrpc::{Error, Id, Request, Response};

use super::stdout_queue::{Queue, MAX_QUEUED};

/// A server's way out: the queue to its writer thread. Clones share it;
/// when the last is dropped, the writer writes what is queued and stops.
#[derive(Clone)]
pub struct Output(Arc<Shared>);

struct Shared {
    queue: Arc<Queue<Chunk>>,
    spare: Arc<Spare>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Nobody can queue any more: the writer ends once the queue is empty.
        self.queue.close();
    }
}

/// Bytes for stdout.
enum Chunk {
    /// A frame's header and body, written back to back (kept apart so a
    /// large body is not copied to prepend its header).
    Whole(Vec<u8>, Vec<u8>),
    /// A frame whose body of exactly `len` bytes comes in parts, from a
    /// [`ReplyStream`].
    Streamed {
        header: Vec<u8>,
        len: usize,
        parts: Receiver<Vec<u8>>,
        /// Where written parts go back, to be filled again.
        spent: Sender<Vec<u8>>,
    },
}

impl Output {
    /// Starts the writer thread on `out`.
    ///
    /// A thread of its own rather than a task on `tokio::io::stdout`: tokio's
    /// stdout copies every write into its own buffer and hands it to the
    /// blocking pool, which for a megabyte of diagnostics per keystroke was a
    /// copy and two thread hops on the way to the client.
    pub fn start<W: Write + Send + 'static>(mut out: W) -> Output {
        let queue = Arc::new(Queue::new(MAX_QUEUED));
        let spare = Arc::new(Spare::default());
        let (rx, spent) = (Arc::clone(&queue), Arc::clone(&spare));
        let spawned = std::thread::Builder::new()
            .name("notes-ls-stdout".into())
            .spawn(move || {
                while let Some(chunk) = rx.pop() {
                    let written = write_chunk(&mut out, chunk, &spent).and_then(|()| {
                        if rx.is_empty() {
                            out.flush()
                        } else {
                            Ok(())
                        }
                    });
                    if let Err(e) = written {
                        tracing::error!("cannot write to the client: {e}");
                        rx.close();
                        return;
                    }
                }
            });
        if let Err(e) = spawned {
            // Without it nothing reaches the client; the server still runs,
            // and says why in its log.
            tracing::error!("cannot start the output writer: {e}");
            queue.close();
        }
        Output(Arc::new(Shared { queue, spare }))
    }

    /// Queues a message (a response, or a request to the client); false if
    /// the writer is gone.
    pub fn send(&self, message: &impl serde::Serialize) -> bool {
        let mut body = self.body_buffer();
        if let Err(e) = serde_json::to_writer(&mut body, message) {
            tracing::error!("cannot serialise a message: {e}");
            return false;
        }
        self.frame(body).send()
    }

    /// The start of a notification whose params the caller writes as JSON
    /// after it; [`Output::finish_notification`] closes it.
    pub fn notification_start(&self, method: &str) -> Vec<u8> {
        let mut body = self.body_buffer();
        body.extend_from_slice(br#"{"jsonrpc":"2.0","method":"#);
        // A string: nothing that fails to serialise.
        let _ = serde_json::to_writer(&mut body, method);
        body.extend_from_slice(br#","params":"#);
        body
    }

    /// Closes a body begun with [`Output::notification_start`].
    pub fn finish_notification(&self, mut body: Vec<u8>) -> Frame {
        body.push(b'}');
        self.frame(body)
    }

    /// Closes the body of a `publishDiagnostics` for `uri` begun with
    /// [`Output::notification_start`]: while it waits in the queue, a newer
    /// one for the same document takes its place.
    pub fn finish_publication(&self, body: Vec<u8>, uri: &str) -> Frame {
        let mut frame = self.finish_notification(body);
        frame.key = Some(uri.to_string());
        frame
    }

    /// Queues a `$/progress` notification whose `value` is `value`, JSON
    /// written by the caller (partial results).
    pub fn progress_raw(&self, token: &impl serde::Serialize, value: &[u8]) -> bool {
        let mut body = self.notification_start("$/progress");
        body.extend_from_slice(br#"{"token":"#);
        if serde_json::to_writer(&mut body, token).is_err() {
            return false;
        }
        body.extend_from_slice(br#","value":"#);
        body.extend_from_slice(value);
        body.push(b'}');
        self.finish_notification(body).send()
    }

    /// The frame of a JSON-RPC message body, documents named as the client
    /// spells them (`respell`).
    fn frame(&self, body: Vec<u8>) -> Frame {
        let body = super::respell::respelled(body);
        self.chunk(Chunk::Whole(header(body.len()), body))
    }

    fn chunk(&self, chunk: Chunk) -> Frame {
        Frame {
            chunk,
            key: None,
            output: self.clone(),
        }
    }

    /// An empty body buffer, reused when one is spare.
    fn body_buffer(&self) -> Vec<u8> {
        let spare = self.0.spare.lock().pop();
        spare.unwrap_or_else(|| Vec::with_capacity(64 * 1024))
    }
}

fn write_chunk(stdout: &mut impl Write, chunk: Chunk, spare: &Spare) -> std::io::Result<()> {
    match chunk {
        Chunk::Whole(header, body) => {
            stdout.write_all(&header)?;
            stdout.write_all(&body)?;
            spare.recycle(body);
        }
        Chunk::Streamed {
            header,
            len,
            parts,
            spent,
        } => {
            stdout.write_all(&header)?;
            // Exactly the announced length, whatever the parts add up to:
            // a frame that is short or long would garble every message
            // after it, where this garbles one.
            let mut left = len;
            for mut part in parts {
                let n = part.len().min(left);
                stdout.write_all(&part[..n])?;
                left -= n;
                if n < part.len() {
                    tracing::error!("a streamed answer ran past its length; cut short");
                }
                part.clear();
                let _ = spent.send(part);
            }
            if left > 0 {
                tracing::error!("a streamed answer ended {left} bytes short; padded");
                stdout.write_all(&vec![b' '; left])?;
            }
        }
    }
    Ok(())
}

/// Bodies written and ready for another message. A large answer (the
/// outline of a big file is megabytes) would otherwise take a fresh
/// allocation each time, on whichever thread built it, and glibc keeps
/// freed memory per thread: peak memory grew with the number of threads.
#[derive(Default)]
struct Spare(Mutex<Vec<Vec<u8>>>);

/// How many spare bodies are kept; more are freed.
const SPARES: usize = 1;

/// The largest body kept for reuse: a file's diagnostics, not its outline,
/// which is megabytes that would otherwise stay allocated for good.
const SPARE_MAX: usize = 2 * 1024 * 1024;

impl Spare {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn recycle(&self, mut body: Vec<u8>) {
        if body.capacity() < 64 * 1024 || body.capacity() > SPARE_MAX {
            return;
        }
        // Grown by doubling, a body has up to twice the room it used: kept
        // for good, that would be a megabyte of nothing for a large file.
        body.shrink_to(body.len() + body.len() / 4);
        body.clear();
        let mut spare = self.lock();
        if spare.len() < SPARES {
            spare.push(body);
        }
    }
}

fn header(len: usize) -> Vec<u8> {
    format!("Content-Length: {len}\r\n\r\n").into_bytes()
}

/// A serialised message waiting to be written.
pub struct Frame {
    chunk: Chunk,
    key: Option<String>,
    output: Output,
}

impl Frame {
    /// A hash of the message (see `publish::digest`).
    pub fn digest(&self) -> u64 {
        match &self.chunk {
            Chunk::Whole(_, body) => super::publish::digest(body),
            Chunk::Streamed { .. } => 0,
        }
    }

    /// Queues the frame; false if the writer is gone. Waits while the
    /// queue is full (a client that does not read).
    pub fn send(self) -> bool {
        let len = self.chunk.queued_len();
        self.output.0.queue.push(self.key, len, self.chunk)
    }
}

impl Chunk {
    /// The bytes it holds in the queue (a streamed body's parts are bounded
    /// on their own, [`PARTS_QUEUED`]).
    fn queued_len(&self) -> usize {
        match self {
            Chunk::Whole(header, body) => header.len() + body.len(),
            Chunk::Streamed { header, .. } => header.len(),
        }
    }
}

/// The request being answered, for a [`ReplyStream`]: set by [`RawReplies`] around
/// the handlers of the methods in [`RAW_METHODS`].
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

/// Requests whose results are large enough to be answered without
/// tower-lsp's `Value` step: by a [`ReplyStream`] or [`reply_whole`].
const RAW_METHODS: &[&str] = &[
    "textDocument/documentSymbol",
    "textDocument/diagnostic",
    "workspace/diagnostic",
];

/// Answers the request of `slot` with `result`, JSON written by the
/// caller. False when it could not be queued (the caller answers instead).
///
/// True as well when the request was answered already (cancelled): the
/// result is then dropped.
pub fn reply_whole(slot: &ReplySlot, result: &[u8]) -> bool {
    if !slot.claim() {
        return true;
    }
    let mut body = slot.output.body_buffer();
    body.extend_from_slice(br#"{"jsonrpc":"2.0","result":"#);
    body.extend_from_slice(result);
    body.extend_from_slice(br#","id":"#);
    // An id is a number or a string: nothing that fails to serialise.
    let _ = serde_json::to_writer(&mut body, &slot.id);
    body.push(b'}');
    slot.output.frame(body).send()
}

/// The slot of the request whose handler is running (one of
/// [`RAW_METHODS`], under [`RawReplies`]). Take it before moving work to
/// another thread: task-locals stay behind.
pub fn reply_slot() -> Result<Arc<ReplySlot>, Error> {
    SLOT.try_with(Arc::clone).map_err(|_| {
        tracing::error!("a raw reply outside `RawReplies`");
        Error::internal_error()
    })
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
/// ([`Parts`]) and sent to stdout as they fill, so that a large answer is
/// never held whole. Its length must be known before it is written.
pub struct ReplyStream {
    slot: Arc<ReplySlot>,
    /// The body after the result: `,"id":…}`.
    suffix: Vec<u8>,
    buf: Vec<u8>,
    sending: Option<Sending>,
}

impl ReplyStream {
    pub fn new(slot: Arc<ReplySlot>) -> Self {
        let mut suffix = br#","id":"#.to_vec();
        // An id is a number or a string: nothing that fails to serialise.
        let _ = serde_json::to_writer(&mut suffix, &slot.id);
        suffix.push(b'}');
        ReplyStream {
            slot,
            suffix,
            buf: Vec::new(),
            sending: None,
        }
    }

    fn send_part(&mut self) {
        let Some((parts, spent)) = &self.sending else {
            self.buf.clear();
            return;
        };
        let next = spent
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(PART + PART / 4));
        let full = std::mem::replace(&mut self.buf, next);
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
        const PREFIX: &[u8] = br#"{"jsonrpc":"2.0","result":"#;
        if !self.slot.claim() {
            // Cancelled and answered: what is written goes nowhere.
            return;
        }
        let (parts, parts_rx) = sync_channel(PARTS_QUEUED);
        let (spent_tx, spent) = channel();
        let whole = PREFIX.len() + len + self.suffix.len();
        let chunk = Chunk::Streamed {
            header: header(whole),
            len: whole,
            parts: parts_rx,
            spent: spent_tx,
        };
        if self.slot.output.chunk(chunk).send() {
            self.sending = Some((parts, spent));
        }
        self.buf = Vec::with_capacity(PART + PART / 4);
        self.buf.extend_from_slice(PREFIX);
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

/// Wraps the service: gives the handlers of [`RAW_METHODS`] a [`ReplySlot`]
/// and drops tower-lsp's own response when the handler already replied.
pub struct RawReplies<S> {
    pub inner: S,
    pub output: Output,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for RawReplies<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let slot = match req.id() {
            Some(id) if RAW_METHODS.contains(&req.method()) => Arc::new(ReplySlot {
                id: id.clone(),
                output: self.output.clone(),
                claimed: AtomicBool::new(false),
            }),
            _ => return Box::pin(self.inner.call(req)),
        };
        let fut = SLOT.scope(Arc::clone(&slot), self.inner.call(req));
        Box::pin(async move {
            let response = fut.await?;
            // The handler's work may still run (a cancelled request's
            // blocking task); whichever answer comes first is the answer.
            Ok(if slot.claim() { response } else { None })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A streamed frame is exactly as long as announced, even when the
    /// parts that came do not add up (a writer that panicked half way).
    #[test]
    fn streamed_frames_keep_their_announced_length() {
        let streamed = |len: usize, parts: &[&[u8]]| {
            let (tx, rx) = sync_channel(parts.len());
            let (spent, back) = channel();
            for p in parts {
                let _ = tx.send(p.to_vec());
            }
            drop(tx);
            let mut out = Vec::new();
            let chunk = Chunk::Streamed {
                header: header(len),
                len,
                parts: rx,
                spent,
            };
            assert!(write_chunk(&mut out, chunk, &Spare::default()).is_ok());
            // Every part comes back, empty, to be filled again.
            assert!(back.try_iter().all(|p| p.is_empty()));
            String::from_utf8_lossy(&out).into_owned()
        };
        assert_eq!(
            streamed(7, &[b"[1,", b"2,3]"]),
            "Content-Length: 7\r\n\r\n[1,2,3]"
        );
        assert_eq!(streamed(5, &[b"[1,"]), "Content-Length: 5\r\n\r\n[1,  ");
        assert_eq!(
            streamed(4, &[b"[1,", b"2,3]"]),
            "Content-Length: 4\r\n\r\n[1,2"
        );
    }
}
