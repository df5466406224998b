//! Full scans of the workspace, driven as `workspace::Scans` says (one at
//! a time, the newest wins): a scan builds a fresh index off the async
//! threads with `$/progress`, and swaps it in.

use std::sync::Arc;

use tower_lsp::lsp_types::MessageType;

use super::progress::Progress;
use crate::lsp::refresh;
use crate::lsp::state::State;
use crate::lsp::uri::doc_path;
use crate::workspace::scans::{index_roots, take_over, Scans, Ticket};
use crate::workspace::WorkspaceIndex;

/// The scans of `state`'s server.
pub fn scans(state: &State) -> Arc<Scans> {
    Arc::clone(&state.scans)
}

/// Asks for a full scan with the configuration in force: cancels the
/// running one, and starts the task that runs scans unless it runs.
pub fn request(state: &Arc<State>) {
    let scans = scans(state);
    if scans.request() {
        tokio::spawn(drive(Arc::clone(state), scans));
    }
}

/// Runs scans until one ran with no newer request behind it.
async fn drive(state: Arc<State>, scans: Arc<Scans>) {
    let runner = scans.runner();
    loop {
        let ticket = scans.begin();
        run(&state, &scans, &ticket).await;
        if scans.end() {
            return runner.stopped();
        }
    }
}

/// One scan: indexes every root in a blocking thread, reporting progress,
/// then swaps the result in unless a newer request came.
async fn run(state: &Arc<State>, scans: &Arc<Scans>, ticket: &Ticket) {
    let negotiated = state.negotiated();
    let roots = negotiated.roots;
    if roots.is_empty() {
        tracing::info!("no workspace folder: working on open files only");
        return;
    }
    let progress = Progress::begin(&state.client, negotiated.progress, "Indexing notes");
    let config = state.index().config().clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let started = std::time::Instant::now();
    let flag = Arc::clone(&ticket.cancel);
    let job = tokio::task::spawn_blocking(move || {
        let progress = &mut |done, total| {
            let _ = tx.send((done, total));
        };
        index_roots(roots, config, progress, &flag)
    });
    while let Some((done, total)) = rx.recv().await {
        progress.report(
            format!("Indexing notes {done}/{total}"),
            (done * 100 / total.max(1)) as u32,
        );
    }
    let (scanned, stats) = match job.await {
        Ok(Some(done)) => done,
        Ok(None) => {
            tracing::debug!("scan cancelled");
            progress.end("Indexing cancelled: a newer scan replaces it");
            return;
        }
        Err(e) => {
            tracing::error!("indexing failed: {e}");
            progress.end("Indexing failed");
            return;
        }
    };
    let (worker, keeper, ticket) = (Arc::clone(state), Arc::clone(scans), ticket.clone());
    let swapped =
        tokio::task::spawn_blocking(move || swap(&worker, &keeper, &ticket, scanned)).await;
    match swapped {
        Ok(true) => {}
        Ok(false) => {
            progress.end("Indexing cancelled: a newer scan replaces it");
            return;
        }
        Err(e) => {
            tracing::error!("taking in the scanned index failed: {e}");
            progress.end("Indexing failed");
            return;
        }
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
    progress.end(&msg);
    refresh::refresh_all(state).await;
}

/// Puts the scanned index in force, unless a newer scan was asked for
/// since this one started. Returns whether it did. The editor's documents
/// are taken under the index lock: one opened, edited or closed meanwhile
/// has either reached the index being replaced (and is carried over) or
/// will reach the new one after this lock.
fn swap(state: &State, scans: &Scans, ticket: &Ticket, mut scanned: WorkspaceIndex) -> bool {
    let mut current = state.index_mut();
    // The changes cannot grow meanwhile: adding one takes the index lock.
    let Some(queued) = scans.take_for_swap(ticket) else {
        return false;
    };
    let open = (state.docs().iter())
        .map(|(uri, d)| (doc_path(uri), Arc::clone(&d.text), Arc::clone(&d.notes)))
        .collect();
    take_over(&mut scanned, &current, open, &queued);
    current.replace(scanned);
    true
}
