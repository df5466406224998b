//! Ending the process on `exit`.
//!
//! tower-lsp stops routing after `exit` but only notices when the next
//! message arrives, so with the client's pipe still open the process would
//! linger. This wrapper sees the `exit` notification go by, remembers whether
//! `shutdown` came first (exit code 0, else 1, as the protocol asks) and
//! wakes `run`, which then stops serving.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::Notify;
use tower::Service;
use tower_lsp::jsonrpc::Request;

/// Shared between the wrapper and `run`.
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
}

pub struct ExitWatch<S> {
    pub inner: S,
    pub signal: Arc<ExitSignal>,
}

impl<S: Service<Request>> Service<Request> for ExitWatch<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match req.method() {
            "shutdown" => self.signal.shutdown_seen.store(true, Ordering::SeqCst),
            "exit" => {
                self.signal.exited.store(true, Ordering::SeqCst);
                self.signal.notify.notify_waiters();
            }
            _ => {}
        }
        self.inner.call(req)
    }
}
