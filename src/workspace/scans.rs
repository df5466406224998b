//! Who scans the workspace, and when: one scan at a time, the newest wins.
//!
//! Scans used to run side by side, each holding a whole index (a burst of
//! configuration changes multiplied the memory), and the slowest swapped
//! last, with the configuration it started from. Now every request bumps a
//! number and cancels the running scan (its walk and readers look at the
//! flag); one driver runs the scans in turn, and a burst of requests while
//! one runs costs one more scan. A scan swaps in only if no request came
//! after it started, checked under the index lock, so an older scan never
//! replaces a newer index.
//!
//! File changes that arrive while a scan runs are applied to the index in
//! force at once and kept here: the scan's walk may have read the folder
//! before the file came, or the file before it went, so they are applied
//! again to the scanned index when it is swapped in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::file_events::Change;
use super::{IndexStats, WorkspaceIndex};
use crate::config::Config;
use crate::syntax::Notes;

/// The scans of one server.
#[derive(Debug, Default)]
pub struct Scans {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Bumped by every request: a scan whose number is no longer the
    /// latest was asked to give way.
    requested: u64,
    /// A driver is running scans (or about to): a request needs no new one.
    driving: bool,
    /// The running scan's flag.
    cancel: Option<Arc<AtomicBool>>,
    /// File changes taken in while scans were wanted, to apply again to
    /// the index a scan swaps in.
    queued: Vec<Change>,
}

/// One scan's number and its cancel flag.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub number: u64,
    pub cancel: Arc<AtomicBool>,
}

impl Scans {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks for a scan: cancels the running one. True when no driver runs,
    /// and the caller must start one (which calls [`Scans::begin`] and
    /// [`Scans::end`] in turn until `end` says it is done).
    pub fn request(&self) -> bool {
        let mut inner = self.lock();
        inner.requested += 1;
        if let Some(cancel) = &inner.cancel {
            cancel.store(true, Ordering::Relaxed);
        }
        !std::mem::replace(&mut inner.driving, true)
    }

    /// The next scan to run: the latest request's number, a fresh flag.
    pub fn begin(&self) -> Ticket {
        let mut inner = self.lock();
        let cancel = Arc::new(AtomicBool::new(false));
        inner.cancel = Some(Arc::clone(&cancel));
        Ticket {
            number: inner.requested,
            cancel,
        }
    }

    /// A scan ran (or gave way). True when no request came after it: the
    /// driver stops, in the same lock as the check, so a request that
    /// comes after it sees no driver and starts one.
    pub fn end(&self, ticket: &Ticket) -> bool {
        let mut inner = self.lock();
        inner.cancel = None;
        let done = inner.requested == ticket.number;
        if done {
            inner.stop_driving();
        }
        done
    }

    /// Stops the scans of a driver that ended without saying so (a panic),
    /// so a later request starts scans again instead of waiting for it.
    pub fn stop_driving(&self) {
        self.lock().stop_driving();
    }

    /// Whether a scan runs or is wanted; if so, `changes` (already applied
    /// to the index in force) are kept for its swap. Called under the
    /// index's write lock, which the swap holds too, so a change is either
    /// in the index the swap replaces and kept, or applied after the swap.
    pub fn keep_if_scanning(&self, changes: &[Change]) {
        let mut inner = self.lock();
        if inner.driving {
            inner.queued.extend_from_slice(changes);
        }
    }

    /// For the swap of `ticket`'s scan, under the index's write lock: the
    /// changes kept to apply again, or `None` when a newer scan was asked
    /// for since it started (it must not swap in).
    pub fn take_for_swap(&self, ticket: &Ticket) -> Option<Vec<Change>> {
        let mut inner = self.lock();
        if inner.requested != ticket.number || ticket.cancel.load(Ordering::Relaxed) {
            return None;
        }
        Some(std::mem::take(&mut inner.queued))
    }
}

impl Inner {
    fn stop_driving(&mut self) {
        self.driving = false;
        self.cancel = None;
        // Whatever is kept was applied to the index in force.
        self.queued = Vec::new();
    }
}

/// A fresh index of `roots`: the user glossaries read first (a fresh index
/// has none, and one already in the workspace would be read only after it
/// changed), then every notes file, `progress` told of it about a hundred
/// times whatever the size. `None` when `cancel` was set meanwhile.
pub fn index_roots(
    roots: Vec<PathBuf>,
    config: Config,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Option<(WorkspaceIndex, IndexStats)> {
    let mut index = WorkspaceIndex::new(roots.clone(), config);
    index.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
    let mut last_told = 0;
    let mut tell = |done: usize, total: usize| {
        if done == total || done >= last_told + (total / 100).max(1) {
            last_told = done;
            progress(done, total);
        }
    };
    let stats = index.scan_cancellable(&mut tell, &mut |line| tracing::info!("{line}"), cancel)?;
    Some((index, stats))
}

/// `scanned` made ready to replace `current`, the index in force: the open
/// documents (`open`: path, the editor's text, its parse) that reached
/// `current` carried over, `current`'s configuration kept (a change that
/// needed no rescan, such as a severity, came meanwhile), and the file
/// changes queued during the scan applied again.
pub fn take_over(
    scanned: &mut WorkspaceIndex,
    current: &WorkspaceIndex,
    open: Vec<(PathBuf, Arc<String>, Arc<Notes>)>,
    queued: &[Change],
) {
    scanned.adopt_open(current, open);
    if scanned.config() != current.config() {
        scanned.set_config(current.config().clone());
    }
    super::file_events::apply(scanned, queued);
}
