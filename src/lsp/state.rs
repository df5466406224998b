//! Server state shared by all handlers: open documents, what `initialize`
//! settled ([`Negotiated`]), the configuration and the workspace index.
//!
//! Locks are std locks held for a few statements and never across an
//! `.await` (the one exception, a document's turn, is tokio's and orders that
//! document's messages); a poisoned lock (a panic elsewhere) is recovered,
//! not propagated, because a panic is contained to one request and the data
//! stays usable.
//!
//! The workspace index is read as a snapshot and changed by one writer at a
//! time (`workspace::IndexHost`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

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
use crate::workspace::passes::Passes;
use crate::workspace::{IndexHost, IndexWrite, WorkspaceIndex};

pub struct State {
    pub client: Client,
    /// The way to the client for what is written without tower-lsp
    /// (diagnostics, raw replies): the queue its responses take too.
    pub output: Output,
    docs: Mutex<HashMap<Url, Document>>,
    /// The workspace scans: one at a time, the newest wins.
    pub scans: Arc<crate::workspace::scans::Scans>,
    /// The passes that refresh every open document: one at a time.
    pub refreshes: Passes,
    /// Each open document's turn: see [`State::turn`].
    turns: Mutex<HashMap<Url, Arc<tokio::sync::Mutex<()>>>>,
    negotiated: RwLock<Negotiated>,
    layers: Mutex<Layers>,
    /// The workspace index: snapshots to read, one writer at a time.
    index: IndexHost,
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
            refreshes: Passes::default(),
            negotiated: RwLock::new(Negotiated::default()),
            layers: Mutex::new(Layers::default()),
            index: IndexHost::new(WorkspaceIndex::new(Vec::new(), Config::default())),
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

    /// The index as it is now (`IndexHost::snapshot`).
    pub fn index(&self) -> Arc<WorkspaceIndex> {
        self.index.snapshot()
    }

    /// The index to change (`IndexHost::write`).
    pub fn index_mut(&self) -> IndexWrite<'_> {
        self.index.write()
    }

    /// Moves on at every change of the index (`IndexHost::generation`):
    /// what a document's findings depend on besides its own text may have
    /// changed.
    pub fn generation(&self) -> u64 {
        self.index.generation()
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
