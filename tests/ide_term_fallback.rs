//! Inside a multi-word term the notes do not define, definition and hover
//! use the shorter term they do define (`CSRF` in `Send a CSRF token`).

use expect_test::{expect, Expect};
use notes_ls::ide::{definition_term_at, hover, TermIndex};
use notes_ls::syntax::parse;

fn setup(fixture: &str) -> (String, usize, TermIndex) {
    let offset = fixture.find("$0").expect("a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    let mut terms = TermIndex::builtin();
    terms.set_document(&"/n/a.notes".into(), &text, &parse(&text));
    (text, offset, terms)
}

fn check_definition(fixture: &str, expect: Expect) {
    let (text, offset, terms) = setup(fixture);
    let actual = match definition_term_at(&text, &terms, offset) {
        Some(m) => format!("{:?} {}\n", m.range.slice(&text), m.key),
        None => "None\n".to_string(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn the_shorter_term_the_notes_define() {
    check_definition(
        "*What is CSRF?\n-> A forged request.\n\n*How?\n-> Send a CS$0RF token with the form.\n",
        expect![[r#"
            "CSRF" csrf
        "#]],
    );
    // On `token`, outside `CSRF`: the longest stays.
    check_definition(
        "*What is CSRF?\n-> A forged request.\n\n*How?\n-> Send a CSRF to$0ken with the form.\n",
        expect![[r#"
            "CSRF token" csrf token
        "#]],
    );
    // The notes define the longest: it wins.
    check_definition(
        "*What is a CSRF token?\n-> A secret.\n*What is CSRF?\n-> A forged request.\n\n*How?\n-> Send a CS$0RF token.\n",
        expect![[r#"
            "CSRF token" csrf token
        "#]],
    );
}

#[test]
fn hover_shows_both() {
    let (text, offset, terms) = setup(
        "*What is CSRF?\n-> A forged request.\n\n*How?\n-> Send a CS$0RF token with the form.\n",
    );
    let h = hover(&text, &parse(&text), &terms, &"/n/a.notes".into(), offset).expect("a hover");
    assert_eq!(h.range.slice(&text), "CSRF token");
    assert!(h.markdown.starts_with("**CSRF token**"), "{}", h.markdown);
    assert!(
        h.markdown.contains("**CSRF**") && h.markdown.contains("A forged request."),
        "{}",
        h.markdown
    );
}
