//! What checking a file nobody has open needs from its parse, kept by the
//! workspace index so that a report on thousands of files parses none of
//! them again: the findings that depend on the file's text alone, and where
//! its entries and their question lines are (for the spelling check).
//!
//! The findings that depend on other files (duplicates across files,
//! misspelled terms, whose known terms come from every file) are worked out
//! when asked for, from this and the indexes.

use super::diagnostics::{diagnostics, Diagnostic};
use crate::syntax::{Notes, TextRange};

/// A parsed file, reduced to what its diagnostics need. A workspace keeps
/// one per file, so it is kept small: findings without their fixes (a
/// report carries none; code actions are asked of open documents), and
/// entries in 32-bit offsets (files are read up to `max_file_size`, far
/// below 4 GiB; a larger one keeps no summary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// [`diagnostics`] of the text (structure, duplicates within it),
    /// without fixes.
    pub findings: Box<[Diagnostic]>,
    /// Each entry's start and end, and the start of its question's first
    /// line.
    entries: Box<[[u32; 3]]>,
}

impl FileSummary {
    /// `None` for a text of 4 GiB or more.
    pub fn new(text: &str, notes: &Notes) -> Option<Self> {
        u32::try_from(text.len()).ok()?;
        let mut findings = diagnostics(text, notes);
        for d in &mut findings {
            d.fixes = Vec::new();
        }
        let entries = notes
            .entries
            .iter()
            // In range: every offset is at most the text's length.
            .map(|e| [e.range.start(), e.range.end(), e.question.line.start()].map(|o| o as u32))
            .collect();
        Some(FileSummary {
            findings: findings.into_boxed_slice(),
            entries,
        })
    }

    /// Each entry's range and the start of its question's first line, in
    /// text order.
    pub fn entries(&self) -> impl Iterator<Item = (TextRange, usize)> + '_ {
        self.entries
            .iter()
            .map(|&[s, e, q]| (TextRange::new(s as usize, e as usize), q as usize))
    }
}
