//! The spelling check (`misspelled-term`): fixture text in, one line per
//! finding out (`line:column "as written" → suggestion`), checked against
//! expect-test snapshots (`UPDATE_EXPECT=1 cargo test` rewrites them). The
//! fixture is indexed as the user's notes first, so its own definitions
//! count; a fixture may start with a user glossary file after `//- glossary`.

#[path = "common/fixture_text.rs"]
mod fixture_text;

use expect_test::{expect, Expect};
use notes_ls::ide::{entry_misspellings, misspellings, DiagnosticKind, TermIndex, TermSource};
use notes_ls::syntax::parse;
use proptest::prelude::*;

/// The index and the notes text of a fixture.
fn setup(fixture: &str) -> (TermIndex, String) {
    let (glossary, text) = fixture_text::glossary_and_notes(fixture);
    let mut idx = TermIndex::builtin();
    if let Some(glossary) = glossary {
        idx.set_user_glossary(&"glossary.toml".into(), &glossary)
            .expect("the glossary parses");
    }
    idx.set_document(&"notes.txt".into(), &text, &parse(&text));
    (idx, text)
}

fn render(text: &str, idx: &TermIndex) -> String {
    misspellings(text, &parse(text), idx)
        .into_iter()
        .map(|d| {
            let DiagnosticKind::MisspelledTerm { word, suggestion } = &d.kind else {
                panic!("not a misspelling: {d:?}");
            };
            assert_eq!(d.range.slice(text), word);
            assert_eq!(d.code(), "misspelled-term");
            assert_eq!(d.fixes.len(), 1);
            assert_eq!(d.fixes[0].label, format!("Change to `{suggestion}`"));
            let before = &text[..d.range.start()];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("{line}:{col} {word:?} → {suggestion}\n")
        })
        .collect()
}

fn check(fixture: &str, expect: Expect) {
    let (idx, text) = setup(fixture);
    expect.assert_eq(&render(&text, &idx));
}

