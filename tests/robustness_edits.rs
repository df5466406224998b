//! LSP edits against a client-side model: random notes, random sequences of
//! `didChange` content changes (UTF-16 and UTF-8 columns, CRLF, multi-byte
//! text, edits at the very end, deletes across lines, several changes in one
//! notification, positions past the end or inside a character, reversed
//! ranges), applied by `Document::apply_change`. After every change the
//! server's rope and string equal the client's text and the incrementally
//! updated notes equal a fresh parse.
//!
//! `tests/incremental.rs` checks `apply_edit` on byte edits; this file checks
//! the layer above it, where client positions become bytes. A smaller
//! number of cases go through the in-process server, whose `documentSymbol`
//! answer must match the outline of the client's text, ranges included.

mod common;

use common::client_model::{self, ClientChange};
use common::covered;
use common::server::TestServer;
use notes_ls::lsp::{Document, Encoding};
use notes_ls::syntax::{self, LineIndex};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// Lines of notes, with the awkward ones.
const LINES: &[&str] = &[
    "*What is CSRF?",
    "*Q?->",
    "*",
    "->",
    "-> Django: full framework",
    "what is a webhook ?",
    "Term: a definition",
    "| Gunicorn | Uvicorn |",
    "| --- | --- |",
    "* item",
    "",
    "Plain answer text.",
    "Café naïve résumé 😀 ok",
    "日本語の質問ですか?",
    "*Qu'est-ce que c'est, 🦀?",
    "x\u{2028}y",
    "\u{feff}*BOM",
];

const BREAKS: &[&str] = &["\n", "\n", "\r\n", "\r\n", "\r"];

const INSERTS: &[&str] = &[
    "",
    "",
    "*",
    "\n",
    "\r\n",
    "\r",
    "->",
    "?",
    " ",
    "x",
    "é",
    "😀",
    "語",
    "|",
    ":",
    "TODO",
    "\n\n",
    "*Q?\n",
    "\r\n-> a\r\n",
    "what is it?\n->\n",
    "\u{feff}",
];

fn notes_text() -> impl Strategy<Value = String> {
    common::lines_text(LINES, BREAKS, 12)
}

fn insert() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(INSERTS).prop_map(str::to_string),
        1 => (prop::sample::select(LINES), prop::sample::select(BREAKS))
            .prop_map(|(l, b)| format!("{l}{b}")),
    ]
}

/// A position chosen relative to the current text, so most land on real
/// lines and columns and some do not.
#[derive(Debug, Clone)]
enum Pos {
    /// A line of the text and a column up to its end (in a UTF-16 column
    /// this may fall inside a surrogate pair).
    Within(Index, Index),
    /// The end of the last line: where typing at the end of a file happens.
    End,
    /// Past the end of a line.
    PastLineEnd(Index, u32),
    /// A line after the last one.
    PastFileEnd(u32, u32),
}

fn pos() -> impl Strategy<Value = Pos> {
    prop_oneof![
        8 => (any::<Index>(), any::<Index>()).prop_map(|(l, c)| Pos::Within(l, c)),
        2 => Just(Pos::End),
        1 => (any::<Index>(), prop_oneof![1..4u32, Just(u32::MAX)])
            .prop_map(|(l, extra)| Pos::PastLineEnd(l, extra)),
        1 => (0..3u32, prop_oneof![0..3u32, Just(u32::MAX)])
            .prop_map(|(l, c)| Pos::PastFileEnd(l, c)),
    ]
}

impl Pos {
    fn resolve(&self, text: &str, utf8: bool) -> (u32, u32) {
        let lines = client_model::line_starts(text).len();
        match self {
            Pos::Within(l, c) => {
                let line = l.index(lines);
                let len = client_model::line_len(text, line, utf8);
                (line as u32, c.index(len + 1) as u32)
            }
            Pos::End => {
                let line = lines - 1;
                (line as u32, client_model::line_len(text, line, utf8) as u32)
            }
            Pos::PastLineEnd(l, extra) => {
                let line = l.index(lines);
                let len = client_model::line_len(text, line, utf8) as u32;
                (line as u32, len.saturating_add(*extra))
            }
            Pos::PastFileEnd(l, c) => ((lines as u32).saturating_add(*l), *c),
        }
    }
}

#[derive(Debug, Clone)]
enum Change {
    Range(Pos, Pos, String),
    /// A delete from one line to a later one.
    DeleteLines(Index, Index, Index),
    Full(String),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        12 => (pos(), pos(), insert()).prop_map(|(a, b, t)| Change::Range(a, b, t)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(l, n, c)| Change::DeleteLines(l, n, c)),
        1 => notes_text().prop_map(Change::Full),
    ]
}

