//! Incremental re-parsing agrees with a full parse: random notes built from
//! realistic lines, random edits at random character boundaries, and after
//! every edit `apply_edit` must leave exactly what `parse` gives.

mod common;

use notes_ls::syntax::{self, apply_edit, Dialect, Notes, TextEdit, TextRange};
use proptest::prelude::*;
use proptest::sample::Index;

/// Lines people write in notes, plus the awkward ones.
const LINES: &[&str] = &[
    "*What is CSRF?",
    "*Define ORM -> object-relational mapper",
    "*Why a -> b?->",
    "*Components of a JWT? (3 parts)",
    "*Q?->",
    "*",
    "*->",
    "*  ",
    "*What is *args?",
    "*What is 2*3?",
    "what is a webhook ?",
    "Which is faster",
    "->",
    "-> Django: full framework",
    "  -> indented arrow",
    "?->",
    "-> TODO",
    "...",
    "Requests go a -> b -> c in order",
    "Term: a definition",
    "**Bold term**: body",
    "- Bullet: def",
    "Example: not a definition",
    "see http://example.com",
    "url: http://x",
    "Tools & Fixes: tracemalloc",
    "| Gunicorn | Uvicorn |",
    "| --- | --- |",
    "| WSGI | ASGI |",
    "* item",
    "*emphasis* here",
    "**bold** line",
    "",
    "",
    "   ",
    "\t",
    "Plain answer text.",
    "What about this one?",
    "Why?",
    "Café naïve résumé 😀 ok",
    "日本語の質問ですか?",
    "*Qu'est-ce que c'est, 🦀?",
    "x\u{2028}y",
    "```",
    "```python",
    "  ~~~",
    "````",
    "* * ",
    "<!-- a comment -->",
    "<!--",
    "-->",
    "a --> b",
    "*Augmented (`+=`, `*=`) vs normal",
    "*What does `a->b` do -> x",
    "### Programming Model",
    "## Q.1 What is a closure",
    "---",
    "===",
    "A) float",
    "b. int",
    "12) str",
    "* What is module",
    "Q1. What is X?",
    "Q: Why",
    "Ans :- because",
    "A: yes",
    "=> so",
    "1. What is Y?",
    "Problem: why?",
    "  solution: this",
];

const BREAKS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r\n", "\r"];

/// Pieces an edit inserts.
const INSERTS: &[&str] = &[
    "*",
    "\n",
    "\r\n",
    "\r",
    "->",
    "-> ",
    "?",
    " ",
    "x",
    "é",
    "😀",
    "語",
    "|",
    ":",
    "**",
    "TODO",
    "\n\n",
    "*Q?\n",
    "\n-> a\n",
    "what is it?\n->\n",
    "Term: def\n",
    "\u{feff}",
    "`",
    "```",
    "~~~\n",
    "<!--",
    "-->",
    "#",
    "## ",
    "---\n",
    "A) ",
    "Q: ",
    "Ans: ",
];

fn line() -> impl Strategy<Value = String> {
    prop::sample::select(LINES).prop_map(str::to_string)
}

fn notes_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((line(), prop::sample::select(BREAKS)), 0..24),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, final_break, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            let n = lines.len();
            for (i, (l, br)) in lines.into_iter().enumerate() {
                text.push_str(&l);
                if i + 1 < n || final_break {
                    text.push_str(br);
                }
            }
            text
        })
}

