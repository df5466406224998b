//! Configuration as untrusted input: a cloned repository's `notes-ls.toml`
//! naming glossaries at `/proc/self/environ`, `/dev/stdin`, `/dev/zero`,
//! `../outside`, a symbolic link or a FIFO. `notes-ls check` refuses each
//! with one line on stderr and exits 2, never printing the file, never
//! hanging, never reading without bound; the server logs and skips them and
//! keeps answering. Every run here has a time limit: a FIFO opened for
//! reading waits for a writer forever. Unix only: FIFOs, `/dev`, `/proc`.

#![cfg(unix)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::stdio::StdioServer;
use serde_json::json;

/// A notes file with a misspelling a glossary can make known.
const NOTES: &[u8] = b"*What serves the app?\n-> gunicon behind nginx.\n";

/// Set in the environment of the checked process; its value must never be
/// printed.
const MARKER_NAME: &str = "NOTES_LS_TEST_SECRET";
const MARKER_VALUE: &str = "b9f1c2d3e4-never-printed";

struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

/// `root/` (the cloned repository: notes and `files`) next to `outside/`,
/// which holds a glossary that knows `gunicon`.
fn repo(files: &[(&str, &str)]) -> Repo {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&root).expect("root");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(outside.join("x.toml"), "words = [\"gunicon\"]\n").expect("write");
    std::fs::write(root.join("a.notes"), NOTES).expect("write");
    for (name, text) in files {
        std::fs::write(root.join(name), text).expect("write");
    }
    Repo {
        _tmp: tmp,
        root,
        outside,
    }
}

fn glossary_at(path: &str) -> String {
    format!("[glossary]\npaths = [{path:?}]\n")
}

