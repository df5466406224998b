//! Rename over the protocol: a term defined in one file, mentioned in
//! another (open, with unsaved edits) and named in the workspace glossary;
//! a question; refusals with their message. Every range is checked by
//! applying the edit, in UTF-16 and UTF-8, on lines with emoji and CJK.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::server::TestServer;
use common::{apply_edits, covered, lsp_position};
use serde_json::{json, Value};

const A: &str = "*What is CSRF?\n->\n缓存 😀 A forged request: csrf abuses cookies.\n";
const B_ON_DISK: &str = "*How do I stop 缓存 attacks?\n->\nSend a CSRF token.\n";
/// B as the editor has it: changed since it was saved.
const B: &str =
    "*How do I stop 缓存 attacks?\n->\nSend a CSRF token. 😀 缓存 CSRF tokens and CSRFs.\n";
const GLOSSARY: &str = "[[term]]\nname = \"CSRF\" # 缓存\ndefinition = \"Forgery.\"\n";

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        for (name, text) in [
            ("a.notes", A),
            ("b.notes", B_ON_DISK),
            ("glossary.toml", GLOSSARY),
        ] {
            std::fs::write(root.join(name), text).expect("write");
        }
        Workspace { _dir: dir, root }
    }

    fn uri(&self, name: &str) -> String {
        file_uri(&self.root.join(name))
    }

    /// A server on the workspace, indexed, with B open and edited (version 2).
    async fn server(&self, utf8: bool, document_changes: bool) -> TestServer {
        let root_uri = file_uri(&self.root);
        let mut caps = json!({
            "window": {"workDoneProgress": true},
            "textDocument": {"rename": {"prepareSupport": true}},
            "workspace": {"workspaceEdit": {"documentChanges": document_changes}},
        });
        if utf8 {
            caps["general"] = json!({"positionEncodings": ["utf-8"]});
        }
        let (mut s, init) = TestServer::start_with(json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "w"}],
            "capabilities": caps,
        }))
        .await;
        assert_eq!(
            init["capabilities"]["renameProvider"],
            json!({"prepareProvider": true})
        );
        while s.notification("$/progress").await["value"]["kind"] != "end" {}
        s.open(&self.uri("b.notes"), B_ON_DISK).await;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri("b.notes"), "version": 2},
                   "contentChanges": [{"text": B}]}),
        )
        .await;
        s
    }

    /// The text of each file an edit names, after applying it, and the
    /// version it names (`null` for files not open).
    fn applied(&self, edit: &Value, utf8: bool) -> BTreeMap<String, (String, Value)> {
        let texts: BTreeMap<String, &str> =
            [("a.notes", A), ("b.notes", B), ("glossary.toml", GLOSSARY)]
                .into_iter()
                .map(|(n, t)| (self.uri(n), t))
                .collect();
        let name = |uri: &str| uri.rsplit('/').next().unwrap_or_default().to_string();
        let mut out = BTreeMap::new();
        if let Some(changes) = edit["changes"].as_object() {
            assert!(edit["documentChanges"].is_null(), "{edit}");
            for (uri, edits) in changes {
                let after = apply_edits(texts[uri.as_str()], edits, utf8);
                out.insert(name(uri), (after, Value::Null));
            }
        }
        for doc in edit["documentChanges"].as_array().into_iter().flatten() {
            let uri = doc["textDocument"]["uri"].as_str().expect("uri");
            let after = apply_edits(texts[uri], &doc["edits"], utf8);
            out.insert(name(uri), (after, doc["textDocument"]["version"].clone()));
        }
        out
    }
}

fn at(uri: &str, text: &str, needle: &str, utf8: bool) -> Value {
    let offset = text.find(needle).expect("needle in text");
    json!({"textDocument": {"uri": uri}, "position": lsp_position(text, offset + 1, utf8)})
}

