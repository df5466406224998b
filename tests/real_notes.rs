//! `notes-ls check` on notes written the ways real people write them
//! (`tests/fixtures/real/`): code fences with star patterns, multiple-choice
//! options, headings and rulers between entries, other languages, and the
//! Q:/A: and headings dialects. Each file is checked in each dialect setting
//! against the counts of questions and unanswered questions a reader would
//! give, and a file in another dialect than the one set gets a note saying
//! which to set.

use std::path::Path;

use assert_cmd::Command;

/// `(file, the `[format]` table of `notes-ls.toml` (a dialect name, or
/// the lines of the table), the summary line, a note expected)`.
const CASES: &[(&str, &str, &str, bool)] = &[
    (
        "code-fences.notes",
        "arrow",
        "checked 1 file: 6 questions, 5 answered, 1 unanswered; 1 warning",
        false,
    ),
    (
        "headings-between.notes",
        "arrow",
        "checked 1 file: 9 questions, 5 answered, 4 unanswered; 4 warnings",
        false,
    ),
    (
        "mcq.notes",
        "arrow",
        "checked 1 file: 5 questions, 4 answered, 1 unanswered; 1 warning, 1 hint",
        false,
    ),
    (
        "mixed-languages.notes",
        "arrow",
        "checked 1 file: 5 questions, 5 answered, 0 unanswered; 2 infos",
        false,
    ),
    (
        "qa-dialect.txt",
        "qa",
        "checked 1 file: 7 questions, 5 answered, 2 unanswered; 2 warnings",
        false,
    ),
    (
        "qa-dialect.txt",
        "auto",
        "checked 1 file: 7 questions, 5 answered, 2 unanswered; 2 warnings",
        false,
    ),
    // Read as arrow notes, only the last line is a question (unmarked and
    // unanswered: one warning, the `*` hint merged into it): the note says
    // why.
    (
        "qa-dialect.txt",
        "arrow",
        "checked 1 file: 1 question, 0 answered, 1 unanswered; 1 warning",
        true,
    ),
    (
        "headings-dialect.md",
        "headings",
        "checked 1 file: 4 questions, 3 answered, 1 unanswered; 1 warning",
        false,
    ),
    (
        "headings-dialect.md",
        "auto",
        "checked 1 file: 4 questions, 3 answered, 1 unanswered; 1 warning",
        false,
    ),
    (
        "headings-dialect.md",
        "arrow",
        "checked 1 file: 0 questions, 0 answered, 0 unanswered; no findings",
        true,
    ),
    // Arrow notes read in another dialect keep their `*` and `->`.
    (
        "code-fences.notes",
        "qa",
        "checked 1 file: 6 questions, 5 answered, 1 unanswered; 1 warning",
        true,
    ),
    (
        "own-markers.txt",
        "question = [\"Problem:\"]\nanswer = [\"Solution:\"]",
        "checked 1 file: 4 questions, 3 answered, 1 unanswered; 1 warning",
        false,
    ),
    // Without the markers only the `*` question is read; the file has no
    // other dialect's markers, so there is nothing to note.
    (
        "own-markers.txt",
        "arrow",
        "checked 1 file: 1 question, 1 answered, 0 unanswered; no findings",
        false,
    ),
    (
        "mcq.notes",
        "auto",
        "checked 1 file: 5 questions, 4 answered, 1 unanswered; 1 warning, 1 hint",
        false,
    ),
];

#[test]
fn check_counts_on_real_world_fixtures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let mut failures = Vec::new();
    for &(file, dialect, summary, note) in CASES {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(fixtures.join(file), dir.path().join(file)).unwrap();
        let table = if dialect.contains('=') {
            dialect.to_string()
        } else {
            format!("dialect = \"{dialect}\"")
        };
        std::fs::write(
            dir.path().join("notes-ls.toml"),
            format!("[format]\n{table}\n"),
        )
        .unwrap();
        let out = Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
            .args(["check", file, "--deny", "none"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let got = stdout.lines().last().unwrap_or("");
        let noted = stderr.contains(&format!("note: {file} looks like"));
        if got != summary || noted != note || !out.status.success() {
            failures.push(format!(
                "{file} as {dialect}: {got:?} (note: {noted}), expected {summary:?} (note: {note})\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_covered() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            CASES.iter().any(|c| c.0 == name),
            "{name} has no expected counts"
        );
    }
}

/// The features read a dialect's parse like any other: outline names and
/// details, diagnostics, and hover on a dialect's question marker.
#[test]
fn features_work_the_same_on_a_dialect() {
    use notes_ls::ide::{self, TermIndex};
    use notes_ls::syntax::{self, Dialect};

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/qa-dialect.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let notes = syntax::parse_as(&text, Dialect::Qa);

    let outline: Vec<String> = ide::outline(&text, &notes)
        .into_iter()
        .map(|item| format!("{} {:?}", item.name, item.detail))
        .collect();
    assert_eq!(outline.len(), 7, "{outline:#?}");
    assert_eq!(
        outline[2],
        "What are *args and **kwargs? Some(\"unanswered\")"
    );

    let codes: Vec<&str> = ide::diagnostics(&text, &notes)
        .iter()
        .map(|d| d.code())
        .collect();
    assert_eq!(codes, ["unanswered-question", "unanswered-question"]);

    let q3 = text.find("Q3.").unwrap();
    let hover = ide::hover(
        &text,
        &notes,
        &TermIndex::empty(),
        &"qa-dialect.txt".into(),
        q3 + 1,
    )
    .expect("hover on the marker");
    assert!(
        hover.markdown.contains("nothing after the `Ans:`"),
        "{}",
        hover.markdown
    );
    // Messages name the dialect's marker, not `->`.
    let messages: Vec<String> = ide::diagnostics(&text, &notes)
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "Unanswered question: nothing after the `Ans:`",
            "Unanswered question: no `->` and no answer"
        ]
    );
}
