//! The workspace through the protocol: indexing with progress, navigation
//! across files, watched-file updates and configuration.

mod common;

use std::path::Path;
use std::time::Duration;

use common::disk::{uri, write};
use common::server::{titles, TestServer};
use common::{covered, lsp_position};
use serde_json::{json, Value};

const WEB: &str =
    "*What is Gunicorn?\n->\nA WSGI server for Python apps.\n\n*What is CSRF?\n->\nAn attack.\n";
const AUTH: &str = "*What is CSRF?\n->\nCross-site request forgery.\n\n*How do we deploy?\n->\nGunicorn behind Nginx.\n";

/// A folder with nested notes, an ignored folder, a binary file, a symlink
/// loop and a link to a file outside.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "web.notes", WEB);
    write(root, "sub/deep/auth.notes", AUTH);
    write(root, ".gitignore", "ignored/\n");
    write(
        root,
        "ignored/secret.notes",
        "*What is CSRF?\n->\nHidden.\n",
    );
    std::fs::write(root.join("blob.notes"), b"*What\xff\x00\x01 is this?\n").expect("write");
    let outside = tempfile::tempdir().expect("tempdir");
    write(
        outside.path(),
        "far.notes",
        "*What is CSRF?\n->\nFar away.\n",
    );
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(root, root.join("sub/loop"));
        let _ =
            std::os::unix::fs::symlink(outside.path().join("far.notes"), root.join("far.notes"));
    }
    // `outside` is removed now; the dangling link must not matter either.
    dir
}

/// The duplicate-question finding among `diags`.
fn duplicate(diags: &[Value]) -> &Value {
    diags
        .iter()
        .find(|d| d["code"] == "duplicate-question")
        .expect("a duplicate question")
}

async fn start(root: &Path, extra: Value) -> TestServer {
    let mut caps = json!({
        "window": {"workDoneProgress": true},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
    });
    if let (Some(c), Some(e)) = (caps.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            c.insert(k.clone(), v.clone());
        }
    }
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "notes"}],
        "capabilities": caps,
    }))
    .await;
    // Indexing reports progress and ends.
    loop {
        let p = s.notification("$/progress").await;
        if p["value"]["kind"] == "end" {
            let msg = p["value"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(msg.starts_with("Indexed 2 notes files"), "{msg}");
            break;
        }
    }
    s
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{} ({})",
                s["name"].as_str().unwrap_or(""),
                s["containerName"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[tokio::test]
async fn indexes_with_progress_and_navigates_across_files() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let mut s = start(&root, json!({})).await;

    let symbols = s
        .request("workspace/symbol", json!({"query": "csrf"}))
        .await
        .expect("symbols");
    // The term the notes define (`What is CSRF?`) first, then the questions.
    assert_eq!(
        names(&symbols),
        [
            "CSRF (auth.notes)",
            "What is CSRF? (auth.notes)",
            "What is CSRF? (web.notes)"
        ]
    );
    let symbols = s
        .request("workspace/symbol", json!({"query": "wdd"}))
        .await
        .expect("symbols");
    assert_eq!(names(&symbols), ["How do we deploy? (auth.notes)"]);

    let auth = root.join("sub/deep/auth.notes");
    let auth_uri = uri(&auth);
    s.open(&auth_uri, AUTH).await;
    let diags = s.diagnostics(&auth_uri, 1).await;
    let dup = duplicate(&diags);
    assert_eq!(
        dup["message"],
        "Duplicate question: also asked in web.notes"
    );
    let related = &dup["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri(&root.join("web.notes")));
    assert_eq!(covered(WEB, &related["range"], false), "What is CSRF?");

    // Gunicorn is defined by a question in web.notes: definition goes there.
    let at = lsp_position(AUTH, AUTH.find("Gunicorn").unwrap_or(0) + 1, false);
    let pos = json!({"textDocument": {"uri": auth_uri}, "position": at});
    let defs = s
        .request("textDocument/definition", pos.clone())
        .await
        .expect("definition");
    assert_eq!(defs[0]["uri"], uri(&root.join("web.notes")));
    assert_eq!(covered(WEB, &defs[0]["range"], false), "What is Gunicorn?");

    let mut refs_params = pos.clone();
    refs_params["context"] = json!({"includeDeclaration": true});
    let refs = s
        .request("textDocument/references", refs_params)
        .await
        .expect("references");
    let mut places: Vec<String> = refs
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let text = if l["uri"] == auth_uri { AUTH } else { WEB };
            format!(
                "{}:{}",
                l["uri"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or(""),
                covered(text, &l["range"], false)
            )
        })
        .collect();
    places.sort();
    assert_eq!(places, ["auth.notes:Gunicorn", "web.notes:Gunicorn"]);

    let hl = s
        .request("textDocument/documentHighlight", pos)
        .await
        .expect("highlights");
    assert_eq!(hl.as_array().map(Vec::len), Some(1));

    let hover = s
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": auth_uri}, "position": at}),
        )
        .await
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("A WSGI server for Python apps"),
        "the user's definition: {md}"
    );
}

