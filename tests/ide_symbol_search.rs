//! Workspace symbol search (`ide::search_symbols`): questions and terms
//! from every source, ranked exact, prefix, substring, subsequence.

use std::sync::Arc;

use expect_test::{expect, Expect};
use notes_ls::ide::{search_symbols, QuestionIndex, TermIndex};
use notes_ls::syntax::parse;

const NOTES: &str = "\
*Is CORS a security feature?
-> No, it relaxes the same-origin policy.

*What is CSRF?
-> A forged cross-site request.

*How does a CSRF token work?
-> The server checks a secret.
Covering index: an index holding every column a query needs.
";

fn check(query: &str, expect: Expect) {
    let notes = parse(NOTES);
    let mut questions = QuestionIndex::default();
    questions.set_document(&"/n/web.notes".into(), &Arc::new(NOTES.to_string()), &notes);
    let mut terms = TermIndex::builtin();
    terms.set_document(&"/n/web.notes".into(), NOTES, &notes);
    let actual: String = search_symbols(&questions, &|_| None, &terms, query, 8)
        .iter()
        .map(|h| {
            let place = match (&h.doc, h.range) {
                (Some(d), Some(r)) => format!(" {d}@{}", r.start()),
                (Some(d), None) => format!(" {d}"),
                _ => String::new(),
            };
            format!("{:?} {:?} {}{place}\n", h.matched, h.kind, h.name)
        })
        .collect();
    expect.assert_eq(&actual);
}

#[test]
fn csrf_lists_both_csrf_questions_before_the_cors_one() {
    check(
        "csrf",
        expect![[r#"
            Exact NotesTerm CSRF /n/web.notes@73
            Prefix BuiltinTerm CSRF token
            Substring Question What is CSRF? /n/web.notes@73
            Substring Question How does a CSRF token work? /n/web.notes@121
            Subsequence BuiltinTerm preflight request
            Subsequence Question Is CORS a security feature? /n/web.notes@1
            Subsequence BuiltinTerm ASGI
        "#]],
    );
}

#[test]
fn a_term_defined_in_the_notes_is_found_by_name() {
    check(
        "Covering",
        expect![[r#"
            Prefix NotesTerm Covering index /n/web.notes@180
        "#]],
    );
}
