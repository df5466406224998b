//! Issue 18, "one slow request must never freeze the server": hostile sizes
//! of one line or one answer, each of which cost time quadratic in its size
//! before (seconds to minutes), checked here for the right result only.
//! The figures before and after are in docs/robustness.md; none of these
//! tests times anything.

mod common;

use common::disk::uri;
use common::server::TestServer;
use notes_ls::ide::{self, HighlightKind, TermIndex};
use notes_ls::syntax::parse;
use serde_json::{json, Value};

/// Misspellings of built-in terms, each flagged once.
const TYPOS: [&str; 7] = [
    "gunicon",
    "kubernets",
    "postgress",
    "Kafak",
    "nginxx",
    "djnago",
    "reddis",
];

/// `n` misspelled words separated by spaces, after an emoji, so that UTF-16
/// columns differ from byte columns.
fn typo_line(n: usize) -> String {
    let mut line = String::from("😀");
    for i in 0..n {
        line.push(' ');
        line.push_str(TYPOS[i % TYPOS.len()]);
    }
    line
}

/// The UTF-16 column of the end of `line`, which has one emoji (four bytes,
/// two code units) and ASCII.
fn utf16_end(line: &str) -> u64 {
    (line.len() - 2) as u64
}

fn pull_caps() -> Value {
    json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostic": { "refreshSupport": true } }
    })
}

async fn pull(s: &mut TestServer, uri: &str) -> Vec<Value> {
    let report = s
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
        .expect("a report");
    report["items"].as_array().cloned().unwrap_or_default()
}

/// Checks a report on `typo_line(n)` as line 1: one finding per word, the
/// last one ending at the line's end in UTF-16.
fn assert_every_typo(items: &[Value], line: &str, n: usize) {
    assert_eq!(items.len(), n);
    assert!(items.iter().all(|d| d["code"] == "misspelled-term"));
    let last = &items[n - 1]["range"];
    assert_eq!(
        last["end"],
        json!({"line": 1, "character": utf16_end(line)})
    );
    assert_eq!(last["start"]["line"], 1);
}

