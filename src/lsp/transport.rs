//! The transport (stdin and stdout, or a test's pipes): messages are
//! framed, checked and decoded here, and handed to the service; what it
//! answers goes to `output`.
//!
//! This replaces tower-lsp's own `Server` loop, for two reasons. tower-lsp
//! 0.20 decodes stdin with tokio-util's `FramedRead`, which ends the stream
//! after the first decoding error (tokio issue #3976): one malformed message
//! (a body that is not JSON, not UTF-8 or not JSON-RPC, a bad or missing
//! `Content-Length`) stopped the server. And its read buffer kept the size
//! of the largest message ever received, its untagged `Message` decoding
//! buffered a copy of every body, and opening a 2.3 MB file left 4 MB in
//! that buffer for good. Here a thread reads the input, parses the headers
//! itself with limits, and decodes each body once into a request or a
//! response. Anything else is answered with the JSON-RPC error the
//! specification asks for, and reading goes on at the next header.
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

use std::borrow::Cow;
use std::io::{self, BufRead};
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
use tower_lsp::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp::ClientSocket;

use super::output::Output;

/// The largest message read into memory. Larger ones are skipped unread.
/// Files over 16 MiB are not indexed by default (`files.max-size`); a
/// message carrying one, escaped as JSON, still fits.
pub const MAX_MESSAGE: u64 = 64 * 1024 * 1024;
/// The longest header line; longer ones are garbage.
const MAX_HEADER_LINE: usize = 4096;
/// How many handlers may run at once before reading waits for one to end.
const MAX_IN_FLIGHT: usize = 64;

