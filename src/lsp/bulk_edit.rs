//! Many changes in one `didChange` (a Replace All: thousands in a 5 MB
//! file), applied in one pass instead of moving the whole text once per
//! change. VS Code sends them last first (its piece tree applies a
//! multi-range edit "from bottom to top", `_sortOpsDescending`, and reports
//! the changes in that order), each ending before the one before it
//! starts, so every position is in the text as it was: those are
//! converted with the document's line index and spliced in one walk. Any
//! other order goes through a rope (ropey), where a change costs a few tree
//! nodes, made for the occasion and dropped after.
//!
//! Either way the result is the new text and the span of it the changes
//! touched, which is all the parse needs to re-read.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, TextDocumentContentChangeEvent};

use super::position::{Encoding, Positions};
use crate::syntax::TextRange;

/// The text after `changes` (all with a range), and the span they touched:
/// `old` in the text before, `new_len` bytes long after.
pub struct Applied {
    pub text: String,
    pub old: TextRange,
    pub new_len: usize,
}

pub fn apply(
    text: &str,
    positions: &Positions,
    enc: Encoding,
    changes: &[TextDocumentContentChangeEvent],
) -> Applied {
    splice(text, positions, changes).unwrap_or_else(|| in_rope(text, enc, changes))
}

/// Changes given last first, all in `text`'s positions: spliced in text
/// order. `None` when they are not: out of order, or with a position that
/// is clamped (past its line's end, inside a character), whose meaning a
/// change after it on its line would move.
fn splice(
    text: &str,
    positions: &Positions,
    changes: &[TextDocumentContentChangeEvent],
) -> Option<Applied> {
    let mut edits: Vec<(TextRange, &str)> = Vec::with_capacity(changes.len());
    let mut next: Option<(Position, usize)> = None;
    for c in changes {
        let r = c.range?;
        let exact = |p| positions.position(positions.offset(p)) == p;
        if r.start > r.end || !exact(r.start) || !exact(r.end) {
            return None;
        }
        let range = positions.text_range(r);
        match next {
            Some((start, _)) if r.end > start => return None,
            // Touching a change made after a lone `\r`: that one may have
            // joined it to a `\n`, moving where the next line starts.
            Some((_, at)) if range.end() == at && at > 0 && text.as_bytes()[at - 1] == b'\r' => {
                return None
            }
            _ => {}
        }
        next = Some((r.start, range.start()));
        edits.push((range, c.text.as_str()));
    }
    edits.reverse();
    let grown: usize = edits.iter().map(|(_, t)| t.len()).sum();
    let mut out = String::with_capacity(text.len() + grown);
    let mut at = 0;
    for (r, new) in &edits {
        out.push_str(&text[at..r.start()]);
        out.push_str(new);
        at = r.end();
    }
    out.push_str(&text[at..]);
    let start = edits.first().map_or(0, |(r, _)| r.start());
    let end = edits.last().map_or(0, |(r, _)| r.end());
    Some(touched(text, out, TextRange::new(start, end)))
}

/// Changes in any order, each in the positions the ones before it left.
fn in_rope(text: &str, enc: Encoding, changes: &[TextDocumentContentChangeEvent]) -> Applied {
    let mut rope = Rope::from_str(text);
    // The span touched so far, in the current text's bytes.
    let mut span: Option<(usize, usize)> = None;
    for change in changes {
        let Some(range) = change.range else {
            continue;
        };
        let (a, b) = (
            offset(&rope, enc, range.start),
            offset(&rope, enc, range.end),
        );
        let (start, end) = (a.min(b), a.max(b));
        let start_char = rope.byte_to_char(start);
        rope.remove(start_char..rope.byte_to_char(end));
        rope.insert(start_char, &change.text);
        let new_end = start + change.text.len();
        let grew = change.text.len() as isize - (end - start) as isize;
        span = Some(match span {
            None => (start, new_end),
            Some((s, e)) => {
                // The end of the span moves with the text after it.
                let e = if e >= end {
                    (e as isize + grew) as usize
                } else {
                    new_end
                };
                (s.min(start), e.max(new_end))
            }
        });
    }
    let out = rope.to_string();
    let (start, new_end) = span.unwrap_or((0, 0));
    let old_end = (new_end as isize - (out.len() as isize - text.len() as isize)) as usize;
    touched(text, out, TextRange::new(start, old_end.max(start)))
}

fn touched(before: &str, text: String, old: TextRange) -> Applied {
    let new_len = (old.len() + text.len()).saturating_sub(before.len());
    Applied { text, old, new_len }
}

/// The byte offset of an LSP position in the rope, clamped into its line
/// and rounded down to a character, as [`Positions::offset`] does.
fn offset(rope: &Rope, enc: Encoding, pos: Position) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let content = slice.len_chars()
        - match (slice.len_chars(), slice.chars_at(slice.len_chars()).prev()) {
            (n, Some('\n')) if n > 1 && slice.char(n - 2) == '\r' => 2,
            (_, Some('\n' | '\r')) => 1,
            _ => 0,
        };
    let start_char = rope.byte_to_char(start);
    let col = pos.character as usize;
    let char_idx = match enc {
        Encoding::Utf8 => {
            let end = rope.char_to_byte(start_char + content);
            rope.byte_to_char((start + col).min(end))
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(start_char);
            let last = rope.char_to_utf16_cu(start_char + content);
            rope.utf16_cu_to_char((first + col).min(last))
        }
    };
    rope.char_to_byte(char_idx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::documents::tests::change;
    use crate::syntax::LineIndex;

    /// The changes applied one at a time, as the client did.
    fn one_by_one(text: &str, enc: Encoding, changes: &[TextDocumentContentChangeEvent]) -> String {
        let mut text = text.to_string();
        for c in changes {
            let lines = LineIndex::new(&text);
            let r = Positions::new(&text, &lines, enc).text_range(c.range.expect("a range"));
            text.replace_range(r.start()..r.end(), &c.text);
        }
        text
    }

    #[test]
    fn both_ways_give_the_clients_text_and_a_span_that_holds_the_changes() {
        let text = "a😀b\r\nx\ré\n\n语 line\r\nlast";
        let last_first = vec![
            change(4, 2, 4, 4, "Z"),
            change(3, 0, 3, 1, "😀\n"),
            change(1, 0, 2, 0, ""),
            change(0, 1, 0, 3, "é"),
        ];
        let mixed = vec![
            change(0, 0, 0, 1, "A\r"),
            change(5, 1, 5, 99, "end\n"),
            change(1, 0, 1, 0, "\n"),
            change(9, 0, 9, 0, "tail"),
        ];
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            for changes in [&last_first, &mixed] {
                let lines = LineIndex::new(text);
                let got = apply(text, &Positions::new(text, &lines, enc), enc, changes);
                let want = one_by_one(text, enc, changes);
                assert_eq!(got.text, want, "{enc:?}");
                // Outside the span both texts are the same.
                let tail = text.len() - got.old.end();
                assert_eq!(text[..got.old.start()], got.text[..got.old.start()]);
                assert_eq!(text[got.old.end()..], got.text[got.text.len() - tail..]);
                assert_eq!(got.old.start() + got.new_len + tail, got.text.len());
            }
        }
    }
}
