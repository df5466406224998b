//! Incremental re-parsing agrees with a full parse.

use notes_ls::syntax::{self, apply_edit, TextEdit, TextRange};

/// Replaces `text[old]` with `insert` and checks that `apply_edit` leaves what
/// a full parse of the new text gives.
fn check_edit(text: &str, old: std::ops::Range<usize>, insert: &str) {
    let mut notes = syntax::parse(text);
    let new_text = format!("{}{insert}{}", &text[..old.start], &text[old.end..]);
    let edit = TextEdit {
        old: TextRange::new(old.start, old.end),
        new_len: insert.len(),
    };
    apply_edit(&mut notes, &new_text, edit);
    let full = syntax::parse(&new_text);
    assert_eq!(syntax::dump(&notes, &new_text), syntax::dump(&full, &new_text));
    assert_eq!(notes, full);
}

#[test]
fn insert_before_byte_order_mark() {
    // The question after the mark starts at byte 3 but its line at byte 0, so
    // the edit changes it: `*\u{feff}*What` is no longer a question line.
    check_edit("\u{feff}*What is CSRF?", 0..0, "*");
}