/// The index keeps no text of a document open in the editor (only its
/// terms and questions): places in it (a duplicate's first copy, a
/// workspace symbol, a definition) are found in the editor's text, here
/// four lines and an emoji below where the disk has them.
#[tokio::test]
async fn places_in_an_open_document_are_found_in_the_editors_text() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let mut s = start(&root, json!({})).await;
    let edited = format!("*Typed first, 😀 unsaved?\n->\nyes\n\n{WEB}");
    let web = uri(&root.join("web.notes"));
    s.open(&web, &edited).await;
    let auth = uri(&root.join("sub/deep/auth.notes"));
    s.open(&auth, AUTH).await;

    let diags = s.diagnostics(&auth, 1).await;
    let dup = duplicate(&diags);
    let related = &dup["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], web);
    assert_eq!(related["range"]["start"]["line"], 8, "{related}");
    assert_eq!(covered(&edited, &related["range"], false), "What is CSRF?");

    let symbols = s
        .request("workspace/symbol", json!({"query": "what is csrf"}))
        .await
        .expect("symbols");
    let in_web: Vec<&Value> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["location"]["uri"] == web.as_str())
        .collect();
    assert_eq!(in_web.len(), 1, "{symbols}");
    assert_eq!(
        in_web[0]["name"], "What is CSRF?",
        "labelled from the editor's text"
    );
    let range = &in_web[0]["location"]["range"];
    assert_eq!(covered(&edited, range, false), "What is CSRF?");

    let at = lsp_position(AUTH, AUTH.find("Gunicorn").unwrap_or(0) + 1, false);
    let defs = s
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": auth}, "position": at}),
        )
        .await
        .expect("definition");
    assert_eq!(defs[0]["uri"], web);
    assert_eq!(
        covered(&edited, &defs[0]["range"], false),
        "What is Gunicorn?"
    );
}

#[tokio::test]
async fn watched_files_and_configuration_take_effect_without_restart() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let mut s = start(&root, json!({})).await;

    let new = root.join("new.notes");
    std::fs::write(&new, "*What is Redis?\n->\nAn in-memory store.\n").expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 1}]}),
    )
    .await;
    let found = s
        .request("workspace/symbol", json!({"query": "redis"}))
        .await
        .expect("symbols");
    assert_eq!(
        names(&found),
        ["Redis (new.notes)", "What is Redis? (new.notes)"]
    );

    std::fs::remove_file(&new).expect("rm");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 3}]}),
    )
    .await;
    let found = s
        .request("workspace/symbol", json!({"query": "redis"}))
        .await
        .expect("symbols");
    assert_eq!(names(&found), Vec::<String>::new());

    // Switching a code off re-publishes without it.
    let web = uri(&root.join("web.notes"));
    s.open(&web, WEB).await;
    let diags = s.diagnostics(&web, 1).await;
    assert!(diags.iter().any(|d| d["code"] == "duplicate-question"));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"duplicate-question": "off"}}}}),
    )
    .await;
    let diags = s.diagnostics(&web, 1).await;
    assert!(
        diags.iter().all(|d| d["code"] != "duplicate-question"),
        "{diags:?}"
    );

    // A bad value is reported once and the configuration in force stays.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"duplicate-question": "loud"}}}}),
    )
    .await;
    let shown = s.notification("window/showMessage").await;
    assert!(shown["message"]
        .as_str()
        .unwrap_or_default()
        .contains("loud"));
    // The findings did not change: nothing is sent again, and anything
    // sent still leaves duplicates off.
    for m in s.drain_for(std::time::Duration::from_millis(800)).await {
        if m.method() == "textDocument/publishDiagnostics" {
            let p = m.params().cloned().unwrap_or_default();
            assert!(
                p["diagnostics"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|d| d["code"] != "duplicate-question"),
                "{p}"
            );
        }
    }
}

