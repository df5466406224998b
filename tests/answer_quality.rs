//! Answer quality: `placeholder-answer` (always on) and `short-answer` (off
//! unless `[diagnostics] short-answer` is set; threshold
//! `short-answer-words`), through `workspace::diagnose` as `check` and the
//! server call it, with the configuration's layers.

use std::path::PathBuf;

use expect_test::{expect, Expect};
use notes_ls::config::Config;
use notes_ls::syntax::parse;
use notes_ls::workspace::{diagnose, WorkspaceIndex};

const NOTES: &str = "\
*What is idempotency?
-> TODO

*Is it cached?
-> Yes.

*Why a pool?
-> ...

*Why Redis?
-> In memory, single threaded, simple data structures.

*Define ORM -> tbd
";

fn check(toml: &str, expect: Expect) {
    let config = Config::default().with_toml(toml).expect("valid toml");
    let path = PathBuf::from("/n/a.notes");
    let notes = parse(NOTES);
    let mut index = WorkspaceIndex::new(Vec::new(), config);
    index.add_parsed(path.clone(), NOTES.to_string(), &notes);
    let actual: String = diagnose(&index, &path, NOTES, &notes)
        .iter()
        .map(|(d, sev)| {
            format!(
                "{} {} {:?} {}\n",
                d.code(),
                sev.as_str(),
                d.range.slice(NOTES),
                d.message
            )
        })
        .collect();
    expect.assert_eq(&actual);
}

#[test]
fn placeholders_by_default_short_answers_off() {
    check(
        "",
        expect![[r#"
            placeholder-answer warning "TODO" Placeholder answer: `TODO` counts as unanswered
            placeholder-answer warning "..." Placeholder answer: `...` counts as unanswered
            placeholder-answer warning "tbd" Placeholder answer: `tbd` counts as unanswered
        "#]],
    );
}

#[test]
fn short_answers_when_asked_for() {
    check(
        "[diagnostics]\nshort-answer = \"hint\"\nplaceholder-answer = \"error\"",
        expect![[r#"
            placeholder-answer error "TODO" Placeholder answer: `TODO` counts as unanswered
            short-answer hint "Yes." Short answer: 1 word (fewer than 4); add the why or the how
            placeholder-answer error "..." Placeholder answer: `...` counts as unanswered
            placeholder-answer error "tbd" Placeholder answer: `tbd` counts as unanswered
        "#]],
    );
    check(
        "[diagnostics]\nshort-answer = \"info\"\nshort-answer-words = 8",
        expect![[r#"
            placeholder-answer warning "TODO" Placeholder answer: `TODO` counts as unanswered
            short-answer info "Yes." Short answer: 1 word (fewer than 8); add the why or the how
            placeholder-answer warning "..." Placeholder answer: `...` counts as unanswered
            short-answer info "In memory, single threaded, simple data structures." Short answer: 7 words (fewer than 8); add the why or the how
            placeholder-answer warning "tbd" Placeholder answer: `tbd` counts as unanswered
        "#]],
    );
}

#[test]
fn bad_settings_are_errors() {
    for bad in [
        "[diagnostics]\nshort-answer-words = 0",
        "[diagnostics]\nshort-answer-words = \"many\"",
        "[diagnostics]\nshort-answer = 3",
    ] {
        assert!(Config::default().with_toml(bad).is_err(), "{bad}");
    }
    let (c, _) = Config::default()
        .with_json(&serde_json::json!({"notesLs": {"diagnostics": {"short-answer-words": 2}}}))
        .expect("valid json");
    assert_eq!(c.short_answer_words, 2);
}
