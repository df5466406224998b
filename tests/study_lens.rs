//! Study code lenses from the real binary over stdio: a drill writes the
//! review file, then the server shows the file's summary and each studied
//! question's schedule; `notesLs.codeLens: false` turns them off.

mod common;

use assert_cmd::Command;
use common::stdio::StdioServer;
use serde_json::{json, Value};

const NOW: &str = "2026-12-04T12:00:00Z";
const WEB: &str = "*What is CSRF?\n-> A forged request.\n\n*What is XSS?\n-> Injected script.\n\n*What is CORS?\n";

fn lenses(s: &mut StdioServer, uri: &str) -> Value {
    s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    )["result"]
        .clone()
}

#[test]
fn lenses_show_counts_and_review_state_and_can_be_turned_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join("notes-ls.toml"), "").expect("write");
    std::fs::write(root.join("web.notes"), WEB).expect("write");
    // Grade CSRF "easy" and leave XSS new.
    let drill = Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
        .args(["drill", "--plain", "--new", "1"])
        .current_dir(&root)
        .env("NOTES_LS_NOW", NOW)
        .write_stdin("4\n")
        .output()
        .expect("drill");
    assert!(drill.status.success(), "{drill:?}");
    // Two days later, for the server (a single test in this binary, so the
    // variable is set before any other thread reads the environment).
    std::env::set_var("NOTES_LS_NOW", "2026-12-06T12:00:00Z");
    let uri = url(&root.join("web.notes"));
    let root_uri = url(&root);

    let mut s = StdioServer::spawn(&[]);
    let init = s.initialize(json!({"rootUri": root_uri}));
    assert_eq!(
        init["result"]["capabilities"]["codeLensProvider"],
        json!({"resolveProvider": false})
    );
    s.open(&uri, WEB);
    let shown: Vec<String> = lenses(&mut s, &uri)
        .as_array()
        .expect("lenses")
        .iter()
        .map(|l| {
            format!(
                "{}:{} {} [{} {}]",
                l["range"]["start"]["line"],
                l["range"]["start"]["character"],
                l["command"]["title"].as_str().unwrap_or(""),
                l["command"]["command"].as_str().unwrap_or(""),
                l["command"]["arguments"][0]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("web.notes"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "0:0 3 questions · 1 unanswered · 1 new [notesLs.drill true]",
            "0:0 due in 13 days · 99 % recall [notesLs.drill true]",
        ]
    );

    let mut off = StdioServer::spawn(&[]);
    off.initialize(
        json!({"rootUri": root_uri, "initializationOptions": {"notesLs": {"codeLens": false}}}),
    );
    off.open(&uri, WEB);
    assert_eq!(lenses(&mut off, &uri), Value::Null);
}

fn url(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}
