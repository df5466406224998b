//! Who scans the workspace, and when: one scan at a time, the newest wins.
//!
//! Scans side by side would each hold a whole index (a burst of
//! configuration changes multiplied the memory), and the slowest would swap
//! last, with the configuration it started from. So every request cancels
//! the running scan (its walk and readers look at the flag); one driver
//! runs the scans in turn, as passes (`passes`), and a burst of requests
//! while one runs costs one more scan. A scan swaps in only if no request
//! came after it started, checked under the index lock, so an older scan
//! never replaces a newer index.
//!
//! File changes that arrive while a scan runs are applied to the index in
//! force at once and kept here: the scan's walk may have read the folder
//! before the file came, or the file before it went, so they are applied
//! again to the scanned index when it is swapped in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::file_events::Change;
use super::passes::{Passes, Runner};
use super::{IndexStats, WorkspaceIndex};
use crate::config::Config;
use crate::syntax::Notes;

/// The scans of one server: passes (`passes`), each a scan.
#[derive(Debug, Default)]
pub struct Scans {
    passes: Passes<Scanning>,
}

/// What rides along with the scans' passes, under their lock.
#[derive(Debug, Default)]
pub struct Scanning {
    /// The running scan's flag.
    cancel: Option<Arc<AtomicBool>>,
    /// File changes taken in while scans were wanted, to apply again to
    /// the index a scan swaps in.
    queued: Vec<Change>,
}

/// One scan's cancel flag.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub cancel: Arc<AtomicBool>,
}

impl Scans {
    /// Asks for a scan: cancels the running one. True when no driver runs,
    /// and the caller must start one (which calls [`Scans::begin`] and
    /// [`Scans::end`] in turn until `end` says it is done, holding a
    /// [`Scans::runner`]).
    pub fn request(&self) -> bool {
        let mut run = self.passes.lock();
        if let Some(cancel) = &run.extra.cancel {
            cancel.store(true, Ordering::Relaxed);
        }
        run.request()
    }

    /// The next scan to run, with a fresh flag: it takes in every request
    /// so far.
    pub fn begin(&self) -> Ticket {
        let mut run = self.passes.lock();
        run.begin();
        let cancel = Arc::new(AtomicBool::new(false));
        run.extra.cancel = Some(Arc::clone(&cancel));
        Ticket { cancel }
    }

    /// A scan ran (or gave way). True when no request came after it: the
    /// driver stops, in the same lock as the check (which drops the changes
    /// kept: they were applied to the index in force), so a request that
    /// comes after it sees no driver and starts one.
    pub fn end(&self) -> bool {
        let mut run = self.passes.lock();
        run.extra.cancel = None;
        !run.pass_ended()
    }

    /// Stops the scans of a driver that ends without saying so (a panic),
    /// so a later request starts scans again instead of waiting for it.
    pub fn runner(&self) -> Runner<'_, Scanning> {
        Runner::new(&self.passes)
    }

    /// Whether a scan runs or is wanted; if so, `changes` (already applied
    /// to the index in force) are kept for its swap. Called under the
    /// index's write lock, which the swap holds too, so a change is either
    /// in the index the swap replaces and kept, or applied after the swap.
    pub fn keep_if_scanning(&self, changes: &[Change]) {
        let mut run = self.passes.lock();
        if run.running() {
            run.extra.queued.extend_from_slice(changes);
        }
    }

    /// For the swap of `ticket`'s scan, under the index's write lock: the
    /// changes kept to apply again, or `None` when a newer scan was asked
    /// for since it started (it must not swap in).
    pub fn take_for_swap(&self, ticket: &Ticket) -> Option<Vec<Change>> {
        let mut run = self.passes.lock();
        if run.asked_again() || ticket.cancel.load(Ordering::Relaxed) {
            return None;
        }
        Some(std::mem::take(&mut run.extra.queued))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn gone(name: &str) -> Change {
        Change::Gone(PathBuf::from(name))
    }

    #[test]
    fn a_request_during_a_scan_cancels_it_and_runs_one_more() {
        let scans = Scans::default();
        assert!(scans.request(), "no driver: the caller drives");
        let first = scans.begin();
        assert!(!scans.request());
        assert!(!scans.request(), "a burst while one runs: no second driver");
        assert!(
            first.cancel.load(Ordering::Relaxed),
            "the running scan gives way"
        );
        assert_eq!(
            scans.take_for_swap(&first),
            None,
            "an older scan never swaps in"
        );
        assert!(!scans.end(), "one more scan for the burst");
        assert!(
            !scans.request(),
            "before the next scan begins: it covers this"
        );
        let second = scans.begin();
        assert_eq!(scans.take_for_swap(&second), Some(Vec::new()));
        assert!(scans.end(), "nothing asked since: the driver stops");
        assert!(scans.request(), "a later request starts a driver again");
    }

    #[test]
    fn changes_are_kept_for_the_swap_only_while_scans_run() {
        let scans = Scans::default();
        scans.keep_if_scanning(&[gone("before")]);
        assert!(scans.request());
        let ticket = scans.begin();
        scans.keep_if_scanning(&[gone("during")]);
        assert_eq!(scans.take_for_swap(&ticket), Some(vec![gone("during")]));
        scans.keep_if_scanning(&[gone("after the swap")]);
        assert!(scans.end());
        // Kept changes were applied to the index in force: a later scan
        // must not apply them again.
        assert!(scans.request());
        let later = scans.begin();
        assert_eq!(scans.take_for_swap(&later), Some(Vec::new()));
    }

    #[test]
    fn a_driver_that_dies_lets_the_next_request_drive() {
        let scans = Scans::default();
        assert!(scans.request());
        {
            let _runner = scans.runner();
            scans.begin();
            scans.keep_if_scanning(&[gone("during")]);
            // Dropped unstopped: the scan panicked.
        }
        assert!(scans.request(), "the next request drives");
        let ticket = scans.begin();
        assert_eq!(
            scans.take_for_swap(&ticket),
            Some(Vec::new()),
            "nothing stale kept"
        );
    }
}
