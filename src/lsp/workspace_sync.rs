//! Keeping the workspace index current: the first scan (with `$/progress`),
//! watched-file events, and configuration from `notes-ls.toml` and the
//! editor's settings. Scans themselves are in `scan`, their progress in
//! `progress`; what a file event changes is `workspace::file_events`.
//!
//! Nothing here waits for the client: a request to it (the watcher
//! registration, a progress token, a code lens refresh) goes out from a
//! task of its own, so a client that never answers still gets its
//! workspace indexed and its events taken in.

mod progress;
mod scan;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};

use serde_json::json;
use tower_lsp::lsp_types::*;

use super::documents::Document;
use super::guard::background;
use super::refresh;
use super::state::State;
use super::uri::doc_path;
use crate::config::{Config, DialectSetting};
use crate::workspace::file_events::{self, Event};
use crate::workspace::{self, workspace_config};

/// Reads the configuration, registers file watchers and indexes the
/// workspace in the background. Called from `initialized`.
pub async fn start(state: Arc<State>) {
    load_config_file(&state);
    let config = resolve(&state).await;
    state.index_mut().set_config(config);
    if state.negotiated().watch_files {
        tokio::spawn(register_watchers(Arc::clone(&state)));
    } else {
        tokio::spawn(poll_own_files(Arc::clone(&state)));
    }
    scan::request(&state);
}

/// The `notes-ls.toml` of the workspace, as a layer of the configuration.
fn load_config_file(state: &State) {
    state.layers().file = workspace_config(&state.negotiated().roots);
}

/// The configuration from all layers. A bad layer is reported to the user
/// and the configuration in force stays.
async fn resolve(state: &State) -> Config {
    let resolved = state.layers().resolve();
    match resolved {
        Ok((c, ignored)) => {
            if !ignored.is_empty() {
                tracing::debug!("settings `notesLs`: ignored keys {}", ignored.join(", "));
            }
            c
        }
        Err(msg) => {
            let msg = format!("notes-ls: bad configuration, keeping the previous one: {msg}");
            tracing::warn!("{msg}");
            state.client.show_message(MessageType::WARNING, msg).await;
            state.index().config().clone()
        }
    }
}

/// How long the registration of file watchers may go unanswered before
/// the server watches its own files itself.
const REGISTER_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Registers the watchers. Its own task: the answer may never come, and
/// nothing else waits for it. A client that refuses, or never answers,
/// will send no file events either: the server then looks at its own files
/// (glossaries, `notes-ls.toml`) as for a client that cannot watch.
async fn register_watchers(state: Arc<State>) {
    let globs = file_events::watched_globs(state.index().config());
    let watchers: Vec<_> = globs.iter().map(|g| json!({ "globPattern": g })).collect();
    let registration = Registration {
        id: "notes-ls-watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: Some(json!({ "watchers": watchers })),
    };
    let answer = tokio::time::timeout(
        REGISTER_WAIT,
        state.client.register_capability(vec![registration]),
    )
    .await;
    let problem = match answer {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer in {} s", REGISTER_WAIT.as_secs()),
    };
    tracing::warn!("cannot register file watchers ({problem}): watching the server's own files");
    poll_own_files(state).await;
}

/// How often the server looks at its own files when the client cannot
/// watch them.
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// For clients that cannot watch files (Neovim on Linux registers no
/// watcher): the server looks at the files that are its own to read, the
/// configured glossaries and `notes-ls.toml` in each root, once a second,
/// and takes a change in as it would a watched-file event, so "add to
/// glossary" followed by saving the glossary clears the finding.
async fn poll_own_files(state: Arc<State>) {
    let watch = Arc::new(std::sync::Mutex::new(file_events::Watch::default()));
    let mut tick = tokio::time::interval(POLL);
    loop {
        tick.tick().await;
        let paths = file_events::own_files(&state.index());
        let watch = Arc::clone(&watch);
        let looked = tokio::task::spawn_blocking(move || {
            let mut watch = watch.lock().unwrap_or_else(PoisonError::into_inner);
            watch.look(paths)
        });
        if let Some(events) = looked.await.ok().filter(|e| !e.is_empty()) {
            files_changed(Arc::clone(&state), events).await;
        }
    }
}

