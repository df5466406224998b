//! Document links (`ide::document_links`): fixture text in, each link's
//! range and target out (expect-test).

use expect_test::{expect, Expect};
use notes_ls::ide::document_links;
use notes_ls::syntax::parse;

fn check(text: &str, expect: Expect) {
    let notes = parse(text);
    let actual: String = document_links(text, &notes)
        .iter()
        .map(|l| {
            assert_eq!(l.range.slice(text), l.target);
            format!("{}..{} {}\n", l.range.start(), l.range.end(), l.target)
        })
        .collect();
    expect.assert_eq(&actual);
}

#[test]
fn urls_and_markdown_links_in_answers() {
    check(
        "*What is CSRF?\n-> See https://owasp.org/www-community/attacks/csrf.\n\
         More in [my notes](web/security.notes) and [spec](<RFC 6749.txt>).\n\
         (https://example.com/a_(b)) and https://x.io/path?q=1, done\n",
        expect![[r#"
            22..66 https://owasp.org/www-community/attacks/csrf
            87..105 web/security.notes
            119..131 RFC 6749.txt
            136..161 https://example.com/a_(b)
            167..188 https://x.io/path?q=1
        "#]],
    );
}

#[test]
fn a_links_url_is_one_link() {
    check(
        "*Q?\n-> [OWASP](https://owasp.org \"title\")\n",
        expect![[r#"
            15..32 https://owasp.org
        "#]],
    );
}

#[test]
fn no_links_in_code_or_questions() {
    check(
        "*Is https://q.example a link?\n->\n```\nhttps://code.example\n```\n\
         Run `curl https://inline.example` and see <https://auto.example>.\n",
        expect![[r#"
            105..125 https://auto.example
        "#]],
    );
}
