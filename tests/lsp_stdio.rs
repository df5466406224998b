//! End to end: the real binary over stdio, speaking framed JSON-RPC.

mod common;

use std::time::Duration;

use common::stdio::{frame, StdioServer};
use common::{apply_edits, covered, lsp_position};
use serde_json::json;

/// The top-level symbol names the server sent, and those the core's
/// outline gives for `text`.
fn outline_names(response: &serde_json::Value, text: &str) -> (Vec<String>, Vec<String>) {
    let names = response["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect();
    let notes = notes_ls::syntax::parse(text);
    let expected = notes_ls::ide::outline(text, &notes)
        .into_iter()
        .map(|i| i.name)
        .collect();
    (names, expected)
}

fn sample() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sample-notes-raw/python-web-backends.notes"
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
    // Exactly one answer per request: large results are written raw, and
    // nothing may answer the same id a second time (it once did, with an error).
    let id = symbols["id"].clone();
    let again = s.wait_for(Duration::from_millis(300), |m| m["id"] == id);
    assert!(
        again.is_none(),
        "a second response for the same request: {again:?}"
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
    let status = s.wait_exit(Duration::from_secs(5)).expect("exits");
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn rename_over_stdio() {
    let text = "*What is CSRF?\n->\n😀 缓存 forged requests; csrf again. A CSRF token.\n";
    let uri = "file:///rename.notes";
    let mut s = StdioServer::spawn(&[]);
    let init = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"textDocument": {"rename": {"prepareSupport": true}}}}),
    );
    assert_eq!(
        init["result"]["capabilities"]["renameProvider"]["prepareProvider"],
        true
    );
    s.notify("initialized", json!({}));
    s.open(uri, text);
    s.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    let at = text.find("csrf").expect("csrf") + 2;
    let pos = json!({"textDocument": {"uri": uri}, "position": lsp_position(text, at, false)});
    let prepared = s.request("textDocument/prepareRename", pos.clone());
    assert_eq!(prepared["result"]["placeholder"], "CSRF", "{prepared}");
    let mut params = pos;
    params["newName"] = json!("XSRF");
    let edit = s.request("textDocument/rename", params);
    let edits = &edit["result"]["changes"][uri];
    assert_eq!(
        apply_edits(text, edits, false),
        "*What is XSRF?\n->\n😀 缓存 forged requests; XSRF again. A XSRF token.\n",
        "{edit}"
    );
    let prose = json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 9}});
    let refused = s.request("textDocument/prepareRename", prose);
    assert_eq!(refused["error"]["message"], "not a term or a question");
    s.close_stdin();
    assert!(s.wait_exit(Duration::from_secs(5)).is_some(), "exits");
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
    s.send_raw(&burst);
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let (names, expected) = outline_names(&symbols, &text);
    assert_eq!(names, expected);
    assert_eq!(names.len(), 21);
    // Closing stdin ends the server even without shutdown/exit.
    s.close_stdin();
    assert!(s.wait_exit(Duration::from_secs(5)).is_some(), "exits");
}

#[test]
fn a_large_outline_is_written_raw_with_exact_framing() {
    // About 300 KB of outline, written without tower-lsp (`output`). The
    // framing must be exact, or the message after it would be misread.
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "*What is question {i} 😀?\n->\nTerm{i}: an answer\n\n"
        ));
    }
    let uri = "file:///big/outline.notes";
    let mut s = StdioServer::spawn(&[]);
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "interview-notes", "version": 1, "text": text}}),
    );
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let (names, expected) = outline_names(&symbols, &text);
    assert_eq!(names.len(), 3000);
    assert_eq!(names, expected);
    let last = &symbols["result"][2999];
    assert_eq!(last["range"]["start"]["line"], 4 * 2999);
    assert_eq!(last["children"][0]["name"], "Term2999");
    // The next message is read whole: the answer ended where it said.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
}

/// A folder holding one notes file, and its URI.
fn one_note_workspace() -> (tempfile::TempDir, url::Url) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.notes"),
        "*What is CSRF?\n-> A forged request.\n",
    )
    .expect("write a note");
    let root = url::Url::from_directory_path(dir.path()).expect("a folder URI");
    (dir, root)
}

