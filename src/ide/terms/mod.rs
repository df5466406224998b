//! Known terms, the glossaries and the spelling check, gathered in one
//! folder (issue 15); the next commit splits them by what they do.

mod glossary;
mod glossary_edit;
mod index;
mod labels;
mod near;
mod spelling;

pub use glossary_edit::add_word;
pub(crate) use glossary_edit::quote;
pub use index::{
    KnownTerm, PreparedTerms, TermDefinition, TermIndex, TermMatch, TermPreparer, TermSource,
};
pub use labels::defines_unknown_terms;
pub(crate) use spelling::entries_misspellings;
pub use spelling::{entry_misspellings, misspellings, range_misspellings, Speller, Verdicts};