#[tokio::test]
async fn notes_ls_toml_in_the_root_is_read() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "notes-ls.toml",
        "[diagnostics]\nduplicate-question = \"error\"\n",
    );
    let mut s = start(&root, json!({})).await;
    let web = uri(&root.join("web.notes"));
    s.open(&web, WEB).await;
    let diags = s.diagnostics(&web, 1).await;
    let dup = duplicate(&diags);
    assert_eq!(dup["severity"], 1);
    s.no_notification("window/showMessage", Duration::from_millis(100))
        .await;
}

#[tokio::test]
async fn a_glossary_already_in_the_workspace_is_read_at_start() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "glossary.toml",
        "words = [\"gunicon\"]\n[[term]]\nname = \"PgCat\"\ndefinition = \"A pooler.\"\n",
    );
    let mut s = start(&root, json!({})).await;
    let text = "*Why gunicon?\n->\nPgCat pools.\n";
    let file = uri(&root.join("typo.notes"));
    s.open(&file, text).await;
    let diags = s.diagnostics(&file, 1).await;
    assert!(
        diags.iter().all(|d| d["code"] != "misspelled-term"),
        "{diags:?}"
    );
    let at = lsp_position(text, text.find("PgCat").unwrap_or(0) + 2, false);
    let hover = s
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": file}, "position": at}),
        )
        .await
        .expect("hover");
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("A pooler."), "{md}");
}

#[tokio::test]
async fn without_a_workspace_folder_open_files_still_work() {
    let mut s = TestServer::start_default().await;
    s.open("file:///tmp/alone.notes", WEB).await;
    let diags = s.diagnostics("file:///tmp/alone.notes", 1).await;
    assert!(diags.is_empty(), "{diags:?}");
    let found = s
        .request("workspace/symbol", json!({"query": "gunicorn"}))
        .await
        .expect("symbols");
    assert_eq!(
        names(&found),
        ["Gunicorn (alone.notes)", "What is Gunicorn? (alone.notes)"]
    );
}

#[tokio::test]
async fn misspellings_are_fixed_or_added_to_the_workspace_glossary() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let mut s = start(
        &root,
        json!({"workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceEdit": {"resourceOperations": ["create"]}
        }}),
    )
    .await;
    let text = "*Why gunicon?\n->\nBecause gunicon is fast.\n";
    let file = uri(&root.join("typo.notes"));
    s.open(&file, text).await;
    let diags = s.diagnostics(&file, 1).await;
    let typos: Vec<&str> = diags
        .iter()
        .filter(|d| d["code"] == "misspelled-term")
        .map(|d| covered(text, &d["range"], false))
        .collect();
    assert_eq!(typos, ["gunicon", "gunicon"]);

    let at = lsp_position(text, text.find("gunicon").unwrap_or(0), false);
    let actions = s.code_actions(&file, at.clone(), at).await;
    let titles = titles(&actions);
    assert_eq!(
        titles,
        [
            "Change to `Gunicorn`",
            "Add `gunicon` to the workspace glossary (glossary.toml)"
        ]
    );
    assert_eq!(actions[0]["isPreferred"], true);
    let ops = &actions[1]["edit"]["documentChanges"];
    assert_eq!(ops[0]["kind"], "create");
    let glossary = root.join("glossary.toml");
    assert_eq!(ops[0]["uri"], uri(&glossary));
    let content = ops[1]["edits"][0]["newText"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(content.contains("words = [\"gunicon\"]"), "{content}");
    // The server proposes; it never writes the user's files itself.
    assert!(!glossary.exists());

    // The client applies the edit; the watcher reports it; the word is known.
    std::fs::write(&glossary, content).expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&glossary), "type": 1}]}),
    )
    .await;
    let diags = s.diagnostics(&file, 1).await;
    assert!(
        diags.iter().all(|d| d["code"] != "misspelled-term"),
        "{diags:?}"
    );
}

