//! Full scans of the workspace: one at a time, the newest wins.
//!
//! A scan builds a fresh index off the async threads and swaps it in.
//! Scans used to run side by side, each holding a whole index (fifteen
//! configuration changes: 91 MB became 1,188 MB), and the slowest swapped
//! last, with the configuration it started from. Now every request bumps a
//! number and cancels the running scan (its walk and readers look at the
//! flag); one task runs the scans in turn, and a burst of requests while
//! one runs costs one more scan, with the configuration in force when it
//! starts. A scan swaps in only if no request came after it started,
//! checked under the index lock, so an older scan never replaces a newer
//! index.
//!
//! File events that arrive while a scan runs are applied to the index in
//! force at once and kept: the scan's walk may have read the folder before
//! the file came, or the file before it went, so they are applied again to
//! the scanned index when it is swapped in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp::lsp_types::MessageType;

use super::progress::Progress;
use crate::lsp::publish;
use crate::lsp::state::{doc_path, State};
use crate::syntax::Notes;
use crate::workspace::file_events::{self, Change};
use crate::workspace::WorkspaceIndex;

/// The scans of one server.
#[derive(Default)]
pub struct Scans {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Bumped by every request: a scan whose number is no longer the
    /// latest was asked to give way.
    requested: u64,
    /// A task is running scans (or about to): a request needs no new one.
    driving: bool,
    /// The running scan's flag.
    cancel: Option<Arc<AtomicBool>>,
    /// File changes taken in while scans were wanted, to apply again to
    /// the index a scan swaps in.
    queued: Vec<Change>,
}

impl Scans {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
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
}

/// The scans of `state`'s server.
pub fn scans(state: &State) -> Arc<Scans> {
    Arc::clone(&state.scans)
}

/// Asks for a full scan with the configuration in force: cancels the
/// running one, and starts the task that runs scans unless it runs.
pub fn request(state: &Arc<State>) {
    let scans = scans(state);
    let start = {
        let mut inner = scans.lock();
        inner.requested += 1;
        if let Some(cancel) = &inner.cancel {
            cancel.store(true, Ordering::Relaxed);
        }
        !std::mem::replace(&mut inner.driving, true)
    };
    if start {
        tokio::spawn(drive(Arc::clone(state), scans));
    }
}

/// Runs scans until one ran with no newer request behind it.
async fn drive(state: Arc<State>, scans: Arc<Scans>) {
    let mut driving = Driving(Some(Arc::clone(&scans)));
    loop {
        let (ticket, cancel) = {
            let mut inner = scans.lock();
            let cancel = Arc::new(AtomicBool::new(false));
            inner.cancel = Some(Arc::clone(&cancel));
            (inner.requested, cancel)
        };
        run(&state, &scans, ticket, cancel).await;
        let mut inner = scans.lock();
        inner.cancel = None;
        if inner.requested == ticket {
            // In the same lock as the check: a request that comes after it
            // sees no task running and starts one.
            inner.stop_driving();
            driving.0 = None;
            return;
        }
    }
}

/// Stops the scans of a task that ended without saying so (a panic), so a
/// later request starts scans again instead of waiting for a dead task.
struct Driving(Option<Arc<Scans>>);

impl Drop for Driving {
    fn drop(&mut self) {
        if let Some(scans) = self.0.take() {
            scans.lock().stop_driving();
        }
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

/// One scan: indexes every root in a blocking thread, reporting progress,
/// then swaps the result in unless a newer request came.
async fn run(state: &Arc<State>, scans: &Arc<Scans>, ticket: u64, cancel: Arc<AtomicBool>) {
    let session = state.session();
    let roots = session.roots;
    if roots.is_empty() {
        tracing::info!("no workspace folder: working on open files only");
        return;
    }
    let progress = Progress::begin(&state.client, session.progress, "Indexing notes");
    let config = state.index().config().clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let started = std::time::Instant::now();
    let flag = Arc::clone(&cancel);
    let job = tokio::task::spawn_blocking(move || {
        let mut index = WorkspaceIndex::new(roots.clone(), config);
        // A fresh index has no user glossary yet: without this, one already
        // in the workspace was read only after it changed.
        index.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
        let mut last_sent = 0;
        let stats = index.scan_cancellable(
            &mut |done, total| {
                // About a hundred reports at most, whatever the size.
                let step = (total / 100).max(1);
                if done == total || done >= last_sent + step {
                    last_sent = done;
                    let _ = tx.send((done, total));
                }
            },
            &mut |line| tracing::info!("{line}"),
            &flag,
        );
        stats.map(|s| (index, s))
    });
    while let Some((done, total)) = rx.recv().await {
        progress.report(
            format!("Indexing notes {done}/{total}"),
            (done * 100 / total.max(1)) as u32,
        );
    }
    let (scanned, stats) = match job.await {
        Ok(Some(done)) => done,
        Ok(None) => {
            tracing::debug!("scan {ticket} cancelled");
            progress.end("Indexing cancelled: a newer scan replaces it");
            return;
        }
        Err(e) => {
            tracing::error!("indexing failed: {e}");
            progress.end("Indexing failed");
            return;
        }
    };
    let worker = Arc::clone(state);
    let keeper = Arc::clone(scans);
    let swapped =
        tokio::task::spawn_blocking(move || swap(&worker, &keeper, ticket, &cancel, scanned)).await;
    match swapped {
        Ok(true) => {}
        Ok(false) => {
            progress.end("Indexing cancelled: a newer scan replaces it");
            return;
        }
        Err(e) => {
            tracing::error!("taking in the scanned index failed: {e}");
            progress.end("Indexing failed");
            return;
        }
    }
    let msg = format!(
        "Indexed {} notes files ({} questions, {} skipped) in {} ms",
        stats.files,
        stats.questions,
        stats.skipped,
        started.elapsed().as_millis()
    );
    tracing::info!("{msg}");
    state.client.log_message(MessageType::INFO, &msg).await;
    progress.end(&msg);
    publish::refresh_all(state).await;
}

/// Puts the scanned index in force, unless a newer scan was asked for
/// since this one started. Returns whether it did.
///
/// The editor's documents are taken under the index lock: a document
/// opened, edited or closed meanwhile has either reached the index being
/// replaced (and is carried over with its text now) or will reach the new
/// one after this lock. The configuration in force wins over the scan's
/// (a change that needed no rescan, such as a severity, came meanwhile),
/// and the file changes kept during the scan are applied again.
fn swap(
    state: &State,
    scans: &Scans,
    ticket: u64,
    cancel: &AtomicBool,
    mut scanned: WorkspaceIndex,
) -> bool {
    let mut current = state.index_mut();
    let queued = {
        // Let go of at once: a request on an async thread waits for it.
        // The changes cannot grow meanwhile; adding one takes the index lock.
        let mut inner = scans.lock();
        if inner.requested != ticket || cancel.load(Ordering::Relaxed) {
            return false;
        }
        std::mem::take(&mut inner.queued)
    };
    let open: Vec<(PathBuf, Arc<String>, Arc<Notes>)> = state
        .docs()
        .iter()
        .map(|(uri, d)| (doc_path(uri), Arc::clone(&d.text), Arc::clone(&d.notes)))
        .collect();
    scanned.adopt_open(&current, open);
    if scanned.config() != current.config() {
        scanned.set_config(current.config().clone());
    }
    file_events::apply(&mut scanned, &queued);
    current.replace(scanned);
    true
}
