//! What each document's last pulled report stood on (its version, the
//! index generation) and its id, so a client that holds it is answered
//! `unchanged` without looking at the findings (`pull`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tower_lsp::lsp_types::Url;

/// The last report of each document, and what it stood on.
#[derive(Debug, Default)]
pub struct PullCache {
    reports: Mutex<HashMap<Url, Pulled>>,
}

#[derive(Debug, Clone)]
pub(super) struct Pulled {
    pub(super) version: Option<i32>,
    pub(super) generation: u64,
    pub(super) result_id: Arc<str>,
}

impl PullCache {
    pub(super) fn get(&self, uri: &Url) -> Option<Pulled> {
        self.lock().get(uri).cloned()
    }

    pub(super) fn put(&self, uri: &Url, pulled: Pulled) {
        self.lock().insert(uri.clone(), pulled);
    }

    /// Forgets a document (closed: its next report comes from the index).
    pub fn forget(&self, uri: &Url) {
        self.lock().remove(uri);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Url, Pulled>> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
