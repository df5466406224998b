//! The study commands end to end, through the real binary: `export` (Anki
//! round trip, stable GUIDs, escaping, CSV and JSON Lines read back),
//! `stats`, and `drill --plain` driven through a pipe with scripted keys,
//! checking the schedule it writes.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use expect_test::expect;
use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-12-04T12:00:00Z";

/// A notes root (it holds `notes-ls.toml`) with the given files.
fn root(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes-ls.toml"), "").unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
        .args(args)
        .current_dir(dir)
        .env("NOTES_LS_NOW", NOW)
        .write_stdin(stdin)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const WEB: &str = "*What is CSRF?\n-> A forged request.\n\n*What is XSS?\n-> Injected <script>alert(1)</script> & more\n\tindented\twith tabs\n\n*What is CORS?\n-> TODO\n\n*Unanswered?\n";

/// The records of an Anki export, parsed back with the `csv` crate the
/// way Anki's importer reads them: the `#` header lines, then tab-separated
/// rows.
fn anki_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let headers: Vec<String> = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn anki_export_round_trips_with_stable_guids() {
    let dir = root(&[
        ("web/security.notes", WEB),
        (
            "db.notes",
            "*ACID?\n-> Atomicity, consistency, isolation, durability.\n",
        ),
    ]);
    let out = run(dir.path(), &["export", "--to", "anki"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "exported 3 cards from 2 files; skipped 2 unanswered (--include-unanswered keeps them)\n"
    );
    let text = stdout(&out);
    let (headers, rows) = anki_rows(&text);
    assert_eq!(
        headers,
        [
            "#separator:tab",
            "#html:true",
            "#guid column:1",
            "#deck column:4",
            "#tags column:5",
            "#columns:GUID\tFront\tBack\tDeck\tTags"
        ]
    );
    let deck = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let shown: Vec<String> = rows
        .iter()
        .map(|r| r.join(" | ").replace(&deck, "ROOT"))
        .collect();
    expect![[r#"
        [
            "c7d852d57c059d89 | ACID? | <p>Atomicity, consistency, isolation, durability.</p> | ROOT | db",
            "8ebf2760c0b0bb95 | What is CSRF? | <p>A forged request.</p> | web | web security",
            "2d1baf5575b8b84f | What is XSS? | <p>Injected &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p><pre><code>indented&#9;with tabs</code></pre> | web | web security",
        ]
    "#]]
    .assert_debug_eq(&shown);
    assert!(rows.iter().all(|r| r.len() == 5));

    // Only white space and case change: the same cards, the same GUIDs.
    write(
        dir.path(),
        "web/security.notes",
        &WEB.replace("*What is CSRF?", "*what   IS  csrf")
            .replace("*What is XSS?", "*WHAT is XSS ?"),
    );
    let again = run(dir.path(), &["export"], "");
    let (_, rows_again) = anki_rows(&stdout(&again));
    let guids = |rows: &[Vec<String>]| rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(guids(&rows_again), guids(&rows));
    assert_eq!(rows_again[2][2], rows[2][2]);

    // --deck puts everything in one deck; unanswered cards can be kept.
    let out = run(
        dir.path(),
        &["export", "--deck", "Interview", "--include-unanswered"],
        "",
    );
    let (_, rows) = anki_rows(&stdout(&out));
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r[3] == "Interview"));
}

#[test]
fn csv_and_json_lines_read_back() {
    let dir = root(&[("web.notes", WEB)]);
    let out = run(dir.path(), &["export", "--to", "csv"], "");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        ["id", "question", "answer", "file", "line", "deck", "tags", "answered"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][1], "What is XSS?");
    assert_eq!(
        &rows[1][2],
        "Injected <script>alert(1)</script> & more\n\tindented\twith tabs"
    );
    assert_eq!(&rows[1][4], "4");

    let out = run(dir.path(), &["export", "--to", "json"], "");
    let cards: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["id"], rows[0][0].to_string());
    assert_eq!(cards[0]["answer_html"], "<p>A forged request.</p>");
    assert_eq!(cards[0]["tags"], serde_json::json!(["web"]));
}

