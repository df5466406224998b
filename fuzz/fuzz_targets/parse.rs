//! Any text parses, the result is well formed, and every feature that reads
//! it (diagnostics, outline, folding, highlights, and hover and completion
//! at a few offsets, with the text's own terms known) slices the text
//! without panicking.

#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use notes_ls::ide::{self, TermIndex};
use notes_ls::syntax;

#[path = "../../tests/common/well_formed.rs"]
mod well_formed;

/// Built once: the glossary is parsed when the index is made.
static TERMS: Mutex<Option<TermIndex>> = Mutex::new(None);

fn in_text(text: &str, start: usize, end: usize) -> bool {
    text.get(start..end).is_some()
}

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 never reaches the parser (files are checked when read,
    // LSP text is JSON); the lossy form still exercises the replacement
    // character, which is three bytes long.
    let text = String::from_utf8_lossy(data);
    let notes = syntax::parse(&text);
    well_formed::assert_well_formed(&notes, &text);
    for d in ide::diagnostics(&text, &notes) {
        assert!(in_text(&text, d.range.start(), d.range.end()), "{d:?}");
    }
    ide::outline(&text, &notes);
    for r in ide::folding_ranges(&text, &notes) {
        assert!(in_text(&text, r.start(), r.end()), "{r:?}");
    }
    let mut guard = TERMS.lock().unwrap_or_else(|e| e.into_inner());
    let terms = guard.get_or_insert_with(TermIndex::builtin);
    terms.set_document(&ide::DocKey::from("fuzz"), &text, &notes);
    for h in ide::highlights(&text, &notes, terms) {
        assert!(in_text(&text, h.range.start(), h.range.end()), "{h:?}");
    }
    // Offsets as the server gives them, on character boundaries: the
    // start, the middle and the end (completion ranks the whole glossary,
    // so more offsets would slow the fuzzer more than they find).
    for k in 0..=2 {
        let mut at = text.len() * k / 2;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        ide::hover(&text, &notes, terms, &ide::DocKey::from("fuzz"), at);
        ide::completions(&text, &notes, terms, at);
    }
});