#[test]
fn sample_misspellings_fire_with_the_canonical_name() {
    check(
        "
        *Why not just run uvicon alone?
        -> In prod the usual combo is gunicon as the process manager.
        *Why do most Django projects use postgress?
        -> Kubernetes, not kubernets. Fast API is a framework.
        ",
        expect![[r#"
            1:19 "uvicon" → Uvicorn
            2:31 "gunicon" → Gunicorn
            3:34 "postgress" → PostgreSQL
            4:20 "kubernets" → Kubernetes
            4:31 "Fast API" → FastAPI
        "#]],
    );
}

#[test]
fn the_message_and_fix() {
    let (idx, text) = setup("*Q\n-> Gunicon here\n");
    let d = &misspellings(&text, &parse(&text), &idx)[0];
    assert_eq!(
        d.message,
        "Unknown term `Gunicon`: did you mean `Gunicorn`?"
    );
    assert!(d.fixes[0].preferred);
    assert_eq!(d.fixes[0].apply(&text), "*Q\n-> Gunicorn here\n");
}

#[test]
fn closest_term_wins_and_case_follows_the_sentence() {
    check(
        "
        *Q
        -> Middlewre runs first; falsk and Djnago too; two gunicons; SQLAlchmey.
        ",
        expect![[r#"
            2:4 "Middlewre" → Middleware
            2:26 "falsk" → Flask
            2:36 "Djnago" → Django
            2:52 "gunicons" → Gunicorns
            2:62 "SQLAlchmey" → SQLAlchemy
        "#]],
    );
}

#[test]
fn multi_word_terms_are_checked_in_context() {
    check(
        "
        *Q
        -> Django REST Framwork, a refesh token, a framwork alone, OAuth Top 10.
        -> Graph QL and Rabbit MQ; a fast API is fine.
        ",
        expect![[r#"
            2:4 "Django REST Framwork" → Django REST Framework
            2:28 "refesh token" → refresh token
            3:4 "Graph QL" → GraphQL
            3:17 "Rabbit MQ" → RabbitMQ
        "#]],
    );
}

#[test]
fn english_words_near_terms_are_fine() {
    check(
        "
        *Q
        -> A flash of rest: the token is in cookies, the queue feeds pods,
        caching and sharing help, a unicorn is washing the celery, Flask
        serialized it, the profiler and profiling, sessions, deadlocks.
        ",
        expect![[r#""#]],
    );
}

#[test]
fn acronyms_identifiers_and_odd_words_are_fine() {
    check(
        "
        *Q
        -> CORB and ABAC are not CORS and RBAC; JSNO is shouting; OIDs.
        asyncId, swapOut and PostGIS are names; jsonb, httpx.
        multi-version concurrency control; keepalive; async-await; web-hook.
        gunicon2 gunicon_x gunicon.py C#unicon N+1
        ",
        expect![[r#""#]],
    );
}

#[test]
fn hyphenated_and_slashed_words_are_checked_by_part() {
    check(
        "
        *Q
        -> a gunicon-based setup, uvicon/gunicorn
        ",
        expect![[r#"
            2:6 "gunicon" → Gunicorn
            2:27 "uvicon" → Uvicorn
        "#]],
    );
}

#[test]
fn terms_the_notes_define_are_fine() {
    check(
        "
        *Tools
        -> Gunicon: my own tool
        *Q
        -> I run gunicon daily, and gunicons.
        ",
        expect![[r#""#]],
    );
}

#[test]
fn product_names_in_the_notes_are_checked_against() {
    check(
        "
        *Q
        -> PgBouncr sits in front; HikariPC is a typo.
        HikariCP: a pool; hikaripc and Hikari are not camel case.
        ",
        expect![[r#"
            2:4 "PgBouncr" → PgBouncer
            2:28 "HikariPC" → HikariCP
        "#]],
    );
}

/// Terms the notes define, not in camel case: a word one edit away with the
/// same first and last letters (`memoizaton`), or a phrase with one word so
/// (`Consistant hashing`, `Blom filter`), is flagged; the suggestion follows
/// the word's case.
#[test]
fn misspellings_of_the_notes_own_terms() {
    check(
        "
        *What is Consistent hashing?
        -> Keys on a ring of hash slots.
        *What is a Bloom filter?
        -> A bit array that may say yes wrongly.
        Memoization: keeping the results of calls.
        *Q
        -> Consistant hashing moves few keys; a Blom filter answers maybe.
        With memoizaton, consistant hashing is cheap.
        ",
        expect![[r#"
            7:4 "Consistant hashing" → Consistent hashing
            7:41 "Blom filter" → Bloom filter
            8:6 "memoizaton" → memoization
            8:18 "consistant hashing" → consistent hashing
        "#]],
    );
}

/// A typo inside a multi-word term the notes define is still flagged
/// elsewhere: the term's words count only together.
#[test]
fn a_typo_inside_a_term_of_the_notes_is_still_a_typo() {
    check(
        "
        *Q
        ->
        Gunicon workers: processes.
        Run gunicon behind nginx.
        ",
        expect![[r#"
            3:1 "Gunicon" → Gunicorn
            4:5 "gunicon" → Gunicorn
        "#]],
    );
}

/// What is near a term from the notes but right stays unflagged: other
/// forms of it (other last letter), short one-word terms (`Stored`), a word
/// of a phrase without the rest of it, other first letters.
#[test]
fn words_near_the_notes_own_terms_that_are_fine() {
    check(
        "
        *What is Consistent hashing?
        -> Keys on a ring.
        Stored: kept in the database.
        Denormalize: copy data to save joins.
        *Q
        -> Stores and scored items; consistant results; a denormalized table;
        it denormalizes; a Blom; hashing alone.
        ",
        expect![[r#""#]],
    );
}

/// Two spellings the notes both define: each is a term of its own while
/// they are defined as often; the rarer one is flagged once the other is
/// defined at least twice, and twice as often.
#[test]
fn between_two_defined_spellings_the_frequent_one_wins() {
    let blom = "*What is a Blom filter?\n-> A typo of mine.\n\n";
    let bloom = "*What is a Bloom filter?\n-> A bit array.\n\n";
    check(&format!("{blom}{bloom}"), expect![[r#""#]]);
    let more = "*Why one?\n->\nBloom filter: cheap.\n";
    check(
        &format!("{blom}{bloom}{more}"),
        expect![[r#"
            1:12 "Blom filter" → Bloom filter
        "#]],
    );
}

#[test]
fn words_a_user_glossary_lists_are_fine() {
    check(
        r#"
        //- glossary
        words = ["gunicon", "Fast API"]

        [[term]]
        name = "Kestrel"
        aliases = ["kestrel-server"]
        misspellings = ["Kes Trel"]
        //- notes
        *Q
        -> gunicon, Fast API, Kestrel, kestrl, Kes Trel, uvicon.
        "#,
        expect![[r#"
            2:32 "kestrl" → Kestrel
            2:40 "Kes Trel" → Kestrel
            2:50 "uvicon" → Uvicorn
        "#]],
    );
}

#[test]
fn code_urls_and_paths_are_not_prose() {
    check(
        "
        *Q
        -> see `gunicon -w 4` and ``uvicon ` x`` at https://gunicon.org/uvicon
        or www.gunicon.com, /opt/gunicon/bin, ~/gunicon, --gunicon, me@gunicon.io
            gunicon app:app
        \tuvicon main:app
        ```
        gunicon
        ```
        ~~~~python
        uvicon
        ```
        still code
        ~~~~
            - but a nested bullet about gunicon is prose
        and an unclosed ` gunicon too
        ",
        expect![[r#"
            14:33 "gunicon" → Gunicorn
            15:19 "gunicon" → Gunicorn
        "#]],
    );
}

#[test]
fn multi_byte_text_before_a_word_keeps_the_range_exact() {
    let (idx, text) = setup("*缓存 😀 naïve?\n-> 使用 ⚠️ café gunicon 😀\r\n");
    let ds = misspellings(&text, &parse(&text), &idx);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].range.slice(&text), "gunicon");
    assert_eq!(
        ds[0].fixes[0].apply(&text),
        "*缓存 😀 naïve?\n-> 使用 ⚠️ café Gunicorn 😀\r\n"
    );
}

#[test]
fn text_before_the_first_question_is_checked_and_entries_alone() {
    let (idx, text) = setup("Notes on gunicon\n\n*What about uvicon?\n-> kubernets\n");
    let notes = parse(&text);
    let whole: Vec<String> = misspellings(&text, &notes, &idx)
        .iter()
        .map(|d| d.range.slice(&text).to_string())
        .collect();
    assert_eq!(whole, ["gunicon", "uvicon", "kubernets"]);
    let entry: Vec<String> = entry_misspellings(&text, &notes.entries[0], &idx)
        .iter()
        .map(|d| d.range.slice(&text).to_string())
        .collect();
    assert_eq!(entry, ["uvicon", "kubernets"]);
}

#[test]
fn without_the_builtin_glossary_nothing_is_near() {
    let text = "*Q\n-> gunicon\n";
    assert!(misspellings(text, &parse(text), &TermIndex::empty()).is_empty());
}

// ---------------------------------------------------------------- user glossary files

#[test]
fn user_glossary_definitions_rank_between_notes_and_builtin() {
    let mut idx = TermIndex::builtin();
    let notes = "*Q\n-> Gunicorn: our app server\n";
    idx.set_document(&"notes.txt".into(), notes, &parse(notes));
    let n = idx.set_user_glossary(&"team.toml".into(),
        "words = [\"gunicon\"]\n[[term]]\nname = \"gunicorn\"\ndefinition = \"Ours, tuned.\"\n\n[[term]]\nname = \"Kestrel\"\naliases = [\"kestrel-server\"]\n",
    );
    assert_eq!(n, Ok(3));
    let sources: Vec<String> = idx
        .definitions("Gunicorn")
        .iter()
        .map(|d| match &d.source {
            TermSource::Notes { doc, .. } => format!("notes {doc}"),
            TermSource::UserGlossary { path } => format!("glossary {path}"),
            TermSource::Builtin { .. } => "builtin".to_string(),
        })
        .collect();
    assert_eq!(
        sources,
        ["notes notes.txt", "glossary team.toml", "builtin"]
    );
    assert_eq!(idx.name("kestrel-server"), Some("Kestrel"));
    assert!(idx.is_known("Kestrels"));
    assert!(idx.is_glossary_word("Gunicon") && !idx.is_known("gunicon"));
    assert!(idx.all_terms().any(|t| t.name == "Kestrel"));

    // A file that does not parse leaves the index as it was.
    let err = idx
        .set_user_glossary(&"team.toml".into(), "[[term]\n")
        .unwrap_err();
    assert!(!err.is_empty());
    assert!(idx.is_known("Kestrel"));

    idx.remove_user_glossary(&"team.toml".into());
    assert!(!idx.is_known("Kestrel") && !idx.is_glossary_word("gunicon"));
    assert_eq!(idx.definitions("gunicorn").len(), 2);
}

#[test]
fn notes_terms_follow_glossary_changes() {
    let mut idx = TermIndex::builtin();
    let notes = "*Q\n-> kestrel-server: the one we run\n";
    idx.set_document(&"notes.txt".into(), notes, &parse(notes));
    assert_eq!(idx.name("kestrel-server"), Some("kestrel-server"));
    idx.set_user_glossary(
        &"g.toml".into(),
        "[[term]]\nname = \"Kestrel\"\naliases = [\"kestrel-server\"]\n",
    )
    .expect("parses");
    assert_eq!(
        idx.definitions("Kestrel").len(),
        2,
        "the notes' one joins it"
    );
    assert_eq!(idx.name("kestrel-server"), Some("Kestrel"));
    idx.remove_user_glossary(&"g.toml".into());
    assert_eq!(idx.definitions("kestrel-server").len(), 1);
    assert!(!idx.is_known("Kestrel"));
}

// ---------------------------------------------------------------- the sample notes

/// Every finding in the sample notes as written
/// (`tests/fixtures/sample-notes-raw/`): exactly the deliberate misspellings
/// its README lists, and nothing else.
#[test]
fn sample_notes_flag_only_the_deliberate_misspellings() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-notes-raw");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/sample-notes-raw/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "notes" || e == "txt"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(p).expect("UTF-8 text"))
        })
        .collect();
    let mut idx = TermIndex::builtin();
    for (name, text) in &texts {
        idx.set_document(&name.as_str().into(), text, &parse(text));
    }
    let mut actual = String::new();
    for (name, text) in &texts {
        for line in render(text, &idx).lines() {
            actual.push_str(&format!("{name}:{line}\n"));
        }
    }
    expect![[r#"
        databases.notes:71:34 "postgress" → PostgreSQL
        deployment-and-debugging.txt:57:12 "kubernets" → Kubernetes
        python-web-backends.notes:23:28 "gunicon" → Gunicorn
        python-web-backends.notes:27:19 "uvicon" → Uvicorn
        python-web-backends.notes:43:3 "Fast API" → FastAPI
    "#]]
    .assert_eq(&actual);
}

// ---------------------------------------------------------------- any text

/// Pieces that make the interesting cases likely: misspellings, code and
/// link markers, line breaks of every kind and multi-byte characters.
const PIECES: &[&str] = &[
    "*",
    "->",
    "\n",
    "\r\n",
    "\r",
    " ",
    "    ",
    "\t",
    "gunicon",
    "Gunicons",
    "Fast",
    "API",
    "Fast API",
    "Django",
    "REST",
    "Framwork",
    "`",
    "```",
    "~~~",
    "https://",
    "www.",
    "/",
    "-",
    "@",
    "😀",
    "缓存",
    "é",
    "kubernets",
    "What is ",
    "?",
    ":",
    "x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn findings_are_in_order_on_char_boundaries_and_their_fixes_apply(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..30),
    ) {
        let text: String = pieces.concat();
        let notes = parse(&text);
        let mut idx = TermIndex::builtin();
        idx.set_document(&"doc".into(), &text, &notes);
        let found = misspellings(&text, &notes, &idx);
        let mut end = 0;
        for d in &found {
            let r = d.range;
            prop_assert!(r.start() >= end && r.end() <= text.len() && !r.is_empty(), "{d:?}");
            prop_assert!(text.is_char_boundary(r.start()) && text.is_char_boundary(r.end()));
            prop_assert!(!r.slice(&text).contains(['\n', '\r']));
            let DiagnosticKind::MisspelledTerm { suggestion, .. } = &d.kind else {
                panic!("not a misspelling: {d:?}");
            };
            let fixed = d.fixes[0].apply(&text);
            prop_assert_eq!(&fixed[r.start()..r.start() + suggestion.len()], suggestion.as_str());
            end = r.end();
        }
        let in_entries: Vec<_> = notes
            .entries
            .iter()
            .flat_map(|e| entry_misspellings(&text, e, &idx))
            .collect();
        prop_assert!(in_entries.iter().all(|d| found.contains(d)));
    }
}

#[test]
fn other_languages_are_not_checked() {
    // `jsou` is Czech for "are", not a misspelling of JSON; the English line
    // with the same word near a term is checked.
    check(
        "
        *Co je ORM?
        -> Objekty jsou mapovány na tabulky, data jsou uložena v databázi.
        Der Server ist schnell und gunicon ist gut.
        In English: the gunicon workers are forked.
        ",
        expect![[r#"
            4:17 "gunicon" → Gunicorn
        "#]],
    );
}

#[test]
fn suggestions_are_the_nearest_spelling() {
    // `threding` is one edit from the alias `threading`: that is suggested,
    // not the name it is an alias of. `querise` is two edits from QuerySet
    // with another last letter: more likely `queries`, so not flagged;
    // `querysett`, one edit away, is.
    check(
        "
        *Q
        -> use querise and threding; a querysett.
        ",
        expect![[r#"
            2:20 "threding" → threading
            2:32 "querysett" → QuerySet
        "#]],
    );
}

/// Two terms at the same distance: the one the notes and glossaries name
/// more often is suggested (edit distance first, then frequency).
#[test]
fn at_equal_distance_the_more_frequent_term_wins() {
    // `Redix` (the user's glossary) and `Redis` (built in) are both one
    // edit from `Rediz`. Named once each, the tie goes to glossary order.
    let glossary =
        "//- glossary\n[[term]]\nname = \"Redix\"\ndefinition = \"Our cache.\"\n//- notes\n";
    let question = "*Q\n-> We put Rediz in front of the database.\n";
    check(
        &format!("{glossary}{question}"),
        expect![[r#"
        2:11 "Rediz" → Redix
    "#]],
    );
    // The notes define Redis twice more: it is the more frequent term.
    let redis = "*What is Redis?\n-> Redis: a cache.\n\n*Why Redis?\n- Redis: fast.\n\n";
    check(
        &format!("{glossary}{redis}{question}"),
        expect![[r#"
        8:11 "Rediz" → Redis
    "#]],
    );
}
