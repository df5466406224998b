//! Server state shared by all handlers: open documents, what `initialize`
//! settled ([`Negotiated`]), the configuration and the workspace index.
//!
//! Locks are std locks held for a few statements and never across an
//! `.await` (the one exception, a document's turn, is tokio's and orders that
//! document's messages); a poisoned lock (a panic elsewhere) is recovered,
//! not propagated, because a panic is contained to one request and the data
//! stays usable.
//!
//! The workspace index is read as a snapshot (an `Arc`): a request that
//! takes a second over 5,000 files holds no lock, so an index update does
//! not wait for it and no other request waits behind that update. A writer
//! changes the index in place when no request holds a snapshot, else a copy
//! (files' texts and summaries are shared, not copied) that replaces it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockWriteGuard};

use tower_lsp::lsp_types::Url;
use tower_lsp::Client;

use super::capabilities::Negotiated;
use super::documents::{Document, Snapshot};
use super::position::Encoding;
use super::pulled::PullCache;
use super::uri::{doc_path, path_uri, OtherFiles};
use crate::config::{Config, Layers};
use crate::rpc::Output;
use crate::syntax::LineIndex;
use crate::workspace::WorkspaceIndex;

pub struct State {
    pub client: Client,
    /// The way to the client for what is written without tower-lsp
    /// (diagnostics, raw replies): the queue its responses take too.
    pub output: Output,
    docs: Mutex<HashMap<Url, Document>>,
    /// The workspace scans: one at a time, the newest wins.
    pub scans: Arc<crate::workspace::scans::Scans>,
    /// Each open document's turn: see [`State::turn`].
    turns: Mutex<HashMap<Url, Arc<tokio::sync::Mutex<()>>>>,
    negotiated: RwLock<Negotiated>,
    layers: Mutex<Layers>,
    /// The current index; see [`State::index`] and [`State::index_mut`].
    index: RwLock<Arc<WorkspaceIndex>>,
    /// Held by the one writer of the index at a time.
    index_writer: Mutex<()>,
    /// Moves on at every write access to the index: what a document's
    /// findings depend on besides its own text may have changed.
    generation: AtomicU64,
    pulls: PullCache,
    /// Files nobody has open whose findings were pushed, and the id of
    /// what was sent (`workspace.diagnostics` for push clients).
    published_closed: Mutex<HashMap<Url, String>>,
    /// What was last sent per open document (see
    /// [`State::publish_if_newest`]).
    last_published: Mutex<HashMap<Url, Published>>,
}

impl State {
    pub fn new(client: Client, output: Output) -> Self {
        State {
            client,
            output,
            docs: Mutex::new(HashMap::new()),
            turns: Mutex::new(HashMap::new()),
            scans: Arc::default(),
            negotiated: RwLock::new(Negotiated::default()),
            layers: Mutex::new(Layers::default()),
            index: RwLock::new(Arc::new(WorkspaceIndex::new(Vec::new(), Config::default()))),
            index_writer: Mutex::new(()),
            generation: AtomicU64::new(0),
            pulls: PullCache::default(),
            published_closed: Mutex::new(HashMap::new()),
            last_published: Mutex::new(HashMap::new()),
        }
    }

