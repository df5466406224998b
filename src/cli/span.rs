//! Byte ranges as the 1-based `line:column` positions the CLI prints.

use serde::Serialize;

use crate::syntax::LineIndex;
use crate::syntax::TextRange;

/// A range in 1-based lines and columns, columns counted in characters
/// (Unicode scalar values). The end is exclusive, as in rustc's JSON: a
/// one-character span at column 3 ends at column 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    pub fn new(index: &LineIndex, text: &str, range: TextRange) -> Span {
        let (line, column) = index.line_col(text, range.start());
        let (end_line, end_column) = index.line_col(text, range.end());
        Span {
            line: line + 1,
            column: column + 1,
            end_line: end_line + 1,
            end_column: end_column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_after_multibyte_text_and_crlf() {
        let text = "a\r\n日本😀 x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        let span = Span::new(&index, text, TextRange::new(x, x + 1));
        assert_eq!(
            span,
            Span {
                line: 2,
                column: 5,
                end_line: 2,
                end_column: 6
            }
        );
    }
}
