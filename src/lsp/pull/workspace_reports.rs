//! A report for every notes file of the workspace (`workspace/diagnostic`,
//! and the push of files nobody has open): thousands of files checked in
//! batches, each batch on every core.

use std::collections::HashMap;

use tower_lsp::lsp_types::{ProgressToken, Url};

use super::{report, Closed, Report};
use crate::ide;
use crate::lsp::state::State;
use crate::lsp::uri::path_uri;
use crate::rpc::{reply_with, ReplySlot};
use crate::workspace::WorkspaceIndex;

/// The reports of `uris`, handed to `each` in order, `unchanged` where
/// `previous` gives the id that still holds. The index is read `batch`
/// files at a time, so an update waits for one batch, not for all; within
/// a batch the files are checked on every core (a workspace report is the
/// one request that checks thousands of files at once).
pub fn reports(
    state: &State,
    uris: &[Url],
    previous: &(dyn Fn(&Url) -> Option<String> + Sync),
    batch: usize,
    each: &mut dyn FnMut(&Url, Report),
) {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    // Each worker's verdicts on words go on to its next batch: the files
    // share most of their words.
    let mut kept: Vec<ide::Verdicts> = (0..workers).map(|_| ide::Verdicts::default()).collect();
    for chunk in uris.chunks(batch.max(1)) {
        // A snapshot per batch: an index update between batches goes ahead.
        let generation = state.generation();
        let index = state.index();
        let index: &WorkspaceIndex = &index;
        let enc = state.negotiated().encoding;
        let part = |uris: &[Url], verdicts| -> (Vec<Option<Report>>, ide::Verdicts) {
            let closed = Closed::new(index, state.other_files(index, enc), verdicts);
            let found = uris
                .iter()
                .map(|uri| {
                    let at = (index, generation);
                    report(state, at, &closed, uri, previous(uri).as_deref())
                })
                .collect();
            (found, closed.speller.into_verdicts())
        };
        let per = chunk.len().div_ceil(workers).max(1);
        let found: Vec<Option<Report>> = if workers == 1 || chunk.len() < 2 * per.min(8) {
            let (found, verdicts) = part(chunk, std::mem::take(&mut kept[0]));
            kept[0] = verdicts;
            found
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .chunks(per)
                    .zip(kept.iter_mut())
                    .map(|(uris, slot)| {
                        let verdicts = std::mem::take(slot);
                        (uris.len(), slot, scope.spawn(move || part(uris, verdicts)))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|(n, slot, h)| match h.join() {
                        Ok((found, verdicts)) => {
                            *slot = verdicts;
                            found
                        }
                        Err(_) => {
                            tracing::error!("checking {n} files for a report failed");
                            vec![None; n]
                        }
                    })
                    .collect()
            })
        };
        for (uri, report) in chunk.iter().zip(found) {
            if let Some(report) = report {
                each(uri, report);
            }
        }
    }
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
    // Batches of 250 files: what is held at once stays a few megabytes
    // however large the folder, and an index update waits for one batch
    // at most.
    workspace_reports(state, previous, 250, &mut |batch| {
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
