//! Studying the notes: every answered question as a flashcard with a stable
//! id, its answer as HTML, per-file and per-topic statistics, the review
//! state of each card and its FSRS schedule, and the code lenses that show
//! that state in the editor.
//!
//! Pure functions over text and plain structs, like `ide`, except
//! [`store`], which reads and writes the review file
//! (`.notes-ls/reviews.json`) and finds the folder it lives in. The CLI
//! (`export`, `stats`, `drill`) and the language server (code lenses) both
//! build on this, so a card has the same id everywhere.

pub mod cards;
pub mod html;
pub mod lens;
pub mod reviews;
pub mod schedule;
pub mod session;
pub mod stats;
pub mod store;

pub use cards::{card_id, cards, Card, CardSet};
pub use lens::{file_lenses, Lens};
pub use reviews::{CardState, Grade, Reviews};