impl Change {
    /// What the client sends for this change, given its current text.
    fn to_client(&self, text: &str, utf8: bool) -> ClientChange {
        match self {
            Change::Range(a, b, t) => ClientChange::Range {
                start: a.resolve(text, utf8),
                end: b.resolve(text, utf8),
                text: t.clone(),
            },
            Change::DeleteLines(l, n, c) => {
                let lines = client_model::line_starts(text).len();
                let first = l.index(lines);
                let last = (first + 1 + n.index(3)).min(lines - 1);
                let col = c.index(client_model::line_len(text, first, utf8) + 1) as u32;
                ClientChange::Range {
                    start: (first as u32, col),
                    end: (last as u32, 0),
                    text: String::new(),
                }
            }
            Change::Full(t) => ClientChange::Full(t.clone()),
        }
    }
}

fn lsp_change(c: &ClientChange) -> TextDocumentContentChangeEvent {
    match c {
        ClientChange::Full(text) => TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.clone(),
        },
        ClientChange::Range { start, end, text } => TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: text.clone(),
        },
    }
}

fn encoding(utf8: bool) -> Encoding {
    if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// Applies `batches` (each one `didChange`'s content changes) to a document
/// and to the client's text, comparing them after every change.
fn check(text: &str, utf8: bool, batches: &[Vec<Change>]) -> Result<(), TestCaseError> {
    let enc = encoding(utf8);
    let mut client = text.to_string();
    let mut doc = Document::new(text.to_string(), 1);
    for batch in batches {
        for change in batch {
            // Each change is relative to the text the previous one left.
            let c = change.to_client(&client, utf8);
            client_model::apply(&mut client, &c, utf8);
            doc.apply_change(enc, lsp_change(&c));
            prop_assert_eq!(doc.text.as_str(), client.as_str(), "after {:?}", c);
            prop_assert_eq!(&*doc.lines, &LineIndex::new(&client));
            let fresh = syntax::parse(&client);
            prop_assert_eq!(&*doc.notes, &fresh, "after {:?}", c);
        }
        common::assert_well_formed(&doc.notes, &doc.text);
    }
    Ok(())
}

/// Applies each batch as one `didChange` (`Document::apply_changes`, which
/// takes many changes in one pass) and compares with the client's text, a
/// fresh parse and fresh diagnostics after each batch.
fn check_batches(text: &str, utf8: bool, batches: &[Vec<Change>]) -> Result<(), TestCaseError> {
    let enc = encoding(utf8);
    let mut client = text.to_string();
    let mut doc = Document::new(text.to_string(), 1);
    for batch in batches {
        let mut changes = Vec::new();
        for change in batch {
            let c = change.to_client(&client, utf8);
            client_model::apply(&mut client, &c, utf8);
            changes.push(lsp_change(&c));
        }
        doc.apply_changes(enc, changes.clone());
        prop_assert_eq!(doc.text.as_str(), client.as_str(), "after {:?}", changes);
        prop_assert_eq!(&*doc.lines, &LineIndex::new(&client));
        let fresh = syntax::parse(&client);
        prop_assert_eq!(&*doc.notes, &fresh, "after {:?}", changes);
        prop_assert_eq!(
            doc.diagnostics.diagnostics(&doc.text, &doc.notes),
            notes_ls::ide::diagnostics(&client, &fresh)
        );
        common::assert_well_formed(&doc.notes, &doc.text);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    // `PROPTEST_CASES=100000 cargo test --release --test robustness_edits` for a long run.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn lsp_edits_keep_server_text_equal_to_the_client(
        text in notes_text(),
        utf8 in any::<bool>(),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..4), 1..6),
    ) {
        check(&text, utf8, &batches)?;
    }

    /// Many changes in one notification (Replace All, multi-cursor typing)
    /// take the one-pass path.
    #[test]
    fn many_changes_in_one_did_change_equal_the_client(
        text in notes_text(),
        utf8 in any::<bool>(),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..24), 1..4),
    ) {
        check_batches(&text, utf8, &batches)?;
    }

    /// A Replace All as editors send it: many changes, last first, all in
    /// the positions of the text before them (spliced in one pass).
    #[test]
    fn a_replace_all_sent_last_first_equals_the_client(
        text in notes_text(),
        utf8 in any::<bool>(),
        cuts in prop::collection::vec((any::<Index>(), 0..3usize, insert()), 5..40),
    ) {
        let enc = encoding(utf8);
        let bounds: Vec<usize> = text.char_indices().map(|(o, _)| o).chain([text.len()]).collect();
        // Ranges in text order that do not overlap, `len` characters long.
        let mut ranges: Vec<(usize, usize, String)> = Vec::new();
        let mut picked: Vec<(usize, usize, String)> = cuts
            .into_iter()
            .map(|(at, len, t)| {
                let i = at.index(bounds.len());
                (bounds[i], bounds[(i + len).min(bounds.len() - 1)], t)
            })
            .collect();
        picked.sort_by_key(|r| (r.0, r.1));
        for r in picked {
            if ranges.last().is_none_or(|last| last.1 <= r.0) {
                ranges.push(r);
            }
        }
        let mut client = text.clone();
        let changes: Vec<ClientChange> = ranges
            .iter()
            .rev()
            .map(|(a, b, t)| ClientChange::Range {
                start: position_of(&text, *a, utf8),
                end: position_of(&text, *b, utf8),
                text: t.clone(),
            })
            .collect();
        for c in &changes {
            client_model::apply(&mut client, c, utf8);
        }
        let mut doc = Document::new(text.clone(), 1);
        let lsp: Vec<_> = changes.iter().map(lsp_change).collect();
        doc.apply_changes(enc, lsp);
        prop_assert_eq!(doc.text.as_str(), client.as_str());
        prop_assert_eq!(&*doc.lines, &LineIndex::new(&client));
        prop_assert_eq!(&*doc.notes, &syntax::parse(&client));
    }
}

