//! Protocol-level tests: the server's own stack in process (`lsp::Server`
//! over in-memory pipes), real JSON-RPC messages,
//! assertions on what a client would receive.

mod common;

use std::time::Duration;

use common::server::{titles, TestServer};
use common::{covered, lsp_position};
use serde_json::{json, Value};

const URI: &str = "file:///notes/web.notes";

const NOTES: &str = "\
*What is CSRF?
->
An attack where another site makes a logged-in browser send a request.
Django: a full web framework

*Difference between gunicorn and uvicorn?->
| Gunicorn | Uvicorn |
| --- | --- |
| WSGI | ASGI |

what is a webhook ?
->An HTTP callback.

what does DEBUG = True mean in production?";

fn utf8_caps() -> Value {
    json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } })
}

#[tokio::test]
async fn initialize_advertises_what_is_implemented() {
    let (_s, init) = TestServer::start(json!({})).await;
    let caps = &init["capabilities"];
    assert_eq!(init["serverInfo"]["name"], "notes-ls");
    assert_eq!(init["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for key in [
        "documentSymbolProvider",
        "hoverProvider",
        "completionProvider",
        "codeActionProvider",
        "foldingRangeProvider",
        "semanticTokensProvider",
    ] {
        assert!(!caps[key].is_null(), "{key} advertised");
    }
    // Push diagnostics unless the client can pull them.
    assert!(caps["diagnosticProvider"].is_null());
    for key in [
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "workspaceSymbolProvider",
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
        "selectionRangeProvider",
        // Without `prepareSupport` the client may only be told `true`.
        "renameProvider",
    ] {
        assert_eq!(caps[key], true, "{key} advertised");
    }
    assert!(!caps["documentLinkProvider"].is_null());
    assert!(
        caps["inlayHintProvider"].is_null(),
        "inlay hints are not implemented"
    );
}

#[tokio::test]
async fn utf8_is_negotiated_when_offered() {
    let (_s, init) = TestServer::start(utf8_caps()).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
}

#[tokio::test]
async fn shutdown_then_requests_are_refused() {
    let mut s = TestServer::start_default().await;
    assert_eq!(s.request("shutdown", Value::Null).await, Ok(Value::Null));
    let err = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect_err("no requests after shutdown");
    assert_eq!(err["code"], -32600);
}

#[tokio::test]
async fn diagnostics_are_pushed_with_version_and_cleared_on_close() {
    let mut s = TestServer::start_default().await;
    s.open(URI, NOTES).await;
    let diags = s.diagnostics(URI, 1).await;
    let got: Vec<(String, String, i64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                covered(NOTES, &d["range"], false).to_string(),
                d["severity"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "missing-question-marker".into(),
                "what is a webhook ?".into(),
                4
            ),
            // One finding per range: the warning, not the hint beside it.
            (
                "unanswered-question".into(),
                "what does DEBUG = True mean in production?".into(),
                2
            ),
        ]
    );
    for d in &diags {
        assert_eq!(d["source"], "notes-ls");
        // No link to a home page that does not exist.
        assert_eq!(d.get("codeDescription"), None, "{d}");
    }

    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let cleared = s.notification("textDocument/publishDiagnostics").await;
    assert_eq!(cleared["uri"], URI);
    assert_eq!(cleared["diagnostics"], json!([]));
}

#[tokio::test]
async fn pull_diagnostics_replace_push() {
    let (mut s, init) = TestServer::start(json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostic": { "refreshSupport": true } }
    }))
    .await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "notes-ls"
    );
    s.open(URI, NOTES).await;
    let report = s
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("report");
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"].as_array().map(Vec::len), Some(2));
    s.no_notification(
        "textDocument/publishDiagnostics",
        Duration::from_millis(300),
    )
    .await;
}

