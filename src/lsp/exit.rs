//! Ending the process on `exit`.
//!
//! tower-lsp stops routing after `exit` but only notices when the next
//! message arrives, so with the client's pipe still open the process would
//! linger. The read loop shows every message to an [`ExitSignal`], which
//! remembers whether `shutdown` came first (exit code 0, else 1, as the
//! protocol asks) and wakes `run` on `exit`, which then stops serving.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// Shared between the read loop and `run`.
#[derive(Default)]
pub struct ExitSignal {
    shutdown_seen: AtomicBool,
    exited: AtomicBool,
    notify: Notify,
}

impl ExitSignal {
    /// Resolves once `exit` has been received.
    pub async fn wait(&self) {
        loop {
            let notified = self.notify.notified();
            if self.exited.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }

    pub fn exited(&self) -> bool {
        self.exited.load(Ordering::SeqCst)
    }

    /// Whether `shutdown` came before `exit`.
    pub fn clean(&self) -> bool {
        self.shutdown_seen.load(Ordering::SeqCst)
    }

    /// Sees a message go by to the service.
    pub fn observe(&self, method: &str) {
        match method {
            "shutdown" => self.shutdown_seen.store(true, Ordering::SeqCst),
            "exit" => {
                self.exited.store(true, Ordering::SeqCst);
                self.notify.notify_waiters();
            }
            _ => {}
        }
    }
}
