//! The notes format: the data model and the parser that fills it.
//!
//! Everything here works on `&str` and byte offsets. Parsing never fails: any
//! text gives a [`Notes`], and what is wrong with it is reported later by
//! `ide::diagnostics`. The rules are written down in `docs/format.md`; each rule
//! there has a test in `tests/format.rs`.

mod answer;
mod arrow;
mod blocks;
mod classify;
mod dialect;
mod dump;
mod entry_builder;
mod incremental;
mod line_index;
mod lines;
mod model;
mod parse;
mod question_words;
mod range;

pub use blocks::{Block, Blocks};
pub use classify::code_spans;
pub use dialect::Dialect;
pub use dump::dump;
pub use incremental::{apply_edit, common_end, common_start, TextEdit};
pub use line_index::LineIndex;
pub use lines::{inside_crlf, line_breaks, line_end, line_start, LineIter};
pub use model::{Answer, Definition, Entry, Notes, Question, QuestionKind, Table, TextRange};
pub use parse::{parse, parse_as};
