//! An in-process language server, the production stack (`lsp::Server`:
//! read loop, wrappers, output queue and writer thread) driven through
//! framed bytes over in-memory pipes, as an editor drives the binary. A
//! thread reads the server's frames: it answers the server's requests (an
//! empty success, as a client would) and hands every message on for
//! assertions.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tower_lsp::jsonrpc::Request;

use super::pipe::{pipe, PipeReader, PipeWriter};
use super::stdio::frame;

/// How long a request may take before the test fails.
const REQUEST_LIMIT: Duration = Duration::from_secs(120);

pub struct TestServer {
    /// The server's stdin; closed when the test server is dropped, which
    /// ends the server as an editor quitting does.
    to_server: PipeWriter,
    /// The server's requests and notifications, in the order written.
    from_server: mpsc::UnboundedReceiver<Request>,
    /// Responses to our requests, in the order written.
    responses: mpsc::UnboundedReceiver<Value>,
    /// Responses read while waiting for another, by id.
    answered: HashMap<String, Value>,
    /// Notifications the server has handled to the end.
    handled: watch::Receiver<u64>,
    /// Notifications sent.
    notified: u64,
    next_id: i64,
    pub utf8: bool,
    /// Notifications received but not yet looked at.
    pending: Vec<Request>,
}

impl TestServer {
    /// Starts a server and completes the initialize handshake with the given
    /// client capabilities.
    pub async fn start(capabilities: Value) -> (TestServer, Value) {
        TestServer::start_with(
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        )
        .await
    }

    /// Starts a server with complete `initialize` params.
    pub async fn start_with(init: Value) -> (TestServer, Value) {
        TestServer::start_ignoring(init, &[]).await
    }

    /// [`start_with`](Self::start_with), for a client that never answers
    /// the server's requests whose method is in `unanswered` (a client that
    /// ignores `client/registerCapability`, say); the requests still arrive
    /// among the messages collected.
    pub async fn start_ignoring(init: Value, unanswered: &[&str]) -> (TestServer, Value) {
        let unanswered: Vec<String> = unanswered.iter().map(|m| m.to_string()).collect();
        let (to_server, server_in) = pipe();
        let (server_out, from_server) = pipe();
        let server = notes_ls::lsp::Server::new(server_in, server_out);
        let handled = server.handled();
        tokio::spawn(server.run());
        let (messages, rx) = mpsc::unbounded_channel();
        let (responses, responses_rx) = mpsc::unbounded_channel();
        let answers = to_server.clone();
        std::thread::spawn(move || {
            read_server(from_server, answers, &unanswered, &messages, &responses)
        });
        let utf8 = init["capabilities"]["general"]["positionEncodings"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == "utf-8"));
        let mut s = TestServer {
            to_server,
            from_server: rx,
            responses: responses_rx,
            answered: HashMap::new(),
            handled,
            notified: 0,
            next_id: 1,
            utf8,
            pending: Vec::new(),
        };
        let init = s
            .request("initialize", init)
            .await
            .expect("initialize succeeds");
        s.notify("initialized", json!({})).await;
        (s, init)
    }

    pub async fn start_default() -> TestServer {
        TestServer::start(json!({})).await.0
    }

    fn send(&mut self, message: &Value) {
        self.to_server
            .write_all(&frame(message))
            .expect("the server reads its input");
    }

    /// Sends a request without waiting for its answer; its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        // Clients omit `params` rather than send null (shutdown has none).
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// The answer to the request `id`: `Ok(result)` or `Err(error object)`.
    pub async fn response(&mut self, id: i64) -> Result<Value, Value> {
        let key = json!(id).to_string();
        let v = loop {
            if let Some(v) = self.answered.remove(&key) {
                break v;
            }
            let v = tokio::time::timeout(REQUEST_LIMIT, self.responses.recv())
                .await
                .unwrap_or_else(|_| panic!("no answer to request {id}"))
                .expect("server alive");
            self.answered.insert(v["id"].to_string(), v);
        };
        match v.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(v["result"].clone()),
        }
    }

    /// Sends a request; `Ok(result)` or `Err(error object)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id).await
    }

    /// Sends a notification and waits until the server has handled it (and
    /// every one sent before), as the old in-process harness did by
    /// awaiting the handler: a test may then ask about its effect on the
    /// workspace (an event, a setting), which no request waits for.
    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send_notification(method, params);
        self.handled().await;
    }

    /// Sends a notification without waiting for it to be handled.
    pub fn send_notification(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
        self.notified += 1;
    }

    /// Waits until the server has handled every notification sent.
    async fn handled(&mut self) {
        let sent = self.notified;
        tokio::time::timeout(REQUEST_LIMIT, self.handled.wait_for(|n| *n >= sent))
            .await
            .unwrap_or_else(|_| panic!("notifications not handled: {sent} sent"))
            .expect("server alive");
    }

    /// Opens a document without waiting for it to be handled, as an editor
    /// does: requests about it wait for its turn, which `didOpen` takes
    /// before the server reads the next message (the read loop's ordering
    /// rule). Opening several this way leaves the server their work to do
    /// at once, as a burst from an editor does.
    pub async fn open(&mut self, uri: &str, text: &str) {
        self.send_notification(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "interview-notes", "version": 1, "text": text
            }}),
        );
    }

    /// The next server-to-client notification with this method.
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|r| r.method() == method) {
            let r = self.pending.remove(i);
            return r.params().cloned().unwrap_or(Value::Null);
        }
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.from_server.recv())
                .await
                .unwrap_or_else(|_| panic!("no {method} within 10 s"))
                .expect("server alive");
            if msg.method() == method {
                return msg.params().cloned().unwrap_or(Value::Null);
            }
            self.pending.push(msg);
        }
    }

    /// Diagnostics published for `uri` at `version` (older ones are skipped).
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let p = self.notification("textDocument/publishDiagnostics").await;
            if p["uri"] == uri && p["version"] == version {
                return p["diagnostics"].as_array().cloned().unwrap_or_default();
            }
        }
    }

    /// Every server-to-client message received so far (the ones set aside
    /// by [`TestServer::notification`] first), without waiting for more.
    /// The server writes in order: whatever it wrote before the answer to
    /// the last request is here.
    pub fn drain(&mut self) -> Vec<Request> {
        let mut out = std::mem::take(&mut self.pending);
        while let Ok(msg) = self.from_server.try_recv() {
            out.push(msg);
        }
        out
    }

    /// Sends notifications as a fast client does, all at once, then waits
    /// until the server has handled them all.
    pub async fn pipeline(&mut self, messages: Vec<(String, Value)>) {
        for (method, params) in messages {
            self.send_notification(&method, params);
        }
        self.handled().await;
    }

    /// Asserts nothing else is waiting from the server for `wait`.
    pub async fn no_notification(&mut self, method: &str, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, self.from_server.recv()).await {
            assert_ne!(msg.method(), method, "unexpected {method}: {msg}");
        }
        assert!(self.pending.iter().all(|r| r.method() != method));
    }
}

