//! End to end: the real binary over stdio, speaking framed JSON-RPC.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{covered, lsp_position};
use serde_json::{json, Value};

struct StdioServer {
    child: Child,
    stdin: ChildStdin,
    from_server: mpsc::Receiver<Value>,
    next_id: i64,
}

fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl StdioServer {
    fn spawn(args: &[&str]) -> StdioServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_notes-ls"))
            .args(args)
            .env("NOTES_LS_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn notes-ls");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("server sends JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        StdioServer {
            child,
            stdin,
            from_server: rx,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        self.stdin.write_all(&frame(&msg)).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(msg);
        self.wait(|m| m["id"] == id)
    }

    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .from_server
                .recv_timeout(Duration::from_secs(20))
                .expect("server answered in time");
            if pred(&m) {
                return m;
            }
        }
    }
}

fn sample() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-notes/python-web-backends.notes"
    );
    std::fs::read_to_string(path).expect("sample note")
}

#[test]
fn real_binary_serves_a_sample_note_and_exits_cleanly() {
    let text = sample();
    let uri = "file:///sample/python-web-backends.notes";
    let mut s = StdioServer::spawn(&[]);
    let init = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "notes-ls");
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "interview-notes", "version": 1, "text": text}}),
    );

    let diags = s.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = diags["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(diags.iter().any(|d| d["code"] == "duplicate-question"));
    assert!(diags.iter().any(|d| d["code"] == "missing-question-marker"));

    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let symbols = symbols["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(symbols.len(), 13);
    assert_eq!(
        covered(&text, &symbols[0]["selectionRange"], false),
        symbols[0]["name"]
    );

    let at = text.find("Gunicorn").expect("sample mentions Gunicorn");
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": lsp_position(&text, at + 2, false)}),
    );
    let md = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(md.contains("Gunicorn"), "hover: {hover}");
    assert_eq!(covered(&text, &hover["result"]["range"], false), "Gunicorn");

    // Type "Guni" at the end of the file and ask for completions there.
    let end = lsp_position(&text, text.len(), false);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": end, "end": end}, "text": "\nGuni"}]}),
    );
    let typed = format!("{text}\nGuni");
    let completion = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": lsp_position(&typed, typed.len(), false)}),
    );
    let items = completion["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let gunicorn = items
        .iter()
        .find(|i| i["label"] == "Gunicorn")
        .expect("Gunicorn offered");
    assert_eq!(
        covered(&typed, &gunicorn["textEdit"]["range"], false),
        "Guni"
    );

    // Eglot sends `"params": null` on shutdown and exit; that must work too.
    s.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null}));
    let shutdown = s.wait(|m| m["id"] == 99);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    s.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = wait_exit(&mut s.child);
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_burst_of_edits_over_stdio_keeps_the_text_in_step() {
    let mut text = String::from("*What is JWT?\n->\nA token.\n");
    let uri = "file:///burst.notes";
    let mut s = StdioServer::spawn(&["lsp"]);
    s.request("initialize", json!({"processId": null, "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "interview-notes", "version": 1, "text": text}}),
    );
    // 1,000 edits written in one go: type a new question line by line.
    let mut burst = Vec::new();
    for v in 2..=1001 {
        let insert = match v % 50 {
            0 => "\n*What is question ",
            1 => "?\n->\nanswer",
            _ => "x",
        };
        let end = lsp_position(&text, text.len(), false);
        burst.extend(frame(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": v},
                       "contentChanges": [{"range": {"start": end, "end": end}, "text": insert}]}}),
        ));
        text.push_str(insert);
    }
    s.stdin.write_all(&burst).expect("write burst");
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str())
        .collect();
    let notes = notes_ls::syntax::parse(&text);
    let expected: Vec<String> = notes_ls::ide::outline(&text, &notes)
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, expected);
    assert_eq!(names.len(), 21);
    // Closing stdin ends the server even without shutdown/exit.
    drop(s.stdin);
    wait_exit(&mut s.child);
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..200 {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    panic!("server did not exit within 5 s");
}
