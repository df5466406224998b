//! "Add to glossary": the text change that lists a word under `words = [...]`
//! in a user glossary file, so the spelling check accepts it.
//!
//! Pure text in, text change out; the editor integration turns it into a
//! workspace edit (creating the file first when there is none). The change
//! keeps the file's own layout: a word goes at the end of the existing list,
//! on its own line when the list has one word a line, and a file without a
//! list gets one before its first table, where top-level keys must be.

use serde::Deserialize;
use toml::Spanned;

use crate::ide::excerpt::toml_error;
use crate::ide::fix::{line_break, Fix, TextChange};
use crate::ide::words::normalize;
use crate::syntax::{line_end, line_start, LineIter, TextRange};

/// The first line of a glossary file made by [`add_word`].
const HEADER: &str =
    "# notes-ls glossary: `words` are never flagged as misspelled; [[term]] tables define terms.";

#[derive(Deserialize)]
struct Words {
    words: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The change that adds `word` to the glossary file whose text is
/// `existing`, or, with `None`, the whole text of a new file (an insertion
/// at offset 0). `Ok(None)` when the file already lists the word (ignoring
/// case and spacing); an error when the file is not valid TOML or its
/// `words` is not a list of strings, since editing it could make it worse.
pub fn add_word(existing: Option<&str>, word: &str) -> Result<Option<TextChange>, String> {
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    if word.is_empty() {
        return Ok(None);
    }
    let Some(text) = existing else {
        return Ok(Some(TextChange {
            range: TextRange::empty(0),
            insert: format!("{HEADER}\nwords = [{}]\n", quote(&word)),
        }));
    };
    let parsed: Words = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let change = match parsed.words {
        Some(list) => {
            let key = normalize(&word);
            if list.get_ref().iter().any(|w| normalize(w.get_ref()) == key) {
                return Ok(None);
            }
            append_to_list(text, &list, &word)
        }
        None => add_list(text, &word),
    };
    // The edit is made on text; make sure it did what it should.
    let after = Fix {
        label: String::new(),
        changes: vec![change.clone()],
        preferred: false,
    }
    .apply(text);
    match toml::from_str::<Words>(&after) {
        Ok(Words { words: Some(list) }) if list.get_ref().iter().any(|w| *w.get_ref() == word) => {
            Ok(Some(change))
        }
        _ => Err(format!(
            "could not add `{word}` to the glossary's `words` list"
        )),
    }
}

/// Adds `word` at the end of the `words` array at `list`.
fn append_to_list(text: &str, list: &Spanned<Vec<Spanned<String>>>, word: &str) -> TextChange {
    let eol = line_break(text);
    let array = list.span();
    let (open, close) = (array.start + 1, array.end - 1);
    let multi_line = text[array.start..array.end].contains(['\n', '\r']);
    let quoted = quote(word);
    let Some(last) = list.get_ref().last().map(Spanned::span) else {
        let insert = if multi_line {
            format!("{eol}    {quoted},{eol}")
        } else {
            quoted
        };
        return TextChange {
            range: TextRange::new(open, close),
            insert,
        };
    };
    let tail = &text[last.end..close];
    let comma = tail
        .find(|c: char| !c.is_whitespace())
        .filter(|&i| tail[i..].starts_with(','))
        .map(|i| last.end + i);
    if !multi_line {
        return match comma {
            Some(c) => TextChange {
                range: TextRange::empty(c + 1),
                insert: format!(" {quoted},"),
            },
            None => TextChange {
                range: TextRange::empty(last.end),
                insert: format!(", {quoted}"),
            },
        };
    }
    // One word a line: the new one goes on a line of its own, indented like
    // the last, after whatever follows that word on its line (a comment).
    let indent = &text[line_start(text, last.start)..last.start];
    let indent = if indent.trim().is_empty() {
        indent
    } else {
        "    "
    };
    let end = line_end(text, last.end).min(close);
    match comma {
        Some(_) => TextChange {
            range: TextRange::empty(end),
            insert: format!("{eol}{indent}{quoted},"),
        },
        None => TextChange {
            range: TextRange::new(last.end, end),
            insert: format!(",{}{eol}{indent}{quoted}", &text[last.end..end]),
        },
    }
}

/// Adds a `words` list to a file without one: before its first table, since
/// a key after a table header would belong to that table.
fn add_list(text: &str, word: &str) -> TextChange {
    let eol = line_break(text);
    let line = format!("words = [{}]", quote(word));
    let mut in_string = false;
    for (s, e, _) in LineIter::new(text, 0, text.len()) {
        let content = &text[s..e];
        // A multi-line string could hold a line that looks like a header.
        if content.matches("\"\"\"").count() % 2 == 1 || content.matches("'''").count() % 2 == 1 {
            in_string = !in_string;
        }
        if !in_string && content.trim_start().starts_with('[') {
            return TextChange {
                range: TextRange::empty(s),
                insert: format!("{line}{eol}{eol}"),
            };
        }
    }
    let needs_break = !text.is_empty() && !text.ends_with(['\n', '\r']);
    TextChange {
        range: TextRange::empty(text.len()),
        insert: format!("{}{line}{eol}", if needs_break { eol } else { "" }),
    }
}

/// A TOML basic string.
pub(crate) fn quote(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('"');
    for c in word.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file after adding `word`, or what went wrong.
    fn added(existing: Option<&str>, word: &str) -> String {
        match add_word(existing, word) {
            Ok(Some(change)) => Fix {
                label: String::new(),
                changes: vec![change],
                preferred: true,
            }
            .apply(existing.unwrap_or("")),
            Ok(None) => "unchanged".to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn creates_a_file() {
        assert_eq!(
            added(None, "gunicon"),
            format!("{HEADER}\nwords = [\"gunicon\"]\n")
        );
        assert_eq!(
            added(None, "say \"hi\"\\"),
            format!("{HEADER}\nwords = [\"say \\\"hi\\\"\\\\\"]\n")
        );
    }

    #[test]
    fn appends_to_a_one_line_list() {
        assert_eq!(
            added(Some("words = [\"a\", \"b\"]\n"), "gunicon"),
            "words = [\"a\", \"b\", \"gunicon\"]\n"
        );
        assert_eq!(
            added(Some("words = [\"a\",]\n"), "gunicon"),
            "words = [\"a\", \"gunicon\",]\n"
        );
        assert_eq!(added(Some("words = []\n"), "x y"), "words = [\"x y\"]\n");
        assert_eq!(added(Some("words = [ ]\n"), "x"), "words = [\"x\"]\n");
    }

    #[test]
    fn appends_to_a_list_of_lines() {
        let file = "# mine\nwords = [\n  \"a\",\n  \"b\", # why\n]\n\n[[term]]\nname = \"X\"\n";
        assert_eq!(
            added(Some(file), "gunicon"),
            "# mine\nwords = [\n  \"a\",\n  \"b\", # why\n  \"gunicon\",\n]\n\n[[term]]\nname = \"X\"\n"
        );
        let no_comma = "words = [\r\n\t\"a\" # why\r\n]\r\n";
        assert_eq!(
            added(Some(no_comma), "gunicon"),
            "words = [\r\n\t\"a\", # why\r\n\t\"gunicon\"\r\n]\r\n"
        );
        assert_eq!(
            added(Some("words = [\n]\n"), "gunicon"),
            "words = [\n    \"gunicon\",\n]\n"
        );
    }

    #[test]
    fn adds_a_list_before_the_first_table() {
        assert_eq!(
            added(
                Some("# team terms\n\n[[term]]\nname = \"Kestrel\"\n"),
                "gunicon"
            ),
            "# team terms\n\nwords = [\"gunicon\"]\n\n[[term]]\nname = \"Kestrel\"\n"
        );
        assert_eq!(
            added(Some("# only a comment"), "a"),
            "# only a comment\nwords = [\"a\"]\n"
        );
        assert_eq!(added(Some(""), "a"), "words = [\"a\"]\n");
    }

    #[test]
    fn never_duplicates() {
        assert_eq!(
            added(Some("words = [\"Gunicon\"]\n"), "gunicon"),
            "unchanged"
        );
        assert_eq!(
            added(Some("words = [\"fast  api\"]\n"), "Fast API"),
            "unchanged"
        );
        assert_eq!(added(None, "  "), "unchanged");
    }

    #[test]
    fn refuses_to_edit_what_it_cannot_read() {
        assert!(added(Some("words = [\n"), "a").starts_with("error: "));
        assert!(added(Some("words = \"a\"\n"), "a").starts_with("error: "));
        assert!(added(Some("words = [1]\n"), "a").starts_with("error: "));
    }
}