#[test]
fn export_to_a_file_and_markdown() {
    let dir = root(&[("web.notes", WEB)]);
    let out = run(
        dir.path(),
        &["export", "--to", "markdown", "-o", "out/cards.md"],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let md = std::fs::read_to_string(dir.path().join("out/cards.md")).unwrap();
    assert!(
        md.starts_with("# web.notes\n\n## What is CSRF?\n\nA forged request.\n"),
        "{md}"
    );
}

#[test]
fn plain_drill_through_a_pipe_writes_the_schedule() {
    let dir = root(&[("web.notes", WEB)]);
    // Show CSRF, grade it "again" by mistake, take that back, grade it good;
    // grade XSS "again" without looking; it comes back; show it and grade it
    // hard.
    let out = run(dir.path(), &["drill", "--plain"], "\n1\nu\n3\n1\n\n2\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    expect![[r#"
        [2 left] web.notes:1
        Q: What is CSRF?
        (Enter: show the answer · q: quit)
        A:
          A forged request.
        grade: 1 again 1 min · 2 hard 5 min · 3 good 10 min · 4 easy 15 days · u: undo · q: quit
        graded again

        [2 left] web.notes:4
        Q: What is XSS?
        (Enter: show the answer · q: quit)
        undone; back to: What is CSRF? (1-4 grades it again)
        graded good

        [1 left] web.notes:4
        Q: What is XSS?
        (Enter: show the answer · q: quit)
        graded again

        [1 left] web.notes:4
        Q: What is XSS?
        (Enter: show the answer · q: quit)
        A:
          Injected <script>alert(1)</script> & more
          	indented	with tabs
        grade: 1 again 5 min · 2 hard 10 min · 3 good 1 day · 4 easy 2 days · u: undo · q: quit
        graded hard

        reviewed 3 cards: 1 again, 1 hard, 1 good; 2 due within a day
    "#]]
    .assert_eq(&stdout(&out));
    let reviews: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(".notes-ls/reviews.json")).unwrap(),
    )
    .unwrap();
    let schedule: Vec<String> = reviews["cards"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| {
            let grades: Vec<&str> = c["log"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["grade"].as_str().unwrap())
                .collect();
            format!(
                "{} due {} {} {:?}",
                c["question"], c["due"], c["phase"], grades
            )
        })
        .collect();
    expect![[r#"
        [
            "\"What is XSS?\" due \"2026-12-04T12:10:00Z\" \"learning\" [\"again\", \"hard\"]",
            "\"What is CSRF?\" due \"2026-12-04T12:10:00Z\" \"learning\" [\"good\"]",
        ]
    "#]]
    .assert_debug_eq(&schedule);

    // Ten minutes later both are due again; the notes were never written.
    let later = Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
        .args(["drill", "--plain"])
        .current_dir(dir.path())
        .env("NOTES_LS_NOW", "2026-12-04T12:30:00Z")
        .write_stdin("4\n4\n")
        .output()
        .unwrap();
    assert!(
        stdout(&later).ends_with("reviewed 2 cards: 2 easy; 0 due within a day\n"),
        "{}",
        stdout(&later)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("web.notes")).unwrap(),
        WEB
    );

    // A renamed question (case and spacing only) keeps its history.
    write(
        dir.path(),
        "web.notes",
        &WEB.replace("*What is CSRF?", "*what is  CSRF"),
    );
    let stats = run(dir.path(), &["stats", "--format", "json"], "");
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["total"]["studied"], 2);
    assert_eq!(stats["total"]["learned"], 2);
    assert_eq!(stats["total"]["retention"], 0.8);
}

#[test]
fn nothing_due_and_cram() {
    let dir = root(&[("web.notes", WEB)]);
    run(dir.path(), &["drill", "--plain"], "3\n3\n");
    run(dir.path(), &["drill", "--plain"], "");
    let out = run(dir.path(), &["drill", "--plain", "--new", "0"], "");
    assert_eq!(
        stdout(&out),
        "nothing due; the next card is due in 10 min (--cram reviews anyway)\n"
    );
    let before = std::fs::read_to_string(dir.path().join(".notes-ls/reviews.json")).unwrap();
    let out = run(
        dir.path(),
        &["drill", "--plain", "--cram", "--topic", "WEB"],
        "1\n4\n4\n",
    );
    assert!(
        stdout(&out).ends_with("reviewed 3 cards: 1 again, 2 easy (cram: no schedule changed)\n"),
        "{}",
        stdout(&out)
    );
    let after = std::fs::read_to_string(dir.path().join(".notes-ls/reviews.json")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn drill_needs_a_terminal_or_plain() {
    let dir = root(&[("web.notes", WEB)]);
    let out = run(dir.path(), &["drill"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs a terminal; use `--plain`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_review_file_is_left_alone() {
    let dir = root(&[("web.notes", WEB), (".notes-ls/reviews.json", "{ broken")]);
    let out = run(dir.path(), &["drill", "--plain"], "3\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read the review state"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".notes-ls/reviews.json")).unwrap(),
        "{ broken"
    );
}

#[test]
fn stats_table_per_file_and_topic() {
    let dir = root(&[
        ("web/security.notes", WEB),
        (
            "web/http.notes",
            "*GET vs POST?\n-> GET reads, POST writes.\n",
        ),
        ("db.notes", "*ACID?\n-> yes\n"),
    ]);
    let out = run(dir.path(), &["stats"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table: String = stdout(&out)
        .lines()
        .map(|l| format!("{}\n", l.get(..83).unwrap_or(l).trim_end()))
        .collect();
    expect![[r#"
        file                questions  answered  unanswered  short  due  learned  retention
        db.notes                    1         1           0      1    0        0          -
        web/http.notes              1         1           0      1    0        0          -
        web/security.notes          4         2           2      1    0        0          -

        topic               questions  answered  unanswered  short  due  learned  retention
        .                           1         1           0      1    0        0          -
        web                         5         3           2      2    0        0          -

        total                       6         4           2      3    0        0          -
    "#]]
    .assert_eq(&table);
}

/// Notes in another dialect are cards too when notes-ls.toml says so.
#[test]
fn export_reads_each_file_in_its_dialect() {
    let qa = "Q: What is a decorator?\nA: A function around a function.\n\nQ: What is the GIL?\nA: A lock.\n";
    let dir = root(&[("python.notes", qa)]);
    let questions = |dir: &Path| -> Vec<String> {
        stdout(&run(dir, &["export", "--to", "json"], ""))
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["question"].to_string())
            .collect()
    };
    // As arrow notes there is no answered question.
    assert_eq!(questions(dir.path()), Vec::<String>::new());
    std::fs::write(
        dir.path().join("notes-ls.toml"),
        "[format]\ndialect = \"qa\"\n",
    )
    .unwrap();
    assert_eq!(
        questions(dir.path()),
        ["\"What is a decorator?\"", "\"What is the GIL?\""]
    );
}
