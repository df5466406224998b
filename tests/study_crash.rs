//! The review file survives a process killed in the middle of writing it:
//! a child (this test binary, run again with an environment variable) saves
//! a growing review state in a loop, and is killed with SIGKILL at varied
//! moments; after each kill the file must parse, as the old state or the
//! new one, and no temporary file may be taken for it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use notes_ls::study::reviews::{CardState, Grade, LogEntry, Phase, Reviews};
use notes_ls::study::store;

const CHILD: &str = "NOTES_LS_CRASH_CHILD";

/// `n` cards, each with a log of `n % 7 + 1` grades: a file of some size,
/// so a write takes long enough to be interrupted.
fn reviews(n: usize) -> Reviews {
    let at = "2026-12-04T12:00:00Z".parse().expect("a date");
    let mut r = Reviews::default();
    for i in 0..n {
        r.cards.insert(
            format!("{i:016x}"),
            CardState {
                question: format!("Question number {i}?"),
                file: "web/security.notes".to_string(),
                due: at,
                stability: 1.5,
                difficulty: 5.0,
                elapsed_days: 0,
                scheduled_days: 1,
                reps: i as i32,
                lapses: 0,
                phase: Phase::Review,
                last_review: at,
                log: vec![
                    LogEntry {
                        at,
                        grade: Grade::Good
                    };
                    i % 7 + 1
                ],
            },
        );
    }
    r
}

/// The child: writes states of one card more than the file holds, then
/// one more each time, until it is killed.
fn child(path: &Path) -> ! {
    let text = std::fs::read_to_string(path).expect("read");
    let mut n = Reviews::parse(&text).expect("parse").cards.len() + 1;
    loop {
        store::save(path, &reviews(n)).expect("save");
        n += 1;
    }
}

#[test]
fn review_file_is_never_torn_by_a_kill() {
    let dir = std::env::var_os(CHILD);
    if let Some(dir) = dir {
        child(&Path::new(&dir).join("reviews.json"));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reviews.json");
    store::save(&path, &reviews(500)).expect("first save");
    let mut last = 500;
    let mut kills = 0;
    let started = Instant::now();
    while kills < 25 && started.elapsed() < Duration::from_secs(60) {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "review_file_is_never_torn_by_a_kill",
                "--exact",
                "--nocapture",
            ])
            .env(CHILD, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the writer");
        // Varied moments: 10 to 400 ms after the start, on a stride that
        // does not line up with the length of one write.
        std::thread::sleep(Duration::from_millis(10 + (kills * 53) % 390));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills += 1;
        let text = std::fs::read_to_string(&path).expect("the file is there");
        let read = Reviews::parse(&text).unwrap_or_else(|e| panic!("torn after kill {kills}: {e}"));
        let n = read.cards.len();
        assert!(n >= last, "went back from {last} to {n} cards");
        assert_eq!(read, reviews(n), "a state that was written whole");
        last = n;
    }
    assert!(kills >= 10, "only {kills} kills in a minute");
    assert!(last > 500, "the writer never finished a write");
    // Temporary files of killed writers may be left (a kill leaves no chance
    // to remove them), but never under the real name.
    for e in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(name == "reviews.json" || name.ends_with(".tmp"), "{name}");
    }
}