/// A line of 30,000 misspelled words (235 KB): every column was counted
/// from the line's start, in UTF-16, for each finding (5 s in release, 20 s
/// at 60,000 words). Open (the rope and the cursor over it) and closed (the
/// workspace index's positions).
#[tokio::test]
async fn thirty_thousand_misspellings_on_one_line_are_all_reported() {
    const N: usize = 30_000;
    let line = typo_line(N);
    let text = format!("*Question\n-> {line}\n");
    let line = format!("-> {line}");

    let (mut s, _) = TestServer::start(pull_caps()).await;
    s.open("file:///notes/open.notes", &text).await;
    let items = pull(&mut s, "file:///notes/open.notes").await;
    assert_every_typo(&items, &line, N);

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let file = root.join("closed.notes");
    std::fs::write(&file, &text).expect("write notes");
    let (mut s, _) = TestServer::start_with(json!({
        "processId": null,
        "rootUri": uri(&root),
        "workspaceFolders": [{"uri": uri(&root), "name": "w"}],
        "capabilities": pull_caps(),
    }))
    .await;
    // Indexed in the background: wait for the end of the scan.
    let mut items = Vec::new();
    for _ in 0..600 {
        let report = s
            .request("workspace/diagnostic", json!({"previousResultIds": []}))
            .await
            .expect("a workspace report");
        if let Some(f) = report["items"].as_array().and_then(|a| a.first()) {
            items = f["items"].as_array().cloned().unwrap_or_default();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_every_typo(&items, &line, N);
    let items = pull(&mut s, &uri(&file)).await;
    assert_every_typo(&items, &line, N);
}

/// A line of 100,000 misspelled words, each before a span of inline code:
/// whether a word lies in code was asked of every span of the line.
#[test]
fn misspellings_between_a_hundred_thousand_code_spans_are_all_found() {
    const N: usize = 100_000;
    let mut line = String::from("->");
    for i in 0..N {
        line.push_str(&format!(" {} `gunicon`", TYPOS[i % TYPOS.len()]));
    }
    let text = format!("*Question\n{line}\n");
    let found = ide::misspellings(&text, &parse(&text), &TermIndex::builtin());
    assert_eq!(found.len(), N);
    assert!(found.iter().all(|d| !d.range.slice(&text).contains('`')));
}

/// A question of 250 KB on one line, all misspelled words, and a code action
/// over the whole line: at most 200 quick fixes (a range over a 1 MB line
/// made 111,111, a 49 MB answer held as 1.1 GB of JSON values), and the
/// finding at the line's far end gets its fix at the right column. Each
/// finding's range was converted by counting from the line's start (30 s
/// and 734 MB for a question of 1 MB).
#[tokio::test]
async fn code_actions_on_a_long_question_line_are_capped_and_placed_right() {
    const N: usize = 28_000;
    let line = typo_line(N);
    let text = format!("*{line}\n-> An answer.\n");
    let (mut s, _) = TestServer::start(json!({})).await;
    s.open("file:///notes/q.notes", &text).await;
    let end = utf16_end(&format!("*{line}"));
    assert_eq!(
        s.code_actions(
            "file:///notes/q.notes",
            json!({"line": 0, "character": 0}),
            json!({"line": 0, "character": end})
        )
        .await
        .len(),
        200
    );
    let last = s
        .code_actions(
            "file:///notes/q.notes",
            json!({"line": 0, "character": end - 1}),
            json!({"line": 0, "character": end}),
        )
        .await;
    let fix = last
        .iter()
        .find(|a| {
            a["diagnostics"][0]["code"] == "misspelled-term" && a["edit"]["changes"].is_object()
        })
        .expect("a fix for the last word");
    let edits = &fix["edit"]["changes"]["file:///notes/q.notes"];
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 0, "character": end})
    );
    assert_eq!(edits[0]["newText"], "Redis");
}

/// An answer of 100,000 definitions (`Term: text` lines, each a term the
/// notes define): every known term found in the answer was compared with
/// every definition (9 s in release).
#[test]
fn highlights_of_an_answer_of_a_hundred_thousand_definitions() {
    const N: usize = 100_000;
    let mut text = String::from("*Question\n->\n");
    for i in 0..N {
        text.push_str(&format!("Term{i}: defined, unlike Gunicorn\n"));
    }
    let notes = parse(&text);
    let mut terms = TermIndex::builtin();
    terms.set_document(&"/notes/defs.notes".into(), &text, &notes);
    let hl = ide::highlights(&text, &notes, &terms);
    let count = |k: HighlightKind| hl.iter().filter(|h| h.kind == k).count();
    assert_eq!(count(HighlightKind::DefinitionTerm), N);
    // The definitions are no mentions of themselves; Gunicorn is one.
    assert_eq!(count(HighlightKind::KnownTerm), N);
    assert!(hl
        .iter()
        .filter(|h| h.kind == HighlightKind::KnownTerm)
        .all(|h| h.range.slice(&text) == "Gunicorn"));
}

/// Completion with the cursor after a word of a megabyte (accented letters,
/// so not ASCII): the whole word was lowercased into a new vector once for
/// every known term. Nothing is that long, so nothing is offered; a short
/// word after it still completes.
#[test]
fn completion_after_a_megabyte_word() {
    let word = "é".repeat(500_000);
    let text = format!("*Question\n-> {word}\n");
    let notes = parse(&text);
    let terms = TermIndex::builtin();
    let end = text.len() - 1;
    assert!(ide::completions(&text, &notes, &terms, end).is_empty());

    let text = format!("*Question\n-> {word} gunic\n");
    let notes = parse(&text);
    let found = ide::completions(&text, &notes, &terms, text.len() - 1);
    assert_eq!(found.first().map(|c| c.label.as_str()), Some("Gunicorn"));
}