#[tokio::test]
async fn a_term_is_renamed_in_every_file_and_the_glossary() {
    let w = Workspace::new();
    for (utf8, document_changes) in [(false, false), (true, true)] {
        let mut s = w.server(utf8, document_changes).await;
        let b = w.uri("b.notes");
        // On `CSRF` in `CSRF token`, which the notes do not define.
        let pos = at(&b, B, "CSRF token. 😀", utf8);
        let prepared = s
            .request("textDocument/prepareRename", pos.clone())
            .await
            .expect("prepareRename");
        assert_eq!(prepared["placeholder"], "CSRF");
        assert_eq!(covered(B, &prepared["range"], utf8), "CSRF");

        let mut params = pos;
        params["newName"] = json!("XSRF");
        let edit = s
            .request("textDocument/rename", params)
            .await
            .expect("rename");
        let files = w.applied(&edit, utf8);
        let version = |v: Value| if document_changes { v } else { Value::Null };
        let expected: BTreeMap<String, (String, Value)> = [
            (
                "a.notes",
                "*What is XSRF?\n->\n缓存 😀 A forged request: XSRF abuses cookies.\n",
                Value::Null,
            ),
            (
                "b.notes",
                "*How do I stop 缓存 attacks?\n->\nSend a XSRF token. 😀 缓存 XSRF tokens and XSRFs.\n",
                version(json!(2)),
            ),
            (
                "glossary.toml",
                "[[term]]\nname = \"XSRF\" # 缓存\ndefinition = \"Forgery.\"\n",
                Value::Null,
            ),
        ]
        .into_iter()
        .map(|(n, t, v)| (n.to_string(), (t.to_string(), v)))
        .collect();
        assert_eq!(files, expected, "utf8 {utf8}");
        // The server wrote nothing: the editor applies the edit.
        let on_disk = std::fs::read_to_string(w.root.join("a.notes")).expect("read");
        assert_eq!(on_disk, A);
    }
}

#[tokio::test]
async fn a_question_is_renamed_alone() {
    let w = Workspace::new();
    for utf8 in [false, true] {
        let mut s = w.server(utf8, true).await;
        let b = w.uri("b.notes");
        let pos = at(&b, B, "stop 缓存", utf8);
        let prepared = s
            .request("textDocument/prepareRename", pos.clone())
            .await
            .expect("prepareRename");
        assert_eq!(prepared["placeholder"], "How do I stop 缓存 attacks?");
        let mut params = pos;
        params["newName"] = json!("How do I stop 😀 CSRF attacks?");
        let edit = s
            .request("textDocument/rename", params)
            .await
            .expect("rename");
        let files = w.applied(&edit, utf8);
        assert_eq!(files.len(), 1, "{edit}");
        let (after, version) = &files["b.notes"];
        assert_eq!(
            after,
            &B.replace(
                "How do I stop 缓存 attacks?",
                "How do I stop 😀 CSRF attacks?"
            )
        );
        assert_eq!(version, &json!(2));
    }
}

#[tokio::test]
async fn what_is_not_the_users_is_refused_with_a_reason() {
    let w = Workspace::new();
    let mut s = w.server(false, false).await;
    let b = w.uri("b.notes");
    // Prose of an answer.
    let err = s
        .request("textDocument/prepareRename", at(&b, B, "Send", false))
        .await
        .expect_err("prose is refused");
    assert_eq!(err["code"], -32803, "{err}");
    assert_eq!(err["message"], "not a term or a question");
    let mut params = at(&b, B, "Send", false);
    params["newName"] = json!("x");
    let err = s
        .request("textDocument/rename", params)
        .await
        .expect_err("prose is refused");
    assert_eq!(err["message"], "not a term or a question");
    // A built-in term the notes do not define.
    let text = "*Q 缓存?\n-> Sign a 😀 JWT.\n";
    let c = w.uri("c.notes");
    s.open(&c, text).await;
    let err = s
        .request("textDocument/prepareRename", at(&c, text, "JWT", false))
        .await
        .expect_err("built-in term refused");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(message.contains("built-in glossary"), "{message}");
    // A name a term cannot have.
    let mut params = at(&b, B, "CSRF token. 😀", false);
    params["newName"] = json!("a: b");
    let err = s
        .request("textDocument/rename", params)
        .await
        .expect_err("bad name refused");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(message.contains("`:`"), "{message}");
}
