//! Terms in the editor: hover, completion, folding and highlights, each driven
//! by fixtures with a `$0` cursor and checked against expect-test snapshots
//! (`UPDATE_EXPECT=1 cargo test` rewrites them).
//!
//! A fixture may hold several documents, each after a `//- name` line; one
//! without such a line is `notes.txt`. Every document is indexed, and the
//! feature runs on the one holding the cursor.

#[path = "common/fixture_text.rs"]
mod fixture_text;

use expect_test::{expect, Expect};
use fixture_text::trim_indent;
use notes_ls::ide::{completions, folding_ranges, highlights, hover, TermIndex};
use notes_ls::syntax::{parse, TextRange};
use proptest::prelude::*;

struct Fixture {
    docs: Vec<(String, String)>,
    /// Index into `docs` of the document with the cursor.
    current: usize,
    offset: usize,
}

fn fixture(text: &str) -> Fixture {
    let text = trim_indent(text);
    let mut docs: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("//- ") {
            Some(name) => docs.push((name.trim().to_string(), String::new())),
            None if docs.is_empty() => docs.push(("notes.txt".to_string(), line.to_string())),
            None => docs.last_mut().expect("a document").1.push_str(line),
        }
    }
    let current = docs
        .iter()
        .position(|(_, t)| t.contains("$0"))
        .expect("the fixture has a $0 cursor");
    let offset = docs[current].1.find("$0").expect("cursor");
    docs[current].1 = docs[current].1.replacen("$0", "", 1);
    Fixture {
        docs,
        current,
        offset,
    }
}

fn crlf(text: &str) -> String {
    trim_indent(text).replace('\n', "\r\n")
}

fn index(f: &Fixture) -> TermIndex {
    let mut idx = TermIndex::builtin();
    for (name, text) in &f.docs {
        idx.set_document(&name.as_str().into(), text, &parse(text));
    }
    idx
}

fn show(text: &str, range: TextRange) -> String {
    format!("{:?}", range.slice(text))
}

fn check_hover(fixture_text: &str, expect: Expect) {
    let f = fixture(fixture_text);
    let idx = index(&f);
    let (doc, text) = &f.docs[f.current];
    let actual = match hover(text, &parse(text), &idx, &doc.as_str().into(), f.offset) {
        Some(h) => {
            assert!(
                h.range.contains_inclusive(f.offset),
                "hover range misses the cursor"
            );
            format!("{}\n{}\n", show(text, h.range), h.markdown)
        }
        None => "None\n".to_string(),
    };
    expect.assert_eq(&actual);
}

/// Prints the first ten items, one a line: rank, kind, label, replaced text,
/// then the insert text when it differs from the label and the detail.
fn check_completion(fixture_text: &str, expect: Expect) {
    let f = fixture(fixture_text);
    let idx = index(&f);
    let text = &f.docs[f.current].1;
    let items = completions(text, &parse(text), &idx, f.offset);
    let mut actual = String::new();
    for c in items.iter().take(10) {
        assert!(
            c.replace.contains_inclusive(f.offset),
            "{c:?} misses the cursor"
        );
        assert!(
            !c.replace.slice(text).contains(['\n', '\r']),
            "{c:?} crosses a line"
        );
        actual.push_str(&format!(
            "{} {:?} {} {}",
            c.rank,
            c.kind,
            c.label,
            show(text, c.replace)
        ));
        if c.insert != c.label {
            actual.push_str(&format!(" => {:?}", c.insert));
        }
        if c.filter != c.label {
            actual.push_str(&format!(" filter {:?}", c.filter));
        }
        if let Some(d) = &c.detail {
            actual.push_str(&format!(" ({d})"));
        }
        actual.push('\n');
    }
    if items.len() > 10 {
        actual.push_str(&format!("... {} in all\n", items.len()));
    }
    expect.assert_eq(&actual);
}

// ---------------------------------------------------------------- hover

