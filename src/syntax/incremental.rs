//! Re-parsing after an edit: only the chunks the edit touches are read again.
//!
//! A chunk begins at a line that is a question by its own text (see
//! `Question::starts_chunk`), so the entries before the chunk that holds the
//! edit, and those after the chunk that holds its end, cannot change; they are
//! kept, the latter shifted by the change in length.
//!
//! Fenced code blocks and comments can span chunks. An edit that changes a
//! line that could open or close one, or writes such a line, may change what
//! every later line is, so the whole text is read again; such edits are rare
//! next to typing in an answer.

use super::blocks::has_marker;
use super::lines::{line_end, line_start};
use super::model::{Entry, Notes, TextRange};

use super::parse::{parse_as, parse_region};

/// One replacement: `old` (a range of the text before the edit) became
/// `new_len` bytes of new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit {
    pub old: TextRange,
    pub new_len: usize,
}

impl TextEdit {
    /// The one edit that turns `old` into `new` (a client that sends whole
    /// texts): what lies between their common start and common end, both
    /// cut back to whole lines (each side of the edit is just after a `\n`
    /// both texts have, or the text's own start or end), so the edit never
    /// splits a character or a `\r\n`. Its new text is
    /// `new[edit.old.start()..][..edit.new_len]`.
    pub fn between(old: &str, new: &str) -> TextEdit {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let start = a[..common_start(old, new)]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        // What they share at their end after `start` (just after a `\n`).
        let same_end = common_end(&old[start..], &new[start..]);
        // Kept whole where it starts a line in both texts; else cut back to
        // what follows its first `\n`, which both texts have.
        let line_start = |t: &[u8], at: usize| at == 0 || t[at - 1] == b'\n';
        let end_from = a.len() - same_end;
        let kept = if line_start(a, end_from) && line_start(b, b.len() - same_end) {
            same_end
        } else {
            match a[end_from..].iter().position(|&c| c == b'\n') {
                Some(i) => same_end - (i + 1),
                None => 0,
            }
        };
        TextEdit {
            old: TextRange::new(start, a.len() - kept),
            new_len: b.len() - kept - start,
        }
    }
}

/// How many bytes `old` and `new` share at their start, cut back to a
/// character boundary of both.
pub fn common_start(old: &str, new: &str) -> usize {
    let same = old.bytes().zip(new.bytes()).take_while(|(x, y)| x == y);
    let mut n = same.count();
    while !old.is_char_boundary(n) || !new.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// How many bytes `old` and `new` share at their end, cut back to a
/// character boundary of both.
pub fn common_end(old: &str, new: &str) -> usize {
    let same = (old.bytes().rev()).zip(new.bytes().rev());
    let mut n = same.take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(old.len() - n) || !new.is_char_boundary(new.len() - n) {
        n -= 1;
    }
    n
}

/// Updates `notes` (parsed from the old text) for `edit`, given the new text.
/// The result equals `parse(new_text)`; the property tests hold it to that.
/// Returns the range of entry indices (in the updated notes) that were parsed
/// again, so callers can re-analyse only those.
pub fn apply_edit(notes: &mut Notes, new_text: &str, edit: TextEdit) -> std::ops::Range<usize> {
    let delta = edit.new_len as isize - edit.old.len() as isize;
    // Text before the edit is the same in the old and the new text.
    let edit_line = line_start(new_text, edit.old.start());

    // The edited lines: in the new text up to the end of the line holding
    // the end of the inserted text; in the old one, as far (the text after
    // the edit is the same in both).
    let new_line_end = line_end(new_text, edit.old.start() + edit.new_len);
    let old_line_end = (new_line_end as isize - delta) as usize;
    if notes.blocks.marker_in(edit_line, old_line_end)
        || has_marker(&new_text.as_bytes()[edit_line..new_line_end])
    {
        *notes = parse_as(new_text, notes.dialect);
        return 0..notes.entries.len();
    }
    notes.blocks.shift(edit.old.start(), edit.old.end(), delta);

    // The region starts at the last chunk start on a line before the edit's
    // line: that line is untouched, so it still starts a chunk.
    let before = notes
        .entries
        .partition_point(|e| e.range.start() < edit_line);
    let lo = notes.entries[..before]
        .iter()
        .rposition(|e| e.question.starts_chunk)
        .unwrap_or(0);
    let region_start = notes
        .entries
        .get(lo)
        .filter(|e| e.question.starts_chunk && e.range.start() < edit_line)
        .map_or(0, |e| e.range.start());
    let lo = if region_start == 0 { 0 } else { lo };

    // It ends at the first chunk start after the edit: its line, and the line
    // break before it, are untouched. A question right after a byte-order mark
    // does not start its line, and an edit before the mark changes that line.
    let hi = lo
        + notes.entries[lo..]
            .iter()
            .position(|e| {
                e.question.starts_chunk
                    && e.range.start() > edit.old.end()
                    && starts_line(new_text, (e.range.start() as isize + delta) as usize)
            })
            .unwrap_or(notes.entries.len() - lo);
    let region_end_old = notes.entries.get(hi).map_or(notes.len, |e| e.range.start());
    let region_end_new = (region_end_old as isize + delta) as usize;

    let mut fresh = Vec::new();
    parse_region(
        new_text,
        region_start,
        region_end_new,
        &notes.blocks.spans,
        notes.dialect,
        &mut fresh,
    );
    let fresh_len = fresh.len();
    // Entries are kept without spare room (`parse`); grow by a little rather
    // than let the splice double a large file's entries.
    let grow = fresh_len.saturating_sub(hi - lo);
    if notes.entries.capacity() - notes.entries.len() < grow {
        notes.entries.reserve_exact(grow + 256);
    }
    notes.entries.splice(lo..hi, fresh);
    if delta != 0 {
        for e in &mut notes.entries[lo + fresh_len..] {
            shift_entry(e, delta);
        }
    }
    notes.len = new_text.len();
    lo..lo + fresh_len
}

/// True when `offset` is right after a line break (or at the start of the text).
fn starts_line(text: &str, offset: usize) -> bool {
    offset == 0 || matches!(text.as_bytes()[offset - 1], b'\n' | b'\r')
}

fn shift_entry(e: &mut Entry, delta: isize) {
    e.range = e.range.shifted(delta);
    let q = &mut e.question;
    q.marker = q.marker.map(|m| m.shifted(delta));
    q.text = q.text.shifted(delta);
    q.line = q.line.shifted(delta);
    e.arrow = e.arrow.map(|a| a.shifted(delta));
    if let Some(a) = e.answer.as_mut() {
        a.shift(delta);
    }
}
