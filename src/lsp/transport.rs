//! The read loop, instead of tower-lsp's own `Server` loop: a thread reads
//! the input (stdin, or a test's pipe) into messages (`framer`, which
//! answers malformed ones instead of stopping, as tower-lsp 0.20 did), and
//! the loop hands them to the service; what it answers goes to `output`.
//!
//! The ordering rule, which the handlers rely on: messages are handed to the
//! service in the order they arrived, and the loop polls each handler once
//! as soon as it has called it, before it reads the next message. So the
//! handlers' first polls happen in arrival order: a `didChange` takes its
//! document's turn (`State::turn`, first come, first served) on that first
//! poll, and a request waits in the same queue, behind the changes sent
//! before it. After that first poll, handlers run at once, in any order.
//! Responses to the server's own requests go back to tower-lsp's client
//! socket, and its requests to the client go out through `output`.
//!
//! The same layer logs the notifications tower-lsp drops silently (sent
//! before `initialize`, unknown, or with params that do not fit), and
//! answers the requests it drops (unknown `$/` methods) with MethodNotFound.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::{BoxFuture, FutureExt};
use futures::stream::FuturesUnordered;
use futures::{Sink, SinkExt, Stream, StreamExt};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tower::Service;
use tower_lsp::jsonrpc::{Error, Request, Response};
use tower_lsp::ClientSocket;

use super::exit::ExitSignal;
use super::framer::{Framer, Incoming};
use super::output::Output;

/// How many handlers may run at once before reading waits for one to end.
const MAX_IN_FLIGHT: usize = 64;

/// Serves `service` on `input` and `output` until the input ends or the
/// service stops. `handled` counts the notifications handled; `exit` sees
/// every message go by.
pub async fn serve<S>(
    service: S,
    socket: ClientSocket,
    input: impl BufRead + Send + 'static,
    output: Output,
    handled: watch::Sender<u64>,
    exit: Arc<ExitSignal>,
) where
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
    S::Future: Send + 'static,
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
    let service = Checked {
        inner: service,
        initialized: Arc::default(),
        handled,
        output: output.clone(),
        exit,
    };
    let (to_client, client_answers) = socket.split();
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

/// What every message goes through on its way to tower-lsp's service and
/// back: its params made what tower-lsp reads (`null_params`), `exit` and
/// `shutdown` seen (`exit`), the spelling of an opened URI kept
/// (`respell`), a reply slot for large answers (`replies`), notifications
/// sent too early or dropped by tower-lsp logged, and the requests it drops
/// answered.
struct Checked<S> {
    inner: S,
    /// `initialize` has succeeded.
    initialized: Arc<AtomicBool>,
    /// Counts the notifications handled (see `lsp::Server::handled`).
    handled: watch::Sender<u64>,
    output: Output,
    exit: Arc<ExitSignal>,
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
        let initialized = Arc::clone(&self.initialized);
        if method == "textDocument/didOpen" {
            if let Some(uri) = super::respell::opened_uri(req.params()) {
                super::respell::record(uri);
            }
        }
        if req.id().is_none() && method != "exit" {
            if !initialized.load(Ordering::SeqCst) {
                tracing::warn!("ignored {method}: the server is not initialized yet");
            } else if let Some(why) = unheard(&method, req.params()) {
                tracing::warn!("ignored notification {method}: {why}");
            }
        }
        let id = req.id().cloned();
        let handled = id.is_none().then(|| self.handled.clone());
        let fut = self.inner.call(req);
        let fut = super::replies::with_slot(id.as_ref(), &method, &self.output, fut);
        async move {
            let response = fut.await;
            if let Some(handled) = handled {
                handled.send_modify(|n| *n += 1);
            }
            let response = response?;
            if method == "initialize" && response.as_ref().is_some_and(Response::is_ok) {
                initialized.store(true, Ordering::SeqCst);
            }
            // tower-lsp drops unknown `$/` methods, requests included, but a
            // request must be answered: LSP asks for MethodNotFound. Only
            // `$/` ones: other requests that come back empty were answered
            // already, by the handler itself (`replies::with_slot`).
            if let (None, Some(id), true) = (&response, id, method.starts_with("$/")) {
                tracing::warn!("no handler for request {method}");
                return Ok(Some(Response::from_error(id, Error::method_not_found())));
            }
            Ok(response)
        }
        .boxed()
    }
}

/// Why tower-lsp will drop this notification without a word: it routes
/// only the notifications below (those of its `LanguageServer` trait, plus
/// `exit` and `$/` ones), and drops one whose params do not fit.
fn unheard(method: &str, params: Option<&Value>) -> Option<String> {
    use tower_lsp::lsp_types::notification::*;

    fn check<N: Notification>(params: Option<&Value>) -> Option<String> {
        fits::<N::Params>(params)
    }
    match method {
        Initialized::METHOD => check::<Initialized>(params),
        // The texts are checked, not copied (see `light`).
        DidOpenTextDocument::METHOD => fits::<light::DidOpenTextDocumentParams>(params),
        DidChangeTextDocument::METHOD => fits::<light::DidChangeTextDocumentParams>(params),
        WillSaveTextDocument::METHOD => check::<WillSaveTextDocument>(params),
        DidSaveTextDocument::METHOD => check::<DidSaveTextDocument>(params),
        DidCloseTextDocument::METHOD => check::<DidCloseTextDocument>(params),
        DidChangeConfiguration::METHOD => check::<DidChangeConfiguration>(params),
        DidChangeWorkspaceFolders::METHOD => check::<DidChangeWorkspaceFolders>(params),
        DidCreateFiles::METHOD => check::<DidCreateFiles>(params),
        DidRenameFiles::METHOD => check::<DidRenameFiles>(params),
        DidDeleteFiles::METHOD => check::<DidDeleteFiles>(params),
        DidChangeWatchedFiles::METHOD => check::<DidChangeWatchedFiles>(params),
        "exit" => None,
        m if m.starts_with("$/") => None,
        _ => Some("unknown method".to_string()),
    }
}

