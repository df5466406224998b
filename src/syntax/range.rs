//! Byte ranges into a text: what every position in the core is.

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    // 32 bits, not a `usize`: a parse holds several ranges per entry, and a
    // large file's parse is most of the memory an open document costs.
    // Texts stop far short of 4 GiB (messages and files are capped in MiB).
    start: u32,
    end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "reversed range {start}..{end}");
        TextRange {
            start: offset32(start),
            end: offset32(end),
        }
    }

    pub fn empty(at: usize) -> Self {
        TextRange::new(at, at)
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The same start, a new end.
    pub fn with_end(self, end: usize) -> Self {
        TextRange::new(self.start(), end)
    }

    pub fn len(self) -> usize {
        self.end() - self.start()
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the range or touches its end, which is
    /// what a cursor placed right after a word expects.
    pub fn contains_inclusive(self, offset: usize) -> bool {
        self.start() <= offset && offset <= self.end()
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    pub fn slice(self, text: &str) -> &str {
        &text[self.start()..self.end()]
    }

    pub(crate) fn shifted(self, delta: isize) -> Self {
        TextRange::new(
            (self.start() as isize + delta) as usize,
            (self.end() as isize + delta) as usize,
        )
    }
}

/// An offset as stored: one past 4 GiB, which no text the server holds
/// reaches, is held as 4 GiB rather than wrapped.
fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}
