//! The read loop, instead of tower-lsp's own `Server` loop: a thread reads
//! the input (stdin, or a test's pipe) into messages (`framer`, which
//! answers malformed ones instead of stopping, as tower-lsp 0.20 did), and
//! the loop hands them to the service; what it answers goes to `output`.
//!
//! The ordering rule, which the server's handlers rely on: messages are
//! handed to the service in the order they arrived, and the loop polls each
//! handler once as soon as it has called it, before it reads the next
//! message. So the handlers' first polls happen in arrival order: a
//! `didChange` takes its document's turn (first come, first served) on
//! that first poll, and a request waits in the same queue, behind the
//! changes sent before it. After that first poll, handlers run at once, in
//! any order. Responses to the server's own requests go back to the
//! service's client socket, and its requests to the client go out through
//! `output`.

use std::io::BufRead;
use std::task::Poll;

use futures::stream::FuturesUnordered;
use futures::{Sink, SinkExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tower::Service;
use tower_lsp::jsonrpc::{Request, Response};

use super::framer::{Framer, Incoming};
use super::output::Output;

/// How many handlers may run at once before reading waits for one to end.
const MAX_IN_FLIGHT: usize = 64;

/// Serves `service` on `input` and `output` until the input ends or the
/// service stops. The service's requests to the client come from
/// `to_client`; the client's answers go to `client_answers`.
pub async fn serve<S>(
    service: S,
    (to_client, client_answers): (
        impl Stream<Item = Request> + Unpin,
        impl Sink<Response, Error = impl std::fmt::Display> + Unpin,
    ),
    input: impl BufRead + Send + 'static,
    output: Output,
) where
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
    S::Future: Send + Unpin + 'static,
{
    let (tx, rx) = mpsc::channel(16);
    // A plain thread, not tokio's stdin: tokio reads stdin on its blocking
    // pool, and a read that never returns would hold up runtime shutdown.
    let reader = std::thread::Builder::new()
        .name("notes-ls stdin".to_string())
        .spawn(move || read_messages(input, &tx));
    if let Err(e) = reader {
        tracing::error!("cannot start the input reader: {e}");
        return;
    }
    read_loop(service, rx, to_client, client_answers, &output).await;
}

/// Reads messages from `input` and sends them on until the input ends or
/// the receiver is gone.
fn read_messages(input: impl BufRead, tx: &mpsc::Sender<Incoming>) {
    let mut framer = Framer::new(input);
    loop {
        let message = match framer.next_message() {
            Ok(Some(message)) => message,
            Ok(None) => break,
            Err(e) => {
                tracing::error!("cannot read the input: {e}");
                break;
            }
        };
        if tx.blocking_send(message).is_err() {
            break;
        }
    }
    tracing::info!("end of input");
}

/// Hands `messages` to `service` under the ordering rule (see the module
/// comment), and writes what comes back, with the requests the server
/// makes of the client (`to_client`; their answers go to `client_answers`).
async fn read_loop<S>(
    mut service: S,
    mut messages: mpsc::Receiver<Incoming>,
    mut to_client: impl Stream<Item = Request> + Unpin,
    mut client_answers: impl Sink<Response, Error = impl std::fmt::Display> + Unpin,
    output: &Output,
) where
    S: Service<Request, Response = Option<Response>>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::Future: Unpin,
{
    let mut running = FuturesUnordered::<S::Future>::new();
    loop {
        tokio::select! {
            biased;
            Some(done) = running.next(), if !running.is_empty() => finished(done, output),
            Some(request) = to_client.next() => {
                output.send(&request);
            }
            message = messages.recv(), if running.len() < MAX_IN_FLIGHT => match message {
                None => break,
                Some(Incoming::Request(request)) => {
                    if let Err(e) = futures::future::poll_fn(|cx| service.poll_ready(cx)).await {
                        let e: Box<dyn std::error::Error + Send + Sync> = e.into();
                        tracing::info!("the service stopped: {e}");
                        break;
                    }
                    // The ordering rule: polled here, before the next
                    // message is read.
                    let mut call = service.call(request);
                    match futures::poll!(&mut call) {
                        Poll::Ready(done) => finished(done, output),
                        Poll::Pending => running.push(call),
                    }
                }
                Some(Incoming::Response(response)) => {
                    if let Err(e) = client_answers.send(response).await {
                        tracing::info!("the service stopped: {e}");
                        break;
                    }
                }
                Some(Incoming::Rejected(r)) => {
                    tracing::warn!("rejected a message: {}", r.error.message);
                    output.send(&Response::from_error(r.id, r.error));
                }
            },
        }
    }
}

/// Writes the response of a handler that ended, if it has one.
fn finished<E>(done: Result<Option<Response>, E>, output: &Output)
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    match done {
        Ok(Some(response)) => {
            output.send(&response);
        }
        Ok(None) => {}
        Err(e) => {
            let e: Box<dyn std::error::Error + Send + Sync> = e.into();
            tracing::error!("handler failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::task::Context;

    use futures::future::BoxFuture;

    use super::*;

    /// The ordering rule: every handler is called in arrival order and
    /// first polled at once, before the next message is read. Each handler
    /// here notes its call and its first poll, and wakes itself to end on
    /// its second poll, as a `didChange` waiting for its turn would.
    #[tokio::test]
    async fn handlers_are_first_polled_in_arrival_order_before_the_next_message() {
        type Log = Arc<std::sync::Mutex<Vec<String>>>;
        struct Recorder(Log);
        impl Service<Request> for Recorder {
            type Response = Option<Response>;
            type Error = std::convert::Infallible;
            type Future = BoxFuture<'static, Result<Option<Response>, Self::Error>>;
            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
                Poll::Ready(Ok(()))
            }
            fn call(&mut self, req: Request) -> Self::Future {
                let (log, method) = (Arc::clone(&self.0), req.method().to_string());
                log.lock().unwrap().push(format!("call {method}"));
                let mut polled = false;
                Box::pin(futures::future::poll_fn(move |cx| {
                    if std::mem::replace(&mut polled, true) {
                        return Poll::Ready(Ok(None));
                    }
                    log.lock().unwrap().push(format!("poll {method}"));
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }))
            }
        }
        const N: usize = 300;
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            for i in 0..N {
                let request = Request::build(format!("m{i}")).finish();
                let _ = tx.send(Incoming::Request(request)).await;
                if i % 7 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        });
        let log = Log::default();
        let output = Output::start(std::io::sink(), std::convert::identity);
        let (to_client, answers) = (futures::stream::pending(), futures::sink::drain());
        read_loop(Recorder(Arc::clone(&log)), rx, to_client, answers, &output).await;
        let want: Vec<String> = (0..N)
            .flat_map(|i| [format!("call m{i}"), format!("poll m{i}")])
            .collect();
        assert_eq!(*log.lock().unwrap(), want);
    }
}
