//! The server's stdout: every message goes out whole, through one queue.
//!
//! tower-lsp turns every result and notification into a `Value` tree: for
//! a large outline, a tree many times the size of the answer, in small
//! allocations, slow to build, print and free (docs/performance.md). So
//! published diagnostics are written straight into a frame, and document
//! symbols and a large document's diagnostics are streamed in parts
//! (`replies::ReplyStream`) without ever being held whole; the transport queues
//! tower-lsp's other responses and its requests to the client
//! ([`Output::send`]).
//!
//! One writer thread owns the output (stdout, or a test's pipe) and writes
//! the queue in order, so frames never interleave. Each server has its own
//! [`Output`], made with it (`lsp::Server`) and handed to the state, the
//! wrappers and the read loop: everything the server says goes through it,
//! and through the server's rewrite (the LSP layer's puts URIs back as the
//! client spelled them).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use super::queue::{Queue, MAX_QUEUED};

/// A server's way out: the queue to its writer thread. Clones share it;
/// when the last is dropped, the writer writes what is queued and stops.
#[derive(Clone)]
pub struct Output(Arc<Shared>);

struct Shared {
    queue: Arc<Queue<Chunk>>,
    spare: Arc<Spare>,
    /// What every whole message goes through before it is queued.
    rewrite: fn(Vec<u8>) -> Vec<u8>,
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
    /// large body is not copied to prepend its header), and where the
    /// writer puts the body's digest once written, if asked.
    Whole(Vec<u8>, Vec<u8>, Option<Arc<AtomicU64>>),
    /// A frame whose body of exactly `len` bytes comes in parts, from a
    /// `replies::ReplyStream`.
    Streamed {
        header: Vec<u8>,
        len: usize,
        parts: Receiver<Vec<u8>>,
        /// Where written parts go back, to be filled again.
        spent: Sender<Vec<u8>>,
    },
}

impl Output {
    /// Starts the writer thread on `out`; every whole message body goes
    /// through `rewrite` first (`std::convert::identity` for none).
    ///
    /// A thread of its own rather than a task on `tokio::io::stdout`: tokio's
    /// stdout copies every write into its own buffer and hands it to the
    /// blocking pool, which for a megabyte of diagnostics per keystroke was a
    /// copy and two thread hops on the way to the client.
    pub fn start<W: Write + Send + 'static>(mut out: W, rewrite: fn(Vec<u8>) -> Vec<u8>) -> Output {
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
        Output(Arc::new(Shared {
            queue,
            spare,
            rewrite,
        }))
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
        notification_prefix(&mut body, method);
        body
    }

    /// Closes a body begun with [`Output::notification_start`].
    pub fn finish_notification(&self, mut body: Vec<u8>) -> Frame {
        body.push(b'}');
        self.frame(body)
    }

    /// Closes a body begun with [`Output::notification_start`], under `key`:
    /// while it waits in the queue, a newer one with the same key takes its
    /// place (a document's newer diagnostics).
    pub fn finish_keyed(&self, body: Vec<u8>, key: &str) -> Frame {
        let mut frame = self.finish_notification(body);
        frame.key = Some(key.to_string());
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

    /// `body` put through the server's rewrite.
    pub fn rewritten(&self, body: Vec<u8>) -> Vec<u8> {
        (self.0.rewrite)(body)
    }

    /// The frame of a JSON-RPC message body, rewritten.
    pub(super) fn frame(&self, body: Vec<u8>) -> Frame {
        let body = self.rewritten(body);
        self.chunk(Chunk::Whole(header(body.len()), body, None))
    }

    fn chunk(&self, chunk: Chunk) -> Frame {
        Frame {
            chunk,
            key: None,
            output: self.clone(),
        }
    }

    /// The frame of a body of exactly `len` bytes that comes in `parts`;
    /// written ones go back to `spent`, to be filled again.
    pub(super) fn streamed(
        &self,
        len: usize,
        parts: Receiver<Vec<u8>>,
        spent: Sender<Vec<u8>>,
    ) -> Frame {
        self.chunk(Chunk::Streamed {
            header: header(len),
            len,
            parts,
            spent,
        })
    }

    /// An empty body buffer, reused when one is spare.
    pub(super) fn body_buffer(&self) -> Vec<u8> {
        let spare = self.0.spare.lock().pop();
        spare.unwrap_or_else(|| Vec::with_capacity(64 * 1024))
    }
}

fn write_chunk(stdout: &mut impl Write, chunk: Chunk, spare: &Spare) -> std::io::Result<()> {
    match chunk {
        Chunk::Whole(header, body, written) => {
            stdout.write_all(&header)?;
            stdout.write_all(&body)?;
            if let Some(slot) = written {
                slot.store(digest(&body), Ordering::Relaxed);
            }
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
const SPARE_MAX: usize = 16 * 1024 * 1024;

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

/// The start of a notification of `method`, up to its params.
pub fn notification_prefix(out: &mut Vec<u8>, method: &str) {
    out.extend_from_slice(br#"{"jsonrpc":"2.0","method":"#);
    // A string: nothing that fails to serialise.
    let _ = serde_json::to_writer(&mut *out, method);
    out.extend_from_slice(br#","params":"#);
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
    /// A hash of the message, to tell whether findings changed; never 0.
    pub fn digest(&self) -> u64 {
        match &self.chunk {
            Chunk::Whole(_, body, _) => digest(body),
            Chunk::Streamed { .. } => 1,
        }
    }

    /// Where the writer puts [`Frame::digest`] once the frame is written (0
    /// until then): the hashing is off the way of the message itself.
    pub fn digest_when_written(&mut self) -> Arc<AtomicU64> {
        let slot = Arc::new(AtomicU64::new(0));
        if let Chunk::Whole(_, _, written) = &mut self.chunk {
            *written = Some(Arc::clone(&slot));
        }
        slot
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
    /// on their own, `replies::PARTS_QUEUED`).
    fn queued_len(&self) -> usize {
        match self {
            Chunk::Whole(header, body, _) => header.len() + body.len(),
            Chunk::Streamed { header, .. } => header.len(),
        }
    }
}

/// A hash of a message's bytes, to tell whether findings changed; never 0
/// (which says "not yet known").
fn digest(bytes: &[u8]) -> u64 {
    crate::ide::hash_bytes(bytes).max(1)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{channel, sync_channel};

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
