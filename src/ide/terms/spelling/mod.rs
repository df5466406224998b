//! Misspelled terms: a word that is not a known term but is a letter or two
//! away from one (`gunicon` → Gunicorn), or a known wrong spelling that a
//! glossary lists (`Fast API` → FastAPI).
//!
//! Only prose is checked. Fenced and indented code, inline code, URLs, paths
//! and command-line flags are skipped, and so are words that are probably
//! right although near a term: English words (`data/english-near-terms.txt`,
//! generated from a dictionary by `scripts/near-terms.py`), common technical
//! words (`data/tech-words.txt`), terms the user's notes or glossary files
//! define, plurals of terms, words with digits, `_`, `.`, `+` or `#`, words
//! with non-ASCII letters, and words in capitals shorter than five letters,
//! which are acronyms: `RBAC` and `ABAC`, `CORS` and `CORB` are different
//! things one letter apart.
//!
//! Each entry is checked on its own ([`entry_misspellings`]), so callers can
//! cache the result per entry like [`entry_diagnostics`](crate::ide::entry_diagnostics).
//!
//! The check walks an entry's prose lines (`check.rs`, with `prose.rs`
//! saying what is not prose), judges each distinct word once and keeps the
//! verdict (`verdicts.rs`), and, when `english-spelling` is on, asks the
//! English dictionary about the words no term explains (`english.rs`).

mod check;
mod english;
mod prose;
mod verdicts;

use super::model::TermIndex;
use crate::ide::diagnostics::Diagnostic;
use crate::syntax::{Entry, Notes, TextRange};
use verdicts::Checker;
pub use verdicts::Verdicts;

/// Misspelled terms in a whole file, in text order: every entry, and the text
/// before the first one.
pub fn misspellings(text: &str, notes: &Notes, terms: &TermIndex) -> Vec<Diagnostic> {
    let checker = Checker::new(terms);
    // About one distinct word in 60 bytes of notes.
    checker.seen.borrow_mut().reserve(text.len() / 60);
    checker.file(text, notes)
}

/// Checks many files against one set of known terms, judging each distinct
/// word once for all of them: the files of one workspace share most of
/// their words, and judging a word costs a search of every spelling near it.
pub struct Speller<'a>(Checker<'a>);

impl<'a> Speller<'a> {
    pub fn new(terms: &'a TermIndex) -> Self {
        Speller(Checker::new(terms))
    }

    /// A speller that starts from `verdicts`, unless the terms have changed
    /// since they were made.
    pub fn with_verdicts(terms: &'a TermIndex, verdicts: Verdicts) -> Self {
        let mut checker = Checker::new(terms);
        if verdicts.terms == Some(Checker::terms_key(terms)) {
            checker.seen = verdicts.seen;
        }
        Speller(checker)
    }

    /// The verdicts made, for [`with_verdicts`](Self::with_verdicts).
    pub fn into_verdicts(self) -> Verdicts {
        Verdicts {
            terms: Some(Checker::terms_key(self.0.terms)),
            seen: self.0.seen,
        }
    }

    /// [`misspellings`] of one file.
    pub fn misspellings(&self, text: &str, notes: &Notes) -> Vec<Diagnostic> {
        self.0.file(text, notes)
    }

    /// [`misspellings`] of one file, given its entries as
    /// [`FileSummary::entries`](crate::ide::FileSummary::entries) gives them.
    pub fn misspellings_in(
        &self,
        text: &str,
        entries: impl Iterator<Item = (TextRange, usize)>,
    ) -> Vec<Diagnostic> {
        self.0.spans(text, entries)
    }
}

/// Misspelled terms in `range` of text outside any entry (before the first
/// one, or between entries), which starts at a line start.
pub fn range_misspellings(text: &str, range: TextRange, terms: &TermIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    Checker::new(terms).check_lines(text, range, None, &mut out);
    out
}

/// Misspelled terms in one entry, in text order.
pub fn entry_misspellings(text: &str, entry: &Entry, terms: &TermIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    Checker::new(terms).check_entry(text, entry, &mut out);
    out
}

/// Misspelled terms in each of `entries`, in order, checked as they are
/// taken: [`entry_misspellings`]
/// for many entries at once, judging each distinct word once for all of
/// them (a file repeats most of its words), which is what re-checking a
/// whole file after its known terms change needs.
pub fn entries_misspellings<'e>(
    text: &'e str,
    entries: impl IntoIterator<Item = &'e Entry> + 'e,
    terms: &'e TermIndex,
) -> impl Iterator<Item = Vec<Diagnostic>> + 'e {
    let checker = Checker::new(terms);
    entries.into_iter().map(move |e| {
        let mut out = Vec::new();
        checker.check_entry(text, e, &mut out);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// Verdicts carried from one speller to the next find what a fresh
    /// speller finds, and are dropped once the known terms change.
    #[test]
    fn kept_verdicts_agree_with_fresh_ones_until_the_terms_change() {
        let text = "*Q\n-> gunicon and Kafak behind nginx; Postgress too\n";
        let notes = parse(text);
        let mut terms = TermIndex::builtin();
        let fresh = Speller::new(&terms).misspellings(text, &notes);
        assert_eq!(fresh.len(), 3, "{fresh:?}");
        let first = Speller::new(&terms);
        first.misspellings(text, &notes);
        let kept = first.into_verdicts();
        let again = Speller::with_verdicts(&terms, kept);
        assert_eq!(again.misspellings(text, &notes), fresh);
        let kept = again.into_verdicts();
        // The notes now define `gunicon`: its old verdict must not stand.
        let defs = "*Q\n-> Gunicon: a made-up server\n";
        terms.set_document(&"/n/d.notes".into(), defs, &parse(defs));
        let after = Speller::with_verdicts(&terms, kept).misspellings(text, &notes);
        assert_eq!(after, Speller::new(&terms).misspellings(text, &notes));
        assert_eq!(after.len(), 2, "{after:?}");
    }
}
