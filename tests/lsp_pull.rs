//! Pulled diagnostics through the protocol: result ids and `unchanged`
//! reports, files nobody has open answered from the index, the workspace
//! report, a refresh when another file changes this one's findings, and the
//! same findings pulled as pushed over random edits.

mod common;

use std::path::Path;
use std::time::Duration;

use common::disk::uri;
use common::server::TestServer;
use proptest::prelude::*;
use serde_json::{json, Value};

fn pull_caps() -> Value {
    json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": {
            "diagnostic": { "refreshSupport": true },
            "didChangeWatchedFiles": { "dynamicRegistration": true }
        }
    })
}

async fn start_in(root: &Path) -> TestServer {
    start_in_encoding(root, false).await
}

/// A pulling client with its workspace at `root`, offering UTF-8
/// positions when `utf8`.
async fn start_in_encoding(root: &Path, utf8: bool) -> TestServer {
    let mut caps = pull_caps();
    if utf8 {
        caps["general"] = json!({"positionEncodings": ["utf-8"]});
    }
    let (s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "w"}],
        "capabilities": caps,
    }))
    .await;
    s
}

async fn pull(s: &mut TestServer, uri: &str, previous: Option<&str>) -> Value {
    let mut params = json!({"textDocument": {"uri": uri}});
    if let Some(p) = previous {
        params["previousResultId"] = json!(p);
    }
    s.request("textDocument/diagnostic", params)
        .await
        .expect("report")
}

fn codes(items: &Value) -> Vec<String> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn change(s: &mut TestServer, uri: &str, version: i64, text: &str) {
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"text": text}]}),
    )
    .await;
}

const URI: &str = "file:///notes/pull.notes";

#[tokio::test]
async fn unchanged_only_when_the_findings_are_the_same() {
    let (mut s, init) = TestServer::start(pull_caps()).await;
    let provider = &init["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["interFileDependencies"], true);
    assert_eq!(provider["workspaceDiagnostics"], true);
    s.open(URI, "*What is CSRF?\n->\n").await;
    let first = pull(&mut s, URI, None).await;
    assert_eq!(first["kind"], "full");
    assert_eq!(codes(&first["items"]), ["unanswered-question"]);
    let id = first["resultId"].as_str().expect("a result id").to_string();

    // Asked again with that id: unchanged, same id, no items.
    let again = pull(&mut s, URI, Some(&id)).await;
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

    // An edit that changes no finding: still unchanged.
    change(&mut s, URI, 2, "*What is CSRF?\n->\n\n\n").await;
    let same = pull(&mut s, URI, Some(&id)).await;
    assert_eq!(same["kind"], "unchanged", "{same}");

    // An edit that answers it: a full report, empty, under a new id.
    change(&mut s, URI, 3, "*What is CSRF?\n-> A forged request.\n").await;
    let answered = pull(&mut s, URI, Some(&id)).await;
    assert_eq!(answered["kind"], "full");
    assert_eq!(answered["items"], json!([]));
    assert_ne!(answered["resultId"], json!(id));

    // A stale or unknown id gets the full report.
    let unknown = pull(&mut s, URI, Some("nonsense")).await;
    assert_eq!(unknown["kind"], "full");
}

#[tokio::test]
async fn a_closed_file_is_answered_from_the_index_and_in_the_workspace_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let todo = root.join("todo.notes");
    std::fs::write(&todo, "*What is a webhook?\n->\n").expect("write");
    std::fs::write(root.join("done.notes"), "*What is CSRF?\n-> An attack.\n").expect("write");
    let mut s = start_in(&root).await;
    // Indexed in the background: wait for the end of the scan.
    let mut report = Value::Null;
    for _ in 0..100 {
        report = s
            .request("workspace/diagnostic", json!({"previousResultIds": []}))
            .await
            .expect("workspace report");
        if report["items"].as_array().is_some_and(|a| a.len() == 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = report["items"].as_array().cloned().unwrap_or_default();
    let of = |name: &str| {
        items
            .iter()
            .find(|i| i["uri"].as_str().is_some_and(|u| u.ends_with(name)))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let todo_report = of("todo.notes");
    assert_eq!(todo_report["kind"], "full");
    assert_eq!(todo_report["version"], Value::Null);
    assert_eq!(codes(&todo_report["items"]), ["unanswered-question"]);
    assert_eq!(of("done.notes")["items"], json!([]));

    // Pulling the closed file itself works too (it used to fail with -32602).
    let direct = pull(&mut s, &uri(&todo), None).await;
    assert_eq!(codes(&direct["items"]), ["unanswered-question"]);

    // Everything unchanged: every report says so.
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    let again = s
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        )
        .await
        .expect("workspace report");
    assert!(
        again["items"]
            .as_array()
            .is_some_and(|a| a.len() == 2 && a.iter().all(|i| i["kind"] == "unchanged")),
        "{again}"
    );

    // The file is fixed on disk: the next report drops the finding.
    std::fs::write(&todo, "*What is a webhook?\n-> An HTTP callback.\n").expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&todo), "type": 2}]}),
    )
    .await;
    let fixed = s
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        )
        .await
        .expect("workspace report");
    let fixed_todo = fixed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["uri"].as_str().is_some_and(|u| u.ends_with("todo.notes")))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(fixed_todo["kind"], "full", "{fixed}");
    assert_eq!(fixed_todo["items"], json!([]));
}

