//! Open documents: the text as a rope (for positions) and as a string (for
//! analysis), its version, its parsed notes and their diagnostics, kept in
//! step edit by edit. An edit re-parses and re-checks only the entries it
//! touches (`syntax::apply_edit`, `ide::FileDiagnostics`).

use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

use super::fragments::Fragments;
use super::position::{self, Encoding};
use crate::ide::FileDiagnostics;
use crate::syntax::{self, Dialect, Notes, TextEdit, TextRange};

/// Up to this many changes in one `didChange` are applied one at a time
/// (each moves the string once); more are applied in one pass.
const FEW_CHANGES: usize = 4;

/// A text this long (bytes) is parsed on a thread of its own when opened
/// or replaced whole: tens of milliseconds for megabytes.
pub const LARGE_TEXT: usize = 256 * 1024;

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub text: Arc<String>,
    pub notes: Arc<Notes>,
    /// The file's own findings, for `notes`.
    pub diagnostics: Arc<FileDiagnostics>,
    /// The JSON of each entry's diagnostics and symbol, as far as known.
    pub fragments: Arc<Fragments>,
    pub version: i32,
}

/// A document at one version, for a background task or a request: read
/// only. Taking one is cheap (the rope shares its chunks, text and notes are
/// `Arc`s), and edits made meanwhile copy on write instead of touching it.
/// What it shares with the document is the per-entry output cache
/// (`fragments`), which a task fills for the document's next message.
#[derive(Debug, Clone)]
pub struct Snapshot(Document);

