//! End-to-end tests of the `notes-ls` binary: `check` and `outline` run on
//! temporary folders, with exit codes, human and JSON output.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use expect_test::{expect, Expect};
use serde_json::Value;
use tempfile::TempDir;

/// A temporary folder of notes; paths in the output are relative to it.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new(files: &[(&str, &[u8])]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        Fixture { dir }
    }

    /// [`Fixture::new`] for files made by the test.
    fn owned(files: &[(String, Vec<u8>)]) -> Fixture {
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_slice()))
            .collect();
        Fixture::new(&refs)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        notes_ls()
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap()
    }
}

fn notes_ls() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The JSON objects of `check --format json`, one per line.
fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn check_stdout(output: &Output, expect: Expect) {
    expect.assert_eq(&stdout(output));
}

const ANSWERED: &[u8] =
    b"*What is CSRF?\n-> A forged request.\n\n*What is XSS?\n-> Injected script.\n";

#[test]
fn unanswered_question_fails_with_a_rustc_style_block() {
    let f = Fixture::new(&[(
        "web.notes",
        b"*What is CSRF?\n-> A forged request.\n\n*What is XSS?\n",
    )]);
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 1);
    check_stdout(
        &out,
        expect![[r#"
            warning[unanswered-question]: Unanswered question: no `->` and no answer
             --> web.notes:4:2
              |
            4 | *What is XSS?
              |  ^^^^^^^^^^^^
              = help: Add an answer stub

            checked 1 file: 2 questions, 1 answered, 1 unanswered; 1 warning
        "#]],
    );
}

#[test]
fn clean_folder_passes() {
    let f = Fixture::new(&[("web.notes", ANSWERED)]);
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0);
    check_stdout(
        &out,
        expect![[r#"
            checked 1 file: 2 questions, 2 answered, 0 unanswered; no findings
        "#]],
    );
}

#[test]
fn deny_none_passes_with_warnings() {
    let f = Fixture::new(&[("web.notes", b"*What is XSS?\n")]);
    assert_eq!(code(&f.run(&["check", "--deny", "none"])), 0);
}

#[test]
fn deny_info_fails_on_a_duplicate_question() {
    let f = Fixture::new(&[(
        "web.notes",
        b"*What is CSRF?\n-> A forged request.\n\n*what is csrf\n-> Again.\n",
    )]);
    assert_eq!(code(&f.run(&["check"])), 0);
    let out = f.run(&["check", "--deny", "info"]);
    assert_eq!(code(&out), 1);
    check_stdout(
        &out,
        expect![[r#"
            info[duplicate-question]: Duplicate question: the same question is asked earlier in this file
             --> web.notes:4:2
              |
            4 | *what is csrf
              |  ^^^^^^^^^^^^
              |
            note: first asked here
             --> web.notes:1:2
              |
            1 | *What is CSRF?
              |  -------------

            checked 1 file: 2 questions, 2 answered, 0 unanswered; 1 info
        "#]],
    );
}

#[test]
fn ignore_files_and_hidden_folders_are_respected() {
    let unanswered: &[u8] = b"*Unanswered?\n";
    let f = Fixture::new(&[
        ("web.notes", ANSWERED),
        (".ignore", b"drafts/\n"),
        ("drafts/a.notes", unanswered),
        (".hidden/b.notes", unanswered),
    ]);
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("checked 1 file:"));
}

#[test]
fn gitignore_is_respected_inside_a_repository() {
    let f = Fixture::new(&[
        ("web.notes", ANSWERED),
        (".gitignore", b"/old/\n"),
        ("old/a.notes", b"*Unanswered?\n"),
    ]);
    // `ignore` reads .gitignore only inside a repository, which it recognises
    // by the `.git` folder; no git binary is needed.
    std::fs::create_dir(f.path().join(".git")).unwrap();
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("checked 1 file:"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_while_walking() {
    let outside = Fixture::new(&[("a.notes", b"*Unanswered?\n")]);
    let f = Fixture::new(&[("web.notes", ANSWERED)]);
    std::os::unix::fs::symlink(outside.path(), f.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("a.notes"), f.path().join("b.notes")).unwrap();
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("checked 1 file:"));
}

#[test]
fn txt_files_are_checked_only_when_they_look_like_notes() {
    let f = Fixture::new(&[
        ("notes.txt", b"Intro line\n\n*What is a webhook?\n"),
        ("readme.txt", b"Just some text.\n\nIs this a question?\n"),
        ("other.md", b"*What is CSRF?\n"),
    ]);
    let out = f.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let lines = json_lines(&out);
    let paths: Vec<&str> = lines.iter().filter_map(|v| v["path"].as_str()).collect();
    assert!(!paths.is_empty() && paths.iter().all(|p| *p == "notes.txt"));
    assert_eq!(lines.last().unwrap()["summary"]["files"], 1);

    // Named on the command line, any file is checked.
    let out = f.run(&["check", "readme.txt", "--format", "json"]);
    let lines = json_lines(&out);
    assert_eq!(lines.last().unwrap()["summary"]["files"], 1);
    assert_eq!(lines[0]["path"], "readme.txt");
}

#[test]
fn missing_path_is_an_error_but_other_paths_are_still_checked() {
    let f = Fixture::new(&[("web.notes", ANSWERED)]);
    let out = f.run(&["check", "nope", "web.notes"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "error: nope: no such file or directory\n");
    assert!(stdout(&out).starts_with("checked 1 file:"));
}

#[test]
fn non_utf8_files_are_skipped_when_walked_and_errors_when_named() {
    let f = Fixture::new(&[
        ("web.notes", ANSWERED),
        (
            "latin1.notes",
            b"*Qu'est-ce que \xe9t\xe9?\n-> L'\xe9t\xe9.\n",
        ),
    ]);
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stderr(&out),
        "warning: skipping latin1.notes: not valid UTF-8\n"
    );
    assert!(stdout(&out).starts_with("checked 1 file:"));

    let out = f.run(&["check", "latin1.notes"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: cannot check latin1.notes: not valid UTF-8\n"
    );
}

#[test]
fn files_over_16_mib_are_skipped() {
    let f = Fixture::new(&[("web.notes", ANSWERED)]);
    let big = vec![b'x'; 16 * 1024 * 1024 + 1];
    std::fs::write(f.path().join("big.notes"), big).unwrap();
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stderr(&out),
        "warning: skipping big.notes: larger than 16 MiB\n"
    );
}

#[test]
fn json_columns_count_characters_after_multibyte_text() {
    let question = "日本語 and 😀 emoji?";
    let f = Fixture::new(&[(
        "a.notes",
        format!("*Ok?\n-> yes\n\n*{question}\n").as_bytes(),
    )]);
    let out = f.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let end = 2 + question.chars().count();
    let finding = &lines[0];
    assert_eq!(finding["path"], "a.notes");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["code"], "unanswered-question");
    assert_eq!(
        (&finding["line"], &finding["column"]),
        (&Value::from(4), &Value::from(2))
    );
    assert_eq!(
        (&finding["end_line"], &finding["end_column"]),
        (&Value::from(4), &Value::from(end))
    );
    let edit = &finding["fixes"][0]["edits"][0];
    assert_eq!(
        (&edit["line"], &edit["column"], &edit["end_column"]),
        (&Value::from(4), &Value::from(end), &Value::from(end))
    );
    assert_eq!(edit["insert"], "\n->\nTODO");
    assert_eq!(
        lines[1],
        serde_json::json!({"summary": {"files": 1, "questions": 2, "answered": 1, "unanswered": 1,
            "findings": {"error": 0, "warning": 1, "info": 0, "hint": 0}}})
    );
}

#[test]
fn json_positions_in_a_crlf_file() {
    let f = Fixture::new(&[(
        "a.notes",
        "*First?\r\n-> yes\r\n\r\n*日本 second?\r\n".as_bytes(),
    )]);
    let out = f.run(&["check", "--format", "json"]);
    let finding = &json_lines(&out)[0];
    assert_eq!(finding["line"], 4);
    assert_eq!(finding["column"], 2);
    assert_eq!(finding["end_line"], 4);
    assert_eq!(finding["end_column"], 12);
    assert_eq!(finding["fixes"][0]["edits"][0]["insert"], "\r\n->\r\nTODO");
}

const OUTLINE: &[u8] = b"*What is CSRF?
-> A forged request.

*Gunicorn vs uvicorn?
->
Gunicorn: WSGI server
| Gunicorn | Uvicorn |
|---|---|
| WSGI | ASGI |
| sync | async |

*What is XSS?
";

#[test]
fn outline_tree() {
    let f = Fixture::new(&[("a.notes", OUTLINE)]);
    let out = f.run(&["outline", "a.notes"]);
    assert_eq!(code(&out), 0);
    check_stdout(
        &out,
        expect![[r#"
             1  What is CSRF?
             4  Gunicorn vs uvicorn?
             6  ├─ Gunicorn
             7  └─ table: Gunicorn | Uvicorn  [2 rows]
            12  What is XSS?  [unanswered]
        "#]],
    );
}

#[test]
fn outline_json() {
    let f = Fixture::new(&[("a.notes", OUTLINE)]);
    let out = f.run(&["outline", "a.notes", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3);
    let q = &items[1];
    assert_eq!(q["name"], "Gunicorn vs uvicorn?");
    assert_eq!(q["kind"], "question");
    assert_eq!(q["detail"], Value::Null);
    assert_eq!(
        (&q["line"], &q["end_line"]),
        (&Value::from(4), &Value::from(10))
    );
    assert_eq!(q["selection"]["column"], 2);
    let table = &q["children"][1];
    assert_eq!(table["kind"], "table");
    assert_eq!(table["detail"], "2 rows");
    assert_eq!(table["line"], 7);
    assert_eq!(items[2]["detail"], "unanswered");
}

#[test]
fn outline_of_a_missing_file_is_an_error() {
    let f = Fixture::new(&[]);
    let out = f.run(&["outline", "nope.notes"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: cannot read nope.notes: no such file or directory\n"
    );
}

#[test]
fn version() {
    let out = notes_ls().arg("--version").output().unwrap();
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "notes-ls 0.1.0\n");
}

#[test]
fn stdio_with_a_command_is_a_usage_error() {
    let out = notes_ls().args(["--stdio", "check"]).output().unwrap();
    assert_eq!(code(&out), 2);
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let f = Fixture::new(&[("a.notes", b"*What is XSS?\n")]);
    // Tests capture stdout, so `auto` sees no terminal.
    let piped = f.run(&["check"]);
    assert!(!stdout(&piped).contains('\x1b'));
    let forced = f.run(&["check", "--color", "always"]);
    assert!(stdout(&forced).contains("\x1b["));
    let no_color = notes_ls()
        .args(["check", "--color", "auto"])
        .current_dir(f.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
    assert_eq!(stdout(&piped), stdout(&no_color));
}

#[test]
fn sample_notes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-notes");
    if !dir.is_dir() {
        eprintln!("skipped: {} does not exist in this checkout", dir.display());
        return;
    }
    let out = notes_ls().arg("check").arg(&dir).output().unwrap();
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let stdout = stdout(&out);
    let summary = stdout.lines().last().unwrap();
    let questions: usize = summary
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(questions >= 30, "{summary}");
}

#[test]
fn duplicates_across_files_point_at_the_other_file() {
    let f = Fixture::new(&[
        ("a.notes", b"*What is CSRF?\n->\nAn attack.\n"),
        ("b.notes", b"intro\n\n*what is  csrf\n->\nSame question.\n"),
    ]);
    let out = f.run(&["check", "--deny", "info"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("info[duplicate-question]: Duplicate question: also asked in b.notes"),
        "{text}"
    );
    assert!(
        text.contains("= note: also asked here (b.notes:3:2)"),
        "{text}"
    );
    assert!(
        text.contains("= note: also asked here (a.notes:1:2)"),
        "{text}"
    );
}

#[test]
fn misspellings_are_reported_unless_the_glossary_or_configuration_says_otherwise() {
    let notes: &[u8] = b"*Why gunicon?\n->\nIt serves WSGI apps.\n";
    let f = Fixture::new(&[("web.notes", notes)]);
    let out = f.run(&["check", "--deny", "info"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out)
        .contains("info[misspelled-term]: Unknown term `gunicon`: did you mean `Gunicorn`?"));

    // A word in the workspace glossary is known.
    let f = Fixture::new(&[
        ("web.notes", notes),
        ("glossary.toml", b"words = [\"gunicon\"]\n"),
    ]);
    let out = f.run(&["check", "--deny", "info"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // notes-ls.toml switches the code off, for the CLI as for the editor.
    let f = Fixture::new(&[
        ("web.notes", notes),
        (
            "notes-ls.toml",
            b"[diagnostics]\nmisspelled-term = \"off\"\n",
        ),
    ]);
    let out = f.run(&["check", "--deny", "info"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // A bad configuration is an error, not silently ignored.
    let f = Fixture::new(&[
        ("web.notes", notes),
        (
            "notes-ls.toml",
            b"[diagnostics]\nmisspelled-term = \"loud\"\n",
        ),
    ]);
    let out = f.run(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("bad configuration"),
        "{}",
        stderr(&out)
    );
}

/// The machine's global git excludes do not hide notes: a folder holds the
/// same notes on every machine.
#[test]
fn global_git_excludes_do_not_hide_notes() {
    let f = Fixture::new(&[("a.notes", b"*Q?\n-> yes\n")]);
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("git")).unwrap();
    std::fs::write(config.path().join("git/ignore"), "*.notes\n").unwrap();
    let out = notes_ls()
        .args(["check", "--format", "json", "."])
        .current_dir(f.path())
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", config.path())
        .output()
        .unwrap();
    let summary = json_lines(&out).pop().expect("a summary");
    assert_eq!(summary["summary"]["files"], 1, "{}", stdout(&out));
}

/// Daily notes that all ask one question: each finding names at most three
/// other files and counts the rest, so the output grows with the files, not
/// with their square (5,000 such files printed 1.2 GB before the cap).
#[test]
fn a_question_every_file_asks_prints_a_bounded_finding_per_file() {
    let files: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| {
            (
                format!("day-{i:04}.notes"),
                format!("*What did I learn today?\n-> thing {i}\n").into_bytes(),
            )
        })
        .collect();
    let f = Fixture::owned(&files);
    let out = f.run(&["check"]);
    let text = stdout(&out);
    assert_eq!(text.matches("info[duplicate-question]").count(), 300);
    assert_eq!(text.matches("also asked here").count(), 300 * 3);
    assert!(
        text.contains("and 298 more"),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(text.len() < 300 * 600, "{} bytes", text.len());
}

/// Files are read and checked on every core, a few hundred at a time: the
/// findings still come in the files' order, every file once, across the
/// batches, and files that are not notes are said in their place.
#[test]
fn findings_come_in_file_order_across_batches() {
    let files: Vec<(String, Vec<u8>)> = (0..700)
        .map(|i| {
            let text = match i % 100 {
                // Not UTF-8: skipped with a warning, in its place.
                50 => vec![0xff, 0xfe, b'x'],
                // 1 to 3 unanswered questions: a finding paired with
                // another file's path would show in the counts.
                _ => (0..=i % 3)
                    .map(|q| format!("*Question {i}.{q}?\n\n"))
                    .collect::<String>()
                    .into_bytes(),
            };
            (format!("f-{i:04}.notes"), text)
        })
        .collect();
    let f = Fixture::owned(&files);
    let out = f.run(&["check", "--format", "json"]);
    let lines = json_lines(&out);
    let paths: Vec<&str> = lines.iter().filter_map(|l| l["path"].as_str()).collect();
    let expected: Vec<String> = (0..700)
        .filter(|i| i % 100 != 50)
        .flat_map(|i| std::iter::repeat(format!("f-{i:04}.notes")).take(i % 3 + 1))
        .collect();
    assert_eq!(
        paths, expected,
        "each file's unanswered questions, in order"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let skipped: Vec<&str> = stderr.lines().filter(|l| l.contains("skipping")).collect();
    assert_eq!(skipped.len(), 7, "{stderr}");
    assert!(skipped[0].contains("f-0050.notes") && skipped[6].contains("f-0650.notes"));
}
