//! Shared test helpers: the server in process (`server`, over the pipes of
//! `pipe`) and as a binary (`stdio`), fixtures with a `$0` cursor,
//! well-formedness checks for parsed notes, and position arithmetic
//! written independently of the server's own conversion code, so a bug there
//! cannot hide itself.

#![allow(dead_code)]

pub mod client_model;
pub mod disk;
pub mod framing;
pub mod hostile;
pub mod pipe;
pub mod server;
pub mod stdio;
pub mod well_formed;

#[allow(unused_imports)]
pub use well_formed::assert_well_formed;

/// Splits a fixture at its `$0` marker: the text without it, and the offset.
pub fn cursor(fixture: &str) -> (String, usize) {
    let offset = fixture.find("$0").expect("fixture needs a $0 cursor");
    (fixture.replacen("$0", "", 1), offset)
}

/// Line starts, splitting on `\n`, `\r\n` and lone `\r` like LSP.
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// `(line, character)` of a byte offset, in UTF-16 code units or UTF-8 bytes.
pub fn position(text: &str, offset: usize, utf8: bool) -> (u32, u32) {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let prefix = &text[starts[line]..offset];
    let col = if utf8 {
        prefix.len()
    } else {
        prefix.encode_utf16().count()
    };
    (line as u32, col as u32)
}

/// The byte offset of `(line, character)`.
pub fn offset(text: &str, line: u32, character: u32, utf8: bool) -> usize {
    let starts = line_starts(text);
    let start = starts[line as usize];
    if utf8 {
        return start + character as usize;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The text an LSP range (as JSON) covers.
pub fn covered<'t>(text: &'t str, range: &serde_json::Value, utf8: bool) -> &'t str {
    let get = |p: &str, k: &str| range[p][k].as_u64().expect("range field") as u32;
    let a = offset(text, get("start", "line"), get("start", "character"), utf8);
    let b = offset(text, get("end", "line"), get("end", "character"), utf8);
    &text[a..b]
}

/// `text` with the LSP text `edits` (a JSON array) applied as a client
/// applies them: every range in the coordinates of the text before any.
pub fn apply_edits(text: &str, edits: &serde_json::Value, utf8: bool) -> String {
    let at = |p: &serde_json::Value| {
        let get = |k: &str| p[k].as_u64().expect("position field") as u32;
        offset(text, get("line"), get("character"), utf8)
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let new = e["newText"].as_str().expect("newText");
            (at(&e["range"]["start"]), at(&e["range"]["end"]), new)
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

pub fn lsp_position(text: &str, offset: usize, utf8: bool) -> serde_json::Value {
    let (line, character) = position(text, offset, utf8);
    serde_json::json!({ "line": line, "character": character })
}

/// Texts of up to `max` lines, each one of `lines` ended by one of `breaks`:
/// the notes proptest edits in several suites.
pub fn lines_text(
    lines: &'static [&'static str],
    breaks: &'static [&'static str],
    max: usize,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        (prop::sample::select(lines), prop::sample::select(breaks)),
        0..max,
    )
    .prop_map(|lines| lines.into_iter().map(|(l, b)| format!("{l}{b}")).collect())
}