#[tokio::test]
async fn another_file_asking_the_same_question_asks_for_a_pull_again() {
    // No workspace folder: no scan, whose end would also ask for a pull.
    let (mut s, _) = TestServer::start(pull_caps()).await;
    let a = "file:///notes/a.notes".to_string();
    let b = "file:///notes/b.notes".to_string();
    s.open(&a, "*What is CSRF?\n-> An attack.\n").await;
    // A in the index: any other open file may have changed.
    s.notification("workspace/diagnostic/refresh").await;
    let before = pull(&mut s, &a, None).await;
    assert_eq!(before["items"], json!([]));
    // B asks A's question: once the index has B, A's findings change, and
    // the server asks the client to pull again.
    s.open(&b, "*What is CSRF?\n-> A forgery.\n").await;
    s.notification("workspace/diagnostic/refresh").await;
    let after = pull(&mut s, &a, before["resultId"].as_str()).await;
    assert_eq!(after["kind"], "full");
    assert_eq!(codes(&after["items"]), ["duplicate-question"]);
    // B goes: the duplicate goes too.
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": b}}))
        .await;
    s.notification("workspace/diagnostic/refresh").await;
    let gone = pull(&mut s, &a, after["resultId"].as_str()).await;
    assert_eq!(gone["kind"], "full");
    assert_eq!(gone["items"], json!([]));
}

/// A client that never answers `workspace/diagnostic/refresh`: each change
/// to the workspace still asks it to pull again. Refreshes run one pass at
/// a time, and a pass waits a while for the answer, never for ever (a
/// pass that waited for ever would leave every later change unsaid).
#[tokio::test]
async fn a_client_that_never_answers_a_refresh_is_still_asked_again() {
    let init = json!({"processId": null, "rootUri": null, "capabilities": pull_caps()});
    let (mut s, _) = TestServer::start_ignoring(init, &["workspace/diagnostic/refresh"]).await;
    s.open("file:///notes/a.notes", "*What is CSRF?\n-> An attack.\n")
        .await;
    s.notification("workspace/diagnostic/refresh").await;
    s.open("file:///notes/b.notes", "*What is CSRF?\n-> A forgery.\n")
        .await;
    s.notification("workspace/diagnostic/refresh").await;
    s.open("file:///notes/c.notes", "*What is XSS?\n-> Scripts.\n")
        .await;
    s.notification("workspace/diagnostic/refresh").await;
}

/// A random edit: replace the bytes `at..at+len` (clamped to char
/// boundaries) with `insert`.
fn edit() -> impl Strategy<Value = (usize, usize, &'static str)> {
    (
        0usize..200,
        0usize..12,
        prop::sample::select(vec![
            "",
            // Spacing a question differently keeps it a duplicate and
            // moves its end.
            "  ",
            "*",
            "->",
            "\n",
            "?",
            " CSRF",
            "\n*What is CSRF?\n",
            "gunicon ",
            "TODO",
            "\n\nwhat is a webhook?",
            "é😀",
            "\n-> Yes.",
            " because of the cookie",
        ]),
    )
}

