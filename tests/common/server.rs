//! An in-process language server driven through tower-lsp's `LspService`,
//! with every server-to-client message collected for assertions.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::LspService;

use notes_ls::lsp::Backend;

pub struct TestServer {
    service: LspService<Backend>,
    from_server: mpsc::UnboundedReceiver<Request>,
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
        let capabilities = init["capabilities"].clone();
        let (service, socket) = notes_ls::lsp::service();
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            use futures::{SinkExt, StreamExt};
            let (mut requests, mut replies) = socket.split();
            while let Some(msg) = requests.next().await {
                // Server-to-client requests (progress tokens, watcher
                // registration) get an empty success, as a client would.
                let ignored = unanswered.iter().any(|m| m == msg.method());
                if let (Some(id), false) = (msg.id().cloned(), ignored) {
                    let _ = replies.send(Response::from_ok(id, Value::Null)).await;
                }
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let utf8 = capabilities["general"]["positionEncodings"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v == "utf-8"));
        let mut s = TestServer {
            service,
            from_server: rx,
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

    /// Sends a request; `Ok(result)` or `Err(error object)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut builder = Request::build(method.to_string()).id(id);
        // Clients omit `params` rather than send null (shutdown has none).
        if !params.is_null() {
            builder = builder.params(params);
        }
        let req = builder.finish();
        let resp = self
            .service
            .ready()
            .await
            .expect("service ready")
            .call(req)
            .await
            .expect("service call")
            .expect("a request gets a response");
        let v = serde_json::to_value(resp).expect("response serializes");
        match v.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(v["result"].clone()),
        }
    }

    /// The service itself, to issue calls without awaiting each one.
    pub fn service_mut(&mut self) -> &mut LspService<Backend> {
        &mut self.service
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let req = Request::build(method.to_string()).params(params).finish();
        let resp = self
            .service
            .ready()
            .await
            .expect("service ready")
            .call(req)
            .await
            .expect("service call");
        assert!(resp.is_none(), "a notification gets no response");
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "interview-notes", "version": 1, "text": text
            }}),
        )
        .await;
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
    pub fn drain(&mut self) -> Vec<Request> {
        let mut out = std::mem::take(&mut self.pending);
        while let Ok(msg) = self.from_server.try_recv() {
            out.push(msg);
        }
        out
    }

    /// Sends notifications as a fast client does: every handler is called,
    /// and first polled in order, before any of them completes (as the
    /// transport does), then all are awaited.
    pub async fn pipeline(&mut self, messages: Vec<(String, Value)>) {
        let mut calls = Vec::new();
        for (method, params) in messages {
            let req = Request::build(method).params(params).finish();
            let svc = self.service.ready().await.expect("service ready");
            calls.push(svc.call(req));
        }
        for resp in futures::future::join_all(calls).await {
            assert!(
                resp.expect("service call").is_none(),
                "a notification gets no response"
            );
        }
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
