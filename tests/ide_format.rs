//! Formatting (`ide::format`): fixtures in, formatted text out (expect-test;
//! `UPDATE_EXPECT=1 cargo test` rewrites them), and the two promises on
//! every fixture, every sample file, the benchmark corpus and random notes:
//! the words never change, and formatting twice is formatting once.

#[path = "common/fixture_text.rs"]
mod fixture_text;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use expect_test::{expect, Expect};
use fixture_text::trim_indent;
use notes_ls::ide::{format, format_range_edits, ArrowStyle, FormatOptions};
use notes_ls::syntax::{parse_as, Dialect, TextRange};
use proptest::prelude::*;

const OWN: FormatOptions = FormatOptions {
    arrow: ArrowStyle::OwnLine,
};
const SAME: FormatOptions = FormatOptions {
    arrow: ArrowStyle::SameLine,
};

/// The text with white space, `*`, `->` and the length of table rulers
/// left out: what formatting must never change.
fn words(text: &str) -> String {
    let mut out = String::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in text.split(['\n', '\r']) {
        let t = line.trim();
        let ruler = t.starts_with('|') && t.chars().all(|c| "|-: \t".contains(c));
        let mut prev_dash = false;
        for c in line.chars().filter(|c| !c.is_whitespace()) {
            if ruler && c == '-' && prev_dash {
                continue;
            }
            prev_dash = c == '-';
            out.push(c);
        }
    }
    out.replace("->", "").replace('*', "")
}

/// Formats `text` and checks both promises; the formatted text.
fn formatted(text: &str, dialect: Dialect, options: &FormatOptions) -> String {
    let once = format(text, &parse_as(text, dialect), options);
    assert_eq!(
        words(text),
        words(&once),
        "words changed:\n{text:?}\n{once:?}"
    );
    let twice = format(&once, &parse_as(&once, dialect), options);
    assert_eq!(once, twice, "not idempotent, from:\n{text:?}");
    once
}

fn check(text: &str, expect: Expect) {
    check_with(text, &OWN, expect)
}

fn check_with(text: &str, options: &FormatOptions, expect: Expect) {
    let out = formatted(&trim_indent(text), Dialect::Arrow, options);
    expect.assert_eq(&out.replace(' ', "·"));
}