fn apply(text: &str, (at, len, insert): (usize, usize, &str)) -> String {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{}{}", &text[..start], insert, &text[end..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The findings a pull client gets are the ones a push client gets,
    /// edit after edit, and once the index has taken in the last edit (it
    /// waits for a pause in typing), the ones a server that opened the
    /// final text gives: nothing kept across edits (an entry's pieces, a
    /// duplicate's two ranges) outlives what it stood on.
    #[test]
    fn pulled_equals_pushed(edits in prop::collection::vec(edit(), 1..8)) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            // With `short-answer` on, which only the configuration asks for.
            let short = json!({"notesLs": {"diagnostics": {"short-answer": "hint"}}});
            let start = |caps: Value| TestServer::start_with(json!({
                "processId": null, "rootUri": null, "capabilities": caps,
                "initializationOptions": short.clone(),
            }));
            let (mut pulled, _) = start(pull_caps()).await;
            let (mut pushed, _) = start(json!({})).await;
            let mut text = "*What is CSRF?\n->\nAn attack.\n\n*What is CSRF?\n\nwhat is gunicon?\n".to_string();
            pulled.open(URI, &text).await;
            pushed.open(URI, &text).await;
            let mut version = 1;
            for e in edits {
                text = apply(&text, e);
                version += 1;
                change(&mut pulled, URI, version, &text).await;
                change(&mut pushed, URI, version, &text).await;
                let push = pushed.diagnostics(URI, version).await;
                let pull = pull(&mut pulled, URI, None).await;
                prop_assert_eq!(&pull["items"], &json!(push), "after {:?}", text);
            }
            let (mut fresh, _) = start(pull_caps()).await;
            fresh.open(URI, &text).await;
            let opened = pull(&mut fresh, URI, None).await;
            // Questions asked twice in the file depend on nothing the index
            // holds: right at once. The rest once the index has the text.
            let twice = |items: &Value| -> Vec<Value> {
                let all = items.as_array().cloned().unwrap_or_default();
                all.into_iter().filter(|d| d["code"] == "duplicate-question").collect()
            };
            let last = pull(&mut pulled, URI, None).await;
            prop_assert_eq!(twice(&last["items"]), twice(&opened["items"]), "after {:?}", text);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
            loop {
                let last = pull(&mut pulled, URI, None).await;
                if last["items"] == opened["items"] {
                    break;
                }
                if tokio::time::Instant::now() > deadline {
                    prop_assert_eq!(&last["items"], &opened["items"], "after {:?}", text);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(())
        })?;
    }
}

/// A client that does not pull, with `workspace.diagnostics` on, gets the
/// findings of files nobody has open pushed after indexing, again when they
/// change, and an empty list when they are fixed.
#[tokio::test]
async fn push_clients_can_ask_for_the_files_nobody_has_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let todo = root.join("todo.notes");
    std::fs::write(&todo, "*What is a webhook?\n->\n").expect("write");
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(&root),
        "workspaceFolders": [{"uri": uri(&root), "name": "w"}],
        "initializationOptions": {"notesLs": {"workspace": {"diagnostics": true}}},
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
    }))
    .await;
    let todo_uri = uri(&todo);
    let published = loop {
        let p = s.notification("textDocument/publishDiagnostics").await;
        if p["uri"] == todo_uri.as_str() {
            break p;
        }
    };
    assert_eq!(codes(&published["diagnostics"]), ["unanswered-question"]);
    std::fs::write(&todo, "*What is a webhook?\n-> An HTTP callback.\n").expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": todo_uri, "type": 2}]}),
    )
    .await;
    let fixed = loop {
        let p = s.notification("textDocument/publishDiagnostics").await;
        if p["uri"] == todo_uri.as_str() {
            break p;
        }
    };
    assert_eq!(fixed["diagnostics"], json!([]));
    // Nothing changed since: nothing is sent again for it.
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": todo_uri, "type": 2}]}),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(300);
    while tokio::time::Instant::now() < deadline {
        if let Ok(p) = tokio::time::timeout(
            Duration::from_millis(50),
            s.notification("textDocument/publishDiagnostics"),
        )
        .await
        {
            assert_ne!(p["uri"], todo_uri.as_str(), "sent again unchanged: {p}");
        }
    }
}

