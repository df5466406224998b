//! The server never writes a user's file: every change it proposes goes to
//! the client as a `WorkspaceEdit`, which the client applies (or not).
//!
//! Two checks. At run time, every request and notification the server
//! handles is sent against a temporary workspace, and afterwards no file
//! there has changed (content, length, modification time) and none was
//! created. In the source, the modules the server runs (`lsp`, `ide`,
//! `syntax`, `workspace`) must not mention the standard library's ways of
//! writing files; if one ever needs to (a cache, say), it should write
//! outside the workspace and this list should say why. The CLI is not
//! scanned: a future `--fix` would write on the user's explicit request.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::server::TestServer;
use serde_json::{json, Value};

const WEB: &str =
    "*What is CSRF?\n\nWhat is XSS?\n-> Injected script.\n\n*what is csrf\n-> Again.\n\n*Why a server?\n-> The usual combo is gunicon.\n";
const MORE: &str = "*Question in a txt?\nan answer without an arrow\n";

type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

fn snapshot(dir: &Path, out: &mut Snapshot) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        let meta = entry.metadata().expect("metadata");
        if meta.is_dir() {
            snapshot(&path, out);
        } else {
            let bytes = std::fs::read(&path).expect("read");
            out.insert(path, (bytes, meta.modified().expect("mtime")));
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[tokio::test]
async fn no_request_or_notification_changes_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::fs::write(root.join("web.notes"), WEB).expect("write");
    std::fs::write(root.join("sub/more.txt"), MORE).expect("write");
    std::fs::write(
        root.join("notes-ls.toml"),
        "[diagnostics]\nmissing-arrow = \"warning\"\n",
    )
    .expect("write");
    let mut before = Snapshot::new();
    snapshot(&root, &mut before);

    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(&root),
        "workspaceFolders": [{"uri": uri(&root), "name": "notes"}],
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]},
            },
        },
    }))
    .await;
    loop {
        let p = s.notification("$/progress").await;
        if p["value"]["kind"] == "end" {
            break;
        }
    }
    let web = uri(&root.join("web.notes"));
    let doc = json!({"uri": web});
    s.open(&web, WEB).await;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": web, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 14}, "end": {"line": 0, "character": 14}},
             "text": " (edited)"}]}),
    )
    .await;
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": doc, "text": WEB}),
    )
    .await;

    let everything =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
    let actions = s
        .request(
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": everything, "context": {"diagnostics": []}}),
        )
        .await
        .expect("code actions");
    let actions = actions.as_array().cloned().unwrap_or_default();
    assert!(!actions.is_empty(), "fixes are offered");
    let mut targets = Vec::new();
    for a in &actions {
        assert!(
            a.get("command").is_none(),
            "a command could act on disk: {a}"
        );
        let edit = &a["edit"];
        assert!(edit.is_object(), "a WorkspaceEdit: {a}");
        targets.extend(
            edit["changes"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone()),
        );
        for op in edit["documentChanges"].as_array().into_iter().flatten() {
            let target = op["uri"].as_str().or(op["textDocument"]["uri"].as_str());
            targets.extend(target.map(str::to_string));
        }
    }
    let glossary = uri(&root.join("glossary.toml"));
    assert!(targets.contains(&web), "{targets:?}");
    assert!(
        targets.contains(&glossary),
        "add-to-glossary proposes creating the file: {targets:?}"
    );
    assert!(
        targets.iter().all(|t| *t == web || *t == glossary),
        "{targets:?}"
    );

    let positions: Vec<Value> = (0..7)
        .flat_map(|line| [0, 3, 9, 40].map(|c| json!({"line": line, "character": c})))
        .collect();
    for p in &positions {
        let at = json!({"textDocument": doc, "position": p});
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/documentHighlight",
        ] {
            let _ = s.request(method, at.clone()).await;
        }
        let mut refs = at.clone();
        refs["context"] = json!({"includeDeclaration": true});
        let _ = s.request("textDocument/references", refs).await;
    }
    for method in [
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/semanticTokens/full",
        "textDocument/diagnostic",
    ] {
        let _ = s.request(method, json!({"textDocument": doc})).await;
    }
    let _ = s
        .request("workspace/symbol", json!({"query": "csrf"}))
        .await;
    let r = s
        .request(
            "workspace/executeCommand",
            json!({"command": "notes-ls.fix", "arguments": [web]}),
        )
        .await;
    assert!(r.is_err(), "no commands are offered: {r:?}");
    let events: Vec<Value> = before
        .keys()
        .map(|p| json!({"uri": uri(p), "type": 2}))
        .collect();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": events}),
    )
    .await;
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"missing-arrow": "off"}}}}),
    )
    .await;
    s.notify("textDocument/didClose", json!({"textDocument": doc}))
        .await;
    let _ = s.request("shutdown", Value::Null).await;
    // Background work (diagnostics, a rescan) gets a moment to run.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut after = Snapshot::new();
    snapshot(&root, &mut after);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files were created or removed"
    );
    for (path, (bytes, mtime)) in &before {
        let (b, m) = &after[path];
        assert!(b == bytes && m == mtime, "{} changed", path.display());
    }
}

/// Ways the standard library writes, renames or removes files. Opening is
/// named by what makes an open write (an `OpenOptions` that only reads is how
/// `workspace::read` opens files non-blocking), in `OpenOptions` and in
/// `custom_flags`.
const WRITERS: &[&str] = &[
    "fs::write",
    "File::create",
    ".write(true)",
    ".append(true)",
    ".create(true)",
    ".create_new(true)",
    ".truncate(true)",
    "O_WRONLY",
    "O_RDWR",
    "O_CREAT",
    "O_TRUNC",
    "O_APPEND",
    "fs::remove_file",
    "fs::remove_dir",
    "fs::rename",
    "fs::copy",
    "fs::create_dir",
    "set_permissions",
    "set_len",
];

#[test]
fn the_server_code_has_no_way_to_write_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for sub in ["lsp", "ide", "syntax", "workspace"] {
        let mut files = Vec::new();
        rust_files(&src.join(sub), &mut files);
        assert!(!files.is_empty(), "src/{sub} has Rust files");
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read source");
            for (i, line) in outside_test_modules(&text) {
                for w in WRITERS {
                    if line.contains(w) {
                        offenders.push(format!("{}:{}: {w}", f.display(), i + 1));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the server must not write files; send a WorkspaceEdit: {offenders:#?}"
    );
}

/// The numbered lines of `text` before its `#[cfg(test)]` module, which by
/// convention ends the file: tests write their fixtures to temporary
/// folders, the server code never writes.
fn outside_test_modules(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| {
            let attr = w[0].trim_start();
            (attr.starts_with("#[cfg(test)]") || attr.starts_with("#[cfg(all(test"))
                && w[1].trim_start().starts_with("mod ")
        })
        .unwrap_or(lines.len());
    lines.into_iter().take(end).enumerate()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}