#[test]
fn arrow_goes_on_its_own_line() {
    check(
        "
        *What is CSRF? -> A forged request.
        *Why?-> Because.
        *Gunicorn or Uvicorn?->
        Both serve.
        *Define ORM -> object-relational mapper
        ",
        expect![[r#"
            *What·is·CSRF?
            ->
            A·forged·request.

            *Why?
            ->
            Because.

            *Gunicorn·or·Uvicorn?
            ->
            Both·serve.

            *Define·ORM
            ->
            object-relational·mapper
        "#]],
    );
}

#[test]
fn arrow_stays_on_the_question_line_when_configured() {
    check_with(
        "
        *What is CSRF?
        ->
        A forged request.

        *Why?->   Because.
        *How?

        -> Like this.
        ",
        &SAME,
        expect![[r#"
            *What·is·CSRF?·->
            A·forged·request.

            *Why?·->·Because.

            *How?·->·Like·this.
        "#]],
    );
}

#[test]
fn unmarked_questions_get_their_star() {
    check(
        "
        what is a webhook ?
        -> An HTTP callback.

          Which is faster
        ->
        C.
        ",
        expect![[r#"
            *what·is·a·webhook·?
            ->
            An·HTTP·callback.

            *Which·is·faster
            ->
            C.
        "#]],
    );
}

#[test]
fn one_blank_line_between_entries_no_trailing_spaces_final_newline() {
    check(
        "


        *A?   
        ->   
        a  



        *B?
        ->
        b1

        


        b2
        *C?
        -> TODO   ",
        expect![[r#"
            *A?
            ->
            a

            *B?
            ->
            b1

            b2

            *C?
            ->
            TODO
        "#]],
    );
}

#[test]
fn a_moved_line_that_would_start_a_question_stays() {
    // On its own line `*args` would be a question, and `# x` a heading.
    check(
        "
        *What is it? -> *args, and more
        *And this? -> # not a heading
        *Define a -> b ->
        c
        ",
        expect![[r#"
            *What·is·it?·->·*args,·and·more

            *And·this?·->·#·not·a·heading

            *Define·a·->·b·->
            c
        "#]],
    );
}

#[test]
fn tables_align_by_display_width() {
    check(
        "
        *Gunicorn or Uvicorn?
        ->
        |Gunicorn|Uvicorn|
        |:---|---:|
        | WSGI 🚀 | ASGI, 日本語 |
        |  x  |  |
        ",
        expect![[r#"
            *Gunicorn·or·Uvicorn?
            ->
            |·Gunicorn·|·Uvicorn······|
            |·:-------·|·-----------:·|
            |·WSGI·🚀··|·ASGI,·日本語·|
            |·x········|··············|
        "#]],
    );
}

#[test]
fn code_is_never_touched() {
    check(
        "
        *What does this print?
        ```python   
        print(1)   


        x = 2  
        ```
        ->  1   
            indented code   


            more code  
        ",
        expect![[r#"
            *What·does·this·print?
            ```python···
            print(1)···


            x·=·2··
            ```
            ->
            1
            ····indented·code···


            ····more·code··
        "#]],
    );
}

#[test]
fn crlf_and_bom_stay() {
    let text = "\u{feff}*A? -> a  \r\n\r\n\r\n*B?\r\n->\r\nb";
    let out = formatted(text, Dialect::Arrow, &OWN);
    assert_eq!(out, "\u{feff}*A?\r\n->\r\na\r\n\r\n*B?\r\n->\r\nb\r\n");
}

#[test]
fn other_dialects_keep_their_markers() {
    let text = "Q: What is X?   \nA: A thing.\n\n\n\nQ: Why?\nA: Because.";
    let out = formatted(text, Dialect::Qa, &OWN);
    assert_eq!(out, "Q: What is X?\nA: A thing.\n\nQ: Why?\nA: Because.\n");
}

#[test]
fn range_formatting_touches_only_the_entries_in_the_range() {
    let text = "*A? -> a\n*B? -> b  \n*C? -> c\n";
    let at = text.find("b ").unwrap();
    let notes = parse_as(text, Dialect::Arrow);
    let edits = format_range_edits(text, &notes, &OWN, TextRange::new(at, at));
    let mut out = text.to_string();
    for c in edits.iter().rev() {
        out.replace_range(c.range.start()..c.range.end(), &c.insert);
    }
    expect![[r#"
        *A? -> a

        *B?
        ->
        b

        *C? -> c
    "#]]
    .assert_eq(&out);
}

#[test]
fn every_sample_and_fixture_keeps_its_words() {
    let mut files = Vec::new();
    for dir in [
        "sample-notes",
        "tests/fixtures/sample-notes-raw",
        "tests/fixtures/real",
    ] {
        for entry in std::fs::read_dir(dir).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let dialect = Dialect::detect(&text);
        for options in [OWN, SAME] {
            formatted(&text, dialect, &options);
        }
    }
}

#[test]
fn the_benchmark_corpus_keeps_its_words() {
    for seed in 0..4 {
        let text = corpus::notes(400, seed);
        formatted(&text, Dialect::Arrow, &OWN);
        formatted(&text, Dialect::Arrow, &SAME);
    }
}

/// Lines people write in notes, plus the awkward ones.
const LINES: &[&str] = &[
    "*What is CSRF?",
    "*What is CSRF? -> A forged request.",
    "*Define ORM -> object-relational mapper",
    "*Why a -> b?->",
    "*Components of a JWT? (3 parts)",
    "*Q?->",
    "*Q? -> *args",
    "*Q? -> # heading",
    "*Q? -> | a | b |",
    "*",
    "*->",
    "*  ",
    "what is a webhook ?",
    "  Which is faster",
    "->",
    "-> Django: full framework",
    "  -> indented arrow",
    "-> TODO",
    "-> * What is module",
    "...",
    "Term: a definition",
    "|Gunicorn|Uvicorn 🚀|",
    "| --- |:---:|",
    "| WSGI | 日本語 |",
    "| a |",
    "* item",
    "*emphasis* here",
    "",
    "",
    "",
    "   ",
    "\t",
    "Plain answer text.   ",
    "What about this one?",
    "x\u{2028}y",
    "```",
    "  ~~~",
    "    indented code  ",
    "<!-- a comment -->",
    "### Programming Model",
    "---",
    "A) float",
    "* What is module",
    "Q1. What is X?",
    "A: yes",
];
const BREAKS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];

fn notes_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (prop::sample::select(LINES), prop::sample::select(BREAKS)),
            0..24,
        ),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, final_break, bom)| {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            let n = lines.len();
            for (i, (l, br)) in lines.into_iter().enumerate() {
                text.push_str(l);
                if i + 1 < n || final_break {
                    text.push_str(br);
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_notes_keep_their_words_and_settle(
        text in notes_text(),
        same in any::<bool>(),
        dialect in prop::sample::select(vec![Dialect::Arrow, Dialect::Qa, Dialect::Headings]),
    ) {
        formatted(&text, dialect, if same { &SAME } else { &OWN });
    }

    #[test]
    fn random_corpus_keeps_its_words(seed in any::<u64>()) {
        formatted(&corpus::notes(30, seed), Dialect::Arrow, &OWN);
    }
}