/// Answers to the server's own requests reach it over stdio: indexing asks
/// the client for a progress token and reports progress with it only once
/// the answer came back (the driver answers requests with `null`).
#[test]
fn answers_to_the_servers_requests_reach_it() {
    let (_dir, root) = one_note_workspace();
    let mut s = StdioServer::spawn(&[]);
    s.initialize(json!({
        "rootUri": root,
        "capabilities": {"window": {"workDoneProgress": true}},
    }));
    let create = s.wait(|m| m["method"] == "window/workDoneProgress/create");
    let token = &create["params"]["token"];
    let end = s.wait(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    assert_eq!(&end["params"]["token"], token, "{end}");
}

/// `initialized` without params, or with `"params": null`, still starts
/// the workspace scan: the notification has nothing to say, and tower-lsp,
/// which wanted `{}`, dropped it without a word.
#[test]
fn initialized_without_params_starts_the_scan() {
    for params in [None, Some(serde_json::Value::Null)] {
        let (_dir, root) = one_note_workspace();
        let mut s = StdioServer::spawn(&[]);
        let init = json!({"processId": null, "rootUri": root, "capabilities": {}});
        let r = s.request("initialize", init);
        assert!(r.get("error").is_none(), "initialize: {r}");
        let mut note = json!({"jsonrpc": "2.0", "method": "initialized"});
        if let Some(p) = &params {
            note["params"] = p.clone();
        }
        s.send(note);
        let log = s.wait(|m| m["method"] == "window/logMessage");
        let text = log["params"]["message"].as_str().unwrap_or_default();
        assert!(
            text.starts_with("Indexed 1 notes files"),
            "{params:?}: {log}"
        );
    }
}

/// Pulled diagnostics over stdio, where they are written as raw bytes
/// (no `Value` step): a document report with its id, `unchanged`, and the
/// workspace report, whole and as partial results.
#[test]
fn pulled_reports_over_stdio() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join("todo.notes"), "*What is a webhook?\n->\n").expect("write");
    std::fs::write(root.join("done.notes"), "*What is CSRF?\n-> An attack.\n").expect("write");
    let root_uri = format!("file://{}", root.display());
    let mut s = StdioServer::spawn(&[]);
    let init = s.initialize(json!({
        "rootUri": root_uri,
        "workspaceFolders": [{"uri": root_uri, "name": "w"}],
        "capabilities": {
            "window": {"workDoneProgress": true},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            // The specification's name, as VS Code sends it.
            "workspace": {"diagnostics": {"refreshSupport": true}}
        }
    }));
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    // The end of the scan asks for a pull.
    s.wait(|m| m["method"] == "workspace/diagnostic/refresh");

    let open = format!("{root_uri}/open.notes");
    s.open(&open, "*What is CSRF?\n->\n");
    // In the index: the question it shares with done.notes is now known.
    s.wait(|m| m["method"] == "workspace/diagnostic/refresh");
    // Answers only: the server's own requests have ids of their own.
    let ask = |s: &mut StdioServer, method: &str, params: serde_json::Value| {
        let id = s.send_request(method, params);
        s.wait(|m| m["id"] == id && m.get("method").is_none())
    };
    let full = ask(
        &mut s,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": open}}),
    );
    let report = &full["result"];
    assert_eq!(report["kind"], "full", "{full}");
    let codes: Vec<&str> = report["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["unanswered-question", "duplicate-question"]);
    let again = ask(
        &mut s,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": open}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(
        again["result"],
        json!({"kind": "unchanged", "resultId": report["resultId"]})
    );

    let whole = ask(
        &mut s,
        "workspace/diagnostic",
        json!({"previousResultIds": []}),
    );
    let items = whole["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 3, "{whole}");
    let todo = items
        .iter()
        .find(|i| i["uri"].as_str().is_some_and(|u| u.ends_with("todo.notes")))
        .expect("the closed file");
    assert_eq!(todo["items"][0]["code"], "unanswered-question");
    assert_eq!(todo["version"], serde_json::Value::Null);

    // With a partial result token the reports come as `$/progress`, and the
    // answer itself is empty.
    let id = s.send_request(
        "workspace/diagnostic",
        json!({"previousResultIds": [], "partialResultToken": "p1"}),
    );
    let partial = s.wait(|m| m["method"] == "$/progress" && m["params"]["token"] == "p1");
    assert_eq!(
        partial["params"]["value"]["items"].as_array().map(Vec::len),
        Some(3)
    );
    let answer = s.wait(|m| m["id"] == id && m.get("method").is_none());
    assert_eq!(answer["result"], json!({"items": []}));
}

/// Formatting from the real binary, for a client that counts in UTF-8: the
/// edits, applied, give what `notes-ls fmt` writes.
#[test]
fn real_binary_formats_in_utf8() {
    let text = "What is 缓存?\r\n->   \r\n😀 a cache  \r\n\r\n\r\n*Next 🐍?->  yes  \r\n\
                | a | 缓存 |\r\n|---|---|\r\n| 😀 | b |\r\n";
    let uri = "file:///fmt/messy.notes";
    let mut s = StdioServer::spawn(&[]);
    let init = s.initialize(json!({"capabilities": {"general": {"positionEncodings": ["utf-8"]}}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        init["result"]["capabilities"]["documentFormattingProvider"],
        true
    );
    s.open(uri, text);
    let edits = s.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let notes = notes_ls::syntax::parse(text);
    let want = notes_ls::ide::format(text, &notes, &notes_ls::ide::FormatOptions::default());
    assert_ne!(want, text);
    assert_eq!(apply_edits(text, &edits["result"], true), want, "{edits}");
}