/// Neovim 0.11 pulls but cannot be asked to pull again (no
/// `workspace.diagnostic.refreshSupport`): a glossary or configuration
/// change would leave its findings stale until the next edit, so it gets
/// pushes, which the server sends whenever findings may have changed.
#[tokio::test]
async fn a_pull_client_that_cannot_refresh_gets_pushes() {
    let (mut s, init) = TestServer::start(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
    )
    .await;
    assert_eq!(init["capabilities"].get("diagnosticProvider"), None);
    s.open(URI, NOTES).await;
    assert_eq!(s.diagnostics(URI, 1).await.len(), 2);
}

#[tokio::test]
async fn outline_has_questions_with_definitions_and_tables() {
    let mut s = TestServer::start_default().await;
    s.open(URI, NOTES).await;
    let symbols = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("symbols");
    let mut lines = Vec::new();
    fn walk(text: &str, v: &Value, depth: usize, out: &mut Vec<String>) {
        for sym in v.as_array().into_iter().flatten() {
            out.push(format!(
                "{}{} [{}] sel={:?} detail={}",
                "  ".repeat(depth),
                sym["name"].as_str().unwrap_or_default(),
                sym["kind"],
                covered(text, &sym["selectionRange"], false),
                sym["detail"]
            ));
            walk(text, &sym["children"], depth + 1, out);
        }
    }
    walk(NOTES, &symbols, 0, &mut lines);
    assert_eq!(
        lines,
        [
            r#"What is CSRF? [15] sel="What is CSRF?" detail=null"#,
            r#"  Django [8] sel="Django" detail=null"#,
            r#"Difference between gunicorn and uvicorn? [15] sel="Difference between gunicorn and uvicorn?" detail=null"#,
            r#"  table: Gunicorn | Uvicorn [18] sel="| Gunicorn | Uvicorn" detail="1 row""#,
            r#"what is a webhook ? [15] sel="what is a webhook ?" detail=null"#,
            r#"what does DEBUG = True mean in production? [15] sel="what does DEBUG = True mean in production?" detail="unanswered""#,
        ]
    );
    // The whole entry is the range.
    let first = &symbols[0];
    assert!(covered(NOTES, &first["range"], false).ends_with("full web framework"));
}

#[tokio::test]
async fn code_actions_offer_the_core_fixes() {
    let mut s = TestServer::start_default().await;
    s.open(URI, NOTES).await;
    let at = NOTES.find("what is a webhook").unwrap_or(0);
    let pos = lsp_position(NOTES, at, false);
    let actions = s.code_actions(URI, pos.clone(), pos.clone()).await;
    let a = &actions[0];
    assert_eq!(a["title"], "Add `*` to mark the question");
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["isPreferred"], true);
    let edit = &a["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "*");
    assert_eq!(edit["range"]["start"], pos);

    let last = NOTES.find("what does DEBUG").unwrap_or(0);
    let pos = lsp_position(NOTES, last + 3, false);
    let actions = s.code_actions(URI, pos.clone(), pos).await;
    assert_eq!(
        titles(&actions),
        ["Add an answer stub", "Add `*` to mark the question"]
    );
    let stub = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(stub["newText"], "\n->\nTODO");
    assert_eq!(
        stub["range"]["start"],
        lsp_position(NOTES, NOTES.len(), false)
    );
}

#[tokio::test]
async fn folding_one_range_per_multi_line_entry() {
    let mut s = TestServer::start_default().await;
    s.open(URI, NOTES).await;
    let folds = s
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("folds");
    let got: Vec<(u64, u64)> = folds
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap_or(0),
                f["endLine"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(got, [(0, 3), (5, 8), (10, 11)]);
}

#[tokio::test]
async fn requests_for_unopened_documents_are_errors_not_crashes() {
    let mut s = TestServer::start_default().await;
    let err = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///nope.notes"}}),
        )
        .await
        .expect_err("not open");
    assert_eq!(err["code"], -32602);
    // The server still answers.
    s.open(URI, NOTES).await;
    assert!(s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}})
        )
        .await
        .is_ok());
}
