//! The workspace index under a hostile or merely busy client (issue 18):
//! a client that never answers the server's requests, file events and
//! folder renames that land during a scan, and bursts of configuration
//! changes. The index must end up as the disk and the editor say, with one
//! scan at a time, each reporting progress under its own token.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use common::disk::{uri, write};
use common::server::TestServer;
use serde_json::{json, Value};

/// `n` notes files under `dir`, each asking `What is item <i>?`: enough
/// that a scan takes long enough for events to arrive while it runs.
fn many(root: &Path, dir: &str, n: usize) {
    for i in 0..n {
        write(
            root,
            &format!("{dir}/f{i:05}.notes"),
            &format!("*What is item{i}?\n-> The answer to item {i}, at some length.\n"),
        );
    }
}

fn workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "web.notes",
        "*What is Gunicorn?\n-> A WSGI server.\n",
    );
    (dir, root)
}

fn init(root: &Path, progress: bool, watch: bool) -> Value {
    json!({
        "processId": null,
        "rootUri": uri(root),
        "workspaceFolders": [{"uri": uri(root), "name": "notes"}],
        "capabilities": {
            "window": {"workDoneProgress": progress},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}}
        },
    })
}

/// A server on `root` whose client answers every request.
async fn start(root: &Path) -> TestServer {
    TestServer::start_with(init(root, true, true)).await.0
}

/// Every `$/progress` until a scan ended with "Indexed ..." and nothing
/// more came for a while: whatever scans were started have settled.
async fn settle(s: &mut TestServer) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut indexed = false;
    loop {
        let wait = if indexed { 1500 } else { 30_000 };
        let next =
            tokio::time::timeout(Duration::from_millis(wait), s.notification("$/progress")).await;
        match next {
            Ok(p) => {
                if p["value"]["kind"] == "end"
                    && p["value"]["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("Indexed"))
                {
                    indexed = true;
                }
                seen.push(p);
            }
            Err(_) if indexed => return seen,
            Err(_) => panic!("no scan ended within 30 s: {seen:?}"),
        }
    }
}

/// Waits for the scan's first progress report whose message ends with
/// `suffix` (any report for ""): the scan is under way. Fails if a scan
/// ends first, as the test would then act too late.
async fn until_report(s: &mut TestServer, suffix: &str) {
    loop {
        let p = s.notification("$/progress").await;
        let message = p["value"]["message"].as_str().unwrap_or_default();
        if p["value"]["kind"] == "report" && message.ends_with(suffix) {
            return;
        }
        assert_ne!(
            p["value"]["kind"], "end",
            "the scan ended before the test acted"
        );
    }
}

/// The files (relative to `root`) that ask a question containing `query`
/// (the search's looser matches, its characters in order, left out).
async fn asked_in(s: &mut TestServer, root: &Path, query: &str) -> BTreeSet<String> {
    let needle = query.to_lowercase();
    let found = s
        .request("workspace/symbol", json!({"query": query}))
        .await
        .expect("symbols");
    let prefix = format!("{}/", uri(root));
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.ends_with('?') && n.to_lowercase().contains(&needle))
        })
        .filter_map(|s| s["location"]["uri"].as_str())
        .map(|u| u.strip_prefix(&prefix).unwrap_or(u).to_string())
        .collect()
}

/// Polls until the workspace index holds a question matching `query`.
async fn until_asked(s: &mut TestServer, root: &Path, query: &str) -> BTreeSet<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let found = asked_in(s, root, query).await;
        if !found.is_empty() {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "`{query}` never indexed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn exclude(s: &mut TestServer, globs: &[&str]) {
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"files": {"exclude": globs}}}}),
    )
    .await;
}

async fn events(s: &mut TestServer, changes: &[(&Path, u8)]) {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(p, typ)| json!({"uri": uri(p), "type": typ}))
        .collect();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    )
    .await;
}

const CREATED: u8 = 1;
const CHANGED: u8 = 2;
const DELETED: u8 = 3;

/// `initialized` must not wait for a client that never answers: the
/// watcher registration goes out and indexing goes on.
#[tokio::test]
async fn a_client_that_never_answers_the_watcher_registration_gets_its_workspace_indexed() {
    let (_dir, root) = workspace();
    let started = tokio::time::timeout(
        Duration::from_secs(10),
        TestServer::start_ignoring(init(&root, false, true), &["client/registerCapability"]),
    )
    .await;
    let (mut s, _) = started.expect("`initialized` waited for the client's answer");
    s.notification("client/registerCapability").await;
    assert_eq!(
        until_asked(&mut s, &root, "gunicorn").await,
        BTreeSet::from(["web.notes".to_string()])
    );
}

