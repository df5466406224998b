//! Selection ranges (`ide::selection_ranges`): a fixture with a `$0`
//! cursor, each range from the innermost out (expect-test).

use expect_test::{expect, Expect};
use notes_ls::ide::{selection_ranges, TermIndex};
use notes_ls::syntax::parse;

fn check(fixture: &str, expect: Expect) {
    let offset = fixture.find("$0").expect("a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    let notes = parse(&text);
    let mut terms = TermIndex::builtin();
    terms.set_document(&"notes.txt".into(), &text, &notes);
    let ranges = selection_ranges(&text, &notes, &terms, offset);
    for w in ranges.windows(2) {
        assert!(
            w[1].start() <= w[0].start() && w[0].end() <= w[1].end() && w[1].len() > w[0].len()
        );
    }
    let actual: String = ranges
        .iter()
        .map(|r| format!("{:?}\n", r.slice(&text)))
        .collect();
    expect.assert_eq(&actual);
}

#[test]
fn word_term_line_answer_entry() {
    check(
        "*What is CSRF?\n->\nSend a CSRF to$0ken with each form.\nIt is checked.\n",
        expect![[r#"
            "token"
            "CSRF token"
            "Send a CSRF token with each form."
            "Send a CSRF token with each form.\nIt is checked."
            "*What is CSRF?\n->\nSend a CSRF token with each form.\nIt is checked."
        "#]],
    );
}

#[test]
fn in_the_question() {
    check(
        "*What is CS$0RF?\n-> A forged request.\n",
        expect![[r#"
            "CSRF"
            "*What is CSRF?"
            "*What is CSRF?\n-> A forged request."
        "#]],
    );
}

#[test]
fn answer_on_the_arrow_line_and_outside_entries() {
    check(
        "*Q?\n-> one two$0\n",
        expect![[r#"
            "two"
            "one two"
            "*Q?\n-> one two"
        "#]],
    );
    check(
        "# Head$0ing\n\n*Q?\n-> a\n",
        expect![[r##"
            "Heading"
            "# Heading"
        "##]],
    );
}
