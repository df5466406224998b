//! Formatting, document links, selection ranges, workspace symbols with
//! terms, definition and references inside a multi-word term, and the
//! short-answer finding, through the protocol: every range checked in
//! UTF-16 and in UTF-8 on lines with emoji and CJK.

mod common;

use std::path::Path;

use common::server::TestServer;
use common::{apply_edits, covered, lsp_position};
use notes_ls::ide::{self, FormatOptions};
use serde_json::{json, Value};

const URI: &str = "file:///notes/editing.notes";

/// A UTF-16 client and a UTF-8 one.
async fn servers() -> Vec<TestServer> {
    vec![
        TestServer::start_default().await,
        TestServer::start(json!({"general": {"positionEncodings": ["utf-8"]}}))
            .await
            .0,
    ]
}

const MESSY: &str = "What is 缓存?\r\n->   \r\n😀 a cache  \r\n\r\n\r\n\r\n\
                     *Next 🐍 one?->  yes it is.\r\n| a | 缓存 |\r\n|---|---|\r\n| 😀 | b |\r\n\
                     *Last é?\r\nNo arrow 语.";

#[tokio::test]
async fn formatting_applied_is_the_cores_format() {
    let notes = notes_ls::syntax::parse(MESSY);
    let want = ide::format(MESSY, &notes, &FormatOptions::default());
    assert_ne!(want, MESSY, "the fixture needs formatting");
    for mut s in servers().await {
        s.open(URI, MESSY).await;
        let edits = s
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": URI},
                       "options": {"tabSize": 4, "insertSpaces": true}}),
            )
            .await
            .expect("formatting");
        assert_eq!(apply_edits(MESSY, &edits, s.utf8), want, "utf8 {}", s.utf8);
        // Formatted text needs no more edits.
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2},
                   "contentChanges": [{"text": want}]}),
        )
        .await;
        let again = s
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": URI},
                       "options": {"tabSize": 2, "insertSpaces": false}}),
            )
            .await
            .expect("formatting");
        assert_eq!(again, json!([]));
    }
}

#[tokio::test]
async fn range_formatting_formats_the_entries_the_range_touches() {
    let text = "*First 😀?\n->   \nkeep  \n\n\n\n*Second 缓存?->  yes  \n";
    let notes = notes_ls::syntax::parse(text);
    let at = text.find("Second").unwrap_or(0);
    let core = ide::format_range_edits(
        text,
        &notes,
        &FormatOptions::default(),
        notes_ls::syntax::TextRange::new(at, at + 3),
    );
    let mut want = text.to_string();
    for c in core.iter().rev() {
        want.replace_range(c.range.start()..c.range.end(), &c.insert);
    }
    // The first entry is not formatted (the gap after it is).
    assert!(want.starts_with("*First 😀?\n->   \n"), "{want:?}");
    assert_ne!(want, text);
    for mut s in servers().await {
        s.open(URI, text).await;
        let range = json!({"start": lsp_position(text, at, s.utf8),
                           "end": lsp_position(text, at + 3, s.utf8)});
        let edits = s
            .request(
                "textDocument/rangeFormatting",
                json!({"textDocument": {"uri": URI}, "range": range,
                       "options": {"tabSize": 4, "insertSpaces": true}}),
            )
            .await
            .expect("rangeFormatting");
        assert_eq!(apply_edits(text, &edits, s.utf8), want, "utf8 {}", s.utf8);
    }
}

#[tokio::test]
async fn formatting_and_friends_are_advertised() {
    let (_, init) = TestServer::start(json!({})).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["documentRangeFormattingProvider"], true);
    assert_eq!(caps["documentLinkProvider"]["resolveProvider"], false);
    assert_eq!(caps["selectionRangeProvider"], true);
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[tokio::test]
async fn links_to_urls_and_existing_files_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir(root.join("db")).expect("mkdir");
    std::fs::write(root.join("db/index.notes"), "*Q?\n-> A.\n").expect("write");
    let doc = root.join("web.notes");
    let uri = file_uri(&doc);
    let text = "*What is 缓存 😀?\n->\n\
                缓存 😀 see https://owasp.org/csrf and [idx](db/index.notes#mvcc).\n\
                Gone: [x](db/missing.notes), [run](command:workbench.action.quit).\n\
                [open](vscode://file/etc/passwd) and the [folder](db).\n\
                `https://example.com/in-code`\n";
    for mut s in servers().await {
        s.open(&uri, text).await;
        let links = s
            .request(
                "textDocument/documentLink",
                json!({"textDocument": {"uri": uri}}),
            )
            .await
            .expect("documentLink");
        let got: Vec<(&str, String)> = links
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    covered(text, &l["range"], s.utf8),
                    l["target"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "https://owasp.org/csrf",
                    "https://owasp.org/csrf".to_string()
                ),
                (
                    "db/index.notes#mvcc",
                    file_uri(&root.join("db/index.notes"))
                ),
                ("db", file_uri(&root.join("db"))),
            ],
            "utf8 {}",
            s.utf8
        );
    }
}

