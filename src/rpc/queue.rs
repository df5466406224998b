//! The queue between the server and its stdout writer: bounded in bytes and
//! coalescing what one newer message makes useless.
//!
//! A client that reads slowly (or not at all while it is busy) used to let
//! the queue grow without bound: many open files that share a question made
//! one publication per file per keystroke (the figures are in
//! docs/robustness.md). Now a file's `publishDiagnostics` waiting in the queue is replaced
//! in place by a newer one for the same file (the client would throw the
//! older away on receiving the newer), and a sender waits while the queue
//! holds more than [`MAX_QUEUED`] bytes, so a stalled client stalls the
//! server's output instead of filling its memory.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Bytes the queue may hold before senders wait. One message larger than
/// this still goes, alone.
pub const MAX_QUEUED: usize = 64 * 1024 * 1024;

/// A bounded queue of items of a known length, each with an optional key;
/// an item with a key replaces a queued item with the same key.
pub struct Queue<T> {
    pending: Mutex<Pending<T>>,
    /// The writer waits here for items.
    ready: Condvar,
    /// Senders wait here for room.
    room: Condvar,
    limit: usize,
}

struct Pending<T> {
    /// Items in order. A replaced item keeps its place: a file's newest
    /// findings go out where its first queued ones would have.
    items: VecDeque<Item<T>>,
    /// Sequence number of the front item; `items[i]` has `front + i`.
    front: u64,
    /// Key → sequence number of its queued item.
    keyed: HashMap<String, u64>,
    bytes: usize,
    closed: bool,
}

struct Item<T> {
    key: Option<String>,
    len: usize,
    value: T,
}

impl<T> Queue<T> {
    pub fn new(limit: usize) -> Self {
        Queue {
            pending: Mutex::new(Pending {
                items: VecDeque::new(),
                front: 0,
                keyed: HashMap::new(),
                bytes: 0,
                closed: false,
            }),
            ready: Condvar::new(),
            room: Condvar::new(),
            limit,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pending<T>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `value` (`len` bytes). With a key, a queued item of the same
    /// key is replaced in place and nothing waits. Otherwise waits while
    /// the queue is over its limit. False when the writer is gone.
    pub fn push(&self, key: Option<String>, len: usize, value: T) -> bool {
        let mut p = self.lock();
        if p.closed {
            return false;
        }
        if let Some(k) = &key {
            if let Some(&seq) = p.keyed.get(k) {
                let i = (seq - p.front) as usize;
                if let Some(item) = p.items.get_mut(i) {
                    let old = std::mem::replace(&mut item.len, len);
                    item.value = value;
                    p.bytes = p.bytes - old + len;
                    return true;
                }
            }
        }
        while p.bytes > 0 && p.bytes + len > self.limit && !p.closed {
            p = self.room.wait(p).unwrap_or_else(PoisonError::into_inner);
        }
        if p.closed {
            return false;
        }
        let seq = p.front + p.items.len() as u64;
        if let Some(k) = &key {
            p.keyed.insert(k.clone(), seq);
        }
        p.bytes += len;
        p.items.push_back(Item { key, len, value });
        self.ready.notify_one();
        true
    }

    /// The next item, waiting for one; `None` once closed and empty.
    pub fn pop(&self) -> Option<T> {
        let mut p = self.lock();
        loop {
            if let Some(item) = p.items.pop_front() {
                p.front += 1;
                if let Some(k) = &item.key {
                    if p.keyed.get(k) == Some(&(p.front - 1)) {
                        p.keyed.remove(k);
                    }
                }
                p.bytes -= item.len;
                self.room.notify_all();
                return Some(item.value);
            }
            if p.closed {
                return None;
            }
            p = self.ready.wait(p).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Whether nothing is waiting to be written.
    pub fn is_empty(&self) -> bool {
        self.lock().items.is_empty()
    }

    /// The writer is gone: senders stop waiting and get `false`.
    pub fn close(&self) {
        self.lock().closed = true;
        self.room.notify_all();
        self.ready.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_newer_message_for_a_key_replaces_the_queued_one_in_place() {
        let q = Queue::new(1000);
        assert!(q.push(Some("a".into()), 10, "a1"));
        assert!(q.push(None, 5, "response"));
        assert!(q.push(Some("b".into()), 10, "b1"));
        assert!(q.push(Some("a".into()), 20, "a2"));
        assert_eq!(q.pop(), Some("a2"));
        // Taken by the writer: a newer one queues again, after the rest.
        assert!(q.push(Some("a".into()), 10, "a3"));
        assert_eq!(q.pop(), Some("response"));
        assert_eq!(q.pop(), Some("b1"));
        assert_eq!(q.pop(), Some("a3"));
        assert!(q.is_empty());
    }

    #[test]
    fn senders_wait_for_room_and_a_closed_queue_refuses() {
        let q = Arc::new(Queue::new(100));
        assert!(q.push(None, 60, 1));
        // Alone, a message over the limit still goes.
        let q2 = Arc::clone(&q);
        let sender = std::thread::spawn(move || q2.push(None, 60, 2));
        std::thread::sleep(Duration::from_millis(50));
        assert!(!sender.is_finished(), "over the limit: the sender waits");
        assert_eq!(q.pop(), Some(1));
        assert_eq!(sender.join().ok(), Some(true));
        assert_eq!(q.pop(), Some(2));
        assert!(q.push(None, 500, 3), "one large message alone goes");
        q.close();
        assert!(!q.push(None, 1, 4));
        assert_eq!(q.pop(), Some(3));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn many_publications_for_few_files_stay_few() {
        let q = Queue::new(usize::MAX);
        for round in 0..1000 {
            for file in 0..400 {
                assert!(q.push(Some(format!("file{file}")), 100, round));
            }
        }
        let mut n = 0;
        while !q.is_empty() {
            assert_eq!(q.pop(), Some(999));
            n += 1;
        }
        assert_eq!(n, 400);
    }
}