/// `notes-ls check` in `dir`, with `input` on stdin; killed and failed
/// after `limit`.
fn check(dir: &Path, input: &[u8], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notes-ls"))
        .args(["check", "--color", "never", "."])
        .current_dir(dir)
        .env(MARKER_NAME, MARKER_VALUE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn notes-ls check");
    if let Some(mut stdin) = child.stdin.take() {
        // The child may not read it; a closed pipe is fine.
        let _ = stdin.write_all(input);
    }
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("notes-ls check did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// Runs `check`, expects exit 2 with `reason` about `file` on stderr, the
/// misspelling still found (nothing was loaded), and nothing secret shown.
fn refused(repo: &Repo, file: &str, reason: &str) {
    let out = check(
        &repo.root,
        b"words = [\"gunicon\"]\n",
        Duration::from_secs(10),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}\n{stdout}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: ignoring glossary ") && l.contains(file))
        .unwrap_or_else(|| panic!("no error about {file}: {stderr}"));
    assert!(line.ends_with(reason), "{line}");
    assert!(
        stdout.contains("gunicon"),
        "the glossary was read: {stdout}"
    );
    assert!(!stdout.contains(MARKER_VALUE) && !stderr.contains(MARKER_VALUE));
}

#[test]
fn proc_self_environ_is_refused_and_never_printed() {
    let r = repo(&[("notes-ls.toml", &glossary_at("/proc/self/environ"))]);
    refused(&r, "/proc/self/environ", "outside the workspace");
}

#[test]
fn dev_stdin_is_refused_and_stdin_is_not_read() {
    let r = repo(&[("notes-ls.toml", &glossary_at("/dev/stdin"))]);
    // `/dev/stdin` is a link (to `/proc/self/fd/0`): refused before anything else.
    refused(&r, "/dev/stdin", "a symbolic link");
}

#[test]
fn dev_zero_is_refused_without_reading() {
    let r = repo(&[("notes-ls.toml", &glossary_at("/dev/zero"))]);
    refused(&r, "/dev/zero", "outside the workspace");
}

#[test]
fn a_fifo_named_glossary_toml_is_refused_at_once() {
    let r = repo(&[]);
    let fifo = r.root.join("glossary.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // No mkfifo here: the unit tests cover the open.
    }
    refused(&r, "glossary.toml", "not a regular file");
}

#[test]
fn a_symlinked_glossary_is_refused() {
    let r = repo(&[]);
    std::os::unix::fs::symlink(r.outside.join("x.toml"), r.root.join("glossary.toml"))
        .expect("link");
    refused(&r, "glossary.toml", "a symbolic link");
}

#[test]
fn a_glossary_up_and_out_of_the_folder_is_refused() {
    let r = repo(&[("notes-ls.toml", &glossary_at("../outside/x.toml"))]);
    refused(&r, "../outside/x.toml", "outside the workspace");
}

#[test]
fn a_symlinked_notes_ls_toml_is_a_bad_configuration() {
    let r = repo(&[]);
    std::fs::write(
        r.outside.join("notes-ls.toml"),
        "[glossary]\nbuiltin = false\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        r.outside.join("notes-ls.toml"),
        r.root.join("notes-ls.toml"),
    )
    .expect("link");
    let out = check(&r.root, b"", Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bad configuration: ") && stderr.contains("notes-ls.toml: a symbolic link"),
        "{stderr}"
    );
}

/// A glossary in the folder that is not TOML (here, bytes shaped like an
/// environment with terminal escapes): a warning that quotes a short,
/// escaped excerpt, never the line; the check itself goes on.
#[test]
fn a_glossary_that_is_not_toml_is_quoted_short_and_escaped() {
    let junk = format!(
        "A=1\0\u{1b}[2J{}\0{}\0",
        "x".repeat(400),
        "TAIL_SECRET=tail-value-never-printed"
    );
    let r = repo(&[("glossary.toml", &junk)]);
    let out = check(&r.root, b"", Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("warning: ignoring glossary"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\0'),
        "{stderr:?}"
    );
    assert!(!stderr.contains("tail-value"), "{stderr}");
    assert!(line.len() < 400, "{line}");
    assert!(line.contains("line 1, column"), "{line}");
}

/// The server over stdio, with glossary paths that block or read the
/// protocol: `/dev/stdin` in the repository's `notes-ls.toml` and named by
/// the editor's own settings, and a FIFO named `glossary.toml`. Each is
/// refused with a log line, and requests are answered within seconds.
#[test]
fn the_server_keeps_answering_with_a_stdin_or_fifo_glossary() {
    let r = repo(&[(
        "notes-ls.toml",
        "[glossary]\npaths = [\"/dev/stdin\", \"glossary.toml\"]\n",
    )]);
    let fifo = r.root.join("glossary.toml");
    let has_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let root = r.root.canonicalize().expect("canonical root");
    let root_uri = format!("file://{}", root.display());
    for settings in [
        json!(null),
        json!({"glossary": {"paths": ["/dev/stdin", fifo]}}),
    ] {
        let mut s = StdioServer::spawn_with(&[], None, "info");
        s.initialize(json!({
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "w"}],
            "initializationOptions": settings,
        }));
        let uri = format!("{root_uri}/a.notes");
        let text = "*What serves the app?\n-> Gunicorn behind nginx.\n";
        s.open(&uri, text);
        let id = s.send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}}),
        );
        let hover = s
            .wait_for(Duration::from_secs(5), |m| m["id"] == id)
            .unwrap_or_else(|| panic!("no hover within 5 s: {:#?}", s.stderr()));
        let md = hover["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(md.contains("Gunicorn"), "{hover}");
        assert!(
            s.logged("ignoring glossary /dev/stdin: ", Duration::from_secs(5)),
            "{settings}: {:#?}",
            s.stderr()
        );
        if has_fifo {
            assert!(
                s.logged("glossary.toml: not a regular file", Duration::from_secs(5)),
                "{settings}: {:#?}",
                s.stderr()
            );
        }
        // Still answering after the scan has run.
        let r2 = s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(r2.get("result").is_some(), "{r2}");
    }
}

/// "Add to glossary" reads the glossary it would edit: with `/dev/stdin`
/// configured it read the server's own input and hung. Now the action is
/// not offered and the server answers.
#[test]
fn add_to_glossary_never_reads_a_device() {
    let r = repo(&[("notes-ls.toml", "[glossary]\npaths = [\"/dev/stdin\"]\n")]);
    let root = r.root.canonicalize().expect("canonical root");
    let root_uri = format!("file://{}", root.display());
    let mut s = StdioServer::spawn_with(&[], None, "info");
    s.initialize(json!({
        "rootUri": root_uri,
        "workspaceFolders": [{"uri": root_uri, "name": "w"}],
    }));
    let uri = format!("{root_uri}/a.notes");
    s.open(&uri, "*What serves the app?\n-> gunicon behind nginx.\n");
    let range = json!({"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 10}});
    let diagnostic = json!({
        "range": range, "code": "misspelled-term", "source": "notes-ls",
        "message": "Unknown term `gunicon`: did you mean `Gunicorn`?",
    });
    let id = s.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range,
               "context": {"diagnostics": [diagnostic]}}),
    );
    let answer = s
        .wait_for(Duration::from_secs(5), |m| m["id"] == id)
        .unwrap_or_else(|| panic!("no code actions within 5 s: {:#?}", s.stderr()));
    let actions = answer["result"].as_array().cloned().unwrap_or_default();
    assert!(
        actions
            .iter()
            .all(|a| !a["title"].as_str().unwrap_or("").contains("glossary")),
        "{answer}"
    );
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.get("result").is_some(), "{symbols}");
}
