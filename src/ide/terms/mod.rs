//! Known terms: the built-in glossary, the user's glossary files and what the
//! user's notes define; and the spelling check, which flags words near them.
//!
//! A [`TermIndex`] is plain data (`model.rs`), built from documents and
//! glossary files as the caller learns of them (`index.rs`; `extract.rs`
//! for what a document defines, `resolve.rs` for the term a spelling
//! names, `glossary.rs` for glossary files) and asked which term is written
//! where and what it means (`lookup.rs`). The spelling check (`spelling/`)
//! compares words with the terms' spellings (`near.rs`, measured by
//! `distance.rs`) and offers to list a word in a glossary file
//! (`glossary_edit.rs`). Prose labels (`Fix:`) are not terms (`labels.rs`).
//!
//! The modules import one another downwards only (checked by
//! `tests/tidy.rs`): the data types at the bottom, the near-term search
//! taking plain spellings rather than the index that holds it.

mod distance;
mod extract;
mod glossary;
mod glossary_edit;
mod index;
mod labels;
mod lookup;
mod model;
mod near;
mod resolve;
mod spelling;

pub use extract::defines_unknown_terms;
pub use glossary_edit::add_word;
pub(crate) use glossary_edit::quote;
pub use model::{
    KnownTerm, PreparedTerms, TermDefinition, TermIndex, TermMatch, TermPreparer, TermSource,
};
pub(crate) use spelling::entries_misspellings;
pub use spelling::{entry_misspellings, misspellings, range_misspellings, Speller, Verdicts};
