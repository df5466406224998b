//! A report for every notes file of the workspace (`workspace/diagnostic`,
//! and the push of files nobody has open): thousands of files checked in
//! batches, each batch on every core.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp::lsp_types::{ProgressToken, Url};

use super::{report, Closed, Report};
use crate::lsp::position::Encoding;
use crate::lsp::state::State;
use crate::lsp::uri::path_uri;
use crate::rpc::{reply_with, ReplySlot};
use crate::workspace::batches::{self, in_batches};
use crate::workspace::WorkspaceIndex;

/// The reports of `uris`, handed to `each` in order, `unchanged` where
/// `previous` gives the id that still holds: checked `batch` files at a
/// time on every core (`workspace::batches`), each batch on a snapshot of
/// the index, so an update waits for one batch, not for all.
pub fn reports(
    state: &State,
    uris: &[Url],
    previous: &(dyn Fn(&Url) -> Option<String> + Sync),
    batch: usize,
    each: &mut dyn FnMut(&Url, Report),
) {
    let snapshot = || {
        // The generation before the index: findings are never named by a
        // generation newer than the index they were computed from.
        let generation = state.generation();
        (state.index(), generation, state.negotiated().encoding)
    };
    let part = |(index, generation, enc): &(Arc<WorkspaceIndex>, u64, Encoding),
                uris: &[Url],
                verdicts| {
        let at = (&**index, *generation);
        let closed = Closed::new(index, state.other_files(index, *enc), verdicts);
        let found = (uris.iter())
            .map(|uri| report(state, at, &closed, uri, previous(uri).as_deref()))
            .collect();
        (found, closed.speller.into_verdicts())
    };
    in_batches(
        uris,
        batch,
        snapshot,
        part,
        |uri, report: Option<Report>| {
            if let Some(report) = report {
                each(uri, report);
            }
            true
        },
    );
}

/// `workspace/diagnostic`: a report for every notes file of the workspace
/// (open or not), `unchanged` where the client's id still holds. Reports
/// are handed to `sink` in batches of about `batch` files, so a large
/// folder can go out as partial results.
pub fn workspace_reports(
    state: &State,
    previous: &HashMap<Url, String>,
    batch: usize,
    sink: &mut dyn FnMut(Vec<u8>),
) {
    let uris: Vec<Url> = state
        .index()
        .files()
        .filter_map(|(path, _)| path_uri(path))
        .collect();
    let mut out = Vec::new();
    let mut in_batch = 0;
    reports(
        state,
        &uris,
        &|uri| previous.get(uri).cloned(),
        batch,
        &mut |uri, report| {
            if in_batch > 0 {
                out.push(b',');
            }
            let mut extra = br#""uri":"#.to_vec();
            let _ = serde_json::to_writer(&mut extra, uri);
            extra.extend_from_slice(br#","version":"#);
            let _ = serde_json::to_writer(&mut extra, &state.version(uri));
            extra.push(b',');
            report.write(&extra, &mut out);
            in_batch += 1;
            if in_batch >= batch {
                sink(std::mem::take(&mut out));
                in_batch = 0;
            }
        },
    );
    if in_batch > 0 {
        sink(out);
    }
}

/// Answers `workspace/diagnostic` (the request of `slot`): large folders go
/// out as partial results under `token` when the client takes them, and
/// the final answer is then empty.
pub fn answer_workspace(
    state: &State,
    previous: &HashMap<Url, String>,
    token: Option<&ProgressToken>,
    slot: &ReplySlot,
) {
    let started = std::time::Instant::now();
    let mut items = Vec::new();
    workspace_reports(state, previous, batches::FILES, &mut |batch| {
        if let Some(token) = token {
            let mut value = br#"{"items":["#.to_vec();
            value.extend_from_slice(&batch);
            value.extend_from_slice(b"]}");
            if state.output.progress_raw(token, &value) {
                return;
            }
        }
        if !items.is_empty() {
            items.push(b',');
        }
        items.extend_from_slice(&batch);
    });
    tracing::debug!("workspace/diagnostic: reports in {:?}", started.elapsed());
    reply_with(slot, |body| {
        body.extend_from_slice(br#"{"items":["#);
        body.extend_from_slice(&items);
        body.extend_from_slice(b"]}");
    });
}