/// The same for the progress token: the scan runs without it, and no
/// `$/progress` goes out under a token the client never created.
#[tokio::test]
async fn a_client_that_never_answers_progress_creation_gets_its_workspace_indexed() {
    let (_dir, root) = workspace();
    let started = tokio::time::timeout(
        Duration::from_secs(10),
        TestServer::start_ignoring(
            init(&root, true, false),
            &["window/workDoneProgress/create"],
        ),
    )
    .await;
    let (mut s, _) = started.expect("`initialized` waited for the client's answer");
    let indexed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let log = s.notification("window/logMessage").await;
            if log["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Indexed"))
            {
                break;
            }
        }
    })
    .await;
    assert!(indexed.is_ok(), "the scan waited for the progress token");
    assert_eq!(asked_in(&mut s, &root, "gunicorn").await.len(), 1);
    s.no_notification("$/progress", Duration::from_millis(300))
        .await;
}

/// Scans started back to back, overlapping or not: each one's progress
/// goes under a token created for it, begun once and ended once.
#[tokio::test]
async fn each_scan_reports_progress_under_its_own_token() {
    let (_dir, root) = workspace();
    many(&root, "big", 1500);
    let mut s = start(&root).await;
    let mut seen = settle(&mut s).await;
    exclude(&mut s, &["a/**"]).await;
    seen.extend(settle(&mut s).await);
    exclude(&mut s, &["b/**"]).await;
    exclude(&mut s, &["c/**"]).await;
    seen.extend(settle(&mut s).await);

    let mut kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in &seen {
        let kind = p["value"]["kind"].as_str().unwrap_or("?");
        kinds
            .entry(p["token"].to_string())
            .or_default()
            .push(kind.to_string());
    }
    assert!(kinds.len() >= 3, "three scans at least: {kinds:?}");
    for (token, kinds) in &kinds {
        let begins = kinds.iter().filter(|k| *k == "begin").count();
        let ends = kinds.iter().filter(|k| *k == "end").count();
        assert_eq!((begins, ends), (1, 1), "token {token}: {kinds:?}");
        assert_eq!(kinds.first().map(String::as_str), Some("begin"), "{token}");
        assert_eq!(kinds.last().map(String::as_str), Some("end"), "{token}");
    }
}

/// A file created and one deleted while the first scan runs, after its
/// walk listed the folder and read the deleted file: the index ends with
/// the created one and without the deleted one.
#[tokio::test]
async fn file_events_during_a_scan_are_applied_after_it() {
    let (_dir, root) = workspace();
    write(&root, "a-doomed.notes", "*What is doomed?\n-> Soon gone.\n");
    many(&root, "big", 3000);
    let mut s = start(&root).await;
    // A report means the walk is over and the first files are in.
    until_report(&mut s, "").await;
    let (doomed, fresh) = (root.join("a-doomed.notes"), root.join("zz-fresh.notes"));
    std::fs::remove_file(&doomed).expect("rm");
    write(&root, "zz-fresh.notes", "*What is fresh?\n-> Just made.\n");
    events(&mut s, &[(&doomed, DELETED), (&fresh, CREATED)]).await;
    settle(&mut s).await;
    assert_eq!(asked_in(&mut s, &root, "doomed").await, BTreeSet::new());
    assert_eq!(
        asked_in(&mut s, &root, "fresh").await,
        BTreeSet::from(["zz-fresh.notes".to_string()])
    );
}

/// A slow scan (every file included) started before a fast one (the big
/// folder excluded) must not swap in after it: the newer configuration
/// stands and the excluded files stay out.
#[tokio::test]
async fn an_older_scan_never_swaps_over_a_newer_configuration() {
    let (_dir, root) = workspace();
    let mut s = start(&root).await;
    settle(&mut s).await;
    many(&root, "big", 3000);
    exclude(&mut s, &["none/**"]).await;
    // The slow scan is reading, with the configuration that takes all.
    until_report(&mut s, "/3001").await;
    exclude(&mut s, &["big/**"]).await;
    settle(&mut s).await;
    assert_eq!(asked_in(&mut s, &root, "is item17?").await, BTreeSet::new());
    assert_eq!(asked_in(&mut s, &root, "gunicorn").await.len(), 1);
}

/// A setting that needs no rescan (a severity), changed while a scan
/// reads: the scan's swap keeps it, not the configuration the scan began
/// with.
#[tokio::test]
async fn a_setting_changed_during_a_scan_survives_its_swap() {
    let (_dir, root) = workspace();
    write(&root, "dup.notes", "*What is Gunicorn?\n-> Again.\n");
    many(&root, "big", 3000);
    let mut s = start(&root).await;
    until_report(&mut s, "").await;
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"notesLs": {"diagnostics": {"duplicate-question": "off"}}}}),
    )
    .await;
    settle(&mut s).await;
    let web = uri(&root.join("web.notes"));
    s.open(&web, "*What is Gunicorn?\n-> A WSGI server.\n")
        .await;
    let diags = s.diagnostics(&web, 1).await;
    assert!(
        diags.iter().all(|d| d["code"] != "duplicate-question"),
        "{diags:?}"
    );
}