impl TestServer {
    /// Every server-to-client message (notifications and requests) that
    /// arrives within `wait`, with those not yet looked at.
    pub async fn drain_for(&mut self, wait: Duration) -> Vec<Request> {
        let mut out = std::mem::take(&mut self.pending);
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, self.from_server.recv()).await {
            out.push(msg);
        }
        out
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.to_server.close();
    }
}

/// Reads the server's frames until its output ends: answers its requests
/// (unless their method is `unanswered`), passes them and its
/// notifications to `messages`, and its responses to `responses`.
fn read_server(
    mut from_server: PipeReader,
    mut answers: PipeWriter,
    unanswered: &[String],
    messages: &mpsc::UnboundedSender<Request>,
    responses: &mpsc::UnboundedSender<Value>,
) {
    while let Some(body) = super::framing::read_frame(&mut from_server) {
        let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
        let Some(method) = v.get("method").and_then(Value::as_str) else {
            if responses.send(v).is_err() {
                return;
            }
            continue;
        };
        let ignored = unanswered.iter().any(|m| m == method);
        if let (Some(id), false) = (v.get("id"), ignored) {
            let answer = json!({"jsonrpc": "2.0", "id": id, "result": null});
            // The server may be gone already; nothing waits for this then.
            let _ = answers.write_all(&frame(&answer));
        }
        let request = serde_json::from_value(v).expect("a JSON-RPC request or notification");
        if messages.send(request).is_err() {
            return;
        }
    }
}

impl TestServer {
    /// The code actions for the range `start..end` (protocol positions) of
    /// `uri`, with no diagnostics from the client.
    pub async fn code_actions(&mut self, uri: &str, start: Value, end: Value) -> Vec<Value> {
        let actions = self
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": end},
                       "context": {"diagnostics": []}}),
            )
            .await
            .expect("actions");
        actions.as_array().cloned().unwrap_or_default()
    }
}

/// The titles of code actions, in order.
pub fn titles(actions: &[Value]) -> Vec<&str> {
    actions.iter().filter_map(|a| a["title"].as_str()).collect()
}