/// Serves `service` on `input` and `output` until the input ends or the
/// service stops. `handled` counts the notifications handled.
pub async fn serve<S>(
    service: S,
    socket: ClientSocket,
    input: impl BufRead + Send + 'static,
    output: Output,
    handled: watch::Sender<u64>,
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
    tracing::info!("input closed");
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

/// What the framer read.
#[derive(Debug)]
pub enum Incoming {
    /// A request or notification for the service.
    Request(Request),
    /// The client's answer to a request of the server's.
    Response(Response),
    /// Something that cannot be passed on, with the error that answers it.
    Rejected(Rejection),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The message's id when it could be read, else null (JSON-RPC 2.0, 5.1).
    pub id: Id,
    pub error: Error,
}

impl Rejection {
    fn new(id: Id, code: ErrorCode, message: impl Into<String>) -> Self {
        Rejection {
            id,
            error: Error {
                code,
                message: Cow::Owned(message.into()),
                data: None,
            },
        }
    }

    fn parse_error(message: impl Into<String>) -> Self {
        Rejection::new(Id::Null, ErrorCode::ParseError, message)
    }
}

/// Reads LSP base-protocol frames (`Content-Length: N\r\n\r\n` + N bytes)
/// from a byte stream that may hold anything.
pub struct Framer<R> {
    input: R,
    /// Bytes to read again before `input` (a header found inside garbage).
    pushback: Vec<u8>,
    /// The last frame was broken: skip to the next `Content-Length` first.
    resync: bool,
}

enum Line {
    Text(Vec<u8>),
    /// The first `MAX_HEADER_LINE + 1` bytes of a longer line.
    TooLong(Vec<u8>),
    Eof,
}

impl<R: BufRead> Framer<R> {
    pub fn new(input: R) -> Self {
        Framer {
            input,
            pushback: Vec::new(),
            resync: false,
        }
    }

    /// The next message, or `None` at the end of the input.
    pub fn next_message(&mut self) -> io::Result<Option<Incoming>> {
        if std::mem::take(&mut self.resync) && !self.skip_to_header()? {
            return Ok(None);
        }
        let mut length: Option<Result<u64, String>> = None;
        let mut bad_type = None;
        let mut seen_header = false;
        loop {
            let line = match self.read_line()? {
                Line::Eof => return Ok(None),
                Line::TooLong(line) => {
                    self.rescan(&line[1..], b"");
                    return Ok(Some(Incoming::Rejected(Rejection::parse_error(
                        "header line too long",
                    ))));
                }
                Line::Text(line) => line,
            };
            if line.is_empty() {
                if seen_header {
                    break;
                }
                // Blank lines between messages are harmless.
                continue;
            }
            seen_header = true;
            let Some((name, value)) = split_header(&line) else {
                // Not a header: garbage, perhaps with a real header inside.
                self.rescan(&line[1..], b"\n");
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(format!(
                    "malformed header {:?}",
                    String::from_utf8_lossy(&line[..line.len().min(80)])
                )))));
            };
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(parse_length(value));
            } else if name.eq_ignore_ascii_case("content-type") {
                bad_type = unsupported_charset(value);
            } else {
                tracing::debug!("ignoring header {name}");
            }
        }
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(why)) => {
                self.resync = true;
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(why))));
            }
            None => {
                self.resync = true;
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(
                    "missing Content-Length header",
                ))));
            }
        };
        if length > MAX_MESSAGE || bad_type.is_some() {
            if !self.skip(length)? {
                return Ok(None);
            }
            let why = bad_type.unwrap_or_else(|| {
                format!(
                    "message of {length} bytes is over the limit of {MAX_MESSAGE} bytes; skipped"
                )
            });
            return Ok(Some(Incoming::Rejected(Rejection::new(
                Id::Null,
                ErrorCode::InvalidRequest,
                why,
            ))));
        }
        let mut body = vec![0; length as usize];
        if !self.read_exact(&mut body)? {
            return Ok(None);
        }
        Ok(Some(check_body(body)))
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if !self.pushback.is_empty() {
            return Ok(&self.pushback);
        }
        loop {
            match self.input.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(_) => break,
            }
        }
        // Already filled: this returns the buffer without reading.
        self.input.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.pushback.is_empty() {
            self.input.consume(n);
        } else {
            self.pushback.drain(..n);
        }
    }

    /// Reads `bytes` (and then `tail`) again, but only from the next
    /// `Content-Length` in them or after them: a header may hide in garbage.
    fn rescan(&mut self, bytes: &[u8], tail: &[u8]) {
        let mut again = bytes.to_vec();
        again.extend_from_slice(tail);
        again.append(&mut self.pushback);
        self.pushback = again;
        self.resync = true;
    }

    /// A line without its `\n` or `\r\n`, or `Eof` when the input ends,
    /// even inside a line: a message cut off by the end is no message.
    fn read_line(&mut self) -> io::Result<Line> {
        let mut line = Vec::new();
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(Line::Eof);
            }
            let (take, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            // Never hold more than the limit of one line.
            let room = MAX_HEADER_LINE + 1 - line.len();
            if take > room {
                line.extend_from_slice(&buf[..room]);
                self.consume(room);
                return Ok(Line::TooLong(line));
            }
            line.extend_from_slice(&buf[..take]);
            self.consume(take + usize::from(done));
            if done {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Line::Text(line));
            }
        }
    }

    /// Discards input up to the next `Content-Length` (in any case) and
    /// leaves the header to be read. False at the end of the input.
    fn skip_to_header(&mut self) -> io::Result<bool> {
        const NAME: &[u8] = b"content-length";
        let mut matched = 0;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut used = buf.len();
            for (i, b) in buf.iter().enumerate() {
                let b = b.to_ascii_lowercase();
                // `c` occurs once in the name, so a mismatch restarts at 0 or 1.
                matched = if b == NAME[matched] {
                    matched + 1
                } else {
                    usize::from(b == NAME[0])
                };
                if matched == NAME.len() {
                    used = i + 1;
                    break;
                }
            }
            self.consume(used);
            if matched == NAME.len() {
                let mut rest = b"Content-Length".to_vec();
                rest.append(&mut self.pushback);
                self.pushback = rest;
                return Ok(true);
            }
        }
    }

    /// Discards `n` bytes without holding them. False if the input ends first.
    fn skip(&mut self, mut n: u64) -> io::Result<bool> {
        while n > 0 {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let k = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            self.consume(k);
            n -= k as u64;
        }
        Ok(true)
    }

    fn read_exact(&mut self, out: &mut [u8]) -> io::Result<bool> {
        let mut at = 0;
        while at < out.len() {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let k = buf.len().min(out.len() - at);
            out[at..at + k].copy_from_slice(&buf[..k]);
            self.consume(k);
            at += k;
        }
        Ok(true)
    }
}