#[test]
fn hover_single_word_term() {
    check_hover(
        "
        *Which server runs Django?
        -> Gun$0icorn, behind Nginx.
        ",
        expect![[r#"
            "Gunicorn"
            **Gunicorn**

            _Also written: Green Unicorn_

            A pre-fork WSGI HTTP server for Unix: a master process manages a pool of worker processes that run the Python application. With the UvicornWorker class it can also manage Uvicorn workers to serve ASGI apps.

            _built-in glossary · servers_
        "#]],
    );
}

#[test]
fn hover_multi_word_term_matches_as_one() {
    check_hover(
        "
        *How do you handle sessions?
        -> Send a refresh to$0ken  when the access token expires.
        ",
        expect![[r#"
            "refresh token"
            **refresh token**

            A long-lived credential used only to obtain new access tokens without asking the user to log in again. It must be stored securely, can be revoked, and is often rotated on every use.

            _built-in glossary · auth_
        "#]],
    );
}

#[test]
fn hover_alias_leads_to_canonical_term() {
    check_hover(
        "
        *Which to use, Django or Fast A$0PI?
        ",
        expect![[r#"
            "Fast API"
            **FastAPI**

            _Also written: fast-api_

            A modern Python web framework for building APIs, built on Starlette and Pydantic. It uses type hints to validate requests and to generate OpenAPI documentation automatically, and supports async endpoints natively.

            _built-in glossary · frameworks_
        "#]],
    );
}

#[test]
fn hover_plural_matches_singular_term() {
    check_hover(
        "*Q\n-> Sign JWT$0s with HS256.\n",
        expect![[r#"
        "JWTs"
        **JWT**

        _Also written: JSON Web Token, JSON Web Tokens_

        A compact token made of three base64url parts, header.payload.signature, carrying claims such as the subject and expiry. It is signed, not encrypted, so anyone can read the payload, but it cannot be altered without the key.

        _built-in glossary · auth_
    "#]],
    );
}

#[test]
fn hover_cursor_right_after_last_character() {
    check_hover(
        "*Q\n-> use CSRF$0\n",
        expect![[r#"
        "CSRF"
        **CSRF**

        _Also written: XSRF, Cross-Site Request Forgery_

        An attack where another site makes a logged-in user's browser send a state-changing request that carries the user's cookies automatically. Defences are CSRF tokens checked by the server and SameSite cookies.

        _built-in glossary · security_
    "#]],
    );
}

#[test]
fn hover_user_definition_from_question_comes_first() {
    check_hover(
        "
        *What is Gunicorn?
        -> Our app server: 4 workers per box.

        *How do we deploy?
        -> gunic$0orn behind Nginx.
        ",
        expect![[r#"
            "gunicorn"
            **Gunicorn**

            _Also written: Green Unicorn_

            Our app server: 4 workers per box.

            _your notes, line 1_

            ---

            A pre-fork WSGI HTTP server for Unix: a master process manages a pool of worker processes that run the Python application. With the UvicornWorker class it can also manage Uvicorn workers to serve ASGI apps.

            _built-in glossary · servers_
        "#]],
    );
}

/// Documents that are files get a link to the line, which editors open on
/// click: in this file and in another one.
#[test]
fn hover_links_to_the_lines_of_definitions_in_files() {
    check_hover(
        "
        //- /notes/backend.notes
        *Servers we run
        -> Gunicorn: master process plus sync workers.
        //- /notes/deploy notes.notes
        *Deploy
        ->
        Gunicorn: fronted by Nginx.
        Restart Gunicorn$0 with HUP.
        ",
        expect![[r#"
            "Gunicorn"
            **Gunicorn**

            _Also written: Green Unicorn_

            fronted by Nginx.

            _your notes, [line 3](file:///notes/deploy%20notes.notes#L3)_

            ---

            master process plus sync workers.

            _your notes: [backend.notes, line 2](file:///notes/backend.notes#L2)_

            ---

            A pre-fork WSGI HTTP server for Unix: a master process manages a pool of worker processes that run the Python application. With the UvicornWorker class it can also manage Uvicorn workers to serve ASGI apps.

            _built-in glossary · servers_
        "#]],
    );
}

#[test]
fn hover_user_definitions_from_term_lines_in_this_and_other_documents() {
    check_hover(
        "
        //- backend.txt
        *Servers we run
        -> Gunicorn: master process plus sync workers.
        //- notes.txt
        *Deploy
        ->
        Gunicorn: fronted by Nginx.
        Restart Gunicorn$0 with HUP.
        ",
        expect![[r#"
            "Gunicorn"
            **Gunicorn**

            _Also written: Green Unicorn_

            fronted by Nginx.

            _your notes, line 3_

            ---

            master process plus sync workers.

            _your notes: backend.txt, line 2_

            ---

            A pre-fork WSGI HTTP server for Unix: a master process manages a pool of worker processes that run the Python application. With the UvicornWorker class it can also manage Uvicorn workers to serve ASGI apps.

            _built-in glossary · servers_
        "#]],
    );
}

#[test]
fn hover_term_only_the_user_defines() {
    check_hover(
        "
        *What is the outbox pattern?
        -> Writing events to a table in the same transaction, then publishing them.

        *Reliable events?
        -> Use the Outbox$0 Pattern.
        ",
        expect![[r#"
            "Outbox Pattern"
            **outbox pattern**

            Writing events to a table in the same transaction, then publishing them.

            _your notes, line 1_
        "#]],
    );
}

#[test]
fn hover_unknown_word_is_none() {
    check_hover(
        "*Q\n-> the qu$0ick fox\n",
        expect![[r#"
        None
    "#]],
    );
}

#[test]
fn hover_hyphenated_word_is_not_its_first_part() {
    check_hover(
        "*Q\n-> django$0-oauth-toolkit\n",
        expect![[r#"
        None
    "#]],
    );
}

#[test]
fn hover_part_of_a_dotted_word() {
    check_hover(
        "*Q\n-> set in django$0.Is it on?\n",
        expect![[r#"
        "django"
        **Django**

        A full-stack Python web framework that ships with an ORM, migrations, an admin site, authentication, forms and templates. It follows the model-template-view pattern and favours convention and batteries included.

        _built-in glossary · frameworks_
    "#]],
    );
}

#[test]
fn hover_question_status_answered() {
    check_hover(
        "
        *How do you sp$0eed up an endpoint?
        -> Profile first.
        Index: on filter fields.
        | Fix | Gain |
        |-----|------|
        | cache | big |
        ",
        expect![[r#"
            "How do you speed up an endpoint?"
            **Answered** · 5 lines, 17 words

            1 definition, 1 table
        "#]],
    );
}

#[test]
fn hover_question_status_unanswered() {
    check_hover(
        "*$0Why is the sky blue?\n",
        expect![[r#"
        "*Why is the sky blue?"
        **Unanswered** · no `->` and no answer
    "#]],
    );
    check_hover(
        "*Why is the sky bl$0ue?\n->\n",
        expect![[r#"
        "Why is the sky blue?"
        **Unanswered** · nothing after the `->`
    "#]],
    );
    check_hover(
        "*Why is the sky blue?$0\n-> TODO\n",
        expect![[r#"
        "Why is the sky blue?"
        **Unanswered** · the answer is only a placeholder
    "#]],
    );
}

#[test]
fn hover_after_emoji_and_cjk_covers_the_right_bytes() {
    check_hover(
        "*Q\n-> 😀 使用JWT$0认证\n",
        expect![[r#"
        "JWT"
        **JWT**

        _Also written: JSON Web Token, JSON Web Tokens_

        A compact token made of three base64url parts, header.payload.signature, carrying claims such as the subject and expiry. It is signed, not encrypted, so anyone can read the payload, but it cannot be altered without the key.

        _built-in glossary · auth_
    "#]],
    );
    check_hover(
        "*😀 什么是 refresh tok$0en?\n-> 🔑\n",
        expect![[r#"
        "refresh token"
        **refresh token**

        A long-lived credential used only to obtain new access tokens without asking the user to log in again. It must be stored securely, can be revoked, and is often rotated on every use.

        _built-in glossary · auth_
    "#]],
    );
}

#[test]
fn hover_crlf() {
    check_hover(
        &crlf(
            "
            *What is a webhook?
            -> An HTTP callback
            sent when an event happens.

            *Q
            -> register a web$0hook
            ",
        ),
        expect![[r#"
            "webhook"
            **webhook**

            _Also written: web hook_

            An HTTP callback sent when an event happens.

            _your notes, line 1_

            ---

            An HTTP callback: when an event happens, one system sends an HTTP POST to a URL registered by another system. Receivers should verify a signature, respond quickly and process the event idempotently.

            _built-in glossary · http_
        "#]],
    );
    check_hover(
        &crlf(
            "
            *Q
            -> a

            *Unanswered q$0uestion
            ",
        ),
        expect![[r#"
            "Unanswered question"
            **Unanswered** · no `->` and no answer
        "#]],
    );
}

// ---------------------------------------------------------------- completion

#[test]
fn complete_prefix() {
    check_completion(
        "*Q\n-> Guni$0\n",
        expect![[r#"
        0 Term Gunicorn "Guni" (servers)
    "#]],
    );
}

#[test]
fn complete_ignores_case() {
    check_completion(
        "*Q\n-> guNI$0\n",
        expect![[r#"
            0 Term Gunicorn "guNI" filter "guNIcorn" (servers)
        "#]],
    );
}

#[test]
fn complete_fuzzy() {
    check_completion(
        "*Q\n-> gncrn$0\n",
        expect![[r#"
        0 Term Gunicorn "gncrn" (servers)
    "#]],
    );
    check_completion(
        "*Q\n-> reftok$0\n",
        expect![[r#"
        0 Term refresh token "reftok" (auth)
    "#]],
    );
}

#[test]
fn complete_alias_inserts_canonical_name() {
    check_completion(
        "*Q\n-> Green Uni$0\n",
        expect![[r#"
            0 Term Gunicorn "Green Uni" filter "Green Unicorn" (servers · alias “Green Unicorn”)
        "#]],
    );
    check_completion(
        "*Q\n-> fast-a$0\n",
        expect![[r#"
            0 Term FastAPI "fast-a" filter "fast-api" (frameworks · alias “fast-api”)
        "#]],
    );
}

#[test]
fn complete_name_prefix_before_alias_prefix() {
    check_completion(
        "*Q\n-> pos$0\n",
        expect![[r#"
            0 Term PostgreSQL "pos" filter "postgreSQL" (databases)
            1 Term HTTP POST "pos" filter "posT request" (http · alias “POST request”)
        "#]],
    );
}

#[test]
fn complete_user_defined_first_on_ties() {
    check_completion(
        "
        *What is a gunslinger?
        -> Someone fast with a gun.

        *Q
        -> gun$0
        ",
        expect![[r#"
            0 Term gunslinger "gun" (your notes)
            1 Term Gunicorn "gun" filter "gunicorn" (servers)
        "#]],
    );
}

#[test]
fn complete_multi_word_alias() {
    check_completion(
        "*Q\n-> Django behind Green U$0\n",
        expect![[r#"
            0 Term Gunicorn "Green U" filter "Green Unicorn" (servers · alias “Green Unicorn”)
            1 Term uWSGI "Green U" => "Green uWSGI" filter "Green UWSGI" (servers)
            2 Term uvloop "Green U" => "Green uvloop" filter "Green Uvloop" (servers)
            3 Term Uvicorn "Green U" => "Green Uvicorn" filter "Green Uvicorn" (servers)
            4 Term clickjacking "Green U" => "Green clickjacking" filter "Green UI redressing" (security · alias “UI redressing”)
            5 Term Swagger UI "Green U" => "Green Swagger UI" filter "Green Swagger UI" (api)
            6 Term rolling update "Green U" => "Green rolling update" filter "Green rolling update" (deployment)
            7 Term 401 Unauthorized "Green U" => "Green 401 Unauthorized" filter "Green 401 Unauthorized" (http)
            8 Term LRU "Green U" => "Green LRU" filter "Green Least Recently Used" (caching · alias “Least Recently Used”)
            9 Term vertical scaling "Green U" => "Green vertical scaling" filter "Green scaling up" (deployment · alias “scaling up”)
        "#]],
    );
}

#[test]
fn complete_multi_word_replaces_from_its_first_word() {
    check_completion(
        "*Q\n-> send the refresh to$0\n",
        expect![[r#"
            0 Term refresh token "refresh to" (auth)
            1 Term Tornado "refresh to" => "refresh Tornado" filter "refresh tornado" (frameworks)
            2 Term token bucket "refresh to" => "refresh token bucket" filter "refresh token bucket" (api)
            3 Term CSRF token "refresh to" => "refresh CSRF token" filter "refresh CSRF token" (security)
            4 Term OWASP Top 10 "refresh to" => "refresh OWASP Top 10" filter "refresh OWASP Top 10" (security)
            5 Term access token "refresh to" => "refresh access token" filter "refresh access token" (auth)
            6 Term bearer token "refresh to" => "refresh bearer token" filter "refresh bearer token" (auth)
            7 Term 429 Too Many Requests "refresh to" => "refresh 429 Too Many Requests" filter "refresh 429 Too Many Requests" (http)
            8 Term JWT "refresh to" => "refresh JWT" filter "refresh JSON Web Token" (auth · alias “JSON Web Token”)
            9 Term TTL "refresh to" => "refresh TTL" filter "refresh time to live" (caching · alias “time to live”)
            ... 14 in all
        "#]],
    );
}

#[test]
fn complete_inside_a_word_replaces_to_its_end() {
    check_completion(
        "*Q\n-> use Guni$0corn.\n",
        expect![[r#"
        0 Term Gunicorn "Gunicorn" (servers)
    "#]],
    );
}

#[test]
fn complete_user_terms() {
    check_completion(
        "
        //- a.txt
        *What is the outbox pattern?
        -> Events written with the data.
        //- notes.txt
        *Q
        -> outb$0
        ",
        expect![[r#"
            0 Term outbox pattern "outb" (your notes)
        "#]],
    );
}

#[test]
fn complete_in_table_rows() {
    check_completion(
        "*Q\n->\n| Gunicorn | Uvic$0 |\n",
        expect![[r#"
        0 Term Uvicorn "Uvic" (servers)
    "#]],
    );
}

#[test]
fn complete_new_entry_snippet_at_line_start() {
    check_completion(
        "*Q\n-> a\n\n$0",
        expect![[r#"
        0 Snippet *question "" => "*${1:question}\n->\n${0:answer}" (New question and answer)
    "#]],
    );
    check_completion(
        "*Q\r\n-> a\r\n\r\n*$0\r\n",
        expect![[r#"
        0 Snippet *question "*" => "*${1:question}\r\n->\r\n${0:answer}" (New question and answer)
    "#]],
    );
}

#[test]
fn complete_nothing_on_an_empty_word_mid_line() {
    check_completion("*Q\n-> use $0\n", expect![[r#""#]]);
    check_completion("*Q\n-> use $0 later\n", expect![[r#""#]]);
}

// ---------------------------------------------------------------- folding and highlights

const SMALL_FILE: &str = "*What is a JWT
and 😀 its refresh token?
-> JWT: a signed token.
Send it as a Bearer token.

*One line? -> yes

Unmarked question?
-> With Gunicorn and Fast API.
";

#[test]
fn folding_one_range_per_multi_line_entry() {
    let notes = parse(SMALL_FILE);
    let actual: String = folding_ranges(SMALL_FILE, &notes)
        .into_iter()
        .map(|r| format!("{}\n", show(SMALL_FILE, r)))
        .collect();
    expect![[r#"
        "*What is a JWT\nand 😀 its refresh token?\n-> JWT: a signed token.\nSend it as a Bearer token."
        "Unmarked question?\n-> With Gunicorn and Fast API."
    "#]].assert_eq(&actual);
}

#[test]
fn highlight_spans() {
    let notes = parse(SMALL_FILE);
    let actual: String = highlights(SMALL_FILE, &notes, &TermIndex::builtin())
        .into_iter()
        .map(|h| format!("{:?} {}\n", h.kind, show(SMALL_FILE, h.range)))
        .collect();
    expect![[r#"
        QuestionMarker "*"
        Question "What is a"
        KnownTerm "JWT"
        Question "and 😀 its"
        KnownTerm "refresh token"
        Question "?"
        Arrow "->"
        DefinitionTerm "JWT"
        KnownTerm "Bearer token"
        QuestionMarker "*"
        Question "One line?"
        Arrow "->"
        Question "Unmarked question?"
        Arrow "->"
        KnownTerm "Gunicorn"
        KnownTerm "Fast API"
    "#]]
    .assert_eq(&actual);
}

// ---------------------------------------------------------------- any text

/// Pieces that make the interesting cases likely: terms, line breaks of
/// every kind, markers, multi-byte characters and word punctuation.
const PIECES: &[&str] = &[
    "*", "->", "\n", "\r\n", "\r", " ", "  ", "JWT", "JWTs", "refresh", "token", "What is ", "?",
    "😀", "使用", "é", ".", "/", "-", "|", ":", "Fast", "API", "N+1", "query", "Gunicorn", "TODO",
    "x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ranges_stay_on_one_line_and_cover_the_cursor(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..24),
        at in any::<prop::sample::Index>(),
    ) {
        let text: String = pieces.concat();
        let notes = parse(&text);
        let mut idx = TermIndex::builtin();
        idx.set_document(&"doc".into(), &text, &notes);
        let one_line = |r: TextRange| !r.slice(&text).contains(['\n', '\r']);

        let mut end = 0;
        for h in highlights(&text, &notes, &idx) {
            prop_assert!(!h.range.is_empty() && h.range.start() >= end && one_line(h.range), "{h:?}");
            end = h.range.end();
        }
        for r in folding_ranges(&text, &notes) {
            prop_assert!(!one_line(r));
        }
        // Every byte offset, and one past the end: an offset inside a character
        // gives nothing, one past the end counts as the end.
        let inside_char = |offset: usize| offset < text.len() && !text.is_char_boundary(offset);
        for offset in 0..=text.len() + 1 {
            let term = idx.term_at(&text, offset);
            let hovered = hover(&text, &notes, &idx, &"doc".into(), offset);
            if inside_char(offset) {
                prop_assert!(term.is_none() && hovered.is_none());
                continue;
            }
            let offset = offset.min(text.len());
            if let Some(m) = term {
                prop_assert!(m.range.contains_inclusive(offset) && one_line(m.range), "{m:?}");
            }
            if let Some(h) = hovered {
                prop_assert!(h.range.contains_inclusive(offset), "{h:?} at {offset}");
            }
        }
        let offset = at.index(text.len() + 2);
        let items = completions(&text, &notes, &idx, offset);
        prop_assert!(!inside_char(offset) || items.is_empty());
        let offset = offset.min(text.len());
        for c in items {
            prop_assert!(c.replace.contains_inclusive(offset) && one_line(c.replace), "{c:?}");
        }
        idx.remove_document(&"doc".into());
        prop_assert_eq!(idx.user_terms_in("doc").count(), 0);
    }
}
