//! Refreshing what the workspace decides: every open document's
//! diagnostics after something besides its own text changed (another file
//! opened, closed or changed on disk, the index, the configuration), and
//! with `workspace.diagnostics` those of the files nobody has open; a
//! pulling client is asked to pull again instead.
//!
//! One pass at a time (`passes`): the changes that come while a pass runs
//! are taken in by one pass more, so that a thousand documents opened at
//! once (each a change to the others) cost a few passes, not a thousand
//! (figures in docs/performance.md).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp::lsp_types::Url;

use super::guard::background;
use super::publish::{self, Cause};
use super::pull;
use super::state::State;
use super::uri::{doc_path, path_uri};
use crate::workspace::passes::Runner;

/// How long a pass waits for a pulling client to answer its request to
/// pull again before the next pass may ask: a client that never answers
/// must not stop the refreshes.
const REFRESH_ANSWER_WAIT: Duration = Duration::from_secs(2);

/// The workspace changed: a pass over every open document (and the files
/// nobody has open) now, or after the pass that runs.
pub async fn refresh_all(state: &Arc<State>) {
    if !state.refreshes.request() {
        return;
    }
    let runner = Runner::new(&state.refreshes);
    loop {
        pass(state).await;
        if !state.refreshes.next() {
            return runner.stopped();
        }
    }
}

/// One pass: ended once every message it computed is queued, so that the
/// changes meanwhile are taken in by one pass more.
async fn pass(state: &Arc<State>) {
    let negotiated = state.negotiated();
    if negotiated.pull_diagnostics {
        if negotiated.diagnostic_refresh {
            let asked = state.client.workspace_diagnostic_refresh();
            let _ = tokio::time::timeout(REFRESH_ANSWER_WAIT, asked).await;
        }
        return;
    }
    let index = state.index();
    let mut computing = Vec::new();
    for (uri, version) in state.open_documents() {
        // A document whose opening has not reached the index is published by
        // its opening, once it has: computed now, its findings would lack
        // the questions it shares with other files (the index says which).
        let indexed = index.file_entry(&doc_path(&uri));
        if indexed.is_some_and(|(_, file)| file.is_open()) {
            computing.push(publish::schedule(state, uri, version, Cause::Other));
        }
    }
    drop(index);
    tracing::debug!("refresh pass over {} open documents", computing.len());
    for task in computing {
        let _ = task.await;
    }
    publish_closed(state).await;
}

/// For clients that do not pull: the findings of every notes file nobody
/// has open, when `workspace.diagnostics` asks for them. Each goes out when
/// it differs from what was last sent (the report ids of `pull` tell), and a
/// file that left the workspace, or the setting switched off, gets an empty
/// list.
async fn publish_closed(state: &Arc<State>) {
    let worker = Arc::clone(state);
    let messages = background("workspace diagnostics", move || closed_messages(&worker));
    for (uri, items) in messages.await.unwrap_or_default() {
        publish::send_unversioned(state, &uri, &items);
    }
}

/// The `(uri, diagnostics array)` of each closed file whose findings
/// changed since last sent.
fn closed_messages(state: &State) -> Vec<(Url, Vec<u8>)> {
    let wanted = state.index().config().workspace_diagnostics;
    let closed: Vec<Url> = if wanted {
        let index = state.index();
        let docs = state.docs();
        index
            .files()
            .filter_map(|(path, _)| path_uri(path))
            .filter(|uri| !docs.contains_key(uri))
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    let mut published = state.published_closed();
    // Gone from the workspace (or opened, or the setting off): cleared.
    let keep: HashSet<&Url> = closed.iter().collect();
    let gone: Vec<Url> = published
        .iter()
        .filter(|(uri, _)| !keep.contains(uri))
        .map(|(uri, _)| uri.clone())
        .collect();
    for uri in gone {
        let was_open = state.version(&uri).is_some();
        published.remove(&uri);
        if !was_open {
            out.push((uri, b"[]".to_vec()));
        }
    }
    let last = published.clone();
    pull::reports(
        state,
        &closed,
        &|uri| last.get(uri).cloned(),
        500,
        &mut |uri, report| {
            if let pull::Report::Full { result_id, items } = report {
                published.insert(uri.clone(), result_id.to_string());
                out.push((uri.clone(), items));
            }
        },
    );
    out
}