/// The client's watched-file events.
pub async fn watched_files_changed(state: Arc<State>, params: DidChangeWatchedFilesParams) {
    let events = params
        .changes
        .into_iter()
        .map(|c| {
            let event = match c.typ {
                FileChangeType::CREATED => Event::Created,
                FileChangeType::DELETED => Event::Deleted,
                _ => Event::Changed,
            };
            (doc_path(&c.uri), event)
        })
        .collect();
    files_changed(state, events).await;
}

/// Files created, changed or deleted on disk. Applied to the index in
/// force at once, and kept for the swap of a scan running meanwhile, which
/// may have missed them.
async fn files_changed(state: Arc<State>, events: Vec<(PathBuf, Event)>) {
    let sorted = file_events::sort(events);
    // A drill wrote its review file: the lenses' due dates changed. The
    // client's answer is not waited for.
    if sorted.reviews && state.negotiated().code_lens_refresh {
        let client = state.client.clone();
        tokio::spawn(async move { client.code_lens_refresh().await });
    }
    let file_events = sorted.files;
    if !file_events.is_empty() {
        let worker = Arc::clone(&state);
        let scans = scan::scans(&state);
        // Folders are walked and files read: not on the async threads.
        background("taking in file changes", move || {
            let roots = worker.negotiated().roots;
            let matcher = worker.index().config().file_matcher();
            let changes = file_events::changes(&file_events, &roots, &matcher);
            let mut index = worker.index_mut();
            file_events::apply(&mut index, &changes);
            scans.keep_if_scanning(&changes);
        })
        .await;
    }
    if sorted.config {
        load_config_file(&state);
        apply_config(&state).await;
    } else {
        refresh::refresh_all(&state).await;
    }
}

/// `workspace/didChangeConfiguration`.
pub async fn settings_changed(state: Arc<State>, settings: serde_json::Value) {
    state.layers().settings = Some(settings);
    apply_config(&state).await;
}

/// Re-resolves the configuration; rescans when the set of files changed.
async fn apply_config(state: &Arc<State>) {
    let config = resolve(state).await;
    let (rescan, dialect) = {
        let mut index = state.index_mut();
        let old = index.config();
        let redialect = old.dialect != config.dialect;
        let rescan = workspace::rescan_needed(old, &config);
        let dialect = redialect.then_some(config.dialect);
        index.set_config(config);
        (rescan, dialect)
    };
    if let Some(dialect) = dialect {
        reread_open(state, dialect).await;
    }
    if rescan {
        // Cancels a scan still running with the configuration before.
        scan::request(state);
    } else {
        refresh::refresh_all(state).await;
    }
}

/// The `[format]` dialect changed: every open document is read again in
/// its new dialect (off the async threads, outside the document lock), and
/// kept unless an edit came meanwhile, which already read it anew.
async fn reread_open(state: &Arc<State>, dialect: DialectSetting) {
    let open: Vec<(Url, Arc<String>, i32)> = state
        .docs()
        .iter()
        .map(|(uri, d)| (uri.clone(), Arc::clone(&d.text), d.version))
        .collect();
    let worker = Arc::clone(state);
    background("reading open documents in a new dialect", move || {
        for (uri, text, version) in open {
            let doc = Document::new_as((*text).clone(), version, dialect.for_text(&text));
            let notes = Arc::clone(&doc.notes);
            {
                let mut docs = worker.docs();
                match docs.get_mut(&uri) {
                    Some(d) if d.version == version => *d = doc,
                    _ => continue,
                }
            }
            worker.index_mut().set_open(doc_path(&uri), &text, &notes);
        }
    })
    .await;
}
