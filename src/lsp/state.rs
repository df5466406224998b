//! Server state shared by all handlers: open documents, the negotiated
//! session settings and the term index.
//!
//! Locks are std locks held for a few statements and never across an
//! `.await`; a poisoned lock (a panic elsewhere) is recovered, not propagated,
//! because the data it guards is replaced whole on every update.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tower_lsp::lsp_types::Url;
use tower_lsp::Client;

use super::documents::{Document, Snapshot};
use super::position::Encoding;
use crate::ide::TermIndex;

/// What was negotiated in `initialize`.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); do not push.
    pub pull_diagnostics: bool,
    pub snippets: bool,
}

pub struct State {
    pub client: Client,
    docs: Mutex<HashMap<Url, Document>>,
    session: RwLock<Session>,
    terms: RwLock<TermIndex>,
}

impl State {
    pub fn new(client: Client) -> Self {
        State {
            client,
            docs: Mutex::new(HashMap::new()),
            session: RwLock::new(Session::default()),
            terms: RwLock::new(TermIndex::builtin()),
        }
    }

    pub fn docs(&self) -> MutexGuard<'_, HashMap<Url, Document>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self, uri: &Url) -> Option<Snapshot> {
        self.docs().get(uri).map(Document::snapshot)
    }

    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs().get(uri).map(|d| d.version)
    }

    pub fn session(&self) -> Session {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_session(&self, s: Session) {
        *self.session.write().unwrap_or_else(|e| e.into_inner()) = s;
    }

    pub fn terms(&self) -> RwLockReadGuard<'_, TermIndex> {
        self.terms.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn terms_mut(&self) -> RwLockWriteGuard<'_, TermIndex> {
        self.terms.write().unwrap_or_else(|e| e.into_inner())
    }
}
