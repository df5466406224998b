//! Diagnostics, one code at a time: a text that gets it and a close text that
//! does not. Each diagnostic prints as
//! `code severity line:col-line:col "covered text" message` (lines and columns
//! from 1, columns in characters), then its related places and its fixes with
//! the text after the fix and the codes left on it.
//! Update the snapshots with `UPDATE_EXPECT=1 cargo test --test diagnostics`.

use std::fmt::Write;

use expect_test::{expect, Expect};
use notes_ls::ide;
use notes_ls::syntax::{self, LineIndex, TextRange};

/// What a user sees with the default severities: one structural finding
/// per range.
fn check(text: &str, expect: Expect) {
    check_severities(text, |k| Some(k.default_severity()), expect);
}

/// What a user sees with the severities `severity` gives (`None`: off).
fn check_severities(
    text: &str,
    severity: impl Fn(&ide::DiagnosticKind) -> Option<ide::Severity>,
    expect: Expect,
) {
    let index = LineIndex::new(text);
    let span = |r: TextRange| {
        let (l1, c1) = index.line_col(text, r.start());
        let (l2, c2) = index.line_col(text, r.end());
        format!("{}:{}-{}:{}", l1 + 1, c1 + 1, l2 + 1, c2 + 1)
    };
    let mut out = String::new();
    let found = ide::diagnostics(text, &syntax::parse(text))
        .into_iter()
        .filter_map(|d| {
            let sev = severity(&d.kind)?;
            Some((d, sev))
        })
        .collect();
    for (d, sev) in ide::one_per_range(found) {
        let _ = writeln!(
            out,
            "{} {} {} {:?} {}",
            d.code(),
            sev.as_str(),
            span(d.range),
            d.range.slice(text),
            d.message
        );
        for r in &d.related {
            let _ = writeln!(
                out,
                "  related {} {:?} {}",
                span(r.range),
                r.range.slice(text),
                r.message
            );
        }
        for f in &d.fixes {
            let fixed = f.apply(text);
            let left: Vec<&str> = ide::diagnostics(&fixed, &syntax::parse(&fixed))
                .iter()
                .map(|d| d.code())
                .collect();
            let _ = writeln!(
                out,
                "  fix{} {:?}: {:?} leaves {:?}",
                if f.preferred { " (preferred)" } else { "" },
                f.label,
                fixed,
                left
            );
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn answered_question_has_no_diagnostics() {
    check(
        "*What is CSRF?\n-> A forged cross-site request.\n",
        expect![[r#""#]],
    );
}

#[test]
fn unanswered_question_without_arrow() {
    check(
        "*What is CSRF?\n",
        expect![[r#"
            unanswered-question warning 1:2-1:15 "What is CSRF?" Unanswered question: no `->` and no answer
              fix (preferred) "Add an answer stub": "*What is CSRF?\n->\nTODO\n" leaves ["placeholder-answer"]
        "#]],
    );
}

#[test]
fn unanswered_question_with_empty_answer() {
    check(
        "*What is CSRF?\n->\n\n*What is XSS? ->",
        expect![[r#"
            unanswered-question warning 1:2-1:15 "What is CSRF?" Unanswered question: nothing after the `->`
              fix (preferred) "Add an answer stub": "*What is CSRF?\n->\nTODO\n\n*What is XSS? ->" leaves ["placeholder-answer", "unanswered-question"]
            unanswered-question warning 4:2-4:14 "What is XSS?" Unanswered question: nothing after the `->`
              fix (preferred) "Add an answer stub": "*What is CSRF?\n->\n\n*What is XSS? ->\nTODO" leaves ["unanswered-question", "placeholder-answer"]
        "#]],
    );
}

#[test]
fn unanswered_question_with_placeholder() {
    check(
        "*What is CSRF?\n-> TODO\n",
        expect![[r#"
            placeholder-answer warning 2:4-2:8 "TODO" Placeholder answer: `TODO` counts as unanswered
        "#]],
    );
    check(
        "*What is CSRF?\n-> TODO\nA forged request.\n",
        expect![[r#""#]],
    );
}

#[test]
fn trailing_unmarked_question_is_one_warning_with_both_fixes() {
    let text = "*What is CSRF?\n-> A forged request.\n\nIs DEBUG on in production?";
    check(
        text,
        expect![[r#"
            unanswered-question warning 4:1-4:27 "Is DEBUG on in production?" Unanswered question: no `->` and no answer
            Question without `*`: start the line with `*`
              fix (preferred) "Add an answer stub": "*What is CSRF?\n-> A forged request.\n\nIs DEBUG on in production?\n->\nTODO" leaves ["missing-question-marker", "placeholder-answer"]
              fix "Add `*` to mark the question": "*What is CSRF?\n-> A forged request.\n\n*Is DEBUG on in production?" leaves ["unanswered-question"]
        "#]],
    );
    // With the warning switched off, the hint is what remains to be seen.
    check_severities(
        text,
        |k| match k {
            ide::DiagnosticKind::UnansweredQuestion(_) => None,
            _ => Some(k.default_severity()),
        },
        expect![[r#"
            missing-question-marker hint 4:1-4:27 "Is DEBUG on in production?" Question without `*`: start the line with `*`
              fix (preferred) "Add `*` to mark the question": "*What is CSRF?\n-> A forged request.\n\n*Is DEBUG on in production?" leaves ["unanswered-question"]
        "#]],
    );
    // A stronger marker finding wins and carries the stub.
    check_severities(
        text,
        |k| match k {
            ide::DiagnosticKind::MissingQuestionMarker => Some(ide::Severity::Error),
            _ => Some(k.default_severity()),
        },
        expect![[r#"
            missing-question-marker error 4:1-4:27 "Is DEBUG on in production?" Question without `*`: start the line with `*`
            Unanswered question: no `->` and no answer
              fix (preferred) "Add `*` to mark the question": "*What is CSRF?\n-> A forged request.\n\n*Is DEBUG on in production?" leaves ["unanswered-question"]
              fix "Add an answer stub": "*What is CSRF?\n-> A forged request.\n\nIs DEBUG on in production?\n->\nTODO" leaves ["missing-question-marker", "placeholder-answer"]
        "#]],
    );
}

#[test]
fn missing_question_marker() {
    check(
        "what is a webhook?\n->\nAn HTTP callback.\n",
        expect![[r#"
            missing-question-marker hint 1:1-1:19 "what is a webhook?" Question without `*`: start the line with `*`
              fix (preferred) "Add `*` to mark the question": "*what is a webhook?\n->\nAn HTTP callback.\n" leaves []
        "#]],
    );
    check(
        "*what is a webhook?\n->\nAn HTTP callback.\n",
        expect![[r#""#]],
    );
}

#[test]
fn missing_question_marker_on_indented_or_bold_question() {
    check(
        "  what is a webhook?\n->\nAn HTTP callback.\n",
        expect![[r#"
            missing-question-marker hint 1:3-1:21 "what is a webhook?" Question without `*`: start the line with `*`
              fix (preferred) "Add `*` to mark the question": "*what is a webhook?\n->\nAn HTTP callback.\n" leaves []
        "#]],
    );
    check(
        "**What is a webhook?**\n->\nAn HTTP callback.\n",
        expect![[r#"
            missing-question-marker hint 1:1-1:23 "**What is a webhook?**" Question without `*`: start the line with `*`
        "#]],
    );
}

#[test]
fn empty_question() {
    check(
        "*\n-> An answer.\n",
        expect![[r#"
            empty-question warning 1:1-1:2 "*" Empty question: write the question after the `*`
        "#]],
    );
    check(
        "*->\n",
        expect![[r#"
            empty-question warning 1:1-1:2 "*" Empty question: write the question after the `*`
        "#]],
    );
    check("*Q\n-> An answer.\n", expect![[r#""#]]);
}

#[test]
fn answer_with_no_question() {
    check(
        "*What is CSRF?\n-> A forged request.\n\n-> An answer on its own.\n",
        expect![[r#"
            empty-question warning 4:1-4:3 "->" Answer with no question: write the question above the `->`
        "#]],
    );
}

#[test]
fn missing_arrow() {
    check(
        "*What is CSRF?\nA forged request.\n",
        expect![[r#"
            missing-arrow hint 1:2-1:15 "What is CSRF?" Answer without `->`: put `->` between the question and its answer
              fix (preferred) "Add `->` before the answer": "*What is CSRF?\n->\nA forged request.\n" leaves []
        "#]],
    );
    check("*What is CSRF?\n->\nA forged request.\n", expect![[r#""#]]);
}

#[test]
fn duplicate_questions_fold_case_spacing_and_final_punctuation() {
    check(
        "*What is CSRF?\n-> a\n*what  is csrf\n-> b\n*WHAT IS CSRF ?!\n-> c\n*What is XSS?\n-> d\n",
        expect![[r#"
            duplicate-question info 3:2-3:15 "what  is csrf" Duplicate question: the same question is asked earlier in this file
              related 1:2-1:15 "What is CSRF?" first asked here
            duplicate-question info 5:2-5:17 "WHAT IS CSRF ?!" Duplicate question: the same question is asked earlier in this file
              related 1:2-1:15 "What is CSRF?" first asked here
        "#]],
    );
}

#[test]
fn fixes_keep_crlf() {
    check(
        "*What is CSRF?\r\nA forged request.\r\n",
        expect![[r#"
            missing-arrow hint 1:2-1:15 "What is CSRF?" Answer without `->`: put `->` between the question and its answer
              fix (preferred) "Add `->` before the answer": "*What is CSRF?\r\n->\r\nA forged request.\r\n" leaves []
        "#]],
    );
    check(
        "*What is CSRF?\r\n*What is XSS?\r\n->\r\n",
        expect![[r#"
            unanswered-question warning 1:2-1:15 "What is CSRF?" Unanswered question: no `->` and no answer
              fix (preferred) "Add an answer stub": "*What is CSRF?\r\n->\r\nTODO\r\n*What is XSS?\r\n->\r\n" leaves ["placeholder-answer", "unanswered-question"]
            unanswered-question warning 2:2-2:14 "What is XSS?" Unanswered question: nothing after the `->`
              fix (preferred) "Add an answer stub": "*What is CSRF?\r\n*What is XSS?\r\n->\r\nTODO\r\n" leaves ["unanswered-question", "placeholder-answer"]
        "#]],
    );
}