/// What VS Code really sends for `notesLs`: the extension's own keys
/// (`server`, `trace`, `files.associations`) and every contributed default,
/// `glossary.paths: []` among them. None of it is an error shown to the user,
/// the default glossary file stays in use, and the one setting changed
/// takes effect.
#[tokio::test]
async fn settings_as_vscode_sends_them_are_accepted() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "glossary.toml",
        "[[term]]\nname = \"PgCat\"\ndefinition = \"A pooler.\"\n",
    );
    let mut s = start(&root, json!({})).await;
    let text = "*What is PgCat?\n->\nPgCat pools.\n\nwhat is CSRF?\n->\nAn attack.\n";
    let notes = uri(&root.join("pg.notes"));
    s.open(&notes, text).await;
    let diags = s.diagnostics(&notes, 1).await;
    assert!(diags.iter().any(|d| d["code"] == "missing-question-marker"));
    let vscode = |marker: Value| {
        json!({"settings": {"notesLs": {
            "server": {"path": "", "extraArgs": []},
            "trace": {"server": "off"},
            "files": {"associations": [], "include": ["**/*.notes"]},
            "diagnostics": {"missing-question-marker": marker},
            "glossary": {"builtin": true, "paths": []}
        }}})
    };
    s.notify("workspace/didChangeConfiguration", vscode(json!("off")))
        .await;
    let diags = s.diagnostics(&notes, 1).await;
    assert!(
        diags.iter().all(|d| d["code"] != "missing-question-marker"),
        "{diags:?}"
    );
    s.no_notification("window/showMessage", Duration::from_millis(200))
        .await;
    // The user's glossary.toml is still the glossary: PgCat hovers.
    let hover = s
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": notes}, "position": {"line": 2, "character": 1}}),
        )
        .await
        .expect("hover");
    assert!(hover.to_string().contains("A pooler."), "{hover}");
    // `null` puts a code back to its default.
    s.notify("workspace/didChangeConfiguration", vscode(Value::Null))
        .await;
    let diags = s.diagnostics(&notes, 1).await;
    assert!(diags.iter().any(|d| d["code"] == "missing-question-marker"));
}

/// A client that cannot watch files (Neovim on Linux): the server notices
/// the glossary saved on disk by itself, and the finding it settles goes.
#[tokio::test]
async fn the_glossary_is_watched_by_the_server_when_the_client_cannot() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let no_watch = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": false}}});
    let mut s = start(&root, no_watch).await;
    let notes = uri(&root.join("deploy.notes"));
    s.open(
        &notes,
        "*How do we deploy?\n->\nWith gunicon behind Nginx.\n",
    )
    .await;
    let misspelled = |diags: &[Value]| diags.iter().any(|d| d["code"] == "misspelled-term");
    assert!(misspelled(&s.diagnostics(&notes, 1).await));
    // Let the server take its first look at its files, then save a glossary
    // that knows the word, as "add to glossary" then `:w` would.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    write(&root, "glossary.toml", "words = [\"gunicon\"]\n");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(6);
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the finding stayed after the glossary was saved"
        );
        if !misspelled(&s.diagnostics(&notes, 1).await) {
            break;
        }
    }
}

/// `[format] dialect` changed in the editor's settings: an open document is
/// read again in the new dialect, without closing it.
#[tokio::test]
async fn a_dialect_change_rereads_open_documents() {
    let mut s = TestServer::start_default().await;
    let qa = "file:///notes/qa.txt";
    s.open(
        qa,
        "Q: What is a decorator?\nA: A function around a function.\n\nQ: What is the GIL?\n",
    )
    .await;
    let outline = |v: &Value| v.as_array().map_or(0, Vec::len);
    let before = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": qa}}),
        )
        .await
        .expect("symbols");
    // As arrow notes, only the last line reads as a (marker-less) question.
    assert_eq!(outline(&before), 1, "{before}");
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"format": {"dialect": "qa"}}}}),
    )
    .await;
    let after = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": qa}}),
        )
        .await
        .expect("symbols");
    assert_eq!(outline(&after), 2, "{after}");
    assert_eq!(after[0]["name"], "What is a decorator?");
    let diags = s.diagnostics(qa, 1).await;
    assert!(
        diags.iter().any(|d| d["code"] == "unanswered-question"),
        "{diags:?}"
    );
}

/// A drill wrote the review file: the client is asked for code lenses again
/// (their due dates changed), also when it cannot watch files itself.
#[tokio::test]
async fn a_new_review_file_refreshes_code_lenses() {
    let dir = workspace();
    let root = dir.path().canonicalize().expect("canonical");
    let caps = json!({"workspace": {
        "didChangeWatchedFiles": {"dynamicRegistration": false},
        "codeLens": {"refreshSupport": true}
    }});
    let mut s = start(&root, caps).await;
    // Let the server take its first look at its files.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    write(&root, ".notes-ls/reviews.json", "{}\n");
    let refresh = tokio::time::timeout(
        Duration::from_secs(5),
        s.notification("workspace/codeLens/refresh"),
    )
    .await;
    assert!(
        refresh.is_ok(),
        "no codeLens/refresh after the review file was written"
    );
}