    pub fn docs(&self) -> MutexGuard<'_, HashMap<Url, Document>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The turn of `uri`, made if it has none (`didOpen`): messages about
    /// one document are handled in the order they came, each waiting for
    /// the one before it (a Replace All being applied on another thread),
    /// while messages about other documents go on. Taken when the handler is first polled, which the
    /// read loop does in arrival order; tokio's mutex serves waiters first
    /// come, first served.
    pub async fn turn(&self, uri: &Url) -> tokio::sync::OwnedMutexGuard<()> {
        let turn = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(turns.entry(uri.clone()).or_default())
        };
        turn.lock_owned().await
    }

    /// The turn of `uri` if it was opened ([`State::turn`] is taken by
    /// `didOpen`); other documents have no turn to wait for, and get none,
    /// so requests about files nobody opened (a pulled report of each of
    /// 5,000) leave nothing behind.
    pub async fn open_turn(&self, uri: &Url) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let turn = {
            let turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(turns.get(uri)?)
        };
        Some(turn.lock_owned().await)
    }

    /// Forgets the turn of a closed document nobody waits for.
    pub fn forget_turn(&self, uri: &Url) {
        let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
        if turns.get(uri).is_some_and(|t| Arc::strong_count(t) == 1) {
            turns.remove(uri);
        }
    }

    pub fn snapshot(&self, uri: &Url) -> Option<Snapshot> {
        self.docs().get(uri).map(Document::snapshot)
    }

    /// Places in the files of `index`, found in the editor's text for open
    /// documents (of which the index keeps no text).
    pub fn other_files<'i>(&'i self, index: &'i WorkspaceIndex, enc: Encoding) -> OtherFiles<'i> {
        OtherFiles::new(index, Box::new(|p| self.editor_text(p)), enc)
    }

    /// The text and line index of the open document at `path`.
    /// Looked up by the path's own URI, which is the client's for VS Code
    /// and Neovim; a client that encodes a path otherwise (`%3A` for `:`) is
    /// found by comparing every open document's path.
    fn editor_text(&self, path: &Path) -> Option<(Arc<String>, Arc<LineIndex>)> {
        let docs = self.docs();
        let doc = path_uri(path).and_then(|uri| docs.get(&uri)).or_else(|| {
            let mut open = docs.iter();
            open.find(|(uri, _)| doc_path(uri) == path).map(|(_, d)| d)
        })?;
        Some((Arc::clone(&doc.text), Arc::clone(&doc.lines)))
    }

    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs().get(uri).map(|d| d.version)
    }

    /// Every open document and its version.
    pub fn open_documents(&self) -> Vec<(Url, i32)> {
        self.docs()
            .iter()
            .map(|(u, d)| (u.clone(), d.version))
            .collect()
    }

    pub fn negotiated(&self) -> Negotiated {
        self.negotiated
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_negotiated(&self, s: Negotiated) {
        *self.negotiated.write().unwrap_or_else(|e| e.into_inner()) = s;
    }

    pub fn layers(&self) -> MutexGuard<'_, Layers> {
        self.layers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index as it is now: a snapshot that later changes do not touch,
    /// held without any lock.
    pub fn index(&self) -> Arc<WorkspaceIndex> {
        Arc::clone(&self.index.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The index to change; the change is seen by readers when the guard
    /// is dropped. Writers take turns. The generation moves on before the
    /// change and again once it is in place, so a reader that saw the
    /// newer generation also sees the changed index, never an id for
    /// findings it did not compute.
    pub fn index_mut(&self) -> IndexWrite<'_> {
        let turn = self.index_writer.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        IndexWrite {
            state: self,
            target: Target::Reading(self.index()),
            _turn: turn,
        }
    }

    /// See [`State::index_mut`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn pulls(&self) -> &PullCache {
        &self.pulls
    }

    /// Runs `send` (which queues a publication of `uri`'s findings at
    /// `version`, computed against the index at `generation`) unless findings
    /// computed later were already sent, or the same findings were sent for
    /// the same version. Two computations of one version can race: one
    /// against the glossary before a change, one after; the first can finish
    /// computing first and still be the last to queue its message, which
    /// would leave the client with the stale one. The check and the queueing
    /// happen under one lock, so messages go out in order.
    ///
    /// `digest` names the message's findings. It is asked only when this
    /// version was sent before (the workspace changed, not the document):
    /// a file whose findings an edit elsewhere did not change is not sent
    /// again (with many open files sharing a question, one message per
    /// keystroke, not one per file). Other first messages of a version are
    /// hashed by the writer after they are written (`send` returns where the
    /// digest goes); an edit's own message is not hashed at all: hashing it
    /// showed in every keystroke's time on a file with many findings.
    pub fn publish_if_newest(
        &self,
        uri: &Url,
        version: i32,
        generation: u64,
        digest: impl FnOnce() -> u64,
        send: impl FnOnce() -> Option<Arc<AtomicU64>>,
    ) {
        let mut last = self
            .last_published
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut known = None;
        if let Some(seen) = last.get_mut(uri) {
            if (seen.version, seen.generation) > (version, generation) {
                return;
            }
            if seen.version == version {
                let d = digest();
                if seen.digest.get() == Some(d) {
                    seen.generation = generation;
                    return;
                }
                known = Some(d);
            }
        }
        let written = send();
        let digest = match (known, written) {
            (Some(d), _) => Digest::Known(d),
            (None, Some(slot)) => Digest::Written(slot),
            (None, None) => Digest::Unknown,
        };
        let sent = Published {
            version,
            generation,
            digest,
        };
        last.insert(uri.clone(), sent);
    }

    /// Forgets what was published for a closed document.
    pub fn forget_published(&self, uri: &Url) {
        self.last_published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(uri);
    }

    pub fn published_closed(&self) -> MutexGuard<'_, HashMap<Url, String>> {
        self.published_closed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// The last diagnostics sent for an open document.
#[derive(Debug, Clone)]
struct Published {
    version: i32,
    generation: u64,
    /// A hash of the findings: known, or filled in by the writer once the
    /// message is written (0 until then).
    digest: Digest,
}

#[derive(Debug, Clone)]
enum Digest {
    Unknown,
    Known(u64),
    Written(Arc<AtomicU64>),
}

impl Digest {
    fn get(&self) -> Option<u64> {
        match self {
            Digest::Unknown => None,
            Digest::Known(d) => Some(*d),
            Digest::Written(slot) => Some(slot.load(Ordering::Relaxed)).filter(|&d| d != 0),
        }
    }
}

/// A change to the index in progress ([`State::index_mut`]).
pub struct IndexWrite<'s> {
    state: &'s State,
    target: Target<'s>,
    _turn: MutexGuard<'s, ()>,
}

