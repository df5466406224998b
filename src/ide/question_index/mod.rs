//! Every question of every file, by its folded form: for duplicates across
//! files and for "go to symbol in workspace".
//!
//! Updated one document at a time (remove, then add), so an edit costs the
//! size of that document, not of the workspace. A workspace holds hundreds of
//! thousands of questions, so each costs little: a byte range and the two
//! hashes of its folded form ([`QuestionKey`](super::QuestionKey)), which is
//! all that finding duplicates compares, and a table from the first hash to
//! where it is asked. The index keeps a file's text (shared with the
//! workspace index, not copied) for the labels of workspace symbols; of a
//! document open in an editor it keeps none: the editor layer has the text,
//! and edits it, so a shared copy would be copied whole by the next
//! keystroke and then held twice. That layer lends it when symbols are
//! searched.
//!
//! The index and its updates are in `index.rs`, what it answers in
//! `lookup.rs`, the cross-file duplicate findings made from it in
//! `duplicates.rs`.

mod duplicates;
mod index;
mod lookup;

pub use duplicates::{
    cross_file_duplicates, cross_file_duplicates_at, indexed_cross_file_duplicates,
};
pub use index::{PreparedQuestions, QuestionIndex, QuestionPlace};

/// What the tests of the parts share: an index filled from text.
#[cfg(test)]
mod fixture {
    use std::sync::Arc;

    use super::QuestionIndex;
    use crate::ide::{DocKey, QuestionKey};

    pub fn set(idx: &mut QuestionIndex, doc: &str, text: &str) {
        let notes = crate::syntax::parse(text);
        idx.set_document(&DocKey::from(doc), &Arc::new(text.to_string()), &notes);
    }

    pub fn shared(idx: &QuestionIndex) -> Vec<QuestionKey> {
        let mut keys: Vec<QuestionKey> = idx.shared_keys().collect();
        keys.sort();
        keys
    }

    pub fn count(idx: &QuestionIndex) -> usize {
        idx.questions(&|_| None).count()
    }
}