/// `Name: value`, with a name made of header token characters.
fn split_header(line: &[u8]) -> Option<(&str, &str)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = std::str::from_utf8(&line[..colon]).ok()?;
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return None;
    }
    let value = std::str::from_utf8(&line[colon + 1..]).ok()?;
    Some((name, value.trim()))
}

fn parse_length(value: &str) -> Result<u64, String> {
    // Digits only: `u64::from_str` would also take a leading `+`.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = value.parse() {
            return Ok(n);
        }
    }
    Err(format!(
        "invalid Content-Length {:?}",
        &value[..value.len().min(40)]
    ))
}

/// Why a `Content-Type` cannot be read; LSP allows only UTF-8.
fn unsupported_charset(value: &str) -> Option<String> {
    let charset = value
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .next()?;
    let charset = charset.trim_matches('"');
    if charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8") {
        None
    } else {
        Some(format!(
            "unsupported charset {charset:?}; only utf-8 is supported"
        ))
    }
}

/// Decodes a body into a request or a response; rejects anything else,
/// with the message's id when it has a readable one.
fn check_body(body: Vec<u8>) -> Incoming {
    let Ok(text) = std::str::from_utf8(&body) else {
        return Incoming::Rejected(Rejection::parse_error("message is not valid UTF-8"));
    };
    // tower-lsp's `Request` takes a missing method as empty, so a response
    // reads as a request too; it is tried second because trying `Response`
    // (with its flattened fields) on a request copies the params.
    match serde_json::from_str::<Request>(text) {
        Ok(request) if !request.method().is_empty() => return Incoming::Request(request),
        _ => {}
    }
    if let Ok(response) = serde_json::from_str::<Response>(text) {
        return Incoming::Response(response);
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => Incoming::Rejected(Rejection::parse_error(format!("invalid JSON: {e}"))),
        Ok(v) => {
            let id = v
                .get("id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
                .unwrap_or(Id::Null);
            Incoming::Rejected(Rejection::new(
                id,
                ErrorCode::InvalidRequest,
                "not a JSON-RPC 2.0 request, notification or response",
            ))
        }
    }
}

/// Logs notifications sent too early or dropped by tower-lsp, and answers
/// the requests it drops.
struct Checked<S> {
    inner: S,
    /// `initialize` has succeeded.
    initialized: Arc<AtomicBool>,
    /// Counts the notifications handled (see `lsp::Server::handled`).
    handled: watch::Sender<u64>,
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
            // already, written straight to the output by `output::RawReplies`.
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
    use std::io::Read;

    use serde_json::json;

    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<String, (Id, ErrorCode, String)>> {
        let mut f = Framer::new(input);
        let mut out = Vec::new();
        while let Some(m) = f.next_message().expect("reading a slice") {
            out.push(match m {
                // Keys sorted: `Value` keeps them in order.
                Incoming::Request(r) => Ok(canonical(&r)),
                Incoming::Response(r) => Ok(canonical(&r)),
                Incoming::Rejected(r) => Err((r.id, r.error.code, r.error.message.into_owned())),
            });
        }
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn canonical(message: &impl serde::Serialize) -> String {
        serde_json::to_value(message)
            .map(|v| v.to_string())
            .unwrap_or_default()
    }

    const PING: &str = r#"{"id":1,"jsonrpc":"2.0","method":"ping"}"#;

    #[test]
    fn well_formed_messages_pass_unchanged() {
        let resp = r#"{"id":"a","jsonrpc":"2.0","result":null}"#;
        let input = format!("{}{}", frame(PING), frame(resp));
        assert_eq!(
            frames(input.as_bytes()),
            vec![Ok(PING.into()), Ok(resp.into())]
        );
    }

    #[test]
    fn headers_in_any_case_with_bare_newlines_and_a_utf8_type() {
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf8\n\n{PING}",
            PING.len()
        );
        assert_eq!(frames(input.as_bytes()), vec![Ok(PING.into())]);
    }

    #[test]
    fn bad_json_is_a_parse_error_and_reading_goes_on() {
        let input = format!("{}{}", frame("{not json"), frame(PING));
        let got = frames(input.as_bytes());
        assert!(
            matches!(&got[0], Err((Id::Null, ErrorCode::ParseError, m)) if m.contains("invalid JSON"))
        );
        assert_eq!(got[1], Ok(PING.into()));
    }

    #[test]
    fn json_that_is_not_json_rpc_is_an_invalid_request_with_its_id() {
        for (body, id) in [
            (r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#, Id::Number(7)),
            (r#"{"id":"s","method":"x"}"#, Id::String("s".into())),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Id::Null),
            (r#"{"jsonrpc":"2.0","method":7}"#, Id::Null),
            ("[]", Id::Null),
            ("42", Id::Null),
        ] {
            let got = frames(frame(body).as_bytes());
            assert_eq!(
                got,
                vec![Err((
                    id,
                    ErrorCode::InvalidRequest,
                    "not a JSON-RPC 2.0 request, notification or response".into()
                ))],
                "{body}"
            );
        }
    }

    #[test]
    fn invalid_utf8_and_empty_bodies_are_parse_errors() {
        let mut input = b"Content-Length: 3\r\n\r\n\"\xff\"".to_vec();
        input.extend_from_slice(b"Content-Length: 0\r\n\r\n");
        input.extend_from_slice(frame(PING).as_bytes());
        let got = frames(&input);
        assert!(matches!(&got[0], Err((_, ErrorCode::ParseError, m)) if m.contains("UTF-8")));
        assert!(matches!(&got[1], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got[2], Ok(PING.into()));
    }

    #[test]
    fn bad_or_missing_content_length_skips_to_the_next_header() {
        for bad in [
            "Content-Length: abc\r\n\r\n{\"x\":1}",
            "Content-Length: -5\r\n\r\n{}",
            "Content-Length: +5\r\n\r\n{}",
            "Content-Length: 99999999999999999999999\r\n\r\n{}",
            "Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\"}",
            "GET / HTTP/1.1\r\n\r\n",
        ] {
            let input = format!("{bad}{}", frame(PING));
            let got = frames(input.as_bytes());
            assert!(
                matches!(&got[0], Err((Id::Null, ErrorCode::ParseError, _))),
                "{bad}: {got:?}"
            );
            assert_eq!(got.last(), Some(&Ok(PING.into())), "{bad}: {got:?}");
        }
    }

    #[test]
    fn a_length_too_short_or_too_long_loses_only_what_it_covers() {
        // Too short: the rest of the body is garbage before the next header.
        let input = format!("Content-Length: 5\r\n\r\n{PING}{}", frame(PING));
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        // Too long: it swallows the start of the next message, which is lost;
        // the one after it is read.
        let input = format!(
            "Content-Length: 60\r\n\r\n{{}}{}{}",
            frame(PING),
            frame(PING)
        );
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        assert_eq!(got.iter().filter(|m| m.is_ok()).count(), 1);
    }

    #[test]
    fn oversized_messages_are_skipped_without_being_held() {
        let n = MAX_MESSAGE + 1;
        let header = format!("Content-Length: {n}\r\n\r\n");
        let body = io::repeat(b'x').take(n);
        let rest = frame(PING);
        let input = io::BufReader::new(header.as_bytes().chain(body).chain(rest.as_bytes()));
        let mut f = Framer::new(input);
        match f.next_message().expect("read") {
            Some(Incoming::Rejected(r)) => {
                assert_eq!(r.error.code, ErrorCode::InvalidRequest);
                assert!(r.error.message.contains("over the limit"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(f.next_message(), Ok(Some(Incoming::Request(_)))));
    }

    #[test]
    fn other_charsets_are_refused_but_the_body_is_skipped_exactly() {
        let input = format!(
            "Content-Length: {}\r\nContent-Type: application/json; charset=utf-16\r\n\r\n{PING}{}",
            PING.len(),
            frame(PING)
        );
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::InvalidRequest, m)) if m.contains("utf-16")));
        assert_eq!(got[1..], [Ok(PING.to_string())]);
    }

    #[test]
    fn garbage_with_a_header_inside_resyncs_there() {
        let input = format!("xx{{}}\r\n}}}}garbage{}", frame(PING));
        let got = frames(input.as_bytes());
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        let long = "x".repeat(MAX_HEADER_LINE * 3);
        let input = format!("{long}{}", frame(PING));
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, _, m)) if m.contains("too long")));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
    }

    #[test]
    fn end_of_input_inside_a_message_is_the_end() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}"), vec![]);
        assert_eq!(frames(b"Content-Len"), vec![]);
        assert_eq!(frames(b""), vec![]);
    }

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
        let output = Output::start(io::sink());
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
