//! Where the kept pieces' JSON goes as it is written: into bytes, or only
//! counted, so that an answer's exact length is known before it is written;
//! and the one writer of a range whose lines are relative to a base line.

use tower_lsp::lsp_types as lsp;

/// The number of decimal digits of `n`.
pub(super) fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `range`'s numbers in the order its JSON has them.
pub(super) fn numbers(range: &lsp::Range) -> [u32; 4] {
    let (s, e) = (range.start, range.end);
    [s.line, s.character, e.line, e.character]
}

/// A range (start line and character, end line and character) with `base`
/// added to its lines, as serde writes an `lsp::Range` (the tests of
/// `entry_json` check it against serde). By hand: through serde's
/// serializer it was slower on a file with thousands of findings
/// (docs/performance.md).
pub(super) fn range(n: [u32; 4], base: u32, out: &mut impl Sink) {
    out.bytes(b"{\"start\":{\"line\":");
    out.line(base.saturating_add(n[0]));
    out.bytes(b",\"character\":");
    out.number(n[1]);
    out.bytes(b"},\"end\":{\"line\":");
    out.line(base.saturating_add(n[2]));
    out.bytes(b",\"character\":");
    out.number(n[3]);
    out.bytes(b"}}");
}

/// Where the JSON goes: bytes, or only their count.
pub(super) trait Sink {
    fn bytes(&mut self, b: &[u8]);
    fn number(&mut self, n: u32);
    fn line(&mut self, n: u32) {
        self.number(n);
    }
    /// A name that is `len` bytes of `text` at `offset`.
    fn name_in_text(&mut self, text: &[u8], offset: usize, len: usize);
}

pub(super) struct Bytes<'o>(pub(super) &'o mut Vec<u8>);

impl Sink for Bytes<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }

    fn number(&mut self, n: u32) {
        self.0
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn name_in_text(&mut self, text: &[u8], offset: usize, len: usize) {
        match text.get(offset..offset + len) {
            Some(name) => self.0.extend_from_slice(name),
            // Not the text the piece was made for (a bug): blanks of the
            // same length keep the answer's announced length right.
            None => self.0.resize(self.0.len() + len, b' '),
        }
    }
}

/// Counts the JSON's bytes, and its line numbers.
pub(super) struct Count {
    pub(super) len: usize,
    pub(super) lines: u32,
    /// Whether line numbers' digits count.
    pub(super) line_digits: bool,
}

impl Sink for Count {
    fn bytes(&mut self, b: &[u8]) {
        self.len += b.len();
    }

    fn number(&mut self, n: u32) {
        self.len += digits(n);
    }

    fn line(&mut self, n: u32) {
        self.lines += 1;
        if self.line_digits {
            self.number(n);
        }
    }

    fn name_in_text(&mut self, _: &[u8], _: usize, len: usize) {
        self.len += len;
    }
}