/// A file nobody has open is reported from the index's summary of it and its
/// text's line index; opened, from the editor layer's rope and per-entry
/// pieces. Both must give the same bytes, in UTF-16 and UTF-8, on notes
/// written by someone else (CRLF, CJK, emoji, duplicates, misspellings).
#[tokio::test]
async fn a_closed_file_reports_what_it_reports_once_open_in_both_encodings() {
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-notes-raw");
    // The multi-byte file's findings in each encoding: they must differ
    // (columns after the emoji), or the encodings were not both tried.
    let mut multibyte = Vec::new();
    for utf8 in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&raw).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "notes" || e == "txt") {
                let name = path.file_name().expect("name").to_owned();
                std::fs::copy(&path, root.join(&name)).expect("copy");
                names.push(name.to_string_lossy().into_owned());
            }
        }
        std::fs::write(
            root.join("multibyte.notes"),
            "*Why 🚀 gunicon?\r\n->\r\n*日本語 の質問?\r\n-> Gunicorn é 🚀 kubernets\r\n*why  🚀 GUNICON\r\n-> again\r\n",
        )
        .expect("write");
        names.push("multibyte.notes".to_string());
        let mut s = start_in_encoding(&root, utf8).await;
        let mut report = Value::Null;
        for _ in 0..100 {
            report = s
                .request("workspace/diagnostic", json!({"previousResultIds": []}))
                .await
                .expect("workspace report");
            if report["items"]
                .as_array()
                .is_some_and(|a| a.len() == names.len())
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let items = report["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), names.len(), "{report}");
        for name in &names {
            let path = root.join(name);
            let closed = items
                .iter()
                .find(|i| i["uri"] == json!(uri(&path)))
                .map(|i| i["items"].clone())
                .unwrap_or(Value::Null);
            assert!(
                closed.as_array().is_some_and(|a| !a.is_empty()),
                "{name}: {closed}"
            );
            let text = std::fs::read_to_string(&path).expect("read");
            s.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri(&path), "languageId": "notes",
                                        "version": 1, "text": text}}),
            )
            .await;
            let open = pull(&mut s, &uri(&path), None).await;
            assert_eq!(open["items"], closed, "{name}, utf8 {utf8}");
            if name == "multibyte.notes" {
                multibyte.push(closed);
            }
        }
    }
    assert_ne!(multibyte[0], multibyte[1]);
}

/// A pulling client asks for the findings right after opening a file and
/// right after an edit: a term the notes define by then is no misspelling,
/// in the first answer already (the index takes the text in before the
/// document's next message, or the client's pull, is handled).
#[tokio::test]
async fn a_term_just_defined_is_no_misspelling_in_the_next_pull() {
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null, "rootUri": null, "capabilities": pull_caps(),
    }))
    .await;
    // Long enough that taking it into the index takes a while: a pull that
    // does not wait for the index would come first.
    let filler: String = (0..3000)
        .map(|i| format!("*Question {i} here?\n-> An answer of some words.\n\n"))
        .collect();
    let defined = format!(
        "*What is gunicon?\n-> A server.\n\n*How do I run it?\n-> With gunicon here.\n\n{filler}"
    );
    let defined = defined.as_str();
    // The pull right behind the open, as an editor sends it.
    s.send_notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "interview-notes", "version": 1, "text": defined}}),
    );
    let opened = pull(&mut s, URI, None).await;
    assert_eq!(codes(&opened["items"]), Vec::<String>::new(), "{opened}");

    let text = format!("{defined}\n*What is uvicron?\n-> Another server, unlike uvicron here.\n");
    // As an editor does: the pull right behind the change, not after it
    // was handled.
    s.send_notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let after = pull(&mut s, URI, None).await;
    assert!(
        !after["items"].to_string().contains("uvicron"),
        "a term the edit defined was called a misspelling: {after}"
    );
}

/// A document whose text passes `pull::STREAMED_TEXT` (1 MiB) has its
/// report sent in parts, its length and id worked out first: the same
/// findings as the workspace report (which holds each report whole), in
/// both encodings; `unchanged` when asked again with its id; a new report
/// after an edit.
/// Notes past `pull::STREAMED_TEXT` (1 MiB), whose messages are streamed:
/// the text, and how many of its questions are unanswered. Every tenth is,
/// some ask the same question, and some hold characters of two or four
/// bytes.
fn large_notes() -> (String, usize) {
    notes_of(1_300_000)
}

/// Such notes of at least `len` bytes.
fn notes_of(len: usize) -> (String, usize) {
    let mut text = String::new();
    let mut unanswered = 0;
    let mut i = 0;
    while text.len() < len {
        if i % 10 == 0 {
            text.push_str(&format!("*Unanswered question {i}, 😀 ünïcode?\n\n"));
            unanswered += 1;
        } else if i % 97 == 0 {
            text.push_str("*What is CSRF?\n-> A forged request from another site.\n\n");
        } else {
            let answer = "an answer long enough to count as one ".repeat(6);
            text.push_str(&format!("*Question number {i}?\n-> {answer}\n\n"));
        }
        i += 1;
    }
    (text, unanswered)
}

