//! English spelling through the protocol: turned on by `notes-ls.toml` or
//! by the editor's settings, a misspelled word is pushed as an
//! `english-spelling` diagnostic with "Change to" fixes and an "Add to
//! dictionary" action that edits the workspace glossary's `words`.

mod common;

use std::path::Path;

use common::disk::uri;
use common::server::{titles, TestServer};
use common::{covered, lsp_position};
use serde_json::{json, Value};

async fn start(root: &Path, options: Value) -> TestServer {
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "notes"}],
        "initializationOptions": options,
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"workspaceEdit": {"resourceOperations": ["create"]}}
        },
    }))
    .await;
    loop {
        let p = s.notification("$/progress").await;
        if p["value"]["kind"] == "end" {
            break;
        }
    }
    s
}

const TEXT: &str = "*What is CSRF?\n->\nSecurity Attact on a trusted site.\n";

/// The English findings of the file: (word, severity).
fn english(text: &str, diags: &[Value]) -> Vec<(String, i64)> {
    diags
        .iter()
        .filter(|d| d["code"] == "english-spelling")
        .map(|d| {
            let word = covered(text, &d["range"], false).to_string();
            (word, d["severity"].as_i64().unwrap_or_default())
        })
        .collect()
}

#[tokio::test]
async fn on_in_notes_ls_toml_with_fixes_and_add_to_dictionary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(
        root.join("notes-ls.toml"),
        "[diagnostics]\nenglish-spelling = \"info\"\n",
    )
    .expect("write");
    let mut s = start(&root, Value::Null).await;
    let file = uri(&root.join("csrf.notes"));
    s.open(&file, TEXT).await;
    let diags = s.diagnostics(&file, 1).await;
    assert_eq!(english(TEXT, &diags), [("Attact".to_string(), 3)]);

    let at = lsp_position(TEXT, TEXT.find("Attact").unwrap_or(0), false);
    let actions = s.code_actions(&file, at.clone(), at).await;
    let titles = titles(&actions);
    assert_eq!(actions[0]["isPreferred"], true);
    assert!(titles.starts_with(&["Change to `Attach`"]), "{titles:?}");
    assert!(titles.contains(&"Change to `Attack`"), "{titles:?}");
    assert_eq!(
        titles.last(),
        Some(&"Add `Attact` to the workspace dictionary (glossary.toml)")
    );
    let add = actions.last().cloned().unwrap_or_default();
    let ops = &add["edit"]["documentChanges"];
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], uri(&root.join("glossary.toml")));
    let content = ops[1]["edits"][0]["newText"].as_str().unwrap_or_default();
    assert!(content.contains("words = [\"Attact\"]"), "{content}");
    // The server proposes; it never writes the user's files itself.
    assert!(!root.join("glossary.toml").exists());
}

#[tokio::test]
async fn on_in_the_editor_settings_off_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut s = start(&root, Value::Null).await;
    let file = uri(&root.join("csrf.notes"));
    s.open(&file, TEXT).await;
    let diags = s.diagnostics(&file, 1).await;
    assert!(english(TEXT, &diags).is_empty(), "{diags:?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let settings = json!({"diagnostics": {"english-spelling": "hint"}});
    let mut s = start(&root, settings).await;
    let file = uri(&root.join("csrf.notes"));
    s.open(&file, TEXT).await;
    let diags = s.diagnostics(&file, 1).await;
    assert_eq!(english(TEXT, &diags), [("Attact".to_string(), 4)]);
}
