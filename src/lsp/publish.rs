//! Diagnostics for open documents: computed off the async threads on a
//! snapshot, published only while their version is current.

use std::sync::Arc;

use tower_lsp::lsp_types::{Diagnostic, Location, Url};

use super::documents::Snapshot;
use super::guard::guarded;
use super::position::{Encoding, StrPositions};
use super::state::{doc_path, path_uri, State};
use super::to_proto;
use crate::syntax::TextRange;
use crate::workspace::{self, WorkspaceIndex};

/// The protocol diagnostics of a snapshot, against the workspace index.
pub fn compute(
    index: &WorkspaceIndex,
    snap: &Snapshot,
    uri: &Url,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let path = doc_path(uri);
    let elsewhere = |doc: &str, range: TextRange| -> Option<Location> {
        let other = std::path::Path::new(doc);
        let file = index.file(other)?;
        let range = StrPositions::new(&file.text).range(enc, range);
        Some(Location::new(path_uri(other)?, range))
    };
    workspace::diagnose(index, &path, &snap.text, &snap.notes)
        .iter()
        .map(|(d, sev)| to_proto::diagnostic(&snap.rope, enc, uri, d, *sev, &elsewhere))
        .collect()
}

/// Brings the index up to date with the document and pushes its
/// diagnostics. Tasks for a version that is no longer current return at
/// once, so a burst of edits costs one computation, and a stale result is
/// never published.
pub fn schedule(state: &Arc<State>, uri: Url, version: i32) {
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if state.version(&uri) != Some(version) {
            return;
        }
        let Some(snap) = state.snapshot(&uri) else {
            return;
        };
        let session = state.session();
        let worker = Arc::clone(&state);
        let computed = tokio::task::spawn_blocking(move || {
            guarded("diagnostics", || {
                let path = doc_path(&uri);
                worker
                    .index_mut()
                    .set_open(path, Arc::clone(&snap.text), Arc::clone(&snap.notes));
                if session.pull_diagnostics {
                    return None;
                }
                let diags = compute(&worker.index(), &snap, &uri, session.encoding);
                Some((uri, diags, snap.version))
            })
        })
        .await;
        match computed {
            Ok(Ok(Some((uri, diags, v)))) if state.version(&uri) == Some(v) => {
                state.client.publish_diagnostics(uri, diags, Some(v)).await;
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!("{}", e.message),
            Err(e) => tracing::error!("diagnostics task failed: {e}"),
        }
    });
}

/// The workspace changed (index, configuration): every open document's
/// diagnostics may have changed too.
pub async fn refresh_all(state: &Arc<State>) {
    let session = state.session();
    if session.pull_diagnostics {
        if session.diagnostic_refresh {
            let _ = state.client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    for (uri, version) in state.open_documents() {
        schedule(state, uri, version);
    }
}
