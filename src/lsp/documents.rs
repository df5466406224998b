//! Open documents: the text, where its lines start (for positions), its
//! version, its parsed notes and their diagnostics, kept in step edit by
//! edit. An edit re-parses and re-checks only the entries it
//! touches (`syntax::apply_edit`, `ide::FileDiagnostics`).

use std::sync::Arc;

use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

use super::bulk_edit;
use super::entry_json::{EntryJson, Source};
use super::position::{Encoding, Positions};
use crate::ide::FileDiagnostics;
use crate::syntax::{self, Dialect, LineIndex, Notes, TextEdit, TextRange};

/// Up to this many changes in one `didChange` are applied one at a time
/// (each moves the string once); more are applied in one pass.
const FEW_CHANGES: usize = 4;

/// A text this long (bytes) is parsed on a thread of its own when opened
/// or replaced whole: tens of milliseconds for megabytes.
pub const LARGE_TEXT: usize = 256 * 1024;

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: Arc<String>,
    /// Where the lines of `text` start, for positions.
    pub lines: Arc<LineIndex>,
    pub notes: Arc<Notes>,
    /// The file's own findings, for `notes`.
    pub diagnostics: Arc<FileDiagnostics>,
    /// The JSON of each entry's diagnostics and symbol, as far as known.
    pub entry_json: Arc<EntryJson>,
    pub version: i32,
}

/// A document at one version, for a background task or a request: read
/// only. Taking one is cheap (its parts are `Arc`s), and edits made
/// meanwhile copy on write instead of touching it. What it shares with the
/// document is the per-entry output cache (`entry_json`), which a task fills
/// for the document's next message.
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
            lines: Arc::new(LineIndex::new(&text)),
            text: Arc::new(text),
            notes: Arc::new(notes),
            diagnostics: Arc::new(diagnostics),
            entry_json: Arc::default(),
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

    /// What messages about this version are written from.
    pub fn source(&self) -> Source<'_> {
        Source {
            text: &self.text,
            lines: &self.lines,
            notes: &self.notes,
            diagnostics: &self.diagnostics,
        }
    }

    /// Positions in this document's text, for a client using `enc`.
    pub fn positions(&self, enc: Encoding) -> Positions<'_> {
        Positions::new(&self.text, &self.lines, enc)
    }

    /// Applies one change from `didChange`, in the client's coordinates.
    /// Returns the entry indices that were parsed again.
    pub fn apply_change(
        &mut self,
        enc: Encoding,
        change: TextDocumentContentChangeEvent,
    ) -> std::ops::Range<usize> {
        let Some(range) = change.range else {
            // A whole new text (a client that syncs whole texts): applied as
            // the one edit of the lines that differ, so that a keystroke
            // re-parses its entry, not the file. The client's text becomes
            // the document's, never a copy of the old one (which a snapshot
            // may hold).
            let edit = TextEdit::between(&self.text, &change.text);
            self.text = Arc::new(change.text);
            Arc::make_mut(&mut self.lines).edit(&self.text, edit.old, edit.new_len);
            return self.reparse(edit.old, edit.new_len);
        };
        let old = self.positions(enc).text_range(range);
        self.replace(old, &change.text)
    }

    /// Applies the changes of one `didChange`, in order. A few are
    /// applied one at a time; many (a Replace All) in one pass over the
    /// text (`bulk_edit`), and the span they touched is parsed once,
    /// instead of moving the whole string and re-checking the entries once
    /// per change.
    ///
    /// Returns the entries parsed again (all of them, for several changes
    /// taken one at a time: each moved the indices of the others).
    pub fn apply_changes(
        &mut self,
        enc: Encoding,
        mut changes: Vec<TextDocumentContentChangeEvent>,
    ) -> std::ops::Range<usize> {
        if changes.len() == 1 {
            if let Some(change) = changes.pop() {
                return self.apply_change(enc, change);
            }
        }
        // A whole new text makes the changes before it moot.
        let from = changes.iter().rposition(|c| c.range.is_none());
        if changes.len() <= FEW_CHANGES || from.is_some() {
            for change in changes.drain(from.unwrap_or(0)..) {
                self.apply_change(enc, change);
            }
            return 0..self.notes.entries.len();
        }
        let applied = bulk_edit::apply(&self.text, &self.positions(enc), enc, &changes);
        self.lines = Arc::new(LineIndex::new(&applied.text));
        self.text = Arc::new(applied.text);
        self.reparse(applied.old, applied.new_len)
    }

    /// Replaces a byte range (on character boundaries) with new text.
    pub fn replace(&mut self, old: TextRange, new: &str) -> std::ops::Range<usize> {
        let text = Arc::make_mut(&mut self.text);
        // A copy made for the edit has no spare room; leave a little rather
        // than let the insertion double it.
        let grow = new.len().saturating_sub(old.len());
        if text.capacity() - text.len() < grow {
            text.reserve_exact(grow + 4096);
        }
        text.replace_range(old.start()..old.end(), new);
        Arc::make_mut(&mut self.lines).edit(text, old, new.len());
        self.reparse(old, new.len())
    }

    /// Parses again and re-checks the entries that `old`, now `new_len`
    /// bytes of the text, touched.
    fn reparse(&mut self, old: TextRange, new_len: usize) -> std::ops::Range<usize> {
        let text = &self.text;
        let notes = Arc::make_mut(&mut self.notes);
        let reparsed = syntax::apply_edit(notes, text, TextEdit { old, new_len });
        Arc::make_mut(&mut self.diagnostics).update(text, notes, reparsed.clone());
        Arc::make_mut(&mut self.entry_json).update(&reparsed, notes.entries.len());
        reparsed
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use tower_lsp::lsp_types::{Position, Range};

    /// A ranged change, as a client sends it.
    pub(in crate::lsp) fn change(
        l1: u32,
        c1: u32,
        l2: u32,
        c2: u32,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_keep_lines_text_and_notes_in_step() {
        let mut d = Document::new("*Q😀?\r\n->\r\nA\r\n".to_string(), 1);
        // Insert after the emoji (UTF-16 column 4 = after "*Q😀").
        d.apply_change(Encoding::Utf16, change(0, 4, 0, 4, "x"));
        assert_eq!(d.text.as_str(), "*Q😀x?\r\n->\r\nA\r\n");
        assert_eq!(*d.lines, LineIndex::new(&d.text));
        // A reversed range past the end of the line is clamped and ordered.
        d.apply_change(Encoding::Utf16, change(2, 50, 2, 0, "Answer"));
        assert_eq!(d.text.as_str(), "*Q😀x?\r\n->\r\nAnswer\r\n");
        assert_eq!(*d.notes, syntax::parse(&d.text));
        assert_eq!(
            d.diagnostics.diagnostics(&d.text, &d.notes),
            crate::ide::diagnostics(&d.text, &d.notes)
        );
    }
}
