//! Pulled diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`).
//!
//! A pulled report carries the same bytes as a pushed message's
//! `diagnostics` array: for an open document they are written from the
//! per-entry pieces the document keeps (`entry_json`), exactly as a push is.
//! Each report is named by a hash of those bytes (its `resultId`), so a
//! client that already holds them is answered `unchanged`, and only then:
//! equal ids mean equal findings.
//!
//! Working the bytes out again costs a pass over every entry, so each
//! document's last id is kept with what it depended on: the document's
//! version (none for a file nobody has open) and the state's generation,
//! which moves on every change to the workspace index (configuration,
//! glossaries, other files). While both stand, a client's previous id is
//! answered without looking at the findings at all.
//!
//! A file that is not open is answered from the workspace index: its text
//! there is parsed and checked as `notes-ls check` would.

use std::path::Path;
use std::sync::Arc;

use tower_lsp::lsp_types::Url;

use super::documents::Snapshot;
use super::position::{Encoding, Positions};
use super::pulled::Pulled;
use super::state::State;
use super::to_proto;
use super::uri::{doc_path, OtherFiles};
use crate::ide::{self, DocKey};
use crate::rpc::{self, reply_with, Measure, Parts, ReplySlot};
use crate::syntax::TextRange;
use crate::workspace::{self, WorkspaceIndex};

mod workspace_reports;

pub use workspace_reports::{answer_workspace, reports};

/// One document's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// The client's previous result still holds.
    Unchanged { result_id: Arc<str> },
    /// `items` is the JSON array of the findings.
    Full { result_id: Arc<str>, items: Vec<u8> },
}

impl Report {
    /// The report as JSON (`DocumentDiagnosticReport`), with `extra`
    /// members (`"uri":…,"version":…,` in a workspace report) first.
    pub fn write(&self, extra: &[u8], out: &mut Vec<u8>) {
        out.push(b'{');
        out.extend_from_slice(extra);
        match self {
            Report::Unchanged { result_id } => unchanged_end(result_id, out),
            Report::Full { result_id, items } => {
                out.extend_from_slice(ITEMS);
                out.extend_from_slice(items);
                full_end(result_id, out);
            }
        }
    }
}

/// A full report starts with its items (after any `extra` members): their
/// id, a hash of their bytes, is known only once they are written, and so
/// they go straight into the message, with no buffer of their own.
const ITEMS: &[u8] = br#""items":"#;

