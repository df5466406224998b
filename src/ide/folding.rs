//! Folding: one fold per entry that spans more than one line.

use crate::syntax::{Notes, TextRange};

/// Entry ranges, in text order; an entry on one line has nothing to fold.
pub fn folding_ranges(text: &str, notes: &Notes) -> Vec<TextRange> {
    notes
        .entries
        .iter()
        .map(|e| e.range)
        .filter(|r| r.slice(text).contains(['\n', '\r']))
        .collect()
}
