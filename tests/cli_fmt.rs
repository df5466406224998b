//! `notes-ls fmt` end to end: `--check` lists and changes nothing, a run
//! writes in place keeping permissions and line breaks, `[format] arrow` is
//! honoured, and a symbolic link is never written through.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin!("notes-ls"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

const UNFORMATTED: &str = "*What is CSRF? -> A forged request.   \r\n*Why?\r\n->\r\nBecause.";

#[test]
fn check_lists_then_fmt_formats_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.notes"), UNFORMATTED).unwrap();
    std::fs::write(d.join("clean.notes"), "*Q?\n->\nA.\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("a.notes"), PermissionsExt::from_mode(0o640)).unwrap();
    }

    let out = run(d, &["fmt", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a.notes\n");
    assert_eq!(read(d, "a.notes"), UNFORMATTED);

    let out = run(d, &["fmt"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        read(d, "a.notes"),
        "*What is CSRF?\r\n->\r\nA forged request.\r\n\r\n*Why?\r\n->\r\nBecause.\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("a.notes"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    assert_eq!(run(d, &["fmt", "--check", "."]).status.code(), Some(0));
}

#[test]
fn arrow_setting_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("notes-ls.toml"), "[format]\narrow = \"same-line\"\n").unwrap();
    std::fs::write(d.join("a.notes"), "*Q?\n->\nA.\n").unwrap();
    assert_eq!(run(d, &["fmt"]).status.code(), Some(0));
    assert_eq!(read(d, "a.notes"), "*Q? ->\nA.\n");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("t.notes");
    std::fs::write(&target, UNFORMATTED).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink(&target, d.join("link.notes")).unwrap();

    // Walking skips the link.
    assert_eq!(run(d, &["fmt"]).status.code(), Some(0));
    // Named, it is refused.
    let out = run(d, &["fmt", "link.notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), UNFORMATTED);
    assert!(std::fs::symlink_metadata(d.join("link.notes"))
        .unwrap()
        .file_type()
        .is_symlink());
}