/// The client's position of a byte offset of `text`.
fn position_of(text: &str, offset: usize, utf8: bool) -> (u32, u32) {
    let starts = client_model::line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let start = starts[line];
    let col = if utf8 {
        offset - start
    } else {
        text[start..offset].encode_utf16().count()
    };
    (line as u32, col as u32)
}

fn change_json(c: &ClientChange) -> Value {
    match c {
        ClientChange::Full(text) => json!({ "text": text }),
        ClientChange::Range { start, end, text } => json!({
            "range": {"start": {"line": start.0, "character": start.1},
                      "end": {"line": end.0, "character": end.1}},
            "text": text,
        }),
    }
}

/// `(name, covered range, covered selection)` of every symbol, depth first.
fn flatten(symbols: &Value, text: &str, utf8: bool, out: &mut Vec<(String, String, String)>) {
    for s in symbols.as_array().into_iter().flatten() {
        out.push((
            s["name"].as_str().unwrap_or_default().to_string(),
            covered(text, &s["range"], utf8).to_string(),
            covered(text, &s["selectionRange"], utf8).to_string(),
        ));
        flatten(&s["children"], text, utf8, out);
    }
}

fn expected_symbols(
    items: &[notes_ls::ide::OutlineItem],
    text: &str,
    out: &mut Vec<(String, String, String)>,
) {
    for it in items {
        let name = if it.name.is_empty() {
            "(empty)".to_string()
        } else {
            it.name.clone()
        };
        out.push((
            name,
            it.range.slice(text).to_string(),
            it.selection.slice(text).to_string(),
        ));
        expected_symbols(&it.children, text, out);
    }
}

/// The same batches through the in-process server, one `didChange` each.
async fn check_server(
    text: &str,
    utf8: bool,
    batches: &[Vec<Change>],
) -> Result<(), TestCaseError> {
    let caps = if utf8 {
        json!({"general": {"positionEncodings": ["utf-8"]}})
    } else {
        json!({})
    };
    let (mut s, _) = TestServer::start(caps).await;
    let uri = "file:///prop/edits.notes";
    s.open(uri, text).await;
    let mut client = text.to_string();
    for (i, batch) in batches.iter().enumerate() {
        let mut changes = Vec::new();
        for change in batch {
            let c = change.to_client(&client, utf8);
            client_model::apply(&mut client, &c, utf8);
            changes.push(change_json(&c));
        }
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": changes}),
        )
        .await;
    }
    let symbols = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .map_err(|e| TestCaseError::fail(format!("documentSymbol: {e}")))?;
    let mut got = Vec::new();
    flatten(&symbols, &client, utf8, &mut got);
    let notes = syntax::parse(&client);
    let mut want = Vec::new();
    expected_symbols(&notes_ls::ide::outline(&client, &notes), &client, &mut want);
    prop_assert_eq!(got, want, "text {:?}", client);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 16))]

    #[test]
    fn lsp_edits_through_the_server_keep_document_symbols_right(
        text in notes_text(),
        utf8 in any::<bool>(),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..4), 1..5),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        rt.block_on(check_server(&text, utf8, &batches))?;
    }
}

#[test]
fn surrogate_pair_split_by_a_utf16_column_rounds_down() {
    // Column 3 falls between the two halves of 😀; both ends round down to
    // the emoji's start, so this inserts before it.
    let mut doc = Document::new("*Q😀\n".to_string(), 1);
    let c = ClientChange::Range {
        start: (0, 3),
        end: (0, 3),
        text: "x".to_string(),
    };
    let mut client = doc.text.to_string();
    client_model::apply(&mut client, &c, false);
    doc.apply_change(Encoding::Utf16, lsp_change(&c));
    assert_eq!(client, "*Qx😀\n");
    assert_eq!(doc.text.as_str(), client);
}

#[test]
fn crlf_cannot_be_split_by_a_position() {
    // The end of line 0 is before its `\r`: no position lies between `\r`
    // and `\n`, so inserting there keeps the pair whole.
    let mut doc = Document::new("*Q?\r\n->\r\n".to_string(), 1);
    doc.apply_change(
        Encoding::Utf8,
        lsp_change(&ClientChange::Range {
            start: (0, 99),
            end: (0, 99),
            text: "!".to_string(),
        }),
    );
    assert_eq!(doc.text.as_str(), "*Q?!\r\n->\r\n");
    assert_eq!(doc.lines.line_count(), 3);
}
