//! Byte ranges into a text: what every position in the core is.

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "reversed range {start}..{end}");
        TextRange { start, end }
    }

    pub fn empty(at: usize) -> Self {
        TextRange { start: at, end: at }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `offset` lies inside the range or touches its end, which is
    /// what a cursor placed right after a word expects.
    pub fn contains_inclusive(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    pub(crate) fn shifted(self, delta: isize) -> Self {
        TextRange {
            start: (self.start as isize + delta) as usize,
            end: (self.end as isize + delta) as usize,
        }
    }
}
