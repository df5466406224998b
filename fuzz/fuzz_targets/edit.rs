//! The edit path of an open document: any sequence of LSP content changes,
//! in UTF-16 or UTF-8 columns, with positions past the end, inside a
//! character or reversed, leaves the server's rope and string equal to the
//! client's text and the incrementally updated notes equal to a fresh parse.

#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use notes_ls::lsp::{Document, Encoding};
use notes_ls::syntax;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

#[path = "../../tests/common/client_model.rs"]
#[allow(dead_code)]
mod client_model;
#[path = "../../tests/common/well_formed.rs"]
mod well_formed;

use client_model::ClientChange;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    utf8: bool,
    changes: Vec<Change>,
}

#[derive(Arbitrary, Debug)]
enum Change {
    Range { start: Pos, end: Pos, text: String },
    Full(String),
}

/// Small numbers hit real lines and columns; 255 stands for "far past the end".
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Pos {
    line: u8,
    character: u8,
}

fn far(n: u8) -> u32 {
    if n == u8::MAX {
        u32::MAX
    } else {
        u32::from(n)
    }
}

impl Pos {
    fn pair(self) -> (u32, u32) {
        (far(self.line), far(self.character))
    }
}

fn lsp(change: &ClientChange) -> TextDocumentContentChangeEvent {
    match change {
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

fuzz_target!(|input: Input| {
    let enc = if input.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let mut client = input.text.clone();
    let mut doc = Document::new(input.text, 1);
    for change in input.changes.iter().take(16) {
        let change = match change {
            Change::Full(text) => ClientChange::Full(text.clone()),
            Change::Range { start, end, text } => ClientChange::Range {
                start: start.pair(),
                end: end.pair(),
                text: text.clone(),
            },
        };
        client_model::apply(&mut client, &change, input.utf8);
        doc.apply_change(enc, lsp(&change));
        assert_eq!(doc.text.as_str(), client, "after {change:?}");
        assert_eq!(*doc.lines, notes_ls::syntax::LineIndex::new(&client), "after {change:?}");
        assert_eq!(*doc.notes, syntax::parse(&client), "after {change:?}");
    }
    well_formed::assert_well_formed(&doc.notes, &doc.text);
});
