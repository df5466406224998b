//! The spelling check: misspelled terms (`check.rs`) and English spelling
//! (`english.rs`), moved here from `src/ide` (issue 15).

mod check;
mod english;

pub(crate) use check::entries_misspellings;
pub use check::{entry_misspellings, misspellings, range_misspellings, Speller, Verdicts};
