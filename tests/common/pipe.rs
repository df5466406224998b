//! An in-memory byte pipe: the in-process server's stdin and stdout.
//!
//! Writes never wait (the bytes go to a channel without bound), so a test
//! on a single-threaded runtime can send a thousand messages before the
//! server, on that same thread, has read one. Reads wait for bytes and see
//! the end of input once every writer is gone or closed.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

/// A pipe's two ends.
pub fn pipe() -> (PipeWriter, PipeReader) {
    let (tx, rx) = channel();
    let writer = PipeWriter(Arc::new(Mutex::new(Some(tx))));
    let reader = PipeReader {
        rx,
        buf: Vec::new(),
        at: 0,
    };
    (writer, reader)
}

/// The writing end; clones write to the same pipe, and [`close`](Self::close)
/// closes it for all of them.
#[derive(Clone)]
pub struct PipeWriter(Arc<Mutex<Option<Sender<Vec<u8>>>>>);

impl PipeWriter {
    /// The reader sees the end of input once it has read what was written.
    pub fn close(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

impl Write for PipeWriter {
    /// Writes all of `buf` at once: a frame written with one call is never
    /// interleaved with another writer's.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let tx = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match tx.as_ref().map(|tx| tx.send(buf.to_vec())) {
            Some(Ok(())) => Ok(buf.len()),
            _ => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct PipeReader {
    rx: Receiver<Vec<u8>>,
    /// The bytes of the last write received, read up to `at`.
    buf: Vec<u8>,
    at: usize,
}

impl Read for PipeReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let got = self.fill_buf()?;
            let n = got.len().min(out.len());
            out[..n].copy_from_slice(&got[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for PipeReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.buf.len() {
            match self.rx.recv() {
                Ok(bytes) => {
                    self.buf = bytes;
                    self.at = 0;
                }
                // Every writer gone: the end of input.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.buf[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.buf.len());
    }
}
