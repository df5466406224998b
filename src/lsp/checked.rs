//! What every message goes through between the read loop (`rpc::serve`)
//! and tower-lsp's service ([`Checked`]): params made what tower-lsp reads
//! (`null_params`), `exit` and `shutdown` seen (`exit`), the spelling of an
//! opened URI kept (`respell`), a reply slot for large answers
//! (`rpc::with_slot`). It hands the notifications the server acts on to
//! their handlers itself (`notifications`: their params read once), logs
//! those it drops (sent before `initialize` or after `shutdown`, unknown, or
//! with params that do not fit), and answers the requests tower-lsp drops
//! (unknown `$/` methods) with MethodNotFound.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::{BoxFuture, Either, FutureExt};
use tokio::sync::watch;
use tower::Service;
use tower_lsp::jsonrpc::{Error, Request, Response};

use super::exit::ExitSignal;
use super::state::State;
use crate::rpc::{self, Output};

/// Requests whose results are large enough to be answered without
/// tower-lsp's `Value` step: by an `rpc::ReplyStream` or `rpc::reply_with`.
const RAW_METHODS: &[&str] = &[
    "textDocument/documentSymbol",
    "textDocument/diagnostic",
    "workspace/diagnostic",
];

/// The service the read loop drives: tower-lsp's (`inner`) behind the
/// checks of the module comment.
pub struct Checked<S> {
    inner: S,
    /// Where the notifications handled here go (`notifications`).
    state: Arc<State>,
    /// `initialize` has succeeded.
    initialized: Arc<AtomicBool>,
    /// Counts the notifications handled (see `lsp::Server::handled`).
    handled: watch::Sender<u64>,
    output: Output,
    exit: Arc<ExitSignal>,
}

impl<S> Checked<S> {
    /// `inner` (tower-lsp's service) with the server's `state`; `handled`
    /// counts the notifications handled, `exit` sees every message go by.
    pub fn new(
        inner: S,
        state: Arc<State>,
        handled: watch::Sender<u64>,
        output: Output,
        exit: Arc<ExitSignal>,
    ) -> Self {
        Checked {
            inner,
            state,
            initialized: Arc::default(),
            handled,
            output,
            exit,
        }
    }
}

impl<S> Service<Request> for Checked<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let req = super::null_params::normalized(req);
        self.exit.observe(req.method());
        let method = req.method().to_string();
        if method == "textDocument/didOpen" {
            if let Some(uri) = super::respell::opened_uri(req.params()) {
                super::respell::record(uri);
            }
        }
        if req.id().is_some() {
            return self.request(req, method);
        }
        let fut = if method == "exit" {
            Either::Left(self.request(req, method))
        } else {
            Either::Right(self.notification(req).map(|()| Ok(None)))
        };
        // A notification counts as handled once its handler ended.
        let handled = self.handled.clone();
        async move {
            let response = fut.await;
            handled.send_modify(|n| *n += 1);
            response
        }
        .boxed()
    }
}

impl<S> Checked<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: Send + 'static,
    S::Future: Send + 'static,
{
    /// tower-lsp's handler of a request (or of `exit`), given a reply slot
    /// when it is answered raw; `initialize` seen to succeed, and an
    /// unknown `$/` request answered.
    fn request(
        &mut self,
        req: Request,
        method: String,
    ) -> BoxFuture<'static, Result<Option<Response>, S::Error>> {
        let initialized = Arc::clone(&self.initialized);
        let id = req.id().cloned();
        let raw = RAW_METHODS.contains(&method.as_str());
        let fut = rpc::with_slot(id.as_ref(), raw, &self.output, self.inner.call(req));
        async move {
            let response = fut.await?;
            if method == "initialize" && response.as_ref().is_some_and(Response::is_ok) {
                initialized.store(true, Ordering::SeqCst);
            }
            // tower-lsp drops unknown `$/` methods, requests included, but a
            // request must be answered: LSP asks for MethodNotFound. Only
            // `$/` ones: other requests that come back empty were answered
            // already, by the handler itself (`rpc::with_slot`).
            if let (None, Some(id), true) = (&response, id, method.starts_with("$/")) {
                tracing::warn!("no handler for request {method}");
                return Ok(Some(Response::from_error(id, Error::method_not_found())));
            }
            Ok(response)
        }
        .boxed()
    }

    /// The handler of a notification other than `exit`: ours
    /// (`notifications`), tower-lsp's for `$/` ones (`$/cancelRequest`), or
    /// none, with a log line, when the server is not serving.
    fn notification(&mut self, req: Request) -> BoxFuture<'static, ()> {
        let method = req.method();
        let not_serving = if !self.initialized.load(Ordering::SeqCst) {
            Some("the server is not initialized yet")
        } else if self.exit.clean() {
            Some("the server is shut down")
        } else {
            None
        };
        if let Some(why) = not_serving {
            tracing::warn!("ignored {method}: {why}");
            return futures::future::ready(()).boxed();
        }
        if method.starts_with("$/") {
            return self.inner.call(req).map(|_| ()).boxed();
        }
        let (method, _, params) = req.into_parts();
        super::notifications::handle(Arc::clone(&self.state), &method, params)
    }
}
