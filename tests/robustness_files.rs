//! Hostile files in a workspace: invalid UTF-8, an empty file, a 50 MB
//! file, a 10 MB single line, a binary file, files that cannot be read (a
//! FIFO, a folder named like a notes file), symlink loops and symlinks that
//! point outside the folder. The workspace index and `notes-ls check` skip
//! or read each one with a log line, never follow a link outside, never
//! hang and never crash.
//!
//! Unreadable by permission (`chmod 000`) cannot be tested as root, who
//! reads everything; the same error path (`load` returning `Err`) is taken
//! by the FIFO and the folder, which are tested instead.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::hostile::{hostile, write, TEN_MB};
use notes_ls::config::Config;
use notes_ls::workspace::{self, WorkspaceIndex};

/// Runs `f` on another thread and fails if it takes longer than `limit`:
/// a FIFO that is opened for reading blocks until a writer comes.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}

#[test]
fn the_index_skips_hostile_files_with_a_log_line_and_stays_inside() {
    let h = hostile();
    let root = h.root.clone();
    let started = Instant::now();
    let (index, stats, log) = within(Duration::from_secs(60), move || {
        let mut index = WorkspaceIndex::new(vec![root], Config::default());
        let mut log = Vec::new();
        let stats = index.scan(&mut |_, _| {}, &mut |line| log.push(line));
        (index, stats, log)
    });
    let elapsed = started.elapsed();
    let names: Vec<String> = index
        .files()
        .map(|(p, _)| {
            p.strip_prefix(&h.root)
                .expect("indexed file inside the root")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "empty.notes",
            "folder.notes/inner.notes",
            "good.notes",
            "one-line.notes"
        ]
    );
    assert_eq!(stats.files, 4);
    assert_eq!(stats.skipped, 3, "{log:#?}");
    let logged = |file: &str, why: &str| {
        log.iter()
            .any(|l| l.contains(file) && l.contains(why) && l.starts_with("skipping"))
    };
    assert!(logged("latin1.notes", "not valid UTF-8"), "{log:#?}");
    assert!(logged("binary.notes", "not valid UTF-8"), "{log:#?}");
    assert!(logged("huge.notes", "larger than 16 MiB"), "{log:#?}");
    assert!(!log.iter().any(|l| l.contains("secret")), "{log:#?}");
    assert_eq!(
        index
            .file(&h.root.join("empty.notes"))
            .and_then(|f| f.text.as_deref())
            .map(|t| notes_ls::syntax::parse(t).entries.len()),
        Some(0)
    );
    let line = index.file(&h.root.join("one-line.notes")).expect("indexed");
    assert!(line.text.as_ref().map_or(0, |t| t.len()) > TEN_MB - 10);
    // Debug build, 10 MB parsed: generous, but a hang or a quadratic
    // parse would blow it.
    assert!(elapsed < Duration::from_secs(30), "scan took {elapsed:?}");
}

#[test]
fn watched_file_events_do_not_follow_links_outside_the_root() {
    let h = hostile();
    let mut index = WorkspaceIndex::new(vec![h.root.clone()], Config::default());
    let mut log = Vec::new();
    index.scan(&mut |_, _| {}, &mut |l| log.push(l));
    for path in [
        h.root.join("escape.notes"),
        h.root.join("escape-dir/secret.notes"),
        h.root.join("loop-a.notes"),
        h.root.join("dangling.notes"),
        h.root.join("sub/up/good.notes"),
    ] {
        index.reload(&path, &mut |l| log.push(l));
        assert!(
            index.file(&path).is_none(),
            "{} was indexed",
            path.display()
        );
    }
    assert!(index.files().all(|(p, _)| !p.starts_with(&h.outside)));
    // A real file still reloads.
    write(
        &h.root.join("good.notes"),
        b"*What is XSS?\n-> Injected script.\n",
    );
    assert!(index.reload(&h.root.join("good.notes"), &mut |l| log.push(l)));
}

#[test]
fn fifos_and_folders_are_refused_at_once() {
    let h = hostile();
    let mut paths = vec![h.root.join("folder.notes")];
    paths.extend(h.fifo.clone());
    for path in paths {
        let shown = path.display().to_string();
        let result = within(Duration::from_secs(5), move || {
            workspace::load(&path, false, 1 << 20).map(|_| ())
        });
        let err = result.expect_err(&shown);
        assert!(
            err.to_string().contains("not a regular file"),
            "{shown}: {err}"
        );
    }
}

#[test]
fn check_walks_a_hostile_folder_and_reports_what_it_skipped() {
    let h = hostile();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_notes-ls"))
        .args(["check", "--color", "never"])
        .arg(&h.root)
        .output()
        .expect("run notes-ls check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("checked 4 files"), "{stdout}");
    for file in ["latin1.notes", "binary.notes", "huge.notes"] {
        assert!(
            stderr.contains(&format!(
                "warning: skipping {}",
                h.root.join(file).display()
            )),
            "{file}: {stderr}"
        );
    }
    assert!(!stdout.contains("Secret") && !stderr.contains("secret"));
}

#[test]
fn check_refuses_a_fifo_named_on_the_command_line() {
    let h = hostile();
    let Some(fifo) = h.fifo.clone() else {
        return; // No mkfifo here: covered by the folder case above.
    };
    let out = within(Duration::from_secs(10), move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_notes-ls"))
            .args(["check", "--color", "never"])
            .arg(&fifo)
            .output()
            .expect("run notes-ls check")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}