enum Target<'s> {
    /// Not changed yet: the index as it is.
    Reading(Arc<WorkspaceIndex>),
    /// Nobody held a snapshot, and nobody can take one while the lock is
    /// held: changed in place, readers wait for the change.
    InPlace(RwLockWriteGuard<'s, Arc<WorkspaceIndex>>),
    /// A request was reading: it keeps the old index, the change goes to a
    /// copy (or a new index, [`IndexWrite::replace`]) swapped in on drop.
    Copy(Box<WorkspaceIndex>),
    /// Dropped.
    Done,
}

impl IndexWrite<'_> {
    /// Puts `index` in place of the current one, which is not copied.
    pub fn replace(&mut self, index: WorkspaceIndex) {
        self.target = Target::Copy(Box::new(index));
    }
}

impl std::ops::Deref for IndexWrite<'_> {
    type Target = WorkspaceIndex;
    fn deref(&self) -> &WorkspaceIndex {
        match &self.target {
            Target::Reading(index) => index,
            Target::InPlace(guard) => guard,
            Target::Copy(copy) => copy,
            Target::Done => unreachable!("read after drop"),
        }
    }
}

impl std::ops::DerefMut for IndexWrite<'_> {
    fn deref_mut(&mut self) -> &mut WorkspaceIndex {
        if let Target::Reading(_) = self.target {
            // Our own snapshot must go first, or the index is never unique.
            self.target = Target::Done;
            let mut current = self.state.index.write().unwrap_or_else(|e| e.into_inner());
            self.target = if Arc::get_mut(&mut current).is_some() {
                Target::InPlace(current)
            } else {
                // Copied outside the lock (long for a large workspace):
                // readers go on meanwhile, and writers take turns, so nothing
                // changes the index under the copy.
                let shared = Arc::clone(&current);
                drop(current);
                Target::Copy(Box::new(WorkspaceIndex::clone(&shared)))
            };
        }
        match &mut self.target {
            // Unique while the write lock is held: `make_mut` does not copy.
            Target::InPlace(guard) => Arc::make_mut(guard),
            Target::Copy(copy) => copy,
            Target::Reading(_) | Target::Done => unreachable!("set just above"),
        }
    }
}

impl Drop for IndexWrite<'_> {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.target, Target::Done) {
            Target::Reading(_) | Target::Done => {}
            Target::InPlace(guard) => drop(guard),
            Target::Copy(copy) => {
                let changed = Arc::new(*copy);
                let mut current = self.state.index.write().unwrap_or_else(|e| e.into_inner());
                let old = std::mem::replace(&mut *current, changed);
                drop(current);
                // Freed (when no request holds it any more) outside the lock.
                drop(old);
            }
        }
        self.state.generation.fetch_add(1, Ordering::SeqCst);
    }
}
