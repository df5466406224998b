//! One pass at a time: work that a burst of causes asks for many times
//! over (a refresh of every open document, `refresh`) runs once for the
//! requests that came while it ran, not once per request.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Whether a pass runs, and whether another was asked for meanwhile.
#[derive(Debug, Default)]
pub struct Passes {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    running: bool,
    again: bool,
}

impl Passes {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks for a pass. True when none runs: the caller runs passes until
    /// [`Passes::next`] says no more were asked for.
    pub fn request(&self) -> bool {
        let mut passes = self.lock();
        if passes.running {
            passes.again = true;
            return false;
        }
        passes.running = true;
        true
    }

    /// A pass ended: true when another was asked for while it ran. Else the
    /// runner stops, in the same lock, so a request after this one starts
    /// a runner of its own.
    pub fn next(&self) -> bool {
        let mut passes = self.lock();
        passes.running = std::mem::take(&mut passes.again);
        passes.running
    }
}

/// Stops the passes of a runner that ended without saying so (a panic in
/// a pass), so that the next request runs them instead of waiting for it.
pub struct Runner<'p>(Option<&'p Passes>);

impl<'p> Runner<'p> {
    /// The runner of `passes`, whose [`Passes::request`] said to run them.
    pub fn new(passes: &'p Passes) -> Self {
        Runner(Some(passes))
    }

    /// [`Passes::next`] said no more: the runner stopped as it should.
    pub fn stopped(mut self) {
        self.0 = None;
    }
}

impl Drop for Runner<'_> {
    fn drop(&mut self) {
        if let Some(passes) = self.0.take() {
            *passes.lock() = Inner::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_while_a_pass_runs_make_one_more_pass() {
        let r = Passes::default();
        assert!(r.request(), "nothing runs: the caller runs the passes");
        assert!(!r.request());
        assert!(!r.request());
        assert!(r.next(), "two requests meanwhile: one more pass");
        assert!(!r.next(), "none since: the runner stops");
        assert!(r.request(), "a request after that starts a runner again");
    }

    #[test]
    fn a_runner_that_ends_without_saying_so_lets_the_next_request_run() {
        let r = Passes::default();
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