/// The chain of ranges a selection request gives, innermost first, as the
/// text each covers.
fn chain<'t>(text: &'t str, sel: &Value, utf8: bool) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut at = Some(sel);
    while let Some(s) = at.filter(|s| !s.is_null()) {
        out.push(covered(text, &s["range"], utf8));
        at = s.get("parent");
    }
    out
}

#[tokio::test]
async fn selection_grows_from_the_word_to_the_entry() {
    let text = "*Why 😀 缓存?\n->\n语 😀 send a CSRF token here.\nMore.\n\n*Other?\n-> B.\n";
    let tok = text.find("token").unwrap_or(0) + 2;
    let other = text.find("Other").unwrap_or(0);
    for mut s in servers().await {
        s.open(URI, text).await;
        let got = s
            .request(
                "textDocument/selectionRange",
                json!({"textDocument": {"uri": URI}, "positions": [
                    lsp_position(text, tok, s.utf8),
                    lsp_position(text, other, s.utf8),
                ]}),
            )
            .await
            .expect("selectionRange");
        let all = got.as_array().cloned().unwrap_or_default();
        assert_eq!(all.len(), 2, "one answer per position, in order");
        let first = chain(text, &all[0], s.utf8);
        assert_eq!(first[0], "token", "utf8 {}", s.utf8);
        assert_eq!(first[1], "CSRF token");
        assert_eq!(first[2], "语 😀 send a CSRF token here.");
        assert!(first.last().is_some_and(|e| e.starts_with("*Why 😀 缓存?")));
        assert!(first.last().is_some_and(|e| e.contains("More.")));
        let second = chain(text, &all[1], s.utf8);
        assert_eq!(second[0], "Other");
    }
}

/// Waits until the index has taken in the opened documents: their
/// diagnostics are published after that.
async fn open_indexed(s: &mut TestServer, docs: &[(&str, &str)]) {
    for (uri, text) in docs {
        s.open(uri, text).await;
        s.diagnostics(uri, 1).await;
    }
}

const DEFINES: &str = "file:///notes/defines.notes";
const DEFINES_TEXT: &str = "*What is CSRF?\n->\nA forged cross-site request.\n\n\
                            *😀 缓存 Covering index?\n-> Covering index: an index with every column.\n";
const USES: &str = "file:///notes/uses.notes";
const USES_TEXT: &str = "*How to stop 😀 缓存 attacks?\n->\nSend a CSRF token with each form.\n";

#[tokio::test]
async fn workspace_symbols_list_terms_by_origin_then_questions() {
    for mut s in servers().await {
        open_indexed(&mut s, &[(DEFINES, DEFINES_TEXT), (USES, USES_TEXT)]).await;
        let found = s
            .request("workspace/symbol", json!({"query": "covering"}))
            .await
            .expect("symbols");
        let found = found.as_array().cloned().unwrap_or_default();
        let term = found
            .iter()
            .find(|f| f["kind"] == 8)
            .unwrap_or_else(|| panic!("the notes' term: {found:?}"));
        assert_eq!(term["name"], "Covering index");
        assert_eq!(term["location"]["uri"], DEFINES);
        assert_eq!(
            covered(DEFINES_TEXT, &term["location"]["range"], s.utf8),
            "Covering index"
        );
        // The question after the term it matches exactly as well.
        let q = found
            .iter()
            .position(|f| f["kind"] == 15)
            .expect("the question");
        assert!(q > 0, "{found:?}");
        assert_eq!(
            covered(DEFINES_TEXT, &found[q]["location"]["range"], s.utf8),
            "😀 缓存 Covering index?"
        );

        // `csrf`: the notes' term first, then the questions naming it; the
        // built-in glossary's `CSRF token` has no place to go and is left out.
        let found = s
            .request("workspace/symbol", json!({"query": "csrf"}))
            .await
            .expect("symbols");
        let found = found.as_array().cloned().unwrap_or_default();
        assert_eq!(found[0]["name"], "CSRF");
        assert_eq!(found[0]["kind"], 8);
        assert!(found.iter().all(|f| f["location"]["uri"].is_string()));
        assert!(found.iter().all(|f| f["name"] != "CSRF token"), "{found:?}");
        assert!(found.iter().any(|f| f["kind"] == 15));
    }
}

