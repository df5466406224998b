//! The parsed form of a notes file: entries of question, arrow and answer.
//!
//! All positions are byte offsets into the text that was parsed, so the model
//! is cheap to build and knows nothing about editors or line/column encodings.

use super::blocks::Blocks;
use super::dialect::Dialect;
pub use super::range::TextRange;

/// How a question was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// The line starts with `*` (`*What is CSRF?`).
    Starred,
    /// No `*`, but an arrow follows, or it is a lone trailing line ending in `?`.
    Unmarked,
    /// An arrow with nothing before it: the question text is missing.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub kind: QuestionKind,
    /// The `*` of a starred question.
    pub marker: Option<TextRange>,
    /// The question text, trimmed; empty (at the line start) when missing. A
    /// question continued on following lines spans them, newlines included.
    pub text: TextRange,
    /// The first line of the question, without its line break.
    pub line: TextRange,
    /// The line is a question by its own text alone (a `*` followed by text
    /// that is not emphasis). Such lines end whatever came before them, so the
    /// incremental parser may start re-reading there.
    pub starts_chunk: bool,
}

/// A `Term: definition` line inside an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub term: TextRange,
    pub body: TextRange,
    pub line: TextRange,
}

/// A markdown table: consecutive lines that start with `|`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub range: TextRange,
    /// The trimmed cells of the first row.
    pub header: Box<[TextRange]>,
    /// Rows other than the header and the `|---|` separator.
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// From the first answer character to the end of the last non-blank line.
    pub range: TextRange,
    /// Its definitions and tables; `None` for the many answers with
    /// neither. One pointer, not two slices: a parse is kept for as long as
    /// the file is open, one answer per entry.
    parts: Option<Box<AnswerParts>>,
    /// The answer is only a placeholder (`TODO`, `TBD`, `...`, `?`).
    pub placeholder: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AnswerParts {
    definitions: Box<[Definition]>,
    tables: Box<[Table]>,
}

impl Answer {
    pub fn new(
        range: TextRange,
        definitions: Vec<Definition>,
        tables: Vec<Table>,
        placeholder: bool,
    ) -> Self {
        let parts = (!definitions.is_empty() || !tables.is_empty()).then(|| {
            Box::new(AnswerParts {
                definitions: definitions.into_boxed_slice(),
                tables: tables.into_boxed_slice(),
            })
        });
        Answer {
            range,
            parts,
            placeholder,
        }
    }

    pub fn definitions(&self) -> &[Definition] {
        self.parts.as_ref().map_or(&[], |p| &p.definitions)
    }

    pub fn tables(&self) -> &[Table] {
        self.parts.as_ref().map_or(&[], |p| &p.tables)
    }

    /// Moves every range by `delta` bytes (text inserted or removed before
    /// the answer).
    pub(crate) fn shift(&mut self, delta: isize) {
        self.range = self.range.shifted(delta);
        let Some(parts) = self.parts.as_mut() else {
            return;
        };
        for d in parts.definitions.iter_mut() {
            d.term = d.term.shifted(delta);
            d.body = d.body.shifted(delta);
            d.line = d.line.shifted(delta);
        }
        for t in parts.tables.iter_mut() {
            t.range = t.range.shifted(delta);
            for c in t.header.iter_mut() {
                *c = c.shifted(delta);
            }
        }
    }
}

/// One question and everything that belongs to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// From the start of the question line to the end of the last non-blank
    /// line of the entry; trailing blank lines belong to no entry.
    pub range: TextRange,
    pub question: Question,
    /// The `->` that starts the answer.
    pub arrow: Option<TextRange>,
    /// `None` when there is no answer text at all.
    pub answer: Option<Answer>,
}

impl Entry {
    /// Answered means real answer text, not a placeholder.
    pub fn is_answered(&self) -> bool {
        self.answer.as_ref().is_some_and(|a| !a.placeholder)
    }
}

/// A parsed notes file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notes {
    pub entries: Vec<Entry>,
    /// Length of the text that was parsed, in bytes.
    pub len: usize,
    /// Fenced code blocks and HTML comments, kept for re-parsing after an edit.
    pub blocks: Blocks,
    /// The dialect the text was read in; an edit is read in the same one.
    pub dialect: Dialect,
}

impl Notes {
    /// The entry whose range contains `offset` (end inclusive).
    pub fn entry_at(&self, offset: usize) -> Option<&Entry> {
        let i = self.entries.partition_point(|e| e.range.end() < offset);
        self.entries
            .get(i)
            .filter(|e| e.range.contains_inclusive(offset))
    }
}