/// Why `params` do not read as a `P`, if they do not.
fn fits<'de, P: Deserialize<'de>>(params: Option<&'de Value>) -> Option<String> {
    let Some(params) = params else {
        return Some("missing params".to_string());
    };
    P::deserialize(params)
        .err()
        .map(|e| format!("invalid params: {e}"))
}

/// The params of `didOpen` and `didChange` in the shape lsp-types reads,
/// but with each text only checked to be a string: read into lsp-types'
/// own structs, the check copied every text the client sent (a whole file
/// on each `didOpen`). tower-lsp then reads the params once more, moving
/// the strings out of the message. Named as lsp-types names them, for the
/// same warnings.
mod light {
    use serde::de::{Deserializer, Error, Visitor};
    use serde::Deserialize;
    use tower_lsp::lsp_types::{Range, Url, VersionedTextDocumentIdentifier};

    // The fields are read only to be checked.
    #[allow(dead_code)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DidOpenTextDocumentParams {
        text_document: TextDocumentItem,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct TextDocumentItem {
        uri: Url,
        language_id: String,
        version: i32,
        text: Text,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DidChangeTextDocumentParams {
        text_document: VersionedTextDocumentIdentifier,
        content_changes: Vec<TextDocumentContentChangeEvent>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct TextDocumentContentChangeEvent {
        range: Option<Range>,
        range_length: Option<u32>,
        text: Text,
    }

    /// A string, seen and not kept.
    struct Text;

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Seen;
            impl<'de> Visitor<'de> for Seen {
                type Value = Text;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a string")
                }
                fn visit_str<E: Error>(self, _: &str) -> Result<Text, E> {
                    Ok(Text)
                }
            }
            d.deserialize_str(Seen)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
        let output = Output::start(std::io::sink());
        let (to_client, answers) = (futures::stream::pending(), futures::sink::drain());
        read_loop(Recorder(Arc::clone(&log)), rx, to_client, answers, &output).await;
        let want: Vec<String> = (0..N)
            .flat_map(|i| [format!("call m{i}"), format!("poll m{i}")])
            .collect();
        assert_eq!(*log.lock().unwrap(), want);
    }

    #[test]
    fn texts_checked_without_a_copy_get_the_verdicts_of_lsp_types() {
        use tower_lsp::lsp_types::{DidChangeTextDocumentParams, DidOpenTextDocumentParams};
        let doc = json!({"uri": "file:///a.notes", "languageId": "x", "version": 1, "text": "*Q?"});
        let change = json!({"range": {"start": {"line": 0, "character": 0},
            "end": {"line": 0, "character": 1}}, "rangeLength": 1, "text": "x"});
        let mut opens = vec![json!({"textDocument": doc}), Value::Null, json!([])];
        for (key, bad) in [
            ("text", json!(5)),
            ("uri", json!("no uri")),
            ("version", json!("1")),
        ] {
            let mut d = doc.clone();
            d[key] = bad;
            opens.push(json!({ "textDocument": d }));
        }
        opens.push(json!({"textDocument": {"uri": "file:///a.notes", "version": 1, "text": ""}}));
        for p in &opens {
            let light = fits::<light::DidOpenTextDocumentParams>(Some(p));
            assert_eq!(light, fits::<DidOpenTextDocumentParams>(Some(p)), "{p}");
        }
        let id = json!({"uri": "file:///a.notes", "version": 2});
        let mut changes =
            vec![json!({"textDocument": id, "contentChanges": [change, {"text": "all"}]})];
        for (key, bad) in [
            ("text", json!(null)),
            ("range", json!(1)),
            ("rangeLength", json!(-1)),
        ] {
            let mut c = change.clone();
            c[key] = bad;
            changes.push(json!({"textDocument": id, "contentChanges": [c]}));
        }
        changes.push(json!({"textDocument": {"uri": "file:///a.notes"}, "contentChanges": []}));
        changes.push(json!({"textDocument": id}));
        for p in &changes {
            let light = fits::<light::DidChangeTextDocumentParams>(Some(p));
            assert_eq!(light, fits::<DidChangeTextDocumentParams>(Some(p)), "{p}");
        }
        assert!(fits::<light::DidOpenTextDocumentParams>(Some(&opens[0])).is_none());
        assert!(fits::<light::DidChangeTextDocumentParams>(Some(&changes[0])).is_none());
    }

    #[test]
    fn notifications_tower_lsp_would_drop_silently_are_named() {
        let open = json!({"textDocument": {"uri": "file:///a.notes", "languageId": "x", "version": 1, "text": ""}});
        assert_eq!(unheard("textDocument/didOpen", Some(&open)), None);
        assert_eq!(unheard("$/setTrace", None), None);
        assert_eq!(unheard("exit", None), None);
        assert!(unheard("textDocument/didOpen", Some(&json!({"x": 1})))
            .is_some_and(|w| w.starts_with("invalid params")));
        assert!(unheard("textDocument/didClose", Some(&Value::Null)).is_some());
        assert_eq!(
            unheard("initialized", None).as_deref(),
            Some("missing params")
        );
        assert_eq!(
            unheard("custom/thing", None).as_deref(),
            Some("unknown method")
        );
    }
}