#[tokio::test]
async fn definition_and_references_inside_a_longer_term() {
    for mut s in servers().await {
        open_indexed(&mut s, &[(DEFINES, DEFINES_TEXT), (USES, USES_TEXT)]).await;
        // On `CSRF` of `CSRF token`, which the notes do not define.
        let at = USES_TEXT.find("CSRF token").unwrap_or(0) + 1;
        let pos = json!({"textDocument": {"uri": USES},
                         "position": lsp_position(USES_TEXT, at, s.utf8)});
        let defs = s
            .request("textDocument/definition", pos.clone())
            .await
            .expect("definition");
        let defs = defs.as_array().cloned().unwrap_or_default();
        assert_eq!(defs.len(), 1, "{defs:?}");
        assert_eq!(defs[0]["uri"], DEFINES);
        assert_eq!(defs[0]["range"]["start"]["line"], 0);

        let mut params = pos;
        params["context"] = json!({"includeDeclaration": true});
        let refs = s
            .request("textDocument/references", params)
            .await
            .expect("references");
        let refs = refs.as_array().cloned().unwrap_or_default();
        assert!(
            refs.iter().any(|r| r["uri"] == DEFINES),
            "CSRF in the defining file: {refs:?}"
        );
        // And the cursor's own spot, inside `CSRF token`.
        assert!(
            refs.iter()
                .any(|r| r["uri"] == USES && covered(USES_TEXT, &r["range"], s.utf8) == "CSRF"),
            "CSRF of `CSRF token`: {refs:?}"
        );
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Pushed and pulled, `short-answer` follows the configuration, and a
/// change of any code's severity reaches entries the cache kept.
#[tokio::test]
async fn short_answers_follow_the_configuration_pushed_and_pulled() {
    let text = "*Is 缓存 fast 😀?\n-> Yes.\n\n*Why?\n-> Because it is kept in memory.\n";
    let on = json!({"notesLs": {"diagnostics": {"short-answer": "hint"}}});
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null, "rootUri": null, "capabilities": {},
        "initializationOptions": on,
    }))
    .await;
    s.open(URI, text).await;
    let pushed = s.diagnostics(URI, 1).await;
    assert_eq!(codes(&pushed), ["short-answer"]);
    assert_eq!(covered(text, &pushed[0]["range"], false), "Yes.");
    assert_eq!(pushed[0]["severity"], 4);

    // Another severity: the entry's cached finding is not reused.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"short-answer": "warning"}}}}),
    )
    .await;
    let again = loop {
        let p = s.notification("textDocument/publishDiagnostics").await;
        if p["uri"] == URI && p["diagnostics"][0]["severity"] == 2 {
            break p;
        }
    };
    assert_eq!(
        codes(again["diagnostics"].as_array().unwrap_or(&Vec::new())),
        ["short-answer"]
    );

    // A pulling client gets the same.
    let (mut p, _) = TestServer::start_with(json!({
        "processId": null, "rootUri": null,
        "capabilities": {
            "general": {"positionEncodings": ["utf-8"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostic": {"refreshSupport": true}}
        },
        "initializationOptions": {"notesLs": {"diagnostics": {"short-answer": "hint"}}},
    }))
    .await;
    p.open(URI, text).await;
    let report = p
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("report");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(codes(&items), ["short-answer"]);
    assert_eq!(covered(text, &items[0]["range"], true), "Yes.");
}

/// A term of the workspace's glossary file is listed as a constant at the
/// top of that file; built-in terms are not listed at all.
#[tokio::test]
async fn a_glossary_file_term_points_at_its_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(
        root.join("glossary.toml"),
        "[[term]]\nname = \"Celery beat\"\ndefinition = \"The scheduler.\"\n",
    )
    .expect("write");
    std::fs::write(
        root.join("a.notes"),
        "*How is 😀 Celery beat run?\n-> Once.\n",
    )
    .expect("write");
    let root_uri = file_uri(&root);
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": root_uri,
        "workspaceFolders": [{"uri": root_uri, "name": "w"}],
        "capabilities": {"window": {"workDoneProgress": true}},
    }))
    .await;
    while s.notification("$/progress").await["value"]["kind"] != "end" {}
    let found = s
        .request("workspace/symbol", json!({"query": "celery"}))
        .await
        .expect("symbols");
    let found = found.as_array().cloned().unwrap_or_default();
    let kinds: Vec<(&str, u64)> = found
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default(),
                f["kind"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // `Celery` itself is a built-in term: not listed.
    assert_eq!(
        kinds,
        [("Celery beat", 14), ("How is 😀 Celery beat run?", 15)]
    );
    assert_eq!(
        found[0]["location"]["uri"],
        file_uri(&root.join("glossary.toml"))
    );
    assert_eq!(found[0]["containerName"], "glossary.toml");
}

/// A pulling client asks again after a change of severity, and is not told
/// `unchanged`.
#[tokio::test]
async fn a_severity_change_is_pulled_afresh() {
    let text = "*Is 缓存 fast?\n-> Yes.\n";
    let (mut p, _) = TestServer::start_with(json!({
        "processId": null, "rootUri": null,
        "capabilities": {
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostic": {"refreshSupport": true}}
        },
        "initializationOptions": {"notesLs": {"diagnostics": {"short-answer": "hint"}}},
    }))
    .await;
    p.open(URI, text).await;
    let first = p
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("report");
    assert_eq!(first["items"][0]["severity"], 4);
    p.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"short-answer": "error"}}}}),
    )
    .await;
    p.notification("workspace/diagnostic/refresh").await;
    let again = p
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": first["resultId"]}),
        )
        .await
        .expect("report");
    assert_eq!(again["kind"], "full", "{again}");
    assert_eq!(again["items"][0]["code"], "short-answer");
    assert_eq!(again["items"][0]["severity"], 1);
}
