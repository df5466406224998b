//! The English spelling check (`english-spelling`, off by default): fixture
//! text in, one line per finding out (`line:column "as written" →
//! suggestions`), checked against expect-test snapshots. The fixture is
//! indexed as the user's notes first, so its own terms count; a fixture may
//! start with a user glossary file after `//- glossary`.

#[path = "common/fixture_text.rs"]
mod fixture_text;

use expect_test::{expect, Expect};
use notes_ls::ide::{misspellings, DiagnosticKind, TermIndex};
use notes_ls::syntax::parse;

fn setup(fixture: &str, english: bool) -> (TermIndex, String) {
    let (glossary, text) = fixture_text::glossary_and_notes(fixture);
    let mut idx = TermIndex::builtin();
    idx.set_english_spelling(english);
    if let Some(glossary) = glossary {
        idx.set_user_glossary(&"glossary.toml".into(), &glossary)
            .expect("the glossary parses");
    }
    idx.set_document(&"notes.txt".into(), &text, &parse(&text));
    (idx, text)
}

/// The English findings only; term misspellings have their own tests.
fn render(text: &str, idx: &TermIndex) -> String {
    misspellings(text, &parse(text), idx)
        .into_iter()
        .filter_map(|d| {
            let DiagnosticKind::EnglishSpelling { word, suggestions } = &d.kind else {
                return None;
            };
            assert_eq!(d.range.slice(text), word);
            assert_eq!(d.code(), "english-spelling");
            let labels: Vec<String> = d.fixes.iter().map(|f| f.label.clone()).collect();
            let expected: Vec<String> = suggestions
                .iter()
                .map(|s| format!("Change to `{s}`"))
                .collect();
            assert_eq!(labels, expected);
            assert!(d.fixes[0].preferred);
            let before = &text[..d.range.start()];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            Some(format!(
                "{line}:{col} {word:?} → {}\n",
                suggestions.join(", ")
            ))
        })
        .collect()
}

fn check(fixture: &str, expect: Expect) {
    let (idx, text) = setup(fixture, true);
    expect.assert_eq(&render(&text, &idx));
}

#[test]
fn off_by_default() {
    let (idx, text) = setup(
        "*What is CSRF?\n-> Security Attact on a trustes site\n",
        false,
    );
    assert_eq!(render(&text, &idx), "");
}

/// A compound with another script's letters is not English prose (the
/// benchmark corpus appends `λ-calcul et fonctions` to English lines).
#[test]
fn compounds_with_other_scripts_are_left_alone() {
    check(
        "
        *Q
        -> Index the foreign key. λ-calcul and café-crème stay, but recieve is flagged
        ",
        expect![[r#"
            2:61 "recieve" → receive, relieve
        "#]],
    );
}

/// The real user's file has these three.
#[test]
fn misspelled_words_get_suggestions() {
    check(
        "
        *What is CSRF?
        ->
        Security Attact where a malicious site forces a logged-in user to act
        on a trustes site. FastAPI is async bydefault.
        ",
        expect![[r#"
            3:10 "Attact" → Attach, Attack, Attract
            4:6 "trustes" → trusts, trusses, trusted
            4:37 "bydefault" → by default
        "#]],
    );
}

#[test]
fn code_urls_paths_and_identifiers_are_not_prose() {
    check(
        "
        *Q
        -> Run `pip instal flask` or see https://example.org/recieve and
        /usr/lib/recieve, ~/recieve; get_recieve, recieveData, RecieveData,
        RCVE, recieve2 and app.recieve are names.
            indented recieve code
        ```
        fenced recieve code
        ```
        ",
        expect![[r#""#]],
    );
}

#[test]
fn known_terms_and_listed_words_are_fine() {
    check(
        "
        //- glossary
        words = [\"flaskish\"]
        //- notes
        *What is Gunicorn?
        -> Gunicorn forks workers; Uvicorn too; a flaskish app.
        Wobblification: my own term for it.
        *Q
        -> wobblification again.
        ",
        expect![[r#""#]],
    );
}

#[test]
fn other_languages_are_not_checked() {
    check(
        "
        *Co je ORM?
        -> Objekty jsou mapovány na tabulky v databázi.
        In English: objects are recieved.
        ",
        expect![[r#"
            3:25 "recieved" → received, relieved
        "#]],
    );
}

/// Words the dictionary does not know but has nothing near (names, jargon)
/// are left alone; apostrophes do not split a word into a finding; the
/// parts of a hyphenated word are checked. Words with a prefix
/// (`untrusted`), words run together that are not short ones
/// (`runserver`), and `data/tech-vocabulary.txt` are fine.
#[test]
fn unknown_words_with_nothing_near_and_contractions_are_fine() {
    check(
        "
        *Q
        -> It doesn't matter; Zzyzxqw is a name. Hyphenated-recieve counts.
        Untrusted params in repos, runserver and autovacuum are jargon.
        ",
        expect![[r#"
            2:53 "recieve" → receive, relieve
        "#]],
    );
}

// ------------------------------------------------------------ configuration

/// Through `workspace::diagnose` as `check` and the server call it: off
/// unless `[diagnostics] english-spelling` (TOML) or
/// `notesLs.diagnostics["english-spelling"]` (editor JSON) names a severity.
fn configured(config: notes_ls::config::Config) -> String {
    use notes_ls::workspace::{diagnose, WorkspaceIndex};
    let text = "*What is CSRF?\n-> A Security Attact on a trusted site.\n";
    let path = std::path::PathBuf::from("/n/a.notes");
    let notes = parse(text);
    let mut index = WorkspaceIndex::new(Vec::new(), config);
    index.add_parsed(path.clone(), text.to_string(), &notes);
    diagnose(&index, &path, text, &notes)
        .iter()
        .map(|(d, sev)| format!("{} {} {}\n", d.code(), sev.as_str(), d.message))
        .collect()
}

#[test]
fn configured_in_toml_and_json() {
    use notes_ls::config::Config;
    assert_eq!(configured(Config::default()), "");
    let toml = Config::default()
        .with_toml("[diagnostics]\nenglish-spelling = \"info\"")
        .expect("valid toml");
    expect![[r#"
        english-spelling info Unknown word `Attact`: did you mean `Attach`, `Attack`, `Attract`?
    "#]]
    .assert_eq(&configured(toml.clone()));
    let off = toml
        .with_toml("[diagnostics]\nenglish-spelling = \"off\"")
        .expect("valid toml");
    assert_eq!(configured(off), "");
    let json = serde_json::json!({"notesLs": {"diagnostics": {"english-spelling": "hint"}}});
    let (from_json, unknown) = Config::default().with_json(&json).expect("valid json");
    assert!(unknown.is_empty(), "{unknown:?}");
    expect![[r#"
        english-spelling hint Unknown word `Attact`: did you mean `Attach`, `Attack`, `Attract`?
    "#]]
    .assert_eq(&configured(from_json));
    assert!(Config::default()
        .with_toml("[diagnostics]\nenglish-spelling = \"loud\"")
        .is_err());
}
