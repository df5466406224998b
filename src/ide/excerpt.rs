//! Text from files nobody vouches for, made safe to show in a message: a
//! TOML parse error is its message, line, column and a short excerpt, with
//! control and direction-changing characters escaped and the length capped.
//! The TOML parser's own `Display` repeats the whole offending line, so a
//! glossary path aimed at `/proc/self/environ` (one line, no newline)
//! printed the whole environment into a CI log.

/// The most characters of a file's text an error quotes.
pub const EXCERPT_CHARS: usize = 32;

/// The most characters of a parser's message shown: messages quote keys
/// and values from the file (`unknown field `...``).
const MESSAGE_CHARS: usize = 160;

/// `text` with every control character, and every character that changes
/// how the rest of a terminal line reads (bidirectional overrides, zero-width
/// marks), escaped as `\u{..}`, cut after `max_chars` characters of output
/// with `…`.
pub fn printable(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in text.chars() {
        let piece: String = if hidden(c) {
            c.escape_unicode().collect()
        } else {
            c.to_string()
        };
        let len = piece.chars().count();
        if shown + len > max_chars {
            out.push('…');
            break;
        }
        out.push_str(&piece);
        shown += len;
    }
    out
}

/// Characters that do not show as themselves on a terminal.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// A TOML error on `text` as one safe line: `line L, column C: message (at
/// `excerpt`)`. Columns count characters, from 1.
pub fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = printable(err.message().trim(), MESSAGE_CHARS);
    let Some(span) = err.span() else {
        return message;
    };
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let rest = &text[start..];
    let rest = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let excerpt = printable(rest.trim_end(), EXCERPT_CHARS);
    if excerpt.is_empty() {
        format!("line {line}, column {column}: {message}")
    } else {
        format!("line {line}, column {column}: {message} (at `{excerpt}`)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_escaped_and_length_capped() {
        assert_eq!(printable("a\0b\x1b[2Jc", 100), "a\\u{0}b\\u{1b}[2Jc");
        assert_eq!(printable("x\u{202e}y", 100), "x\\u{202e}y");
        assert_eq!(printable("abcdef", 3), "abc…");
        // An escape is not cut in half.
        assert_eq!(printable("ab\0", 4), "ab…");
        assert_eq!(printable("é ü", 10), "é ü");
    }

    #[test]
    fn a_toml_error_quotes_a_short_sanitised_excerpt_not_the_line() {
        // What `/proc/self/environ` reads as: NUL-separated, one line.
        let secret = "NOTES_LS_MARKER=s3cr3t-value";
        let text = format!("A=1\0PATH=/usr/bin\0{}\0{}", "x".repeat(500), secret);
        let err = toml::from_str::<toml::Table>(&text).expect_err("not TOML");
        let shown = toml_error(&text, &err);
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains('\0'), "{shown}");
        assert!(shown.starts_with("line 1, column "), "{shown}");
        assert!(shown.chars().count() < 260, "{shown}");
        assert!(!toml_error(
            "a = 1\nb = \n",
            &toml::from_str::<toml::Table>("a = 1\nb = \n").unwrap_err()
        )
        .is_empty());
    }

    #[test]
    fn the_line_and_column_are_where_the_error_is() {
        let text = "a = 1\n[[term]]\nnam = \"x\"\n";
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: i64,
        }
        let err = toml::from_str::<T>(text).unwrap_err();
        let shown = toml_error(text, &err);
        assert!(shown.starts_with("line 2, column 3: "), "{shown}");
        assert!(shown.ends_with("(at `term]]`)"), "{shown}");
        assert!(shown.contains("term"), "{shown}");
    }
}
