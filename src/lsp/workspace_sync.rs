//! Keeping the workspace index current: the first scan (with `$/progress`),
//! watched-file events, and configuration from `notes-ls.toml` and the
//! editor's settings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::documents::Document;
use super::publish;
use super::state::{doc_path, State};
use crate::config::{Config, DialectSetting, FILE_NAME};
use crate::syntax::Notes;
use crate::workspace::{find_config, WorkspaceIndex};

/// Reads the configuration, registers file watchers and indexes the
/// workspace in the background. Called from `initialized`.
pub async fn start(state: Arc<State>) {
    load_config_file(&state);
    let config = resolve(&state).await;
    state.index_mut().set_config(config);
    if state.session().watch_files {
        register_watchers(&state).await;
    } else {
        tokio::spawn(poll_own_files(Arc::clone(&state)));
    }
    let state2 = Arc::clone(&state);
    tokio::spawn(async move { scan(state2).await });
}

/// The `notes-ls.toml` of the first root that has one.
fn load_config_file(state: &State) {
    let roots = state.session().roots;
    let file = roots
        .iter()
        .map(|r| r.join(FILE_NAME))
        .find(|p| p.is_file())
        .or_else(|| roots.first().and_then(|r| find_config(r)));
    let loaded = file.and_then(|p| match crate::workspace::read_config_text(&p) {
        Ok(text) => Some((p, text)),
        Err(e) => {
            tracing::warn!("cannot read {}: {e}", p.display());
            None
        }
    });
    state.layers().file = loaded;
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

async fn register_watchers(state: &State) {
    let config = state.index().config().clone();
    let mut globs: Vec<String> = vec![
        "**/*.txt".to_string(),
        format!("**/{FILE_NAME}"),
        "**/glossary.toml".to_string(),
        format!("**/{REVIEWS}"),
    ];
    globs.extend(config.include.iter().cloned());
    globs.sort();
    globs.dedup();
    let watchers: Vec<_> = globs.iter().map(|g| json!({ "globPattern": g })).collect();
    let registration = Registration {
        id: "notes-ls-watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: Some(json!({ "watchers": watchers })),
    };
    if let Err(e) = state.client.register_capability(vec![registration]).await {
        tracing::warn!("cannot register file watchers: {e}");
    }
}

/// The review file a drill writes, under a notes root: the code lenses
/// (due, recall) change with it.
const REVIEWS: &str = ".notes-ls/reviews.json";

/// How often the server looks at its own files when the client cannot
/// watch them.
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// What says a file changed: its length and modification time, or that it
/// is not there.
type Stamp = Option<(u64, Option<std::time::SystemTime>)>;

/// For clients that cannot watch files (Neovim on Linux registers no
/// watcher): the server looks at the files that are its own to read, the
/// configured glossaries and `notes-ls.toml` in each root, once a second,
/// and takes a change in as it would a watched-file event, so "add to
/// glossary" followed by saving the glossary clears the finding. A few
/// `stat` calls a second cost nothing; polling sees a save by rename (as
/// Vim writes) where a watch on the file itself would lose track.
async fn poll_own_files(state: Arc<State>) {
    let mut seen: std::collections::HashMap<PathBuf, Stamp> = Default::default();
    let mut tick = tokio::time::interval(POLL);
    loop {
        tick.tick().await;
        let paths = {
            let index = state.index();
            let mut paths = index.glossary_files(index.roots());
            paths.extend(index.roots().iter().map(|r| r.join(FILE_NAME)));
            paths.extend(index.roots().iter().map(|r| r.join(REVIEWS)));
            paths
        };
        let Ok(stamps) = tokio::task::spawn_blocking(move || {
            paths
                .into_iter()
                .map(|p| {
                    let stamp = std::fs::metadata(&p)
                        .ok()
                        .filter(|m| m.is_file())
                        .map(|m| (m.len(), m.modified().ok()));
                    (p, stamp)
                })
                .collect::<Vec<_>>()
        })
        .await
        else {
            continue;
        };
        let mut changes = Vec::new();
        for (path, stamp) in stamps {
            let typ = match (seen.insert(path.clone(), stamp), stamp) {
                // The first look at a file that is there reads it again: it
                // may have been written after the index read it and before
                // this look (an editor's "add to glossary" in the first
                // second), and nothing else would ever notice.
                (None, Some(_)) => FileChangeType::CHANGED,
                (None, None) => continue,
                (Some(before), _) if before == stamp => continue,
                (Some(None), _) => FileChangeType::CREATED,
                (Some(_), None) => FileChangeType::DELETED,
                (Some(_), Some(_)) => FileChangeType::CHANGED,
            };
            if let Ok(uri) = Url::from_file_path(&path) {
                tracing::debug!("{} changed on disk", path.display());
                changes.push(FileEvent { uri, typ });
            }
        }
        if !changes.is_empty() {
            watched_files_changed(Arc::clone(&state), DidChangeWatchedFilesParams { changes })
                .await;
        }
    }
}

/// Work-done progress for one long task, if the client supports it.
struct Reporter<'a> {
    state: &'a State,
    token: Option<NumberOrString>,
}

impl<'a> Reporter<'a> {
    async fn begin(state: &'a State, title: &str) -> Reporter<'a> {
        let mut token = None;
        if state.session().progress {
            let t = NumberOrString::String("notes-ls/indexing".to_string());
            let created = state
                .client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: t.clone(),
                })
                .await;
            if created.is_ok() {
                token = Some(t);
            }
        }
        let r = Reporter { state, token };
        r.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: None,
            percentage: Some(0),
        }))
        .await;
        r
    }

    async fn send(&self, value: WorkDoneProgress) {
        if let Some(token) = &self.token {
            self.state
                .client
                .send_notification::<Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    }
}

