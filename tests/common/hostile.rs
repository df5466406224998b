//! A workspace folder holding one of each hostile file: invalid UTF-8, an
//! empty file, a 50 MB file, a 10 MB single line, a binary file, a FIFO, a
//! folder named like a notes file, symlink loops and links leading outside.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

pub const TEN_MB: usize = 10 * 1024 * 1024;

pub struct Hostile {
    pub dir: TempDir,
    /// The workspace folder.
    pub root: PathBuf,
    /// A folder next to it that links point into.
    pub outside: PathBuf,
    /// `fifo.notes`, where `mkfifo` exists.
    pub fifo: Option<PathBuf>,
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write fixture");
}

/// A workspace at `root` holding one of each hostile file, next to a folder
/// `outside` that links point into.
pub fn hostile() -> Hostile {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("ws");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::fs::create_dir_all(root.join("folder.notes")).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    write(&outside.join("secret.notes"), b"*Secret outside?\n");

    write(
        &root.join("good.notes"),
        b"*What is CSRF?\n-> A forged request.\n",
    );
    write(&root.join("empty.notes"), b"");
    write(&root.join("latin1.notes"), b"*Caf\xe9?\n-> coffee\n");
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..=255u8).cycle().take(4096));
    write(&root.join("binary.notes"), &binary);
    // 50 MB without writing 50 MB: a sparse file.
    let huge = std::fs::File::create(root.join("huge.notes")).expect("create");
    huge.set_len(50 * 1024 * 1024).expect("set_len");
    write(
        &root.join("one-line.notes"),
        "Café ".repeat(TEN_MB / 6).as_bytes(),
    );
    write(&root.join("folder.notes/inner.notes"), b"*Inner?\n-> yes\n");

    symlink("loop-b.notes", root.join("loop-a.notes")).expect("symlink");
    symlink("loop-a.notes", root.join("loop-b.notes")).expect("symlink");
    symlink("..", root.join("sub/up")).expect("symlink");
    symlink(outside.join("secret.notes"), root.join("escape.notes")).expect("symlink");
    symlink(&outside, root.join("escape-dir")).expect("symlink");
    symlink("nowhere.notes", root.join("dangling.notes")).expect("symlink");

    let fifo = root.join("fifo.notes");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    Hostile {
        dir,
        root,
        outside,
        fifo: made.then_some(fifo),
    }
}