/// `path`'s URI, spelled `file://localhost/…` in the UTF-8 runs (a client
/// that spells it so must get it back so).
fn client_uri(path: &Path, utf8: bool) -> String {
    match utf8 {
        false => uri(path),
        true => uri(path).replacen("file://", "file://localhost", 1),
    }
}

/// Appends a question to `text`, open as `u` at version 1: version 2.
async fn append_question(s: &mut TestServer, u: &str, text: &str, utf8: bool) {
    let end = common::lsp_position(text, text.len(), utf8);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": {"start": end, "end": end},
                                   "text": "*One more?\n"}]}),
    )
    .await;
}

/// The findings the workspace report (which holds each report whole)
/// gives for `u`.
async fn held_whole(s: &mut TestServer, u: &str) -> Value {
    let whole = s
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await
        .expect("workspace report");
    whole["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["uri"] == json!(u))
        .map(|r| r["items"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_large_documents_report_is_streamed_with_the_same_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let (text, unanswered) = large_notes();
    let path = root.join("big.notes");
    std::fs::write(&path, &text).expect("write");
    for utf8 in [false, true] {
        let mut s = start_in_encoding(&root, utf8).await;
        // In UTF-8, as a client that spells its URIs `file://localhost/…`:
        // the streamed report names the document as the client does.
        let u = client_uri(&path, utf8);
        s.open(&u, &text).await;
        let report = pull(&mut s, &u, None).await;
        assert_eq!(report["kind"], "full");
        let items = report["items"].as_array().cloned().unwrap_or_default();
        let count = |code: &str| items.iter().filter(|d| d["code"] == code).count();
        assert_eq!(count("unanswered-question"), unanswered);
        assert!(count("duplicate-question") > 10, "{}", items.len());
        let held = held_whole(&mut s, &u).await;
        assert!(report["items"] == held, "streamed and whole reports differ");
        let named = |d: &Value| d["relatedInformation"][0]["location"]["uri"].clone();
        let dup = items.iter().find(|d| d["code"] == "duplicate-question");
        assert_eq!(dup.map(named), Some(json!(u)));

        let id = report["resultId"]
            .as_str()
            .expect("a result id")
            .to_string();
        let again = pull(&mut s, &u, Some(&id)).await;
        assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

        append_question(&mut s, &u, &text, utf8).await;
        let edited = pull(&mut s, &u, Some(&id)).await;
        assert_eq!(edited["kind"], "full");
        assert_eq!(
            edited["items"].as_array().map(Vec::len),
            Some(items.len() + 1)
        );
    }
}

/// A document past the size from which pushed diagnostics are streamed
/// (4 MiB; `publish::STREAMED_TEXT`) has them sent in parts, counted first:
/// the same findings as the workspace report, in both encodings and under
/// the client's spelling of its URI; after an edit, one more.
#[tokio::test]
async fn a_large_documents_pushed_diagnostics_are_streamed_with_the_same_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let (text, unanswered) = notes_of(4_300_000);
    let path = root.join("big.notes");
    std::fs::write(&path, &text).expect("write");
    for utf8 in [false, true] {
        let caps = match utf8 {
            false => json!({}),
            true => json!({"general": {"positionEncodings": ["utf-8"]}}),
        };
        let (mut s, _) = TestServer::start_with(json!({
            "processId": null,
            "rootUri": uri(&root),
            "workspaceFolders": [{"uri": uri(&root), "name": "w"}],
            "capabilities": caps,
        }))
        .await;
        let u = client_uri(&path, utf8);
        s.open(&u, &text).await;
        let pushed = s.diagnostics(&u, 1).await;
        let count = |code: &str| pushed.iter().filter(|d| d["code"] == code).count();
        assert_eq!(count("unanswered-question"), unanswered);
        assert!(count("duplicate-question") > 10, "{}", pushed.len());
        let held = held_whole(&mut s, &u).await;
        assert!(json!(pushed) == held, "streamed and whole findings differ");
        let named = |d: &Value| d["relatedInformation"][0]["location"]["uri"].clone();
        let dup = pushed.iter().find(|d| d["code"] == "duplicate-question");
        assert_eq!(dup.map(named), Some(json!(u)));

        append_question(&mut s, &u, &text, utf8).await;
        assert_eq!(s.diagnostics(&u, 2).await.len(), pushed.len() + 1);
    }
}