/// A folder deleted takes its files out of the index; a folder created
/// brings its notes in (nested ones too; excluded, ignored or hidden ones
/// not, as in a scan); a rename is both.
#[tokio::test]
async fn folder_deletes_creates_and_renames_reach_the_index() {
    let (_dir, root) = workspace();
    let mut s = start(&root).await;
    settle(&mut s).await;
    exclude(&mut s, &["**/skip/**"]).await;
    settle(&mut s).await;

    let topic = root.join("topic");
    write(&root, "topic/a.notes", "*What is alpha?\n-> A.\n");
    write(&root, "topic/deep/b.notes", "*What is beta?\n-> B.\n");
    write(&root, "topic/skip/c.notes", "*What is gamma?\n-> C.\n");
    write(&root, "topic/readme.md", "*What is delta?\n-> D.\n");
    events(&mut s, &[(&topic, CREATED)]).await;
    assert_eq!(
        asked_in(&mut s, &root, "what is").await,
        BTreeSet::from([
            "topic/a.notes".to_string(),
            "topic/deep/b.notes".to_string(),
            "web.notes".to_string()
        ])
    );

    let renamed = root.join("renamed");
    std::fs::rename(&topic, &renamed).expect("mv");
    events(&mut s, &[(&topic, DELETED), (&renamed, CREATED)]).await;
    assert_eq!(
        asked_in(&mut s, &root, "what is").await,
        BTreeSet::from([
            "renamed/a.notes".to_string(),
            "renamed/deep/b.notes".to_string(),
            "web.notes".to_string()
        ])
    );

    // Folders a scan would skip are skipped when they appear too: one a
    // `.gitignore` leaves out, a hidden one.
    write(&root, ".gitignore", "private/\n");
    write(&root, "private/p.notes", "*What is private?\n-> P.\n");
    write(&root, ".hidden/h.notes", "*What is hidden?\n-> H.\n");
    let (private, hidden) = (root.join("private"), root.join(".hidden"));
    events(&mut s, &[(&private, CREATED), (&hidden, CREATED)]).await;
    assert_eq!(asked_in(&mut s, &root, "what is").await.len(), 3);

    std::fs::remove_dir_all(&renamed).expect("rm -r");
    events(&mut s, &[(&renamed, DELETED)]).await;
    assert_eq!(
        asked_in(&mut s, &root, "what is").await,
        BTreeSet::from(["web.notes".to_string()])
    );
}

/// Fifteen configuration changes in a burst: the running scan is
/// cancelled at each, and the burst costs one full scan, not fifteen
/// (which held fifteen indexes at once: 91 MB became 1,188 MB).
#[tokio::test]
async fn a_burst_of_configuration_changes_costs_one_scan() {
    let (_dir, root) = workspace();
    many(&root, "big", 2000);
    let mut s = start(&root).await;
    settle(&mut s).await;
    // Five edits of notes-ls.toml (its watcher's events), then ten
    // changes of the editor's settings, each leaving out another folder.
    let toml = root.join("notes-ls.toml");
    for i in 0..5 {
        write(
            &root,
            "notes-ls.toml",
            &format!("[files]\nexclude = [\"t{i}/**\"]\n"),
        );
        events(&mut s, &[(&toml, CHANGED)]).await;
    }
    for i in 0..10 {
        let glob = format!("x{i}/**");
        exclude(&mut s, &[glob.as_str()]).await;
    }
    let seen = settle(&mut s).await;
    let completed = seen
        .iter()
        .filter(|p| {
            p["value"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Indexed"))
        })
        .count();
    assert!(completed <= 2, "{completed} full scans for one burst");
    assert_eq!(asked_in(&mut s, &root, "item1999").await.len(), 1);
}

/// Through rescans, a burst of changes and events on its own path, a
/// document open in the editor stays in the index with the editor's text.
#[tokio::test]
async fn an_open_document_keeps_the_editors_text_across_scans_and_events() {
    let (_dir, root) = workspace();
    many(&root, "big", 2000);
    let mut s = start(&root).await;
    settle(&mut s).await;
    let path = root.join("big/f00007.notes");
    let open = uri(&path);
    s.open(&open, "*What is unsaved?\n-> Typed, not saved.\n")
        .await;
    s.diagnostics(&open, 1).await;
    exclude(&mut s, &["x/**"]).await;
    events(&mut s, &[(&path, CHANGED)]).await;
    exclude(&mut s, &["y/**"]).await;
    events(&mut s, &[(&root.join("big"), DELETED)]).await;
    events(&mut s, &[(&root.join("big"), CREATED)]).await;
    settle(&mut s).await;
    assert_eq!(
        asked_in(&mut s, &root, "unsaved").await,
        BTreeSet::from(["big/f00007.notes".to_string()])
    );
    assert_eq!(asked_in(&mut s, &root, "is item7?").await, BTreeSet::new());
    assert_eq!(asked_in(&mut s, &root, "is item8?").await.len(), 1);
}
