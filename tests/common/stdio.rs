//! The real `notes-ls` binary driven over stdio: framed JSON-RPC in, every
//! message out collected by a reader thread, stderr kept for assertions on
//! log lines. The child is killed when the driver is dropped, so a failing
//! test leaves no server behind.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct StdioServer {
    pub child: Child,
    /// `None` once closed with [`StdioServer::close_stdin`].
    pub stdin: Option<ChildStdin>,
    from_server: mpsc::Receiver<Value>,
    next_id: i64,
    /// Lines the server logged on stderr so far.
    stderr: Arc<Mutex<Vec<String>>>,
}

/// `msg` framed with its `Content-Length` header.
pub fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl StdioServer {
    pub fn spawn(args: &[&str]) -> StdioServer {
        StdioServer::spawn_with(args, None, "warn")
    }

    /// Spawns with a working folder and a log filter for stderr.
    pub fn spawn_with(args: &[&str], cwd: Option<&Path>, log: &str) -> StdioServer {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_notes-ls"));
        cmd.args(args)
            .env("NOTES_LS_LOG", log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().expect("spawn notes-ls");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || read_messages(BufReader::new(stdout), &tx));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        StdioServer {
            child,
            stdin: Some(stdin),
            from_server: rx,
            next_id: 1,
            stderr: lines,
        }
    }

    /// Writes bytes as they are: for malformed frames.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, msg: Value) {
        self.send_raw(&frame(&msg));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait(|m| m["id"] == id)
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(msg);
        id
    }

    /// Initializes with `params` merged over an empty client, then sends
    /// `initialized`.
    pub fn initialize(&mut self, params: Value) -> Value {
        let mut init = json!({"processId": null, "rootUri": null, "capabilities": {}});
        if let (Some(i), Some(p)) = (init.as_object_mut(), params.as_object()) {
            for (k, v) in p {
                i.insert(k.clone(), v.clone());
            }
        }
        let r = self.request("initialize", init);
        assert!(r.get("error").is_none(), "initialize: {r}");
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "interview-notes", "version": 1, "text": text}}),
        );
    }

    /// The next message matching `pred` within 20 s. Requests from the
    /// server (progress tokens, registrations) are answered with `null`.
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for(Duration::from_secs(20), pred)
            .unwrap_or_else(|| panic!("no answer within 20 s; stderr: {:#?}", self.stderr()))
    }

    pub fn wait_for(&mut self, limit: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let m = self.from_server.recv_timeout(left).ok()?;
            if m.get("method").is_some() && m.get("id").is_some() && self.stdin.is_some() {
                self.send(json!({"jsonrpc": "2.0", "id": m["id"], "result": null}));
            }
            if pred(&m) {
                return Some(m);
            }
        }
    }

    pub fn stderr(&self) -> Vec<String> {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits up to `limit` for a stderr line containing `needle`.
    pub fn logged(&self, needle: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if self.stderr().iter().any(|l| l.contains(needle)) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The exit status, if the server exits within `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resident memory of the server in KiB (`VmRSS`), on Linux.
    pub fn rss_kib(&self) -> Option<u64> {
        self.proc_status("VmRSS:")
    }

    fn proc_status(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_messages(mut r: impl BufRead, tx: &mpsc::Sender<Value>) {
    while let Some(body) = super::framing::read_frame(&mut r) {
        let v: Value = serde_json::from_slice(&body).expect("server sends JSON");
        if tx.send(v).is_err() {
            return;
        }
    }
}
