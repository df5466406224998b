//! The notes format, rule by rule, as `docs/format.md` describes it: each test
//! parses a small text and compares the readable dump of what was read.
//! Update the snapshots with `UPDATE_EXPECT=1 cargo test --test format`.

mod common;

use expect_test::{expect, Expect};
use notes_ls::syntax;

fn check(text: &str, expect: Expect) {
    let notes = syntax::parse(text);
    common::assert_well_formed(&notes, text);
    expect.assert_eq(&syntax::dump(&notes, text));
}

/// What was read, without offsets and with every line break written `\n`.
fn shape(text: &str) -> Vec<String> {
    let notes = syntax::parse(text);
    let slice = |r: syntax::TextRange| r.slice(text).replace("\r\n", "\n").replace('\r', "\n");
    notes
        .entries
        .iter()
        .map(|e| {
            let answer = e.answer.as_ref().map(|a| slice(a.range));
            format!(
                "{:?} {:?} arrow={} {:?}",
                e.question.kind,
                slice(e.question.text),
                e.arrow.is_some(),
                answer
            )
        })
        .collect()
}

// Questions.

#[test]
fn starred_question_with_arrow_on_its_own_line() {
    check(
        "*What is CSRF?\n->\nA forged cross-site request.\n",
        expect![[r#"
            entry 0..46 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..46 "A forged cross-site request."
        "#]],
    );
}

#[test]
fn answer_on_the_arrow_line() {
    check(
        "*What is CSRF?\n-> A forged cross-site request.\n",
        expect![[r#"
            entry 0..46 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..46 "A forged cross-site request."
        "#]],
    );
}

#[test]
fn arrow_on_the_question_line() {
    check(
        "*What is CSRF? -> A forged request.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
        "#]],
    );
    check(
        "*What is CSRF?->\nA forged request.\n",
        expect![[r#"
            entry 0..34 starred question 1..14 "What is CSRF?"
              arrow 14..16
              answer 17..34 "A forged request."
        "#]],
    );
}

#[test]
fn same_line_arrow_without_question_mark_splits_at_the_first_arrow() {
    check(
        "*Define ORM -> object-relational mapper\n",
        expect![[r#"
            entry 0..39 starred question 1..11 "Define ORM"
              arrow 12..14
              answer 15..39 "object-relational mapper"
        "#]],
    );
}

#[test]
fn text_after_the_question_mark_and_before_the_arrow_stays_in_the_question() {
    check(
        "*What is a closure? e.g. f -> g\n",
        expect![[r#"
            entry 0..31 starred question 1..26 "What is a closure? e.g. f"
              arrow 27..29
              answer 30..31 "g"
        "#]],
    );
}

#[test]
fn arrow_before_the_question_mark_belongs_to_the_question() {
    check(
        "*What does a -> b mean?\n->\nImplication.\n",
        expect![[r#"
            entry 0..39 starred question 1..23 "What does a -> b mean?"
              arrow 24..26
              answer 27..39 "Implication."
        "#]],
    );
    check(
        "*Why is a -> b?-> Because.\n",
        expect![[r#"
            entry 0..26 starred question 1..15 "Why is a -> b?"
              arrow 15..17
              answer 18..26 "Because."
        "#]],
    );
}

#[test]
fn remark_after_the_question_is_part_of_it() {
    check(
        "*Components of a JWT? (3 parts)\n->\nHeader, payload, signature.\n",
        expect![[r#"
            entry 0..62 starred question 1..31 "Components of a JWT? (3 parts)"
              arrow 32..34
              answer 35..62 "Header, payload, signature."
        "#]],
    );
    check(
        "*Components of a JWT? (3 parts) -> header, payload, signature\n",
        expect![[r#"
            entry 0..61 starred question 1..31 "Components of a JWT? (3 parts)"
              arrow 32..34
              answer 35..61 "header, payload, signature"
        "#]],
    );
    check(
        "*Why is a -> b? (2 reasons) -> Because.\n",
        expect![[r#"
            entry 0..39 starred question 1..27 "Why is a -> b? (2 reasons)"
              arrow 28..30
              answer 31..39 "Because."
        "#]],
    );
}

#[test]
fn lines_between_question_and_arrow_continue_the_question() {
    check(
        "*Difference between\nDjango and Flask?\n->\nSize.\n",
        expect![[r#"
            entry 0..46 starred question 1..37 "Difference between\nDjango and Flask?"
              arrow 38..40
              answer 41..46 "Size."
        "#]],
    );
}

#[test]
fn blank_line_ends_a_multi_line_question() {
    // Without an arrow before the blank line, the second line is answer text
    // and the arrow after the blank line has no question.
    check(
        "*Explain processes\nand threads\n\n-> Threads share memory.\n",
        expect![[r#"
            entry 0..30 starred question 1..18 "Explain processes"
              answer 19..30 "and threads"
            entry 32..56 missing (soft) question 32..32 ""
              arrow 32..34
              answer 35..56 "Threads share memory."
        "#]],
    );
}

#[test]
fn line_under_a_question_without_arrow_is_its_answer() {
    check(
        "*What is CSRF?\nWhat is XSS?\n",
        expect![[r#"
            entry 0..27 starred question 1..14 "What is CSRF?"
              answer 15..27 "What is XSS?"
        "#]],
    );
}

#[test]
fn blank_lines_between_question_and_arrow() {
    check(
        "*What is CSRF?\n\n->\nA forged request.\n",
        expect![[r#"
            entry 0..36 starred question 1..14 "What is CSRF?"
              arrow 16..18
              answer 19..36 "A forged request."
        "#]],
    );
}

#[test]
fn star_followed_by_text_is_a_question_even_with_a_star_inside() {
    check(
        "*What is *args?\n-> Extra positional arguments.\n",
        expect![[r#"
            entry 0..46 starred question 1..15 "What is *args?"
              arrow 16..18
              answer 19..46 "Extra positional arguments."
        "#]],
    );
}

#[test]
fn star_inside_a_word_is_not_emphasis() {
    check(
        "*What is 2*3?\n*Why is a*b slow?\n",
        expect![[r#"
            entry 0..13 starred question 1..13 "What is 2*3?"
              no answer
            entry 14..31 starred question 15..31 "Why is a*b slow?"
              no answer
        "#]],
    );
}

#[test]
fn bullets_bold_and_emphasis_alone_are_not_questions() {
    check("* item\n*emphasis* here\n**bold** line\n", expect![[r#""#]]);
}

#[test]
fn bullet_or_emphasis_followed_by_an_arrow_is_a_question() {
    check(
        "* This one\n-> Yes.\n",
        expect![[r#"
            entry 0..18 starred (soft) question 2..10 "This one"
              arrow 11..13
              answer 14..18 "Yes."
        "#]],
    );
    check(
        "*Really* important\n->\nYes.\n",
        expect![[r#"
            entry 0..26 starred (soft) question 1..18 "Really* important"
              arrow 19..21
              answer 22..26 "Yes."
        "#]],
    );
}

#[test]
fn star_not_in_column_zero_is_not_a_marker() {
    check(
        " *What is CSRF?\n-> A forged request.\n",
        expect![[r#"
            entry 0..36 unmarked (soft) question 1..15 "*What is CSRF?"
              arrow 16..18
              answer 19..36 "A forged request."
        "#]],
    );
}

// Unmarked questions.

#[test]
fn unmarked_question_starts_a_paragraph() {
    check(
        "*What is CSRF?\n-> A forged request.\n\nwhat is a webhook\n->\nAn HTTP callback.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..75 unmarked (soft) question 37..54 "what is a webhook"
              arrow 55..57
              answer 58..75 "An HTTP callback."
        "#]],
    );
}

#[test]
fn unmarked_question_mid_paragraph_ends_with_question_mark() {
    check(
        "*What is CSRF?\n-> A forged request.\nWhat is a webhook?\n-> An HTTP callback.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 36..75 unmarked (soft) question 36..54 "What is a webhook?"
              arrow 55..57
              answer 58..75 "An HTTP callback."
        "#]],
    );
}

#[test]
fn line_mid_paragraph_without_question_mark_stays_answer() {
    check(
        "*What is CSRF?\n-> A forged request.\nsee also\n-> the OWASP page\n",
        expect![[r#"
            entry 0..62 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..62 "A forged request.\nsee also\n-> the OWASP …"
        "#]],
    );
}

#[test]
fn unmarked_question_with_arrow_on_the_same_line_is_text() {
    check(
        "what is a webhook? -> An HTTP callback.\n",
        expect![[r#""#]],
    );
}

// Answers.

#[test]
fn answer_runs_until_the_next_question_over_blank_lines() {
    check(
        "*What is CSRF?\n->\nFirst paragraph.\n\nSecond paragraph.\n\n\n*What is XSS?\n-> Script injection.\n",
        expect![[r#"
            entry 0..53 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..53 "First paragraph.\n\nSecond paragraph."
            entry 56..90 starred question 57..69 "What is XSS?"
              arrow 70..72
              answer 73..90 "Script injection."
        "#]],
    );
}

#[test]
fn bullets_bold_and_emphasis_inside_an_answer() {
    check(
        "*How to speed up an API?\n->\n* cache with redis\n* paginate\n**Indexes** help\n*really* measure first\n",
        expect![[r#"
            entry 0..97 starred question 1..24 "How to speed up an API?"
              arrow 25..27
              answer 28..97 "* cache with redis\n* paginate\n**Indexes*…"
        "#]],
    );
}

#[test]
fn arrow_inside_a_sentence_is_answer_text() {
    check(
        "*How does a request flow?\n->\nclient -> nginx -> gunicorn -> django\n",
        expect![[r#"
            entry 0..66 starred question 1..25 "How does a request flow?"
              arrow 26..28
              answer 29..66 "client -> nginx -> gunicorn -> django"
        "#]],
    );
}

#[test]
fn arrow_mid_paragraph_is_answer_text() {
    check(
        "*What is CSRF?\n->\nA forged request.\n-> the browser sends cookies\n",
        expect![[r#"
            entry 0..64 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..64 "A forged request.\n-> the browser sends c…"
        "#]],
    );
}

#[test]
fn arrow_starting_a_paragraph_in_an_answer_is_an_answer_with_no_question() {
    check(
        "*What is CSRF?\n->\nA forged request.\n\n-> An answer whose question is missing.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..76 missing (soft) question 37..37 ""
              arrow 37..39
              answer 40..76 "An answer whose question is missing."
        "#]],
    );
}

#[test]
fn answer_without_arrow() {
    check(
        "*What is CSRF?\nA forged request.\n",
        expect![[r#"
            entry 0..32 starred question 1..14 "What is CSRF?"
              answer 15..32 "A forged request."
        "#]],
    );
}

#[test]
fn question_followed_by_blank_then_text_then_arrow() {
    // The text after the blank line starts a paragraph, so with the arrow
    // under it it is a question of its own.
    check(
        "*What is CSRF?\n\nwhat is XSS\n-> Script injection.\n",
        expect![[r#"
            entry 0..14 starred question 1..14 "What is CSRF?"
              no answer
            entry 16..48 unmarked (soft) question 16..27 "what is XSS"
              arrow 28..30
              answer 31..48 "Script injection."
        "#]],
    );
}

#[test]
fn placeholders() {
    check(
        "*A?\n-> TODO\n*B?\n->\n...\n*C?\n-> TBD\n*D?\n-> ?\n*E?\n-> TODO: explain\n",
        expect![[r#"
            entry 0..11 starred question 1..3 "A?"
              arrow 4..6
              answer 7..11 (placeholder) "TODO"
            entry 12..22 starred question 13..15 "B?"
              arrow 16..18
              answer 19..22 (placeholder) "..."
            entry 23..33 starred question 24..26 "C?"
              arrow 27..29
              answer 30..33 (placeholder) "TBD"
            entry 34..42 starred question 35..37 "D?"
              arrow 38..40
              answer 41..42 (placeholder) "?"
            entry 43..63 starred question 44..46 "E?"
              arrow 47..49
              answer 50..63 (placeholder) "TODO: explain"
        "#]],
    );
}

#[test]
fn todo_is_a_placeholder_alone_or_in_capitals() {
    check(
        "*A?\n-> Todoist is a task app\n*B?\n-> Todo apps track tasks\n*C?\n-> todo!\n*D?\n-> TODO later\n",
        expect![[r#"
            entry 0..28 starred question 1..3 "A?"
              arrow 4..6
              answer 7..28 "Todoist is a task app"
            entry 29..57 starred question 30..32 "B?"
              arrow 33..35
              answer 36..57 "Todo apps track tasks"
            entry 58..70 starred question 59..61 "C?"
              arrow 62..64
              answer 65..70 (placeholder) "todo!"
            entry 71..88 starred question 72..74 "D?"
              arrow 75..77
              answer 78..88 (placeholder) "TODO later"
        "#]],
    );
}

#[test]
fn placeholder_with_more_text_is_an_answer() {
    check(
        "*What is CSRF?\n-> TODO\nA forged request.\n",
        expect![[r#"
            entry 0..40 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..40 "TODO\nA forged request."
        "#]],
    );
}

// Trailing unanswered questions.

#[test]
fn trailing_question_without_final_newline() {
    check(
        "*What is CSRF?\n-> A forged request.\n\nIs DEBUG on in production?",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..63 unmarked (soft) question 37..63 "Is DEBUG on in production?"
              no answer
        "#]],
    );
}

#[test]
fn trailing_question_needs_two_words_and_its_own_paragraph() {
    check(
        "*What is CSRF?\n-> A forged request.\n\nWhy?\n",
        expect![[r#"
            entry 0..41 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..41 "A forged request.\n\nWhy?"
        "#]],
    );
    check(
        "*What is CSRF?\n-> A forged request.\nIs that all?\n",
        expect![[r#"
            entry 0..48 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..48 "A forged request.\nIs that all?"
        "#]],
    );
}

#[test]
fn trailing_question_before_the_next_starred_question() {
    check(
        "*What is CSRF?\n-> A forged request.\n\nIs DEBUG on in production?\n*What is XSS?\n-> Script injection.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..63 unmarked (soft) question 37..63 "Is DEBUG on in production?"
              no answer
            entry 64..98 starred question 65..77 "What is XSS?"
              arrow 78..80
              answer 81..98 "Script injection."
        "#]],
    );
}

#[test]
fn trailing_question_before_an_answer_with_no_question() {
    check(
        "*What is CSRF?\n-> A forged request.\n\nIs it fine?\n\n-> An orphan answer.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..48 unmarked (soft) question 37..48 "Is it fine?"
              no answer
            entry 50..70 missing (soft) question 50..50 ""
              arrow 50..52
              answer 53..70 "An orphan answer."
        "#]],
    );
}

#[test]
fn file_with_only_a_question() {
    check(
        "What is a webhook?\n",
        expect![[r#"
            entry 0..18 unmarked (soft) question 0..18 "What is a webhook?"
              no answer
        "#]],
    );
}

// Empty and missing questions.

#[test]
fn empty_question() {
    check(
        "*\n-> An answer.\n",
        expect![[r#"
            entry 0..15 starred question 1..1 ""
              arrow 2..4
              answer 5..15 "An answer."
        "#]],
    );
    check(
        "*->\n",
        expect![[r#"
            entry 0..3 starred question 1..1 ""
              arrow 1..3
              no answer
        "#]],
    );
    check(
        "*   \n",
        expect![[r#"
            entry 0..4 starred question 4..4 ""
              no answer
        "#]],
    );
}

#[test]
fn arrow_with_no_question_at_file_start() {
    check(
        "-> An answer.\n",
        expect![[r#"
            entry 0..13 missing (soft) question 0..0 ""
              arrow 0..2
              answer 3..13 "An answer."
        "#]],
    );
}

#[test]
fn empty_file_and_text_without_questions() {
    check("", expect![[r#""#]]);
    check("\n\n  \n", expect![[r#""#]]);
    check("Just some notes.\nNo questions here.\n", expect![[r#""#]]);
}

// Definitions and tables.

#[test]
fn definitions() {
    check(
        "*Which framework?\n-> Django: batteries included\nFastAPI: async, fast\n**ORM**: maps rows to objects\n- Flask: micro framework\n* WSGI: sync server interface\nC++: a language\n",
        expect![[r#"
            entry 0..169 starred question 1..17 "Which framework?"
              arrow 18..20
              answer 21..169 "Django: batteries included\nFastAPI: asyn…"
              definition "Django": "batteries included"
              definition "FastAPI": "async, fast"
              definition "ORM": "maps rows to objects"
              definition "Flask": "micro framework"
              definition "WSGI": "sync server interface"
              definition "C++": "a language"
        "#]],
    );
}

#[test]
fn not_definitions() {
    check(
        "*Which framework?\n->\nExample: a blog\nNote: read the docs\nsee https://djangoproject.com\nTools & Fixes: tracemalloc\nThis sentence has far too many words: to be a term\n1st: not a term\nEmpty:\nMeeting at 10:30 daily\nrun it on localhost:8080\nurl:https://x.org\n",
        expect![[r#"
            entry 0..253 starred question 1..17 "Which framework?"
              arrow 18..20
              answer 21..253 "Example: a blog\nNote: read the docs\nsee …"
        "#]],
    );
}

#[test]
fn tables() {
    check(
        "*Gunicorn or Uvicorn?->\n| Gunicorn | Uvicorn |\n| -------- | ------- |\n| WSGI     | ASGI    |\n| Sync     | Async   |\n\n|a|b|\n|1|2|\n",
        expect![[r#"
            entry 0..128 starred question 1..21 "Gunicorn or Uvicorn?"
              arrow 21..23
              answer 24..128 "| Gunicorn | Uvicorn |\n| -------- | ----…"
              table 24..115 rows 2 header ["Gunicorn", "Uvicorn"]
              table 117..128 rows 1 header ["a", "b"]
        "#]],
    );
}

// Line endings and characters.

#[test]
fn crlf_reads_like_lf() {
    let lf = "*What is CSRF?\n->\nA forged request.\n\nwhat is XSS\n-> Script: injection.\n\nIs DEBUG on?\n";
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(shape(lf), shape(&crlf));
    check(
        &crlf,
        expect![[r#"
            entry 0..37 starred question 1..14 "What is CSRF?"
              arrow 16..18
              answer 20..37 "A forged request."
            entry 41..75 unmarked (soft) question 41..52 "what is XSS"
              arrow 54..56
              answer 57..75 "Script: injection."
              definition "Script": "injection."
            entry 79..91 unmarked (soft) question 79..91 "Is DEBUG on?"
              no answer
        "#]],
    );
}

#[test]
fn lone_cr_is_a_line_break() {
    let lf = "*What is CSRF?\n->\nA forged request.\n*What is XSS?\n-> Script injection.";
    let cr = lf.replace('\n', "\r");
    assert_eq!(shape(lf), shape(&cr));
    check(
        &cr,
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 36..70 starred question 37..49 "What is XSS?"
              arrow 50..52
              answer 53..70 "Script injection."
        "#]],
    );
}

#[test]
fn mixed_line_endings() {
    check(
        "*What is CSRF?\r\n->\nA forged\rrequest.\r\n*What is XSS?\n-> Script injection.\r\n",
        expect![[r#"
            entry 0..36 starred question 1..14 "What is CSRF?"
              arrow 16..18
              answer 19..36 "A forged\rrequest."
            entry 38..72 starred question 39..51 "What is XSS?"
              arrow 52..54
              answer 55..72 "Script injection."
        "#]],
    );
}

#[test]
fn byte_order_mark_is_skipped() {
    check(
        "\u{feff}*What is CSRF?\n-> A forged request.\n",
        expect![[r#"
            entry 3..38 starred question 4..17 "What is CSRF?"
              arrow 18..20
              answer 21..38 "A forged request."
        "#]],
    );
    check(
        "\u{feff}what is CSRF\n-> A forged request.\n",
        expect![[r#"
            entry 3..36 unmarked (soft) question 3..15 "what is CSRF"
              arrow 16..18
              answer 19..36 "A forged request."
        "#]],
    );
}

#[test]
fn tabs_are_white_space() {
    check(
        "*What is CSRF?\t\n\t->\tA forged request.\n\t*not a question\n",
        expect![[r#"
            entry 0..54 starred question 1..14 "What is CSRF?"
              arrow 17..19
              answer 20..54 "A forged request.\n\t*not a question"
        "#]],
    );
}

#[test]
fn multi_byte_characters() {
    check(
        "*Qu'est-ce qu'un café ? 😀\n-> Ça dépend: du café\n*日本語とは?\n-> 言語: 日本の言葉\n",
        expect![[r#"
            entry 0..54 starred question 1..29 "Qu'est-ce qu'un café ? 😀"
              arrow 30..32
              answer 33..54 "Ça dépend: du café"
              definition "Ça dépend": "du café"
            entry 55..99 starred question 56..72 "日本語とは?"
              arrow 73..75
              answer 76..99 "言語: 日本の言葉"
              definition "言語": "日本の言葉"
        "#]],
    );
}

#[test]
fn line_separator_is_not_a_line_break() {
    check(
        "*What is\u{2028}this?\n-> One line\u{2028}still.\n",
        expect![[r#"
            entry 0..37 starred question 1..16 "What is\u{2028}this?"
              arrow 17..19
              answer 20..37 "One line\u{2028}still."
        "#]],
    );
}

// A whole note.

#[test]
fn realistic_note() {
    check(
        r#"*Difference between REST and GraphQL?
->
REST: one endpoint per resource, HTTP caching works
GraphQL: one endpoint, the client picks the fields
Example: a mobile app that needs three fields of a user

*Which one for a public API?
-> REST, unless clients need very different shapes of data.

*What is an N+1 query? (2 ways to fix)
->
One query for a list, then one more per row.
Fix: select_related / prefetch_related, or a JOIN.

*Compare sessions and JWT?->
| Sessions        | JWT                 |
| --------------- | ------------------- |
| server state    | stateless           |
| easy to revoke  | hard to revoke      |

*How does a request reach Django?
->
browser -> nginx -> gunicorn -> Django
* nginx serves static files
* gunicorn runs the workers

what is a webhook ?
->An HTTP callback fired when an event happens.

*What is idempotency?
-> TODO

Is DEBUG = True ever fine in production?"#,
        expect![[r#"
            entry 0..199 starred question 1..37 "Difference between REST and GraphQL?"
              arrow 38..40
              answer 41..199 "REST: one endpoint per resource, HTTP ca…"
              definition "REST": "one endpoint per resource, HTTP caching …"
              definition "GraphQL": "one endpoint, the client picks the field…"
            entry 201..289 starred question 202..229 "Which one for a public API?"
              arrow 230..232
              answer 233..289 "REST, unless clients need very different…"
            entry 291..428 starred question 292..329 "What is an N+1 query? (2 ways to fix)"
              arrow 330..332
              answer 333..428 "One query for a list, then one more per …"
              definition "Fix": "select_related / prefetch_related, or a …"
            entry 430..626 starred question 431..456 "Compare sessions and JWT?"
              arrow 456..458
              answer 459..626 "| Sessions        | JWT                 …"
              table 459..626 rows 2 header ["Sessions", "JWT"]
            entry 628..759 starred question 629..661 "How does a request reach Django?"
              arrow 662..664
              answer 665..759 "browser -> nginx -> gunicorn -> Django\n*…"
            entry 761..828 unmarked (soft) question 761..780 "what is a webhook ?"
              arrow 781..783
              answer 783..828 "An HTTP callback fired when an event hap…"
            entry 830..859 starred question 831..851 "What is idempotency?"
              arrow 852..854
              answer 855..859 (placeholder) "TODO"
            entry 861..901 unmarked (soft) question 861..901 "Is DEBUG = True ever fine in production?"
              no answer
        "#]],
    );
}

// Code, headings, options and the other ways people write (issue 14).

#[test]
fn fenced_code_never_starts_a_question() {
    // A printed pattern of `*` lines is code: the answer stays the question's.
    check(
        "*Print a triangle of stars\n->\n```\n* \n* * \n* * * \n```\nUse two loops.\n",
        expect![[r#"
            entry 0..67 starred question 1..26 "Print a triangle of stars"
              arrow 27..29
              answer 30..67 "```\n* \n* * \n* * * \n```\nUse two loops."
        "#]],
    );
    // Indented, with `~~~` and an info string; `->` inside is code too.
    check(
        "*What does this print?\n  ~~~python\n*x = 1\n-> not an arrow\n  ~~~\n-> 1\n",
        expect![[r#"
            entry 0..68 starred question 1..63 "What does this print?\n  ~~~python\n*x = 1\n-> not an arrow\n  ~~~"
              arrow 64..66
              answer 67..68 "1"
        "#]],
    );
    // Close text: no fence, so the star lines are read (the first is a
    // question of its own, the others bullets of its answer).
    check(
        "*Print a triangle of stars\n->\n*a\n* * \nUse two loops.\n",
        expect![[r#"
            entry 0..29 starred question 1..26 "Print a triangle of stars"
              arrow 27..29
              no answer
            entry 30..52 starred question 31..32 "a"
              answer 33..52 "* * \nUse two loops."
        "#]],
    );
}

#[test]
fn an_unclosed_fence_is_text() {
    check(
        "```\n*What is CSRF?\n-> A forged request.\n",
        expect![[r#"
        entry 4..39 starred question 5..18 "What is CSRF?"
          arrow 19..21
          answer 22..39 "A forged request."
    "#]],
    );
}

#[test]
fn inline_code_is_not_emphasis_nor_an_arrow() {
    check(
        "*Augmented assignments (`+=`, `*=`) vs normal ones.\n-> They mutate in place.\n*What does `a->b` mean in C?\n-> Member access.\n",
        expect![[r#"
            entry 0..76 starred question 1..51 "Augmented assignments (`+=`, `*=`) vs normal ones."
              arrow 52..54
              answer 55..76 "They mutate in place."
            entry 77..123 starred question 78..105 "What does `a->b` mean in C?"
              arrow 106..108
              answer 109..123 "Member access."
        "#]],
    );
    // Close text: outside code the second star closes emphasis.
    check("*Augmented* assignments\nare faster\n", expect![""]);
}

#[test]
fn an_unclosed_comment_is_text() {
    // Close text of the next test: with no `-->` the opener is answer text.
    check(
        "*How do comments work?\n->\n<!-- fill in later\n",
        expect![[r#"
        entry 0..44 starred question 1..22 "How do comments work?"
          arrow 23..25
          answer 26..44 "<!-- fill in later"
    "#]],
    );
}

#[test]
fn html_comments_are_ignored() {
    check(
        "*How do comments work?\n->\n<!-- fill in later -->\n\n*What is CSRF?\n<!--\n*not a question\n-->\n-> A forged request.\n",
        expect![[r#"
            entry 0..25 starred question 1..22 "How do comments work?"
              arrow 23..25
              no answer
            entry 50..110 starred question 51..64 "What is CSRF?"
              arrow 90..92
              answer 93..110 "A forged request."
        "#]],
    );
}

#[test]
fn options_under_a_question_belong_to_it() {
    check(
        "*What is the type of 1\nA) float\nB) int\nC) str\n\n-> int\n",
        expect![[r#"
            entry 0..53 starred question 1..45 "What is the type of 1\nA) float\nB) int\nC) str"
              arrow 47..49
              answer 50..53 "int"
        "#]],
    );
    check(
        "*Which are mutable?\n\na. list\nb. tuple\n\n-> a\n",
        expect![[r#"
            entry 0..43 starred question 1..37 "Which are mutable?\n\na. list\nb. tuple"
              arrow 39..41
              answer 42..43 "a"
        "#]],
    );
    // Lettered options with no arrow after them are still the question's:
    // it is unanswered.
    check(
        "*What is the type of 1\nA) float\nB) int\n\n*Next?\n-> x\n",
        expect![[r#"
        entry 0..38 starred question 1..38 "What is the type of 1\nA) float\nB) int"
          no answer
        entry 40..51 starred question 41..46 "Next?"
          arrow 47..49
          answer 50..51 "x"
    "#]],
    );
    // Close text: numbered lines with no arrow are the answer, written
    // without an arrow (steps, more often than choices).
    check(
        "*Steps to deploy\n1. build\n2. push\n",
        expect![[r#"
        entry 0..33 starred question 1..16 "Steps to deploy"
          answer 17..33 "1. build\n2. push"
    "#]],
    );
}

#[test]
fn headings_and_rulers_end_an_entry() {
    check(
        "*How do comments work?\n->\n\n### Programming Model\n*What is a thread?\n-> A unit of execution.\n",
        expect![[r#"
            entry 0..25 starred question 1..22 "How do comments work?"
              arrow 23..25
              no answer
            entry 49..91 starred question 50..67 "What is a thread?"
              arrow 68..70
              answer 71..91 "A unit of execution."
        "#]],
    );
    check(
        "*What is CSRF?\n->\n---\n*What is XSS?\n->\n\nProgramming Model\n=================\n",
        expect![[r#"
            entry 0..17 starred question 1..14 "What is CSRF?"
              arrow 15..17
              no answer
            entry 22..38 starred question 23..35 "What is XSS?"
              arrow 36..38
              no answer
        "#]],
    );
    // Close text: `#hashtag` and `--` are not headings or rulers.
    check(
        "*Tags?\n-> #python\n--\n",
        expect![[r##"
        entry 0..20 starred question 1..6 "Tags?"
          arrow 7..9
          answer 10..20 "#python\n--"
    "##]],
    );
}

#[test]
fn a_closing_remark_is_not_an_answer() {
    check(
        "*What is CSRF?\n-> A forged request.\n\n*Why is Redis fast?\n->\n\nThat's all for now, good luck!\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..59 starred question 38..56 "Why is Redis fast?"
              arrow 57..59
              no answer
        "#]],
    );
    // Close text: the same paragraph right under the arrow is the answer.
    check(
        "*Why is Redis fast?\n->\nIt keeps everything in memory.\n",
        expect![[r#"
            entry 0..53 starred question 1..19 "Why is Redis fast?"
              arrow 20..22
              answer 23..53 "It keeps everything in memory."
        "#]],
    );
}

#[test]
fn a_bullet_that_reads_as_a_question_is_one() {
    check(
        "*What is a package?\n-> A folder of modules.\n* What is module\n-> A file.\n* Is it cached?\n",
        expect![[r#"
            entry 0..43 starred question 1..19 "What is a package?"
              arrow 20..22
              answer 23..43 "A folder of modules."
            entry 44..71 starred question 46..60 "What is module"
              arrow 61..63
              answer 64..71 "A file."
            entry 72..87 starred question 74..87 "Is it cached?"
              no answer
        "#]],
    );
    // Close text: bullets that read as sentences stay in the answer.
    check(
        "*What is a package?\n->\n* A folder of modules\n* When imported, its __init__ runs.\n* How it works: a search path\n",
        expect![[r#"
            entry 0..110 starred question 1..19 "What is a package?"
              arrow 20..22
              answer 23..110 "* A folder of modules\n* When imported, i…"
              definition "How it works": "a search path"
        "#]],
    );
}

#[test]
fn lines_before_the_arrow_are_the_question() {
    check(
        "What is the difference between\nprocesses and threads?\n->\nMemory.\n",
        expect![[r#"
            entry 0..64 unmarked (soft) question 0..53 "What is the difference between\nprocesses and threads?"
              arrow 54..56
              answer 57..64 "Memory."
        "#]],
    );
    check(
        "*What is CSRF?\n-> A forged request.\n\nDifference between\nXSS and CSRF\n-> Who is fooled.\n",
        expect![[r#"
            entry 0..35 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..35 "A forged request."
            entry 37..86 unmarked (soft) question 37..68 "Difference between\nXSS and CSRF"
              arrow 69..71
              answer 72..86 "Who is fooled."
        "#]],
    );
    // Close text: lines in the middle of an answer paragraph stay answer.
    check(
        "*What is CSRF?\n-> A forged request.\nsee also\n-> the OWASP page\n",
        expect![[r#"
            entry 0..62 starred question 1..14 "What is CSRF?"
              arrow 15..17
              answer 18..62 "A forged request.\nsee also\n-> the OWASP …"
        "#]],
    );
}

fn check_as(text: &str, dialect: syntax::Dialect, expect: Expect) {
    let notes = syntax::parse_as(text, dialect);
    common::assert_well_formed(&notes, text);
    expect.assert_eq(&syntax::dump(&notes, text));
}

#[test]
fn qa_dialect() {
    let qa = syntax::Dialect::Qa;
    check_as(
        "Q: What is CSRF?\nA: A forged request.\n\nQ1. What is XSS?\nAns :- Script injection.\n\nQuestion 2: Why?\nSol: because\n\n3) What is a nonce?\n=> A number used once.\n\nQ.4 What is HSTS?\n",
        qa,
        expect![[r#"
            entry 0..37 starred question 3..16 "What is CSRF?"
              arrow 17..19
              answer 20..37 "A forged request."
            entry 39..80 starred question 43..55 "What is XSS?"
              arrow 56..62
              answer 63..80 "Script injection."
            entry 82..111 starred question 94..98 "Why?"
              arrow 99..103
              answer 104..111 "because"
            entry 113..155 starred (soft) question 116..132 "What is a nonce?"
              arrow 133..135
              answer 136..155 "A number used once."
            entry 157..174 starred question 161..174 "What is HSTS?"
              no answer
        "#]],
    );
    // Options are not answers: `A)` and `A.` need a colon to be one.
    check_as(
        "Q: What is the type of 1?\nA) float\nB) int\nAns: B\n",
        qa,
        expect![[r#"
        entry 0..48 starred question 3..41 "What is the type of 1?\nA) float\nB) int"
          arrow 42..46
          answer 47..48 "B"
    "#]],
    );
    // Close text: the same lines in the arrow dialect are text.
    check("Q: What is CSRF?\nA: A forged request.\n", expect![""]);
}

#[test]
fn headings_dialect() {
    let h = syntax::Dialect::Headings;
    check_as(
        "# Python interview notes\n\n### Q.1 What is the GIL?\nA lock around the interpreter.\n\n## Why are tuples hashable?\n\n## Setup\npip install x\n",
        h,
        expect![[r#"
            entry 26..81 starred question 34..50 "What is the GIL?"
              arrow 50..50
              answer 51..81 "A lock around the interpreter."
            entry 83..110 starred question 86..110 "Why are tuples hashable?"
              arrow 110..110
              no answer
        "#]],
    );
    // Close text: in the arrow dialect a heading is not a question.
    check("### Q.1 What is the GIL?\nA lock.\n", expect![""]);
}

#[test]
fn own_markers() {
    let custom = syntax::Dialect::custom(&["Problem:".to_string()], &["Solution:".to_string()]);
    check_as(
        "Problem: Reverse a list.\n  solution: two pointers\n\nProblems: not a marker\n",
        custom,
        expect![[r#"
            entry 0..73 starred question 9..24 "Reverse a list."
              arrow 27..36
              answer 37..73 "two pointers\n\nProblems: not a marker"
              definition "Problems": "not a marker"
        "#]],
    );
    // Close text: the arrow dialect does not know them.
    check(
        "Problem: Reverse a list.\nSolution: two pointers\n",
        expect![""],
    );
}