/// The rest of a full report, after its items.
fn full_end(result_id: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(br#","kind":"full","resultId":"#);
    let _ = serde_json::to_writer(&mut *out, result_id);
    out.push(b'}');
}

/// The rest of an unchanged report, after its `{` and any `extra` members.
fn unchanged_end(result_id: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(br#""kind":"unchanged","resultId":"#);
    let _ = serde_json::to_writer(&mut *out, result_id);
    out.push(b'}');
}

/// Writes the report for `uri` (`DocumentDiagnosticReport`), given the id
/// of the report the client holds, into `out`: the findings go straight
/// into it, not through a buffer of their own (megabytes for a large
/// file). A file that is neither open nor a notes file of the workspace
/// gets an empty report.
pub fn write_document_report(state: &State, uri: &Url, previous: Option<&str>, out: &mut Vec<u8>) {
    // The generation before the index: findings are never named by a
    // generation newer than the index they were computed from.
    let generation = state.generation();
    let index = state.index();
    let others = state.other_files(&index, state.negotiated().encoding);
    let closed = Closed::new(&index, others, ide::Verdicts::default());
    let start = out.len();
    out.push(b'{');
    out.extend_from_slice(ITEMS);
    match report_in(state, (&index, generation), &closed, uri, previous, out) {
        Some(Named::Full(result_id)) => full_end(&result_id, out),
        Some(Named::Unchanged(result_id)) => {
            out.truncate(start + 1);
            unchanged_end(&result_id, out);
        }
        None => {
            out.extend_from_slice(b"[]");
            full_end("", out);
        }
    }
}

/// An open document whose text is this long (bytes) has its report
/// streamed ([`stream_document_report`]). Held whole, a large file's report
/// is megabytes on top of everything else the file costs, and the client
/// gets none of it until all is written; streamed, it gets the first parts
/// while the rest is written, which outweighs the second pass from about
/// this size up (figures in docs/performance.md).
pub const STREAMED_TEXT: usize = 1024 * 1024;

/// Answers `textDocument/diagnostic` for `uri` through `slot`: a large open
/// document's report in parts ([`stream_document_report`]), any other held
/// whole ([`write_document_report`]).
pub fn answer_document(state: &State, uri: &Url, previous: Option<&str>, slot: Arc<ReplySlot>) {
    match state.snapshot(uri) {
        // The snapshot moves into the writing, which lets it go before the
        // last part (`rpc::stream`).
        Some(snap) if snap.text.len() >= STREAMED_TEXT => rpc::stream(slot, move |reply| {
            stream_document_report(state, &snap, uri, previous, reply.rewriting());
        }),
        _ => {
            reply_with(&slot, |body| {
                write_document_report(state, uri, previous, body)
            });
        }
    }
}

/// [`write_document_report`] for a large open document (`snap`), sent in
/// parts as they are written, never held whole. Its length and id come
/// before its findings, so these are written twice from the pieces the
/// document keeps: once to count and hash them, then to the client. The
/// second pass finds every piece built and copies bytes.
fn stream_document_report(
    state: &State,
    snap: &Snapshot,
    uri: &Url,
    previous: Option<&str>,
    out: &mut dyn Parts,
) {
    let generation = state.generation();
    let index = state.index();
    let enc = state.negotiated().encoding;
    let others = state.other_files(&index, enc);
    let version = Some(snap.version);
    let cached = state.pulls().get(uri);
    let unchanged = |result_id: Arc<str>, out: &mut dyn Parts| {
        let mut whole = b"{".to_vec();
        unchanged_end(&result_id, &mut whole);
        out.start(whole.len());
        out.buf().extend_from_slice(&whole);
    };
    if let Some(id) = still_holds(cached.as_ref(), version, generation, previous) {
        return unchanged(id, out);
    }
    let write = |out: &mut dyn Parts| {
        let source = snap.source();
        snap.entry_json
            .write_diagnostics(source, uri, &index, &others, enc, out);
    };
    let mut measured = Measure::new(&state.output);
    write(&mut measured);
    let result_id = remember(
        state,
        uri,
        cached,
        (version, generation),
        measured_id(&measured),
    );
    if previous == Some(&*result_id) {
        return unchanged(result_id, out);
    }
    let mut suffix = Vec::new();
    full_end(&result_id, &mut suffix);
    out.start(1 + ITEMS.len() + measured.counted() + suffix.len());
    out.buf().push(b'{');
    out.buf().extend_from_slice(ITEMS);
    write(out);
    out.buf().extend_from_slice(&suffix);
}

/// A streamed report's id, as [`id_of`] names reports held whole (hashed a
/// part at a time, so the same bytes held whole get another id: a
/// document's reports are either streamed or not, by its size).
fn measured_id(m: &Measure) -> String {
    result_id(m.hash(), m.counted())
}

/// What checking files nobody has open shares from one file to the next:
/// the verdicts on words, and the line positions of the files that related
/// locations point into.
struct Closed<'i> {
    speller: ide::Speller<'i>,
    others: OtherFiles<'i>,
}

impl<'i> Closed<'i> {
    /// Starting from `verdicts` kept from an earlier batch.
    fn new(index: &'i WorkspaceIndex, others: OtherFiles<'i>, verdicts: ide::Verdicts) -> Self {
        Closed {
            speller: ide::Speller::with_verdicts(index.terms(), verdicts),
            others,
        }
    }
}

/// What a report says, by its id.
enum Named {
    Unchanged(Arc<str>),
    /// Its findings were written.
    Full(Arc<str>),
}

/// The report of `uri`, with the index already read (and the generation
/// read before it) and what closed files share.
fn report<'i>(
    state: &State,
    at: (&'i WorkspaceIndex, u64),
    closed: &Closed<'i>,
    uri: &Url,
    previous: Option<&str>,
) -> Option<Report> {
    let mut items = Vec::new();
    Some(
        match report_in(state, at, closed, uri, previous, &mut items)? {
            Named::Unchanged(result_id) => Report::Unchanged { result_id },
            Named::Full(result_id) => Report::Full { result_id, items },
        },
    )
}

/// [`report`], its findings (when it has them) written at the end of
/// `out`. `None` when the file is neither open nor a notes file of the
/// workspace.
fn report_in<'i>(
    state: &State,
    (index, generation): (&'i WorkspaceIndex, u64),
    closed: &Closed<'i>,
    uri: &Url,
    previous: Option<&str>,
    out: &mut Vec<u8>,
) -> Option<Named> {
    let enc = state.negotiated().encoding;
    let snap = state.snapshot(uri);
    let version = snap.as_ref().map(|s| s.version);
    let cached = state.pulls().get(uri);
    if let Some(id) = still_holds(cached.as_ref(), version, generation, previous) {
        return Some(Named::Unchanged(id));
    }
    let start = out.len();
    match &snap {
        Some(snap) => {
            snap.entry_json
                .write_diagnostics(snap.source(), uri, index, &closed.others, enc, out)
        }
        None => out.extend(closed_items(index, closed, &doc_path(uri), uri, enc)?),
    }
    let id = id_of(&out[start..]);
    let result_id = remember(state, uri, cached, (version, generation), id);
    Some(if previous == Some(&*result_id) {
        out.truncate(start);
        Named::Unchanged(result_id)
    } else {
        Named::Full(result_id)
    })
}

/// The client's `previous` id when it still holds: the document's version
/// and the index's generation are those its findings were computed at.
fn still_holds(
    cached: Option<&Pulled>,
    version: Option<i32>,
    generation: u64,
    previous: Option<&str>,
) -> Option<Arc<str>> {
    let p = cached.filter(|p| p.version == version && p.generation == generation)?;
    (Some(&*p.result_id) == previous).then(|| Arc::clone(&p.result_id))
}

/// The id of findings whose bytes gave `id`, remembered with the version
/// and generation they were computed at; the same bytes as last time keep
/// the last id (no new string).
fn remember(
    state: &State,
    uri: &Url,
    cached: Option<Pulled>,
    (version, generation): (Option<i32>, u64),
    id: String,
) -> Arc<str> {
    let result_id: Arc<str> = match cached {
        Some(p) if *p.result_id == *id => p.result_id,
        _ => id.into(),
    };
    let pulled = Pulled {
        version,
        generation,
        result_id: Arc::clone(&result_id),
    };
    state.pulls().put(uri, pulled);
    result_id
}

/// The findings of a file nobody has open, from its text in the index, as
/// the JSON array a push would carry.
fn closed_items<'i>(
    index: &'i WorkspaceIndex,
    closed: &Closed<'i>,
    path: &Path,
    uri: &Url,
    enc: Encoding,
) -> Option<Vec<u8>> {
    let (text, found) = workspace::diagnose_indexed(index, path, &closed.speller)?;
    let pos = Positions::of_text(text, enc);
    let elsewhere = |doc: &DocKey, range: TextRange| closed.others.locate(doc, range);
    let items: Vec<_> = found
        .iter()
        .map(|(d, sev)| to_proto::diagnostic(&mut |r| pos.range(r), uri, d, *sev, &elsewhere))
        .collect();
    serde_json::to_vec(&items).ok()
}

/// A report's id: a hash of its bytes. Equal bytes, equal ids, in this
/// process (which is as long as a client keeps them). foldhash, not SipHash:
/// the bytes are the server's own, and SipHash showed in every keystroke's
/// report on a file with many findings (docs/performance.md).
fn id_of(items: &[u8]) -> String {
    result_id(ide::hash_bytes(items), items.len())
}

/// An id from the hash of a report's bytes and their count.
fn result_id(hash: u64, len: usize) -> String {
    format!("{hash:016x}-{len}")
}
