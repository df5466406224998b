//! `FileDiagnostics`, updated edit by edit from what `apply_edit` re-parsed,
//! always gives what `diagnostics` gives on the whole new text: random notes
//! (with many repeated questions, for duplicates), random edits.

mod common;

use notes_ls::ide::{self, FileDiagnostics, TermIndex};
use notes_ls::syntax::{self, apply_edit, TextEdit, TextRange};
use proptest::prelude::*;
use proptest::sample::Index;

const LINES: &[&str] = &[
    "*What is CSRF?",
    "*what is  csrf",
    "*What is XSS?",
    "*Define ORM -> object-relational mapper",
    "*Q?->",
    "*",
    "*->",
    "what is a webhook ?",
    "->",
    "-> Django: full framework",
    "-> TODO",
    "Plain answer text.",
    "Is DEBUG on in production?",
    "* item",
    "| a | b |",
    "",
    "",
    "Café 😀 ok",
    "Run gunicon behind nginx",
    "- Uvicron: an ASGI server",
    "    gunicon --workers 4",
];

const BREAKS: &[&str] = &["\n", "\n", "\r\n", "\r"];

const INSERTS: &[&str] = &[
    "",
    "*",
    "\n",
    "\r\n",
    "->",
    "?",
    " ",
    "x",
    "é",
    "😀",
    "TODO",
    "\n\n",
    "*Q?\n",
    "*What is CSRF?\n",
    "\n-> a\n",
    "what is it?\n->\n",
];

fn notes_text() -> impl Strategy<Value = String> {
    common::lines_text(LINES, BREAKS, 30)
}

fn edit() -> impl Strategy<Value = (Index, usize, &'static str)> {
    (any::<Index>(), 0..6usize, prop::sample::select(INSERTS))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn incremental_diagnostics_equal_full_ones(
        text in notes_text(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let mut text = text;
        let mut notes = syntax::parse(&text);
        let mut cache = FileDiagnostics::new(&text, &notes);
        let mut terms = TermIndex::builtin();
        prop_assert_eq!(cache.diagnostics(&text, &notes), ide::diagnostics(&text, &notes));
        prop_assert_eq!(
            cache.misspellings(&text, &notes, &terms),
            ide::misspellings(&text, &notes, &terms)
        );
        for (n, (at, delete, insert)) in edits.into_iter().enumerate() {
            let bounds: Vec<usize> =
                text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let k = at.index(bounds.len());
            let (start, end) = (bounds[k], bounds[(k + delete).min(bounds.len() - 1)]);
            text = format!("{}{insert}{}", &text[..start], &text[end..]);
            let reparsed = apply_edit(
                &mut notes,
                &text,
                TextEdit { old: TextRange::new(start, end), new_len: insert.len() },
            );
            cache.update(&text, &notes, reparsed);
            prop_assert_eq!(cache.diagnostics(&text, &notes), ide::diagnostics(&text, &notes));
            if n % 2 == 1 {
                // The user's own terms change what is misspelled.
                terms.set_document(&"doc".into(), &text, &notes);
            }
            prop_assert_eq!(
                cache.misspellings(&text, &notes, &terms),
                ide::misspellings(&text, &notes, &terms)
            );
            for (i, e) in notes.entries.iter().enumerate() {
                let expected = (!e.question.text.is_empty())
                    .then(|| ide::question_hash(e.question.text.slice(&text)));
                prop_assert_eq!(cache.question_hash(i), expected);
            }
        }
    }
}

#[test]
fn an_edit_that_repeats_an_earlier_question_makes_a_duplicate() {
    let mut text = String::from("*What is CSRF?\n-> a\n\n*What is XSS?\n-> b\n");
    let mut notes = syntax::parse(&text);
    let mut cache = FileDiagnostics::new(&text, &notes);
    assert!(cache.diagnostics(&text, &notes).is_empty());
    // Turn XSS into CSRF: the second entry becomes a duplicate of the first.
    let at = text.find("XSS").unwrap();
    text.replace_range(at..at + 3, "CSRF");
    let reparsed = apply_edit(
        &mut notes,
        &text,
        TextEdit {
            old: TextRange::new(at, at + 3),
            new_len: 4,
        },
    );
    cache.update(&text, &notes, reparsed);
    let d = cache.diagnostics(&text, &notes);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code(), "duplicate-question");
    assert_eq!(d[0].related[0].range.slice(&text), "What is CSRF?");
}