impl std::ops::Deref for Snapshot {
    type Target = Document;
    fn deref(&self) -> &Document {
        &self.0
    }
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        Document::new_as(text, version, Dialect::Arrow)
    }

    /// A document read in `dialect` (`[format] dialect`); its edits are
    /// read in the same one.
    pub fn new_as(text: String, version: i32, dialect: Dialect) -> Self {
        let notes = syntax::parse_as(&text, dialect);
        let diagnostics = FileDiagnostics::new(&text, &notes);
        Document {
            rope: Rope::from_str(&text),
            text: Arc::new(text),
            notes: Arc::new(notes),
            diagnostics: Arc::new(diagnostics),
            fragments: Arc::default(),
            version,
        }
    }

    /// Whether applying `changes` is worth a thread of its own: many
    /// changes (Replace All), or a large text replaced whole. One keystroke
    /// is applied where it arrives, in microseconds.
    pub fn is_heavy(changes: &[TextDocumentContentChangeEvent]) -> bool {
        changes.len() > FEW_CHANGES
            || changes
                .iter()
                .any(|c| c.range.is_none() && c.text.len() > LARGE_TEXT)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.clone())
    }

    /// Applies one change from `didChange`, in the client's coordinates.
    /// Returns the entry indices that were parsed again.
    pub fn apply_change(
        &mut self,
        enc: Encoding,
        change: &TextDocumentContentChangeEvent,
    ) -> std::ops::Range<usize> {
        let Some(range) = change.range else {
            *self = Document::new_as(change.text.clone(), self.version, self.notes.dialect);
            return 0..self.notes.entries.len();
        };
        let old = position::text_range(&self.rope, enc, range);
        self.replace(old, &change.text)
    }

    /// Applies the changes of one `didChange`, in order. Many changes at
    /// once (Replace All: thousands in a 5 MB file) go to the rope one by
    /// one, where each costs a few tree nodes, and then to the string and
    /// the parse in a single pass over the span they touched, instead of
    /// moving the whole string and re-checking the entries once per change.
    ///
    /// Returns the entries parsed again (all of them, for several changes
    /// taken one at a time: each moved the indices of the others).
    pub fn apply_changes(
        &mut self,
        enc: Encoding,
        changes: &[TextDocumentContentChangeEvent],
    ) -> std::ops::Range<usize> {
        if let [change] = changes {
            return self.apply_change(enc, change);
        }
        if changes.len() <= FEW_CHANGES {
            for change in changes {
                self.apply_change(enc, change);
            }
            return 0..self.notes.entries.len();
        }
        // The span touched so far, in the current text's bytes, and how much
        // longer the text got: outside the span the old and new texts are
        // the same, shifted by `delta` after it.
        let mut span: Option<(usize, usize)> = None;
        let mut delta: isize = 0;
        let mut whole: Option<()> = None;
        for change in changes {
            let Some(range) = change.range else {
                self.rope = Rope::from_str(&change.text);
                whole = Some(());
                continue;
            };
            let old = position::text_range(&self.rope, enc, range);
            let start_char = self.rope.byte_to_char(old.start);
            let end_char = self.rope.byte_to_char(old.end);
            self.rope.remove(start_char..end_char);
            self.rope.insert(start_char, &change.text);
            let new_end = old.start + change.text.len();
            let grew = change.text.len() as isize - old.len() as isize;
            span = Some(match span {
                None => (old.start, new_end),
                Some((s, e)) => {
                    // The end of the span moves with the text after it.
                    let e = if e <= old.start {
                        new_end
                    } else if e >= old.end {
                        (e as isize + grew) as usize
                    } else {
                        new_end
                    };
                    (s.min(old.start), e.max(new_end))
                }
            });
            delta += grew;
        }
        let text: String = self.rope.to_string();
        if whole.is_some() {
            *self = Document::new_as(text, self.version, self.notes.dialect);
            return 0..self.notes.entries.len();
        }
        let Some((start, end)) = span else {
            return 0..0;
        };
        let old_end = (end as isize - delta) as usize;
        self.text = Arc::new(text);
        let text = &self.text;
        let notes = Arc::make_mut(&mut self.notes);
        let reparsed = syntax::apply_edit(
            notes,
            text,
            TextEdit {
                old: TextRange::new(start, old_end),
                new_len: end - start,
            },
        );
        Arc::make_mut(&mut self.diagnostics).update(text, notes, reparsed.clone());
        Arc::make_mut(&mut self.fragments).update(&reparsed, notes.entries.len());
        reparsed
    }

    /// Replaces a byte range (on character boundaries) with new text.
    pub fn replace(&mut self, old: TextRange, new: &str) -> std::ops::Range<usize> {
        let start_char = self.rope.byte_to_char(old.start);
        let end_char = self.rope.byte_to_char(old.end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new);
        let text = Arc::make_mut(&mut self.text);
        // A copy made for the edit has no spare room; leave a little rather
        // than let the insertion double it.
        let grow = new.len().saturating_sub(old.len());
        if text.capacity() - text.len() < grow {
            text.reserve_exact(grow + 4096);
        }
        text.replace_range(old.start..old.end, new);
        let notes = Arc::make_mut(&mut self.notes);
        let reparsed = syntax::apply_edit(
            notes,
            text,
            TextEdit {
                old,
                new_len: new.len(),
            },
        );
        Arc::make_mut(&mut self.diagnostics).update(text, notes, reparsed.clone());
        Arc::make_mut(&mut self.fragments).update(&reparsed, notes.entries.len());
        reparsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::{Position, Range};

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_keep_rope_text_and_notes_in_step() {
        let mut d = Document::new("*Q😀?\r\n->\r\nA\r\n".to_string(), 1);
        // Insert after the emoji (UTF-16 column 4 = after "*Q😀").
        d.apply_change(Encoding::Utf16, &change(0, 4, 0, 4, "x"));
        assert_eq!(d.text.as_str(), "*Q😀x?\r\n->\r\nA\r\n");
        assert_eq!(d.rope.to_string(), *d.text);
        // A reversed range past the end of the line is clamped and ordered.
        d.apply_change(Encoding::Utf16, &change(2, 50, 2, 0, "Answer"));
        assert_eq!(d.text.as_str(), "*Q😀x?\r\n->\r\nAnswer\r\n");
        assert_eq!(*d.notes, syntax::parse(&d.text));
        assert_eq!(
            d.diagnostics.diagnostics(&d.text, &d.notes),
            crate::ide::diagnostics(&d.text, &d.notes)
        );
    }
}