/// Indexes every root in a blocking thread, reporting progress, then swaps
/// the result in, keeping the documents opened meanwhile.
pub async fn scan(state: Arc<State>) {
    let roots = state.session().roots;
    if roots.is_empty() {
        tracing::info!("no workspace folder: working on open files only");
        return;
    }
    let reporter = Reporter::begin(&state, "Indexing notes").await;
    let config = state.index().config().clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let started = std::time::Instant::now();
    let job = tokio::task::spawn_blocking(move || {
        let mut index = WorkspaceIndex::new(roots.clone(), config);
        // A fresh index has no user glossary yet: without this, one already
        // in the workspace was read only after it changed.
        index.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
        let mut last_sent = 0;
        let stats = index.scan(
            &mut |done, total| {
                // About a hundred reports at most, whatever the size.
                let step = (total / 100).max(1);
                if done == total || done >= last_sent + step {
                    last_sent = done;
                    let _ = tx.send((done, total));
                }
            },
            &mut |line| tracing::info!("{line}"),
        );
        (index, stats)
    });
    while let Some((done, total)) = rx.recv().await {
        reporter
            .send(WorkDoneProgress::Report(WorkDoneProgressReport {
                cancellable: Some(false),
                message: Some(format!("Indexing notes {done}/{total}")),
                percentage: Some((done * 100 / total.max(1)) as u32),
            }))
            .await;
    }
    let (scanned, stats) = match job.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("indexing failed: {e}");
            reporter
                .send(WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some("Indexing failed".to_string()),
                }))
                .await;
            return;
        }
    };
    // The open documents' own text and parse, taken before the index lock:
    // they need not be parsed again, and nothing parses under the lock.
    let open: Vec<(PathBuf, Arc<String>, Arc<Notes>)> = state
        .docs()
        .iter()
        .map(|(uri, d)| (doc_path(uri), Arc::clone(&d.text), Arc::clone(&d.notes)))
        .collect();
    let worker = Arc::clone(&state);
    let swapped = tokio::task::spawn_blocking(move || {
        let mut current = worker.index_mut();
        let mut scanned = scanned;
        scanned.adopt_open(&current, open);
        *current = scanned;
    })
    .await;
    if let Err(e) = swapped {
        tracing::error!("taking in the scanned index failed: {e}");
    }
    let msg = format!(
        "Indexed {} notes files ({} questions, {} skipped) in {} ms",
        stats.files,
        stats.questions,
        stats.skipped,
        started.elapsed().as_millis()
    );
    tracing::info!("{msg}");
    state.client.log_message(MessageType::INFO, &msg).await;
    reporter
        .send(WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(msg),
        }))
        .await;
    publish::refresh_all(&state).await;
}

/// Files created, changed or deleted on disk.
pub async fn watched_files_changed(state: Arc<State>, params: DidChangeWatchedFilesParams) {
    // A drill wrote its review file: the lenses' due dates changed.
    let reviews = params
        .changes
        .iter()
        .any(|c| doc_path(&c.uri).ends_with(REVIEWS));
    if reviews && state.session().code_lens_refresh {
        let _ = state.client.code_lens_refresh().await;
    }
    let mut config_changed = false;
    {
        let mut index = state.index_mut();
        let mut glossary_changed = false;
        for change in &params.changes {
            let path = doc_path(&change.uri);
            if path.ends_with(REVIEWS) {
                continue;
            }
            if path.file_name().is_some_and(|n| n == FILE_NAME) {
                config_changed = true;
                continue;
            }
            if index.is_glossary_file(&path) {
                tracing::debug!("glossary {} changed ({:?})", path.display(), change.typ);
                glossary_changed = true;
                continue;
            }
            if change.typ == FileChangeType::DELETED {
                if !index.file(&path).is_some_and(|f| f.open) {
                    index.remove(&path);
                }
            } else {
                index.reload(&path, &mut |line| tracing::info!("{line}"));
            }
        }
        if glossary_changed {
            let roots = index.roots().to_vec();
            index.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
            tracing::debug!(
                "glossaries loaded; terms generation {}",
                index.terms().generation()
            );
        }
    }
    if config_changed {
        load_config_file(&state);
        apply_config(&state).await;
    } else {
        publish::refresh_all(&state).await;
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
        let rescan = old.include != config.include
            || old.exclude != config.exclude
            || old.max_file_size != config.max_file_size
            || redialect;
        let dialect = redialect.then_some(config.dialect);
        index.set_config(config);
        (rescan, dialect)
    };
    if let Some(dialect) = dialect {
        reread_open(state, dialect).await;
    }
    if rescan {
        let state2 = Arc::clone(state);
        tokio::spawn(async move { scan(state2).await });
    } else {
        publish::refresh_all(state).await;
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
    let done = tokio::task::spawn_blocking(move || {
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
            worker.index_mut().set_open(doc_path(&uri), text, &notes);
        }
    })
    .await;
    if let Err(e) = done {
        tracing::error!("reading open documents in a new dialect failed: {e}");
    }
}

/// Workspace roots from `initialize`: the folders, else the root URI.
pub fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)] // Older clients send only rootUri.
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
            roots.push(p);
        }
    }
    roots.retain(|r| Path::new(r).is_dir());
    roots
}
