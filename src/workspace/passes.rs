//! One pass at a time: work that a burst of causes asks for many times
//! over runs once for the requests that came while it ran, not once per
//! request. The server's refreshes of every open document
//! (`lsp::refresh`) run so, and the workspace scans (`scans`), whose own
//! state rides along under the same lock.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Whether a pass runs, whether another was asked for meanwhile, and what
/// rides along (`T`, back to its default whenever the passes stop).
#[derive(Debug, Default)]
pub struct Passes<T = ()> {
    inner: Mutex<Run<T>>,
}

/// The state of [`Passes`], under its lock.
#[derive(Debug, Default)]
pub struct Run<T> {
    running: bool,
    again: bool,
    /// What rides along: kept while passes run.
    pub extra: T,
}

impl<T: Default> Passes<T> {
    /// The state under the passes' lock, for a user whose own state must
    /// change with it (`scans`).
    pub fn lock(&self) -> MutexGuard<'_, Run<T>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks for a pass. True when none runs: the caller runs passes until
    /// [`Passes::next`] says no more were asked for.
    pub fn request(&self) -> bool {
        self.lock().request()
    }

    /// A pass ended: true when another was asked for while it ran. Else the
    /// runner stops, in the same lock, so a request after this one starts
    /// a runner of its own.
    pub fn next(&self) -> bool {
        self.lock().pass_ended()
    }
}

impl<T: Default> Run<T> {
    /// [`Passes::request`], under a lock already taken.
    pub fn request(&mut self) -> bool {
        if self.running {
            self.again = true;
            return false;
        }
        self.running = true;
        true
    }

    /// [`Passes::next`], under a lock already taken.
    pub fn pass_ended(&mut self) -> bool {
        self.running = std::mem::take(&mut self.again);
        if !self.running {
            self.extra = T::default();
        }
        self.running
    }

    /// A pass begins: the requests so far are its to take in.
    pub fn begin(&mut self) {
        self.again = false;
    }

    /// Whether a pass runs, or is about to.
    pub fn running(&self) -> bool {
        self.running
    }

    /// Whether a pass was asked for since the running one began.
    pub fn asked_again(&self) -> bool {
        self.again
    }
}

/// Stops the passes of a runner that ended without saying so (a panic in
/// a pass), so that the next request runs them instead of waiting for it.
pub struct Runner<'p, T: Default = ()>(Option<&'p Passes<T>>);

impl<'p, T: Default> Runner<'p, T> {
    /// The runner of `passes`, whose [`Passes::request`] said to run them.
    pub fn new(passes: &'p Passes<T>) -> Self {
        Runner(Some(passes))
    }

    /// [`Passes::next`] said no more: the runner stopped as it should.
    pub fn stopped(mut self) {
        self.0 = None;
    }
}

impl<T: Default> Drop for Runner<'_, T> {
    fn drop(&mut self) {
        if let Some(passes) = self.0.take() {
            *passes.lock() = Run::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_while_a_pass_runs_make_one_more_pass() {
        let r: Passes = Passes::default();
        assert!(r.request(), "nothing runs: the caller runs the passes");
        assert!(!r.request());
        assert!(!r.request());
        assert!(r.next(), "two requests meanwhile: one more pass");
        assert!(!r.next(), "none since: the runner stops");
        assert!(r.request(), "a request after that starts a runner again");
    }

    #[test]
    fn a_runner_that_ends_without_saying_so_lets_the_next_request_run() {
        let r: Passes = Passes::default();
        assert!(r.request());
        r.request();
        // Dropped unstopped: a pass panicked.
        drop(Runner::new(&r));
        assert!(r.request(), "the next request runs the passes");
        let running = Runner::new(&r);
        // A runner that stopped as it should leaves the running one alone.
        Runner::new(&r).stopped();
        assert!(!r.request());
        running.stopped();
    }
}