#[derive(Debug, Clone)]
struct Edit {
    at: Index,
    /// How many characters to delete from `at`.
    delete: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    let insert = prop_oneof![
        Just(String::new()),
        prop::sample::select(INSERTS).prop_map(str::to_string),
        line(),
        (line(), prop::sample::select(BREAKS)).prop_map(|(l, b)| format!("{l}{b}")),
    ];
    (
        any::<Index>(),
        prop_oneof![Just(0usize), 0..3usize, 0..40usize],
        insert,
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

/// The character boundaries `e` covers in `text`: where it starts and ends.
fn edit_range(text: &str, e: &Edit) -> (usize, usize) {
    // Every character boundary, the very end included.
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let k = e.at.index(boundaries.len());
    let end = boundaries[(k + e.delete).min(boundaries.len() - 1)];
    (boundaries[k], end)
}

/// Replaces `text[start..end]` with `insert`, updates `notes` (parsed from
/// `text`) with `apply_edit`, checks it against a full parse of the new text
/// and returns the new text.
fn edit_and_compare(
    notes: &mut Notes,
    text: &str,
    (start, end): (usize, usize),
    insert: &str,
) -> Result<String, TestCaseError> {
    let new_text = format!("{}{insert}{}", &text[..start], &text[end..]);
    let edit = TextEdit {
        old: TextRange::new(start, end),
        new_len: insert.len(),
    };
    let old = notes.clone();
    let reparsed = apply_edit(notes, &new_text, edit);
    let full = syntax::parse_as(&new_text, notes.dialect);
    common::assert_well_formed(&full, &new_text);
    prop_assert_eq!(
        syntax::dump(notes, &new_text),
        syntax::dump(&full, &new_text),
        "edit {:?} of {:?} gave {:?}",
        edit,
        text,
        new_text
    );
    prop_assert_eq!(&*notes, &full);

    prop_assert!(
        reparsed.start <= reparsed.end && reparsed.end <= notes.entries.len(),
        "range {reparsed:?} out of bounds ({} entries)",
        notes.entries.len()
    );
    // Outside the returned range nothing changed but the offsets after the
    // edit, so callers may keep what they computed for those entries.
    prop_assert_eq!(
        &notes.entries[..reparsed.start],
        &old.entries[..reparsed.start]
    );
    let kept = notes.entries.len() - reparsed.end;
    prop_assert!(kept <= old.entries.len());
    for (new, old) in notes.entries[reparsed.end..]
        .iter()
        .zip(&old.entries[old.entries.len() - kept..])
    {
        prop_assert_eq!(new.range.slice(&new_text), old.range.slice(text));
    }
    Ok(new_text)
}

/// One edit, for regression tests named after what proptest found.
fn check_edit(text: &str, old: std::ops::Range<usize>, insert: &str) {
    let mut notes = syntax::parse(text);
    if let Err(e) = edit_and_compare(&mut notes, text, (old.start, old.end), insert) {
        panic!("{e}");
    }
}

#[test]
fn insert_before_byte_order_mark() {
    // The question after the mark starts at byte 3 but its line at byte 0, so
    // the edit changes it: `*\u{feff}*What` is no longer a question line.
    check_edit("\u{feff}*What is CSRF?", 0..0, "*");
}

/// The dialects, the arrow format twice as often, and one with its own
/// markers.
fn dialects() -> Vec<Dialect> {
    let custom = Dialect::custom(&["Problem:".to_string()], &["Solution:".to_string()]);
    vec![
        Dialect::Arrow,
        Dialect::Arrow,
        Dialect::Qa,
        Dialect::Headings,
        custom,
    ]
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2048)
}

proptest! {
    // `PROPTEST_CASES=100000 cargo test --release --test incremental` for a long run.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn incremental_equals_full_parse(
        text in notes_text(),
        edits in prop::collection::vec(edit(), 1..5),
        dialect in prop::sample::select(dialects()),
    ) {
        let mut text = text;
        let mut notes = syntax::parse_as(&text, dialect);
        for e in &edits {
            let range = edit_range(&text, e);
            text = edit_and_compare(&mut notes, &text, range, &e.insert)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// A whole new text (a client that sends whole texts) applied as the one
    /// edit `TextEdit::between` finds: it turns the old text into the new,
    /// never splits a character or a `\r\n`, and the notes it updates equal
    /// a full parse.
    #[test]
    fn the_edit_between_two_texts_equals_a_full_parse(
        old in notes_text(),
        new in notes_text(),
        dialect in prop::sample::select(dialects()),
    ) {
        let edit = TextEdit::between(&old, &new);
        let (start, end) = (edit.old.start(), edit.old.end());
        prop_assert!(old.is_char_boundary(start) && old.is_char_boundary(end));
        let bytes = old.as_bytes();
        prop_assert!(!syntax::inside_crlf(bytes, start) && !syntax::inside_crlf(bytes, end));
        let insert = &new[start..start + edit.new_len];
        let mut notes = syntax::parse_as(&old, dialect);
        let made = edit_and_compare(&mut notes, &old, (start, end), insert)?;
        prop_assert_eq!(made, new);
    }
}

/// The edit between two texts is the lines that differ, whole.
#[test]
fn the_edit_between_two_texts_is_the_lines_that_differ() {
    let between = |old: &str, new: &str| {
        let e = TextEdit::between(old, new);
        let start = e.old.start();
        (
            e.old.slice(old).to_string(),
            new[start..start + e.new_len].to_string(),
        )
    };
    let old = "*A?\n-> a\n*B?\n-> b\n";
    let new = "*A?\n-> a\n*B2?\n-> b\n";
    assert_eq!(between(old, new), ("*B?\n".into(), "*B2?\n".into()));
    // A line added: nothing of the old text goes.
    let new = "*A?\n-> a\n*New?\n*B?\n-> b\n";
    assert_eq!(between(old, new), ("".into(), "*New?\n".into()));
    // Emoji that share all but their last byte: the whole line.
    assert_eq!(
        between("x😀\ny\n", "x😁\ny\n"),
        ("x😀\n".into(), "x😁\n".into())
    );
    // CRLF lines stay whole; the same text is no edit.
    assert_eq!(
        between("a\r\nb\r\n", "a\r\nc\r\n"),
        ("b\r\n".into(), "c\r\n".into())
    );
    assert_eq!(between(old, old), ("".into(), "".into()));
    // No final line break: the last line is the edit.
    assert_eq!(
        between("*A?\n-> a", "*A?\n-> ab"),
        ("-> a".into(), "-> ab".into())
    );
}
